#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QUndoStack>

#include "app/gui/about_dialog.h"
#include "engine/api/device.h"
#include "widgets/log_panel.h"

namespace distillery {
namespace {

constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recentProjects";

QDockWidget* makeDock(QMainWindow* window, const QString& title, const QString& name,
                      QWidget* content, Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, window);
  dock->setObjectName(name);  // saveState() needs stable names
  dock->setWidget(content);
  window->addDockWidget(area, dock);
  return dock;
}

QLabel* placeholder(const QString& text) {
  auto* label = new QLabel(text);
  label->setAlignment(Qt::AlignCenter);
  label->setWordWrap(true);
  label->setEnabled(false);
  return label;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  undoStack_ = new QUndoStack(this);
  log_ = new LogPanel;
  setCentralWidget(placeholder(tr("Open a project (File > Open Project) or start the demo.")));
  centralWidget()->setObjectName("canvasArea");
  createActions();
  createDocks();
  createStatusBar();
  restoreLayout();
  updateTitle();
  log_->info(tr("Compute device: %1 (%2)")
                 .arg(QString::fromStdString(computeDevice().name),
                      QString::fromStdString(computeDevice().reason)));
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&New Project..."), QKeySequence::New, this, &MainWindow::newProject);
  file->addAction(tr("&Open Project..."), QKeySequence::Open, this, &MainWindow::chooseProject);
  recentMenu_ = file->addMenu(tr("Recent &Projects"));
  rebuildRecentMenu();
  file->addSeparator();
  file->addAction(tr("&Import Dataset..."), this, &MainWindow::importDataset);
  file->addAction(tr("&Export..."), this, &MainWindow::exportDataset);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = undoStack_->createUndoAction(this, tr("&Undo"));
  undo->setShortcuts(QKeySequence::Undo);
  QAction* redo = undoStack_->createRedoAction(this, tr("&Redo"));
  redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z),
                      QKeySequence(Qt::CTRL | Qt::Key_Y)});
  edit->addAction(undo);
  edit->addAction(redo);

  viewMenu_ = menuBar()->addMenu(tr("&View"));
  QMenu* pipeline = menuBar()->addMenu(tr("&Pipeline"));
  pipeline->setObjectName("pipelineMenu");
  for (const QString& stage : {tr("Adapt Teacher"), tr("Distill"), tr("Refine"), tr("Run All")}) {
    QAction* a = pipeline->addAction(stage);
    a->setEnabled(false);  // enabled once a project and a teacher are loaded
  }

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Distillery"), this, &MainWindow::about);
}

void MainWindow::createDocks() {
  setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);
  struct Spec {
    QString title, name;
    QWidget* content;
    Qt::DockWidgetArea area;
  };
  const Spec specs[] = {
      {tr("Gallery"), "galleryDock", placeholder(tr("No project open")), Qt::LeftDockWidgetArea},
      {tr("Classes"), "classesDock", placeholder(tr("No classes")), Qt::RightDockWidgetArea},
      {tr("Instances"), "instancesDock", placeholder(tr("No image")), Qt::RightDockWidgetArea},
      {tr("Pipeline"), "pipelineDock", placeholder(tr("No run")), Qt::RightDockWidgetArea},
      {tr("Log"), "logDock", log_, Qt::BottomDockWidgetArea},
  };
  for (const Spec& s : specs) {
    QDockWidget* d = makeDock(this, s.title, s.name, s.content, s.area);
    viewMenu_->addAction(d->toggleViewAction());
  }
}

void MainWindow::createStatusBar() {
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

QDockWidget* MainWindow::dock(const QString& objectName) const {
  return findChild<QDockWidget*>(objectName);
}

void MainWindow::restoreLayout() {
  QSettings settings;
  if (!restoreGeometry(settings.value("window/geometry").toByteArray())) resize(1280, 800);
  if (restoreState(settings.value("window/state").toByteArray())) return;
  // First run: give the docks room; the canvas keeps the rest.
  resizeDocks({dock("galleryDock")}, {240}, Qt::Horizontal);
  resizeDocks({dock("classesDock")}, {300}, Qt::Horizontal);
  resizeDocks({dock("classesDock"), dock("instancesDock"), dock("pipelineDock")}, {140, 220, 300},
              Qt::Vertical);
  resizeDocks({dock("logDock")}, {140}, Qt::Vertical);
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
  if (!projectDir_.isEmpty()) parts << QFileInfo(projectDir_).fileName();
  parts << QStringLiteral("Distillery");
  setWindowTitle(parts.join(QStringLiteral(" — ")));
}

bool MainWindow::openProject(const QString& dir) {
  const QFileInfo info(dir);
  if (!info.isDir()) {
    showError(tr("Cannot open project"), tr("%1: not a folder").arg(dir));
    return false;
  }
  if (!QFileInfo(QDir(dir).filePath("project.sqlite")).isFile()) {
    showError(tr("Cannot open project"),
              tr("%1: not a Distillery project (expected a project.sqlite file in it)").arg(dir));
    return false;
  }
  projectDir_ = info.absoluteFilePath();
  currentImage_.clear();
  undoStack_->clear();
  rememberRecent(projectDir_);
  updateTitle();
  log_->info(tr("Opened project %1").arg(projectDir_));
  return true;
}

void MainWindow::showError(const QString& title, const QString& message) {
  log_->error(message);
  statusBar()->showMessage(message, 15000);
  auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // non-blocking: work (and tests) continue
}

QStringList MainWindow::recentProjects() const {
  return QSettings().value(kRecentKey).toStringList();
}

void MainWindow::rememberRecent(const QString& dir) {
  QStringList recent = recentProjects();
  recent.removeAll(dir);
  recent.prepend(dir);
  while (recent.size() > kMaxRecent) recent.removeLast();
  QSettings().setValue(kRecentKey, recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = recentProjects();
  for (const QString& dir : recent) {
    recentMenu_->addAction(dir, this, [this, dir] { openProject(dir); });
  }
  recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::newProject() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("New project folder"));
  if (dir.isEmpty()) return;
  showError(tr("New project"), tr("Creating projects arrives with the project store."));
}

void MainWindow::chooseProject() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open project folder"));
  if (!dir.isEmpty()) openProject(dir);
}

void MainWindow::importDataset() {
  log_->warning(tr("Import arrives with the data layer."));
}

void MainWindow::exportDataset() {
  log_->warning(tr("Export arrives with the data layer."));
}

void MainWindow::about() {
  auto* dialog = new AboutDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->open();
}

}  // namespace distillery
