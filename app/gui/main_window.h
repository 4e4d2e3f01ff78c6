// The workbench's main window: the canvas in the centre, the docks around it, and
// the wiring between them. The work is done by small classes: ProjectController
// (open, create, import, export), ProjectSession (the open project), the
// controllers for canvas, review queue and classes, and ActionsBuilder (menus
// and shortcuts). See docs/workbench.md.
#pragma once

#include <QMainWindow>
#include <QString>
#include <QStringList>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QUndoStack;

namespace distillery {

class CanvasController;
class ClassesController;
class ClassesPanel;
class GalleryPanel;
class ImageCanvas;
class InstancesPanel;
class LogPanel;
class PipelineController;
class PipelineDock;
class NegativesController;
class ProjectController;
class ProjectSession;
class ReviewController;
class ReviewQueuePanel;
class SamController;
class StoreGalleryPages;
// Models: teacher, compare, export (docs/workbench.md).
class CompareController;
class ExportController;
class TeacherController;
class TeacherPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens the project folder; on failure the reason goes to the log panel and a
  // message box, and the current project stays open.
  bool openProject(const QString& dir);

  QString projectDir() const;
  QStringList recentProjects() const;
  LogPanel* logPanel() const { return log_; }
  QUndoStack* undoStack() const { return undoStack_; }
  QDockWidget* dock(const QString& objectName) const;
  // An action by object name ("actionNextImage", ...), for tests and rebinding.
  QAction* action(const QString& objectName) const;

  ProjectController* projectController() const { return project_; }
  ProjectSession* session() const;
  CanvasController* canvasController() const { return canvasController_; }
  ReviewController* reviewController() const { return reviewController_; }
  ImageCanvas* canvas() const { return canvas_; }
  GalleryPanel* gallery() const { return gallery_; }
  ClassesPanel* classesPanel() const { return classes_; }
  NegativesController* negativesController() const { return negatives_; }
  InstancesPanel* instancesPanel() const { return instances_; }
  ReviewQueuePanel* reviewPanel() const { return review_; }
  PipelineDock* pipelineDock() const { return pipeline_; }
  PipelineController* pipelineController() const { return pipelineController_; }
  TeacherPanel* teacherPanel() const { return teacherPanel_; }
  TeacherController* teacherController() const { return teacherController_; }
  CompareController* compareController() const { return compareController_; }
  ExportController* exportController() const { return exportController_; }
  SamController* samController() const { return samController_; }

  // Shows an error to the user: log panel, status bar, and a non-blocking message box.
  void showError(const QString& title, const QString& message);

 public Q_SLOTS:
  void nextImage();
  void previousImage();
  // The next image (in the gallery's order, wrapping) with pseudo-labels to review.
  void nextImageNeedingReview();
  void about();
  // Models menu: shows and raises the dock (the compare dock scores what changed).
  void showTeacherDock();
  void showCompareDock();

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createWidgets();
  void createDocks();
  void createStatusBar();
  void connectControllers();
  void restoreLayout();
  void saveLayout();
  void updateTitle();
  void showMessage(const QString& text);
  void sessionOpened(ProjectSession* session);
  void sessionClosing();
  void reloadProjectData();
  void showReviewItem(qint64 imageId, qint64 annotationId);
  void createModelDocks();
  void connectModelControllers();
  void setModelSession(ProjectSession* session);

  LogPanel* log_ = nullptr;
  QUndoStack* undoStack_ = nullptr;
  ImageCanvas* canvas_ = nullptr;
  GalleryPanel* gallery_ = nullptr;
  ClassesPanel* classes_ = nullptr;
  InstancesPanel* instances_ = nullptr;
  ReviewQueuePanel* review_ = nullptr;
  ProjectController* project_ = nullptr;
  CanvasController* canvasController_ = nullptr;
  ReviewController* reviewController_ = nullptr;
  ClassesController* classesController_ = nullptr;
  PipelineDock* pipeline_ = nullptr;
  PipelineController* pipelineController_ = nullptr;
  NegativesController* negatives_ = nullptr;
  std::shared_ptr<StoreGalleryPages> galleryPages_;
  QString currentImage_;
  QLabel* deviceLabel_ = nullptr;
  QLabel* readOnlyLabel_ = nullptr;
  // Models: teacher, compare, export.
  TeacherPanel* teacherPanel_ = nullptr;
  TeacherController* teacherController_ = nullptr;
  CompareController* compareController_ = nullptr;
  ExportController* exportController_ = nullptr;
  SamController* samController_ = nullptr;  // click-to-segment, Segment Everything
};

}  // namespace distillery
