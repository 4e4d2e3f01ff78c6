// The project's lifetime and the File menu's flows: new, open, recent projects,
// import (dataset files, image folders) and label export. Imports and exports run
// on a worker with their own store connection; their reports go to the log and a
// non-blocking message box. The session is replaced only between signals:
// sessionAboutToClose() (views let go of it, the undo stack is cleared), then
// sessionOpened(session).
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QThreadPool>
#include <functional>
#include <memory>

#include "engine/util/status.h"
#include "widgets/export/export_options.h"

class QMenu;
class QWidget;

namespace distillery {

class ExportDialog;
class Project;
class ProjectSession;
struct ImportOutcome;

class ProjectController : public QObject {
  Q_OBJECT

 public:
  explicit ProjectController(QWidget* window);
  ~ProjectController() override;

  ProjectSession* session() const { return session_.get(); }

  bool openProject(const QString& dir);
  // Creates the project, opens it, and imports `imageFolder` (if any) in the background.
  bool createProject(const QString& dir, const QString& imageFolder, const QStringList& classes);
  void closeProject();

  // Background jobs; false (and an error) when one cannot start.
  bool importDataset(const QString& format, const QString& input, const QString& images);
  bool importImageFolder(const QString& folder);
  bool exportLabels(const ExportOptions& options);
  bool busy() const { return jobs_ > 0; }
  // Tests: waits for the background jobs and delivers their results.
  bool waitForJobs(int msecs = 60000);

  QStringList recentProjects() const;
  void setRecentMenu(QMenu* menu);

 public Q_SLOTS:
  // Interactive flows (dialogs).
  void newProjectDialog();
  void openProjectDialog();
  void importDatasetDialog(const QString& format);
  void importFolderDialog();
  void exportDialog();

 Q_SIGNALS:
  void sessionAboutToClose();
  void sessionOpened(distillery::ProjectSession* session);
  // Images, labels or classes were added by an import.
  void projectDataChanged();
  void importFinished(const QString& summary, const QString& error);
  void exportFinished(const distillery::ExportReport& report);
  void progress(const QString& text);
  void info(const QString& text);
  void errorOccurred(const QString& title, const QString& message);

 private:
  bool adopt(Result<std::unique_ptr<ProjectSession>> opened);
  bool canWrite(const QString& what);
  void startImport(
      const QString& what,
      std::function<ImportOutcome(Project&, const std::function<void(int64_t, int64_t)>&)> job);
  void finishImport(const ImportOutcome& outcome);
  void rememberRecent(const QString& dir);
  void rebuildRecentMenu();

  QWidget* window_;
  std::unique_ptr<ProjectSession> session_;
  QThreadPool workers_;
  int jobs_ = 0;
  QMenu* recentMenu_ = nullptr;
  QPointer<ExportDialog> exportDialog_;
};

}  // namespace distillery
