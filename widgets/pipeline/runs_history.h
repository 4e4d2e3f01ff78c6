// Past training runs (id, recipe, status, start time, what it left), newest first. The app gives a
// provider (it reads the project store); selecting a run emits runSelected(id) so the
// app can load that run's scalars into the charts.
#pragma once

#include <QDateTime>
#include <QString>
#include <QWidget>
#include <functional>
#include <vector>

class QTableWidget;

namespace distillery {

struct RunSummary {
  QString id;
  QString recipe;
  QString status;  // "running", "finished", "cancelled", "failed"
  QDateTime started;
  QString detail;  // what the run left: the student, a kept checkpoint, or why it failed
};

class RunsHistory : public QWidget {
  Q_OBJECT

 public:
  using Provider = std::function<std::vector<RunSummary>()>;

  explicit RunsHistory(QWidget* parent = nullptr);

  void setProvider(Provider provider);
  int rowCount() const;
  QString runId(int row) const;
  QString selectedRun() const;
  // Selects the run (emits runSelected when the selection changes); false if unknown.
  bool selectRun(const QString& id);

 public Q_SLOTS:
  // Re-reads the provider; the selection stays on the same run without re-emitting.
  void refresh();

 Q_SIGNALS:
  void runSelected(const QString& id);

 private:
  Provider provider_;
  QTableWidget* table_ = nullptr;
  bool refreshing_ = false;
};

}  // namespace distillery
