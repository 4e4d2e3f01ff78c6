// File > New / Import / Export through the project controller, on COCO128 and on
// a synthetic project.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

#include "app/gui/project_session.h"
#include "tests/app/workbench_fixture.h"
#include "widgets/gallery/gallery_panel.h"
#include "widgets/log_panel.h"
#include "widgets/panels/classes_panel.h"

namespace distillery::test {
namespace {

TEST(WorkbenchImportTest, Coco128ImportsIntoANewProjectAndOpens) {
  DST_REQUIRE_SHARED_DATA();
  const auto coco = sharedData() / "coco128";
  const auto dir = freshTempDir("wb-coco128") / "c128";
  QSettings().clear();
  MainWindow w;
  w.show();
  ProjectController* controller = w.projectController();
  ASSERT_TRUE(controller->createProject(QString::fromStdString(dir.string()), {}, {"person"}));
  QSignalSpy finished(controller, &ProjectController::importFinished);
  ASSERT_TRUE(controller->importDataset("coco",
                                        QString::fromStdString((coco / "instances.json").string()),
                                        QString::fromStdString((coco / "images").string())));
  ASSERT_TRUE(controller->waitForJobs());
  ASSERT_EQ(finished.count(), 1);
  EXPECT_TRUE(finished[0][1].toString().isEmpty()) << finished[0][1].toString().toStdString();
  EXPECT_TRUE(finished[0][0].toString().contains("128 images added"));

  auto project = readOnly(dir);
  EXPECT_EQ(project.images().counts()->total, 128);
  EXPECT_EQ(project.annotations().counts()->human, 939);
  EXPECT_EQ(w.gallery()->counts().total, 128);
  EXPECT_EQ(w.classesPanel()->classes().size(), 80);  // "person" kept, 79 added
  EXPECT_TRUE(QTest::qWaitFor([&] { return w.canvasController()->imageReady(); }, 10000));
  EXPECT_TRUE(w.windowTitle().endsWith("— c128 — Distillery")) << w.windowTitle().toStdString();

  // Importing the same file again adds nothing (the store's import is idempotent).
  ASSERT_TRUE(controller->importDataset("coco",
                                        QString::fromStdString((coco / "instances.json").string()),
                                        QString::fromStdString((coco / "images").string())));
  ASSERT_TRUE(controller->waitForJobs());
  EXPECT_EQ(readOnly(dir).annotations().counts()->human, 939);
}

TEST(WorkbenchImportTest, NewProjectWithAnImageFolderImportsItInTheBackground) {
  const SyntheticProject source = makeProject("wb-new-source", 3);
  const auto dir = freshTempDir("wb-new") / "fresh";
  QSettings().clear();
  MainWindow w;
  w.show();
  const QString images = QString::fromStdString((source.dir.parent_path() / "images").string());
  ASSERT_TRUE(w.projectController()->createProject(QString::fromStdString(dir.string()), images,
                                                   {"a", "b"}));
  ASSERT_TRUE(w.projectController()->waitForJobs());
  EXPECT_EQ(readOnly(dir).images().counts()->total, 3);
  EXPECT_EQ(w.gallery()->counts().total, 3);
  EXPECT_EQ(w.recentProjects().value(0), QString::fromStdString(dir.string()));
}

TEST(WorkbenchImportTest, ExportLabelsWritesCocoAndReportsIt) {
  const SyntheticProject p = makeProject("wb-export", 3, 2, 2);
  auto w = openWindow(p.dir);
  ExportOptions options;
  options.labelsPath = QString::fromStdString((p.dir.parent_path() / "out.json").string());
  options.sources = {"teacher"};
  options.statuses = {"pending"};
  QSignalSpy done(w->projectController(), &ProjectController::exportFinished);
  ASSERT_TRUE(w->projectController()->exportLabels(options));
  ASSERT_TRUE(w->projectController()->waitForJobs());
  ASSERT_EQ(done.count(), 1);
  const auto report = done[0][0].value<ExportReport>();
  EXPECT_TRUE(report.error.isEmpty()) << report.error.toStdString();
  EXPECT_EQ(report.instancesWritten, 4);
  EXPECT_EQ(report.imagesWritten, 2);
  QFile file(options.labelsPath);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QJsonObject coco = QJsonDocument::fromJson(file.readAll()).object();
  EXPECT_EQ(coco["annotations"].toArray().size(), 4);

  ExportOptions student;
  student.kind = ExportOptions::Kind::Student;
  student.modelPath = "/tmp/student.pt";
  student.sidecarPath = "/tmp/student.json";
  ASSERT_TRUE(w->projectController()->exportLabels(student));
  ASSERT_TRUE(w->projectController()->waitForJobs());
  EXPECT_FALSE(done.last()[0].value<ExportReport>().error.isEmpty());
}

TEST(WorkbenchImportTest, OpeningAFolderThatIsNotAProjectKeepsTheCurrentOne) {
  const SyntheticProject p = makeProject("wb-open-bad", 1);
  auto w = openWindow(p.dir);
  const auto other = freshTempDir("wb-not-a-project");
  EXPECT_FALSE(w->openProject(QString::fromStdString(other.string())));
  EXPECT_TRUE(w->logPanel()->toPlainText().contains("not a Distillery project"));
  EXPECT_EQ(w->projectDir().toStdString(), std::filesystem::absolute(p.dir).string());
}

}  // namespace
}  // namespace distillery::test
