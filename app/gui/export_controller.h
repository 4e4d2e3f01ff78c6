// The export dialog (WORKBENCH.md flow 7) over the session: the student of a chosen
// run as TorchScript plus its JSON sidecar, checked against the teacher contract
// after writing, and the labels as COCO or LabelMe through the project controller's
// label export. The student export runs on this controller's QThread worker.
#pragma once

#include <QObject>
#include <QPointer>
#include <functional>
#include <vector>

#include "widgets/export/export_options.h"

class QComboBox;
class QThread;
class QWidget;

namespace distillery {

class ExportDialog;
class ProjectController;
class ProjectSession;
struct RunStudent;

class ExportController : public QObject {
  Q_OBJECT

 public:
  ExportController(QWidget* window, ProjectController* projects);
  ~ExportController() override;

  void setSession(ProjectSession* session);
  // The dialog while it is open (it deletes itself on close).
  ExportDialog* dialog() const;
  // The dialog's run choice: run ids of the students offered, newest first.
  QList<qint64> offeredRuns() const;

  // Writes the student of `runId` (-1: the newest run with one); the report arrives
  // with studentExported (and in the dialog when it is open).
  bool exportStudent(const ExportOptions& options, qint64 runId = -1);
  bool busy() const { return jobs_ > 0; }
  bool waitForIdle(int msecs = 120000);

 public Q_SLOTS:
  void showDialog();
  void showStudentDialog();

 Q_SIGNALS:
  void studentExported(const distillery::ExportReport& report);
  void message(const QString& text);
  void errorOccurred(const QString& title, const QString& text);

 private:
  void open(ExportOptions::Kind kind);
  void onExportRequested(const ExportOptions& options);
  void onLabelsExported(const ExportReport& report);
  void finishStudent(const ExportReport& report, qint64 runId);
  void fillRuns();

  QWidget* window_;
  ProjectController* projects_;
  ProjectSession* session_ = nullptr;
  QPointer<ExportDialog> dialog_;
  QPointer<QComboBox> runs_;
  QThread* thread_ = nullptr;
  QObject* worker_ = nullptr;  // lives on thread_; jobs are lambdas invoked on it
  int jobs_ = 0;
  bool labelsAsked_ = false;  // the dialog waits for a label export
};

}  // namespace distillery
