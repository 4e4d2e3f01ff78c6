#include "app/gui/export_controller.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QThread>

#include "app/gui/project_controller.h"
#include "app/gui/project_session.h"
#include "app/gui/student_export.h"
#include "app/gui/worker_jobs.h"
#include "engine/store/project.h"
#include "widgets/export/export_dialog.h"

namespace distillery {
namespace {

QString defaultStudentPath(const QString& projectDir, qint64 runId) {
  return QDir(projectDir).filePath(QStringLiteral("export/run-%1-student.pt").arg(runId));
}

}  // namespace

ExportController::ExportController(QWidget* window, ProjectController* projects)
    : QObject(window), window_(window), projects_(projects) {
  thread_ = new QThread(this);
  thread_->setObjectName("exportWorker");
  worker_ = new QObject;
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_->start();
  connect(projects_, &ProjectController::exportFinished, this, &ExportController::onLabelsExported);
}

ExportController::~ExportController() {
  thread_->quit();
  thread_->wait();  // a student export in progress finishes writing first
}

void ExportController::setSession(ProjectSession* session) {
  session_ = session;
  if (dialog_) dialog_->close();
}

ExportDialog* ExportController::dialog() const {
  return dialog_;
}

QList<qint64> ExportController::offeredRuns() const {
  QList<qint64> ids;
  if (runs_)
    for (int i = 0; i < runs_->count(); ++i) ids << runs_->itemData(i).toLongLong();
  return ids;
}

void ExportController::showDialog() {
  open(ExportOptions::Kind::Labels);
}

void ExportController::showStudentDialog() {
  open(ExportOptions::Kind::Student);
}

void ExportController::open(ExportOptions::Kind kind) {
  if (!session_) {
    Q_EMIT errorOccurred(tr("Export"), tr("Open a project first."));
    return;
  }
  if (!dialog_) {
    dialog_ = new ExportDialog(window_);
    dialog_->setAttribute(Qt::WA_DeleteOnClose);
    ExportOptions options = dialog_->options();
    options.labelsPath = QDir(session_->dir()).filePath("labels.json");
    dialog_->setOptions(options);
    // The run to export goes on the student page, above the files.
    runs_ = new QComboBox(dialog_);
    runs_->setObjectName("exportRun");
    auto* modelPath = dialog_->findChild<QLineEdit*>("modelPath");
    if (auto* form =
            modelPath ? qobject_cast<QFormLayout*>(modelPath->parentWidget()->layout()) : nullptr)
      form->insertRow(0, tr("Student of"), runs_);
    connect(runs_, &QComboBox::currentIndexChanged, this, [this] {
      // The suggested file follows the run until the user picks another one.
      auto* path = dialog_->findChild<QLineEdit*>("modelPath");
      if (!path || !runs_ || runs_->currentIndex() < 0) return;
      const QString text = path->text();
      if (text.isEmpty() || text.contains(QRegularExpression("run-\\d+-student\\.pt$")))
        path->setText(defaultStudentPath(session_->dir(), runs_->currentData().toLongLong()));
    });
    connect(dialog_, &ExportDialog::exportRequested, this, &ExportController::onExportRequested);
  }
  fillRuns();  // a run may have finished since the dialog opened
  ExportOptions options = dialog_->options();
  options.kind = kind;
  dialog_->setOptions(options);
  dialog_->show();
  dialog_->raise();
  dialog_->activateWindow();
}

void ExportController::fillRuns() {
  if (!runs_ || !session_) return;
  const QVariant chosen = runs_->currentData();
  runs_->clear();
  for (const RunStudent& s : runStudents(session_->project())) runs_->addItem(s.label, s.runId);
  runs_->setEnabled(runs_->count() > 0);
  if (runs_->count() == 0) runs_->addItem(tr("no trained student yet: run the pipeline first"), -1);
  if (const int keep = runs_->findData(chosen); keep >= 0) runs_->setCurrentIndex(keep);
}

void ExportController::onExportRequested(const ExportOptions& options) {
  if (options.kind == ExportOptions::Kind::Labels) {
    labelsAsked_ = true;
    projects_->exportLabels(options);
    return;
  }
  exportStudent(options, runs_ ? runs_->currentData().toLongLong() : -1);
}

void ExportController::onLabelsExported(const ExportReport& report) {
  if (!labelsAsked_) return;  // someone else's export
  labelsAsked_ = false;
  if (dialog_) dialog_->setReport(report);
}

bool ExportController::exportStudent(const ExportOptions& options, qint64 runId) {
  ExportReport refused;
  const QStringList problems = validate(options);
  std::vector<RunStudent> students =
      session_ ? runStudents(session_->project()) : std::vector<RunStudent>{};
  auto chosen = std::find_if(students.begin(), students.end(), [runId](const RunStudent& s) {
    return runId < 0 || s.runId == runId;
  });
  if (!session_) {
    refused.error = tr("Open a project first.");
  } else if (!problems.isEmpty()) {
    refused.error = problems.join(' ');
  } else if (chosen == students.end()) {
    refused.error =
        runId < 0
            ? tr("The project has no trained student yet: run the pipeline first.")
            : tr("Run %1 left no student model in %2/models.").arg(runId).arg(session_->dir());
  } else if (jobs_ > 0) {
    refused.error = tr("A student export is still running.");
  }
  if (!refused.error.isEmpty()) {
    finishStudent(refused, runId);
    return false;
  }
  ++jobs_;
  Q_EMIT message(tr("Exporting the student of %1 to %2...").arg(chosen->label, options.modelPath));
  const RunStudent student = *chosen;
  QMetaObject::invokeMethod(
      worker_,
      [this, student, options] {
        const ExportReport report = writeStudentExport(student, options);
        QMetaObject::invokeMethod(
            this,
            [this, report, run = student.runId] {
              --jobs_;
              finishStudent(report, run);
            },
            Qt::QueuedConnection);
      },
      Qt::QueuedConnection);
  return true;
}

void ExportController::finishStudent(const ExportReport& report, qint64 runId) {
  if (report.error.isEmpty())
    Q_EMIT message(
        tr("Exported the student of run %1: %2").arg(runId).arg(report.files.join(", ")));
  else
    Q_EMIT errorOccurred(tr("Student export failed"), report.error);
  Q_EMIT studentExported(report);
  if (!dialog_) return;
  dialog_->setReport(report);
  // The dialog's headline counts labels; a model export says what it did instead.
  if (auto* headline = dialog_->findChild<QLabel*>("exportHeadline");
      headline && report.error.isEmpty())
    headline->setText(
        tr("Exported the student of run %1; it meets the teacher contract.").arg(runId));
}

bool ExportController::waitForIdle(int msecs) {
  return processEventsUntil([this] { return jobs_ == 0; }, msecs);
}

}  // namespace distillery
