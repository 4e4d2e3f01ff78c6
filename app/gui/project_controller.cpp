#include "app/gui/project_controller.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

#include "app/gui/new_project_dialog.h"
#include "app/gui/project_jobs.h"
#include "app/gui/project_session.h"
#include "engine/store/project.h"
#include "widgets/canvas/background_task.h"
#include "widgets/export/export_dialog.h"

namespace distillery {
namespace {

constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recentProjects";
constexpr int kMaxIssueLines = 200;

}  // namespace

ProjectController::ProjectController(QWidget* window) : QObject(window), window_(window) {
  workers_.setMaxThreadCount(1);  // one import or export at a time
}

ProjectController::~ProjectController() {
  workers_.waitForDone();
  session_.reset();
}

// ---- open / create / close --------------------------------------------------------

bool ProjectController::openProject(const QString& dir) {
  const QFileInfo info(dir);
  if (!info.isDir()) {
    emit errorOccurred(tr("Cannot open project"), tr("%1: not a folder").arg(dir));
    return false;
  }
  if (!QFileInfo(QDir(dir).filePath("project.sqlite")).isFile()) {
    emit errorOccurred(
        tr("Cannot open project"),
        tr("%1: not a Distillery project (expected a project.sqlite file in it)").arg(dir));
    return false;
  }
  if (session_ && QFileInfo(session_->dir()) == info) return true;  // already open
  closeProject();  // releases this process' write lock before reopening
  return adopt(ProjectSession::open(info.absoluteFilePath()));
}

bool ProjectController::createProject(const QString& dir, const QString& imageFolder,
                                      const QStringList& classes) {
  closeProject();
  if (!adopt(ProjectSession::create(dir, imageFolder, classes))) return false;
  if (!imageFolder.isEmpty()) importImageFolder(imageFolder);
  return true;
}

bool ProjectController::adopt(Result<std::unique_ptr<ProjectSession>> opened) {
  if (!opened) {
    emit errorOccurred(tr("Cannot open project"),
                       QString::fromStdString(opened.status().message()));
    return false;
  }
  session_ = std::move(*opened);
  rememberRecent(session_->dir());
  emit info(tr("Opened project %1").arg(session_->dir()));
  if (session_->readOnly())
    emit errorOccurred(
        tr("Project opened read-only"),
        tr("%1.\nYou can browse it; edits are not saved.").arg(session_->readOnlyReason()));
  emit sessionOpened(session_.get());
  return true;
}

void ProjectController::closeProject() {
  if (!session_) return;
  waitForJobs();
  emit sessionAboutToClose();
  session_.reset();
}

bool ProjectController::canWrite(const QString& what) {
  if (!session_) {
    emit errorOccurred(what, tr("Open or create a project first."));
    return false;
  }
  if (session_->readOnly()) {
    emit errorOccurred(what,
                       tr("The project is open read-only: %1").arg(session_->readOnlyReason()));
    return false;
  }
  if (busy()) {
    emit errorOccurred(what, tr("Another import or export is still running; try again when it "
                                "has finished."));
    return false;
  }
  return true;
}

// ---- background jobs --------------------------------------------------------------

bool ProjectController::importDataset(const QString& format, const QString& input,
                                      const QString& images) {
  if (!canWrite(tr("Import"))) return false;
  startImport(tr("Importing %1").arg(QFileInfo(input).fileName()),
              [format, input, images](Project& p, const JobProgress& progress) {
                return importDatasetInto(p, format, input, images, progress);
              });
  return true;
}

bool ProjectController::importImageFolder(const QString& folder) {
  if (!canWrite(tr("Import"))) return false;
  startImport(tr("Importing images from %1").arg(folder),
              [folder](Project& p, const JobProgress& progress) {
                return importFolderInto(p, folder, progress);
              });
  return true;
}

void ProjectController::startImport(
    const QString& what,
    std::function<ImportOutcome(Project&, const std::function<void(int64_t, int64_t)>&)> job) {
  auto connection = session_->project().connect();  // the worker's own handle
  if (!connection) {
    emit errorOccurred(what, QString::fromStdString(connection.status().message()));
    return;
  }
  auto project = std::make_shared<Project>(std::move(*connection));
  ++jobs_;
  emit progress(what + QStringLiteral("..."));
  JobProgress report = [this, what](int64_t done, int64_t total) {
    QMetaObject::invokeMethod(
        this,
        [this, what, done, total] {
          emit progress(tr("%1: %2 of %3").arg(what).arg(done).arg(total));
        },
        Qt::QueuedConnection);
  };
  runInBackground<std::shared_ptr<ImportOutcome>>(
      workers_, this,
      [project, job, report]() { return std::make_shared<ImportOutcome>(job(*project, report)); },
      [this](std::shared_ptr<ImportOutcome> outcome) {
        --jobs_;
        finishImport(*outcome);
      });
}

void ProjectController::finishImport(const ImportOutcome& outcome) {
  for (int i = 0; i < outcome.issues.size() && i < kMaxIssueLines; ++i)
    emit info(outcome.issues[i]);
  if (outcome.issues.size() > kMaxIssueLines)
    emit info(tr("... and %1 more skipped items").arg(outcome.issues.size() - kMaxIssueLines));
  if (!outcome.error.isEmpty()) {
    emit errorOccurred(tr("Import failed"),
                       tr("%1\nWhat was committed before the failure stays in the project; "
                          "running the import again completes it.")
                           .arg(outcome.error));
  } else {
    emit info(outcome.summary);
  }
  emit importFinished(outcome.summary, outcome.error);
  emit projectDataChanged();
}

bool ProjectController::exportLabels(const ExportOptions& options) {
  const QStringList problems = validate(options);
  if (!session_ || !problems.isEmpty() || busy()) {
    ExportReport report;
    report.error = !session_ ? tr("Open a project first.")
                   : busy()  ? tr("Another import or export is still running.")
                             : problems.join(' ');
    emit exportFinished(report);
    if (exportDialog_) exportDialog_->setReport(report);
    return false;
  }
  auto connection = session_->project().connect();
  if (!connection) {
    ExportReport report;
    report.error = QString::fromStdString(connection.status().message());
    emit exportFinished(report);
    if (exportDialog_) exportDialog_->setReport(report);
    return false;
  }
  auto project = std::make_shared<Project>(std::move(*connection));
  ++jobs_;
  emit progress(tr("Exporting labels to %1...").arg(options.labelsPath));
  runInBackground<ExportReport>(
      workers_, this, [project, options]() { return exportLabelsFrom(*project, options); },
      [this](ExportReport report) {
        --jobs_;
        if (report.error.isEmpty())
          emit info(tr("Exported %1 labels of %2 images to %3 (%4 skipped)")
                        .arg(report.instancesWritten)
                        .arg(report.imagesWritten)
                        .arg(report.files.join(", "))
                        .arg(report.skipped.size()));
        else
          emit errorOccurred(tr("Export failed"), report.error);
        for (const QString& s : report.skipped) emit info(tr("skipped: %1").arg(s));
        emit exportFinished(report);
        if (exportDialog_) exportDialog_->setReport(report);
      });
  return true;
}

bool ProjectController::waitForJobs(int msecs) {
  QDeadlineTimer deadline(msecs);
  while (jobs_ > 0 && !deadline.hasExpired()) {
    workers_.waitForDone(50);
    QCoreApplication::sendPostedEvents(this);
  }
  return jobs_ == 0;
}

// ---- dialogs --------------------------------------------------------------------

void ProjectController::newProjectDialog() {
  auto* dialog = new NewProjectDialog(window_);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog] {
    createProject(dialog->projectDir(), dialog->imageFolder(), dialog->classes());
  });
  dialog->open();
}

void ProjectController::openProjectDialog() {
  const QString dir = QFileDialog::getExistingDirectory(window_, tr("Open project folder"));
  if (!dir.isEmpty()) openProject(dir);
}

void ProjectController::importDatasetDialog(const QString& format) {
  if (!canWrite(tr("Import"))) return;
  QString input;
  if (format == "labelme") {
    input = QFileDialog::getExistingDirectory(window_, tr("Folder of LabelMe JSON files"));
  } else {
    input = QFileDialog::getOpenFileName(
        window_, format == "via" ? tr("VIA project JSON") : tr("COCO instances JSON"), QString(),
        tr("JSON files (*.json);;All files (*)"));
  }
  if (input.isEmpty()) return;
  const QString start = QFileInfo(input).isDir() ? input : QFileInfo(input).absolutePath();
  const QString images = QFileDialog::getExistingDirectory(
      window_, tr("Folder the image file names are relative to"), start);
  if (images.isEmpty()) return;
  importDataset(format, input, images);
}

void ProjectController::importFolderDialog() {
  if (!canWrite(tr("Import"))) return;
  const QString folder = QFileDialog::getExistingDirectory(window_, tr("Folder of images"));
  if (!folder.isEmpty()) importImageFolder(folder);
}

void ProjectController::exportDialog() {
  if (!session_) {
    emit errorOccurred(tr("Export"), tr("Open a project first."));
    return;
  }
  if (!exportDialog_) {
    exportDialog_ = new ExportDialog(window_);
    exportDialog_->setAttribute(Qt::WA_DeleteOnClose);
    ExportOptions options = exportDialog_->options();
    options.labelsPath = QDir(session_->dir()).filePath("labels.json");
    exportDialog_->setOptions(options);
    connect(exportDialog_, &ExportDialog::exportRequested, this,
            [this](const ExportOptions& o) { exportLabels(o); });
  }
  exportDialog_->show();
  exportDialog_->raise();
}

// ---- recent projects ---------------------------------------------------------------

QStringList ProjectController::recentProjects() const {
  return QSettings().value(kRecentKey).toStringList();
}

void ProjectController::setRecentMenu(QMenu* menu) {
  recentMenu_ = menu;
  rebuildRecentMenu();
}

void ProjectController::rememberRecent(const QString& dir) {
  QStringList recent = recentProjects();
  recent.removeAll(dir);
  recent.prepend(dir);
  while (recent.size() > kMaxRecent) recent.removeLast();
  QSettings().setValue(kRecentKey, recent);
  rebuildRecentMenu();
}

void ProjectController::rebuildRecentMenu() {
  if (!recentMenu_) return;
  recentMenu_->clear();
  const QStringList recent = recentProjects();
  for (const QString& dir : recent)
    recentMenu_->addAction(dir, this, [this, dir] { openProject(dir); });
  recentMenu_->setEnabled(!recent.isEmpty());
}

}  // namespace distillery
