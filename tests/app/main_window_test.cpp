// The workbench shell in a real (offscreen) window.
#include "app/gui/main_window.h"

#include <gtest/gtest.h>

#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QTemporaryDir>

#include "app/gui/about_dialog.h"
#include "app/gui/new_project_dialog.h"

#include <QAction>
#include "widgets/log_panel.h"

namespace distillery {
namespace {

QStringList menuTitles(QMainWindow& w) {
  QStringList titles;
  for (QAction* a : w.menuBar()->actions()) titles << a->text().remove('&');
  return titles;
}

TEST(MainWindowTest, TitleMenusDocksAndDevice) {
  MainWindow w;
  w.show();
  EXPECT_TRUE(w.windowTitle().contains("Distillery"));
  EXPECT_EQ(menuTitles(w), QStringList({"File", "Edit", "View", "Tools", "Models", "Pipeline", "Help"}));
  for (const char* dock :
       {"galleryDock", "classesDock", "instancesDock", "reviewDock", "pipelineDock", "logDock",
        "teacherDock", "compareDock"}) {
    EXPECT_NE(w.dock(dock), nullptr) << dock;
  }
  auto* device = w.findChild<QLabel*>("deviceLabel");
  ASSERT_NE(device, nullptr);
  EXPECT_TRUE(device->text().contains("CPU") || device->text().contains("CUDA"));
  EXPECT_FALSE(device->toolTip().isEmpty());
}

TEST(MainWindowTest, AboutListsLibraryVersions) {
  const QString text = AboutDialog::versionsText();
  for (const char* lib : {"Qt ", "LibTorch ", "OpenCV "}) EXPECT_TRUE(text.contains(lib)) << lib;
  EXPECT_TRUE(text.contains(qVersion()));
}

TEST(MainWindowTest, NonProjectFolderIsRefusedWithReason) {
  QTemporaryDir dir;
  MainWindow w;
  const int errorsBefore = w.logPanel()->errorCount();
  EXPECT_FALSE(w.openProject(dir.path()));
  EXPECT_EQ(w.logPanel()->errorCount(), errorsBefore + 1);
  EXPECT_TRUE(w.logPanel()->toPlainText().contains("not a Distillery project"));
  EXPECT_TRUE(w.projectDir().isEmpty());
}

TEST(MainWindowTest, GeometryAndDockLayoutSurviveRestart) {
  QSettings().clear();
  {
    MainWindow w;
    w.show();
    w.resize(1000, 720);
    w.dock("logDock")->hide();
    w.close();
  }
  MainWindow again;
  again.show();
  EXPECT_EQ(again.size(), QSize(1000, 720));
  EXPECT_FALSE(again.dock("logDock")->isVisible());
  QSettings().clear();
}

TEST(MainWindowTest, ShortcutsFollowWorkbenchConventionsAndCanBeRebound) {
  QSettings().clear();
  {
    MainWindow w;
    EXPECT_EQ(w.action("actionNextImage")->shortcut(), QKeySequence(Qt::Key_D));
    EXPECT_EQ(w.action("actionPreviousImage")->shortcut(), QKeySequence(Qt::Key_A));
    EXPECT_EQ(w.action("actionNextNeedingReview")->shortcut(),
              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    EXPECT_EQ(w.action("actionToolPolygon")->shortcut(), QKeySequence(Qt::Key_P));
    EXPECT_EQ(w.action("actionFit")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_0));
    EXPECT_TRUE(w.action("actionRedo")->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Y)));
    EXPECT_EQ(w.action("actionClass3")->shortcut(), QKeySequence(Qt::Key_3));
  }
  QSettings().setValue("shortcuts/actionNextImage", "Right; N");
  MainWindow rebound;
  EXPECT_EQ(rebound.action("actionNextImage")->shortcuts(),
            QList<QKeySequence>({QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_N)}));
  QSettings().clear();
}

TEST(MainWindowTest, NewProjectDialogExplainsWhatIsMissing) {
  QTemporaryDir dir;
  NewProjectDialog dialog;
  EXPECT_FALSE(dialog.problem().isEmpty());  // no folder yet
  dialog.setProjectDir(dir.filePath("p"));
  dialog.setClasses({"cell", "debris"});
  EXPECT_TRUE(dialog.problem().isEmpty()) << dialog.problem().toStdString();
  EXPECT_EQ(dialog.classes(), QStringList({"cell", "debris"}));
  dialog.setClasses({"cell", "Cell"});
  EXPECT_TRUE(dialog.problem().contains("twice"));
  dialog.setClasses({});
  dialog.setImageFolder(dir.filePath("missing"));
  EXPECT_TRUE(dialog.problem().contains("not a folder"));
  QFile marker(dir.filePath("project.sqlite"));
  ASSERT_TRUE(marker.open(QIODevice::WriteOnly));
  dialog.setImageFolder({});
  dialog.setProjectDir(dir.path());
  EXPECT_TRUE(dialog.problem().contains("already a project"));
}

}  // namespace
}  // namespace distillery
