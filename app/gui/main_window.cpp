#include "app/gui/main_window.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QUndoStack>

#include "app/gui/about_dialog.h"
#include "app/gui/actions_builder.h"
#include "app/gui/canvas_controller.h"
#include "app/gui/classes_controller.h"
#include "app/gui/compare_controller.h"
#include "app/gui/export_controller.h"
#include "app/gui/negatives_controller.h"
#include "app/gui/pipeline_controller.h"
#include "app/gui/project_controller.h"
#include "app/gui/project_session.h"
#include "app/gui/review_controller.h"
#include "app/gui/sam_controller.h"
#include "app/gui/store_gallery.h"
#include "app/gui/teacher_controller.h"
#include "engine/api/device.h"
#include "widgets/canvas/image_canvas.h"
#include "widgets/gallery/gallery_model.h"
#include "widgets/gallery/gallery_panel.h"
#include "widgets/log_panel.h"
#include "widgets/panels/classes_panel.h"
#include "widgets/panels/instances_panel.h"
#include "widgets/pipeline/pipeline_dock.h"
#include "widgets/review/review_queue_panel.h"
#include "widgets/teacher/teacher_panel.h"

namespace distillery {
namespace {

QDockWidget* makeDock(QMainWindow* window, const QString& title, const QString& name,
                      QWidget* content, Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, window);
  dock->setObjectName(name);  // saveState() needs stable names
  dock->setWidget(content);
  window->addDockWidget(area, dock);
  return dock;
}

[[maybe_unused]] QLabel* placeholder(const QString& text) {
  auto* label = new QLabel(text);
  label->setAlignment(Qt::AlignCenter);
  label->setWordWrap(true);
  label->setEnabled(false);
  return label;
}

// The pipeline dock's curves need height; scrolled, it never forces the window taller.
QScrollArea* scrolled(QWidget* content) {
  auto* scroll = new QScrollArea;
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  return scroll;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  undoStack_ = new QUndoStack(this);
  log_ = new LogPanel;
  createWidgets();
  createDocks();
  createModelDocks();
  ActionsBuilder(this).build();
  createStatusBar();
  connectControllers();
  connectModelControllers();
  restoreLayout();
  updateTitle();
  log_->info(tr("Compute device: %1 (%2)")
                 .arg(QString::fromStdString(computeDevice().name),
                      QString::fromStdString(computeDevice().reason)));
}

MainWindow::~MainWindow() {
  // Views let go of the session before it closes.
  project_->closeProject();
}

void MainWindow::createWidgets() {
  canvas_ = new ImageCanvas(this);
  canvas_->setObjectName("canvas");
  setCentralWidget(canvas_);
  gallery_ = new GalleryPanel;
  classes_ = new ClassesPanel;
  instances_ = new InstancesPanel;
  review_ = new ReviewQueuePanel;
  project_ = new ProjectController(this);
  canvasController_ = new CanvasController(canvas_, instances_, classes_, undoStack_, this);
  reviewController_ = new ReviewController(review_, undoStack_, this);
  classesController_ = new ClassesController(classes_, undoStack_, this);
  pipeline_ = new PipelineDock;
  pipeline_->setObjectName("pipeline");
  pipelineController_ = new PipelineController(pipeline_, this);
  negatives_ = new NegativesController(this);
}

void MainWindow::createDocks() {
  setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);
  makeDock(this, tr("Gallery"), "galleryDock", gallery_, Qt::LeftDockWidgetArea);
  makeDock(this, tr("Classes"), "classesDock", classes_, Qt::RightDockWidgetArea);
  makeDock(this, tr("Instances"), "instancesDock", instances_, Qt::RightDockWidgetArea);
  QDockWidget* reviewDock =
      makeDock(this, tr("Review Queue"), "reviewDock", review_, Qt::RightDockWidgetArea);
  QDockWidget* pipeline = makeDock(this, tr("Pipeline"), "pipelineDock", scrolled(pipeline_),
                                   Qt::RightDockWidgetArea);
  tabifyDockWidget(reviewDock, pipeline);
  reviewDock->raise();
  QDockWidget* logDock = makeDock(this, tr("Log"), "logDock", log_, Qt::BottomDockWidgetArea);
  // The negatives inspector wants width (a row of batch images): a tab beside the log
  // that grows when raised (docs/inspector.md).
  QDockWidget* negativesDock = makeDock(this, tr("Negatives"), "negativesDock",
                                        negatives_->widget(), Qt::BottomDockWidgetArea);
  tabifyDockWidget(logDock, negativesDock);
  logDock->raise();
  connect(negativesDock, &QDockWidget::visibilityChanged, this, [this, negativesDock](bool shown) {
    const int wanted = qMax(400, height() * 45 / 100);
    if (shown && !negativesDock->isFloating() && negativesDock->height() < wanted - 40)
      resizeDocks({negativesDock}, {wanted}, Qt::Vertical);
  });
}

void MainWindow::createStatusBar() {
  readOnlyLabel_ = new QLabel(tr("read-only"), this);
  readOnlyLabel_->setObjectName("readOnlyLabel");
  readOnlyLabel_->setStyleSheet("QLabel { color: white; background: #b03030; padding: 0 6px; }");
  readOnlyLabel_->hide();
  statusBar()->addPermanentWidget(readOnlyLabel_);
  const DeviceInfo& device = computeDevice();
  deviceLabel_ = new QLabel(this);
  deviceLabel_->setObjectName("deviceLabel");
  deviceLabel_->setText(tr("Device: %1").arg(QString::fromStdString(device.name)));
  deviceLabel_->setToolTip(QString::fromStdString(device.reason));
  statusBar()->addPermanentWidget(deviceLabel_);
  statusBar()->showMessage(
      tr("%1: %2").arg(QString::fromStdString(device.name), QString::fromStdString(device.reason)),
      10000);
}

void MainWindow::connectControllers() {
  connect(project_, &ProjectController::sessionAboutToClose, this, &MainWindow::sessionClosing);
  connect(project_, &ProjectController::sessionOpened, this, &MainWindow::sessionOpened);
  connect(project_, &ProjectController::projectDataChanged, this, &MainWindow::reloadProjectData);
  connect(project_, &ProjectController::errorOccurred, this, &MainWindow::showError);
  connect(project_, &ProjectController::info, log_, &LogPanel::info);
  connect(project_, &ProjectController::progress, this,
          [this](const QString& text) { statusBar()->showMessage(text, 5000); });
  connect(project_, &ProjectController::importFinished, this,
          [this](const QString& summary, const QString& error) {
            if (!error.isEmpty()) return;  // shown by errorOccurred
            auto* box = new QMessageBox(QMessageBox::Information, tr("Import finished"), summary,
                                        QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->setWindowModality(Qt::NonModal);
            box->setAttribute(Qt::WA_ShowWithoutActivating);
            box->show();
          });

  connect(gallery_, &GalleryPanel::currentImageChanged, canvasController_,
          &CanvasController::showImage);
  connect(canvasController_, &CanvasController::imageShown, this,
          [this](qint64, const QString& name) {
            currentImage_ = name;
            updateTitle();
          });
  connect(canvasController_, &CanvasController::message, this, &MainWindow::showMessage);
  connect(canvasController_, &CanvasController::errorOccurred, this,
          [this](const QString& text) { showError(tr("Image"), text); });
  connect(classesController_, &ClassesController::message, this, &MainWindow::showMessage);
  connect(canvasController_, &CanvasController::imageShown, negatives_,
          [this](qint64 id) { negatives_->showImage(id); });
  connect(negatives_, &NegativesController::message, this, &MainWindow::showMessage);
  connect(negatives_, &NegativesController::errorOccurred, this,
          [this](const QString& text) { showError(tr("Negatives inspector"), text); });

  connect(pipelineController_, &PipelineController::message, this, &MainWindow::showMessage);
  connect(pipelineController_, &PipelineController::warning, log_, &LogPanel::warning);
  connect(pipelineController_, &PipelineController::errorOccurred, this, &MainWindow::showError);
  connect(pipelineController_, &PipelineController::pseudoLabelsStored, this,
          &MainWindow::reloadProjectData);  // pseudo-labels appear in the gallery and queue

  connect(reviewController_, &ReviewController::showRequested, this, &MainWindow::showReviewItem);
  connect(reviewController_, &ReviewController::message, this, &MainWindow::showMessage);
  connect(reviewController_, &ReviewController::errorOccurred, this,
          [this](const QString& text) { showError(tr("Review queue"), text); });
  connect(canvas_, &ImageCanvas::acceptRequested, this, [this] {
    reviewController_->decideFromCanvas(canvasController_->selectedAnnotation(),
                                        LabelReview::Accepted);
  });
  connect(canvas_, &ImageCanvas::rejectRequested, this, [this] {
    reviewController_->decideFromCanvas(canvasController_->selectedAnnotation(),
                                        LabelReview::Rejected);
  });
}

// ---- the project ------------------------------------------------------------------

bool MainWindow::openProject(const QString& dir) {
  return project_->openProject(dir);
}
ProjectSession* MainWindow::session() const {
  return project_->session();
}
QString MainWindow::projectDir() const {
  return session() ? session()->dir() : QString();
}
QStringList MainWindow::recentProjects() const {
  return project_->recentProjects();
}

void MainWindow::sessionOpened(ProjectSession* session) {
  undoStack_->clear();
  connect(session, &ProjectSession::writeFailed, this,
          [this](const QString& message) { showError(tr("The edit was not saved"), message); });
  connect(session, &ProjectSession::imagesChanged, gallery_, &GalleryPanel::rowsChanged);
  classesController_->setSession(session);
  canvasController_->setSession(session);
  reviewController_->setSession(session);
  pipelineController_->setSession(session);
  negatives_->setSession(session);
  galleryPages_ = std::make_shared<StoreGalleryPages>(session->project());
  gallery_->setProviders(galleryPages_, std::make_shared<StoreThumbnails>(session->dir()));
  readOnlyLabel_->setVisible(session->readOnly());
  readOnlyLabel_->setToolTip(session->readOnlyReason());
  setModelSession(session);
  updateTitle();
}

void MainWindow::sessionClosing() {
  // Commands and providers refer to the session: drop them before it closes.
  undoStack_->clear();
  pipelineController_->setSession(nullptr);  // cancels a run and waits for it
  setModelSession(nullptr);
  gallery_->setProviders(nullptr, nullptr);
  galleryPages_.reset();
  reviewController_->setSession(nullptr);
  negatives_->setSession(nullptr);
  canvasController_->setSession(nullptr);
  classesController_->setSession(nullptr);
  currentImage_.clear();
  readOnlyLabel_->hide();
  updateTitle();
}

void MainWindow::reloadProjectData() {
  if (!session()) return;
  classesController_->setSession(session());
  gallery_->refresh();
  reviewController_->reload();
  if (canvasController_->currentImage() <= 0 && gallery_->currentImageId() >= 0)
    canvasController_->showImage(gallery_->currentImageId());
}

// ---- navigation -------------------------------------------------------------------

void MainWindow::nextImage() {
  gallery_->selectNext();
}
void MainWindow::previousImage() {
  gallery_->selectPrevious();
}

void MainWindow::nextImageNeedingReview() {
  if (!galleryPages_) return;
  GalleryModel* model = gallery_->model();
  const int row = gallery_->view()->currentIndex().row();
  const int64_t next = galleryPages_->nextNeedingReview(model->filter(), model->order(), row);
  if (next < 0) {
    showMessage(tr("No other image in this list has pseudo-labels waiting for review"));
    return;
  }
  gallery_->setCurrentImage(next);
}

void MainWindow::showReviewItem(qint64 imageId, qint64 annotationId) {
  if (gallery_->currentImageId() != imageId && !gallery_->setCurrentImage(imageId)) {
    gallery_->setStatusFilter(std::nullopt);  // the filter hid the image
    gallery_->setCurrentImage(imageId);
  }
  if (canvasController_->currentImage() != imageId) canvasController_->showImage(imageId);
  canvasController_->selectAnnotation(annotationId);
}

// ---- window ---------------------------------------------------------------------

QDockWidget* MainWindow::dock(const QString& objectName) const {
  return findChild<QDockWidget*>(objectName);
}

QAction* MainWindow::action(const QString& objectName) const {
  return findChild<QAction*>(objectName);
}

void MainWindow::restoreLayout() {
  QSettings settings;
  if (!restoreGeometry(settings.value("window/geometry").toByteArray())) resize(1280, 800);
  if (restoreState(settings.value("window/state").toByteArray())) return;
  // First run: give the docks room; the canvas keeps the rest.
  resizeDocks({dock("galleryDock")}, {260}, Qt::Horizontal);
  resizeDocks({dock("classesDock")}, {320}, Qt::Horizontal);
  resizeDocks({dock("classesDock"), dock("instancesDock"), dock("reviewDock")}, {160, 200, 320},
              Qt::Vertical);
  resizeDocks({dock("logDock")}, {110}, Qt::Vertical);
}

void MainWindow::saveLayout() {
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Nothing to save: every edit is already committed to the project database.
  saveLayout();
  event->accept();
}

void MainWindow::updateTitle() {
  QStringList parts;
  if (!currentImage_.isEmpty()) parts << currentImage_;
  if (ProjectSession* s = session())
    parts << (s->readOnly() ? tr("%1 (read-only)").arg(s->name()) : s->name());
  parts << QStringLiteral("Distillery");
  setWindowTitle(parts.join(QStringLiteral(" — ")));
}

void MainWindow::showMessage(const QString& text) {
  log_->info(text);
  statusBar()->showMessage(text, 8000);
}

void MainWindow::showError(const QString& title, const QString& message) {
  log_->error(message);
  statusBar()->showMessage(message, 15000);
  auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  // Non-modal and shown without taking the focus: the user keeps working (and
  // typing) in the window; the log keeps the text after the box is closed.
  box->setWindowModality(Qt::NonModal);
  box->setAttribute(Qt::WA_ShowWithoutActivating);
  box->show();
}

void MainWindow::about() {
  auto* dialog = new AboutDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->open();
}

// ---- models: teacher, compare, export ---------------------------------------------

void MainWindow::createModelDocks() {
  teacherPanel_ = new TeacherPanel;
  teacherController_ = new TeacherController(teacherPanel_, this);
  compareController_ = new CompareController(this);
  exportController_ = new ExportController(this, project_);
  samController_ = new SamController(canvas_, teacherPanel_->foundationModels(), this);
  samController_->setCurrentClass([this] { return classes_->currentClassId(); });
  samController_->setNextImages([this](qint64 imageId, int count) {
    QList<qint64> next;
    GalleryModel* model = gallery_->model();
    const int row = model->rowOfImage(imageId);
    for (int r = row + 1; row >= 0 && r < model->rowCount() && next.size() < count; ++r)
      if (const qint64 id = model->imageIdAt(r); id > 0) next << id;
    return next;
  });
  // Scrolled: the panel is tall, and a tab must not make the right column taller.
  auto* teacherScroll = new QScrollArea;
  teacherScroll->setWidget(teacherPanel_);
  teacherScroll->setWidgetResizable(true);
  teacherScroll->setFrameShape(QFrame::NoFrame);
  QDockWidget* teacher = makeDock(this, tr("Teacher"), "teacherDock", teacherScroll,
                                  Qt::RightDockWidgetArea);
  tabifyDockWidget(dock("reviewDock"), teacher);
  dock("reviewDock")->raise();
  // The comparison needs room: it opens as its own window over the workbench (Models >
  // Compare Models); docked, it goes below the canvas, beside the log.
  auto* compareScroll = new QScrollArea;
  compareScroll->setWidget(compareController_->widget());
  compareScroll->setWidgetResizable(true);
  compareScroll->setFrameShape(QFrame::NoFrame);
  QDockWidget* compare = makeDock(this, tr("Compare"), "compareDock", compareScroll,
                                  Qt::BottomDockWidgetArea);
  tabifyDockWidget(dock("logDock"), compare);
  compare->setFloating(true);
  compare->hide();
}

void MainWindow::connectModelControllers() {
  connect(teacherController_, &TeacherController::message, this, &MainWindow::showMessage);
  connect(teacherController_, &TeacherController::errorOccurred, this, &MainWindow::showError);
  connect(teacherController_, &TeacherController::teacherMappingChanged, compareController_,
          &CompareController::setTeacherMapping);
  connect(teacherController_, &TeacherController::teacherMappingChanged, this,
          [this] { pipelineController_->setClassMap(teacherController_->classMapSpec()); });
  connect(teacherController_, &TeacherController::teacherMappingChanged, samController_,
          [this](const QString& model) { samController_->setTeacher(model); });
  connect(canvasController_, &CanvasController::imageShown, samController_,
          [this](qint64 imageId) { samController_->showImage(imageId); });
  connect(samController_, &SamController::message, this, &MainWindow::showMessage);
  connect(samController_, &SamController::errorOccurred, this, &MainWindow::showError);
  connect(compareController_, &CompareController::message, this, &MainWindow::showMessage);
  connect(compareController_, &CompareController::errorOccurred, this, &MainWindow::showError);
  connect(exportController_, &ExportController::message, this, &MainWindow::showMessage);
  connect(exportController_, &ExportController::errorOccurred, this, &MainWindow::showError);
  QDockWidget* compare = dock("compareDock");
  connect(compare, &QDockWidget::visibilityChanged, compareController_, [this](bool visible) {
    if (visible) compareController_->refreshIfStale();
  });
  connect(canvasController_, &CanvasController::imageShown, compareController_,
          [this, compare](qint64 imageId) {
            if (compare->isVisible()) compareController_->showImage(imageId);
          });
}

void MainWindow::setModelSession(ProjectSession* session) {
  samController_->setSession(session);  // before the teacher: it names the fallback
  if (session) samController_->showImage(canvasController_->currentImage());
  teacherController_->setSession(session);
  compareController_->setSession(session);
  exportController_->setSession(session);
}

void MainWindow::showTeacherDock() {
  QDockWidget* d = dock("teacherDock");
  d->show();
  d->raise();
  // The panel is tall: give it most of the right column while it is in front.
  if (!d->isFloating() && dockWidgetArea(d) == Qt::RightDockWidgetArea)
    resizeDocks({dock("classesDock"), dock("instancesDock"), d}, {120, 120, height()},
                Qt::Vertical);
}

void MainWindow::showCompareDock() {
  QDockWidget* d = dock("compareDock");
  if (!d->isVisible() && d->isFloating() && d->height() < 300) {
    // First time: most of the window, over its centre (afterwards the saved layout rules).
    const QRect area = geometry();
    d->resize(area.width() * 4 / 5, area.height() * 17 / 20);
    d->move(area.center() - d->rect().center());
  }
  const bool wasHidden = !d->isVisible();
  d->show();
  d->raise();
  if (wasHidden && !d->isFloating()) resizeDocks({d}, {height() * 11 / 20}, Qt::Vertical);
  compareController_->refreshIfStale();
  if (canvasController_->currentImage() > 0)
    compareController_->showImage(canvasController_->currentImage());
}

}  // namespace distillery
