// The result of checking a TorchScript teacher against the teacher contract: a green
// summary when it passes, or a red headline and every problem, one per line, each
// naming what was expected (the engine's UserError messages, shown as they are).
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QListWidget;

namespace distillery {

class ContractStatus : public QWidget {
  Q_OBJECT

 public:
  explicit ContractStatus(QWidget* parent = nullptr);

  void setPassed(const QString& summary);
  void setFailed(const QStringList& errors);
  void setChecking(const QString& path);
  void clear();

  bool passed() const { return passed_; }
  QString headline() const;
  QStringList errors() const;

 private:
  QLabel* headline_ = nullptr;
  QListWidget* errors_ = nullptr;
  bool passed_ = false;
};

}  // namespace distillery
