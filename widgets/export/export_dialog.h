// The export dialog (WORKBENCH.md flow 7): the student as TorchScript plus a JSON
// sidecar, or the labels as COCO or LabelMe filtered by source and review status.
// It collects options and emits exportRequested; the app writes and hands back the
// report, which the dialog shows in full: what was written, and every item skipped
// with its reason. Exports never drop labels silently.
#pragma once

#include <QDialog>

#include "widgets/export/export_options.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QStackedWidget;

namespace distillery {

class ExportDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ExportDialog(QWidget* parent = nullptr);

  ExportOptions options() const;
  void setOptions(const ExportOptions& options);

  // The app's answer to exportRequested; re-enables Export.
  void setReport(const ExportReport& report);
  QString reportHeadline() const;
  QStringList reportLines() const;
  bool waiting() const { return waiting_; }

 Q_SIGNALS:
  void exportRequested(const distillery::ExportOptions& options);

 private:
  QWidget* buildStudentPage();
  QWidget* buildLabelsPage();
  void browseModel();
  void browseLabels();
  void startExport();
  void showProblems(const QStringList& problems);
  void updateKind();

  QRadioButton* studentKind_ = nullptr;
  QRadioButton* labelsKind_ = nullptr;
  QStackedWidget* pages_ = nullptr;
  QLineEdit* modelPath_ = nullptr;
  QLineEdit* sidecarPath_ = nullptr;
  bool sidecarEdited_ = false;
  QComboBox* format_ = nullptr;
  QLineEdit* labelsPath_ = nullptr;
  QList<QCheckBox*> sources_;
  QList<QCheckBox*> statuses_;
  QCheckBox* emptyImages_ = nullptr;
  QLabel* headline_ = nullptr;
  QListWidget* report_ = nullptr;
  QPushButton* export_ = nullptr;
  bool waiting_ = false;
};

}  // namespace distillery
