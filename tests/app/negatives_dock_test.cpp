// The Negatives dock in the real (offscreen) main window: a real tiny model (pretrained
// for two steps through the engine's torch-free API), the project's current image plus
// the next ones as the batch, a click on a pixel, and the R markers from a real query.
#include <QCheckBox>
#include <QDockWidget>
#include <QLabel>
#include <QSignalSpy>

#include "app/gui/negatives_controller.h"
#include "app/gui/project_session.h"
#include "engine/api/distillation.h"
#include "tests/app/workbench_fixture.h"
#include "widgets/inspector/negatives_image_view.h"
#include "widgets/inspector/negatives_inspector.h"
#include "widgets/log_panel.h"

namespace distillery {
namespace {

// A tiny Distillery model (FILE.pt, FILE.json, FILE.ckpt), made once per test run.
QString tinyModel() {
  static const QString file = [] {
    const auto dir = test::freshTempDir("negatives-model");
    PretrainOptions o;
    o.domains = {"studio"};
    o.arch = "tiny";
    o.imagesPerDomain = 4;
    o.size = 64;
    o.steps = 2;
    o.batch = 2;
    o.out = dir / "tiny.pt";
    o.cacheDir = dir / "cache";
    auto r = pretrainTeacher(o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return QString::fromStdString(o.out.string());
  }();
  return file;
}

struct Dock {
  std::unique_ptr<MainWindow> window;
  NegativesController* controller = nullptr;
  NegativesInspector* inspector = nullptr;
};

Dock openDock(const test::SyntheticProject& project, const QString& model) {
  Dock d;
  d.window = test::openWindow(project.dir);
  d.controller = d.window->negativesController();
  d.inspector = d.controller->inspector();
  d.window->session()->setTeacherModel(model);
  QDockWidget* dock = d.window->dock("negativesDock");
  EXPECT_NE(dock, nullptr);
  dock->show();
  dock->raise();
  EXPECT_TRUE(QTest::qWaitFor([&] { return d.inspector->imageCount() > 0; }, 30000))
      << d.controller->statusText().toStdString();
  return d;
}

// Clicks image pixel (x, y) of batch image `image` where the inspector draws it.
void clickPixel(NegativesInspector* inspector, int image, QPointF pixel) {
  NegativesImageView* view = inspector->imageView(image);
  QTest::mouseClick(view, Qt::LeftButton, {}, view->imageToWidget(pixel).toPoint());
}

TEST(NegativesDockTest, AClickShowsTheRNegativesOfARealQuery) {
  const auto project = test::makeProject("negatives-dock", 5);
  Dock d = openDock(project, tinyModel());
  ASSERT_EQ(d.inspector->imageCount(), 4);  // the current image and the next three
  EXPECT_EQ(d.controller->batchIds().front(), d.window->canvasController()->currentImage());
  EXPECT_TRUE(d.controller->modelFile().endsWith("tiny.pt"));

  QSignalSpy shown(d.controller, &NegativesController::resultShown);
  clickPixel(d.inspector, 0, QPointF(30.5, 20.5));
  ASSERT_TRUE(QTest::qWaitFor([&] { return shown.count() == 1; }, 30000))
      << d.controller->statusText().toStdString();
  EXPECT_EQ(shown[0][0].toInt(), 200);
  EXPECT_EQ(d.inspector->markerCount(), 200);
  EXPECT_EQ(d.inspector->droppedCount(), 0);  // every negative lies inside a batch image
  EXPECT_EQ(d.inspector->imageView(0)->markerCount(), 0);  // not from the anchor's own image
  EXPECT_FALSE(d.inspector->imageView(0)->hasHeat());
  EXPECT_TRUE(d.inspector->imageView(1)->hasHeat());
  EXPECT_GE(d.inspector->imageView(0)->outlineCount(), 1);  // the anchor's own instance
  EXPECT_TRUE(d.inspector->statusText().contains("200 negatives drawn"))
      << d.inspector->statusText().toStdString();
  const QString details = d.window->findChild<QLabel*>("negativesDetails")->text();
  EXPECT_TRUE(details.contains("Gumbel top-k")) << details.toStdString();

  // The mode switch and the own-image option re-query the same anchor.
  d.inspector->setMode("uniform");
  ASSERT_TRUE(QTest::qWaitFor([&] { return shown.count() == 2; }, 30000));
  EXPECT_EQ(d.inspector->markerCount(), 200);
  EXPECT_TRUE(d.window->findChild<QLabel*>("negativesDetails")->text().startsWith("Uniform"));
  d.window->findChild<QCheckBox*>("negativesOwnImage")->setChecked(true);
  ASSERT_TRUE(QTest::qWaitFor([&] { return shown.count() == 3; }, 30000));
  EXPECT_TRUE(d.inspector->imageView(0)->hasHeat());  // now the anchor's image holds candidates
  EXPECT_EQ(d.window->logPanel()->errorCount(), 0);
}

TEST(NegativesDockTest, AModelWithoutNativeWeightsIsExplainedNotRun) {
  const auto project = test::makeProject("negatives-dock-bad", 3);
  const auto dir = test::freshTempDir("negatives-foreign");
  std::filesystem::copy_file(tinyModel().toStdString(), dir / "foreign.pt");  // no foreign.ckpt
  auto window = test::openWindow(project.dir);
  NegativesController* c = window->negativesController();
  const int errors = window->logPanel()->errorCount();
  window->session()->setTeacherModel(QString::fromStdString((dir / "foreign.pt").string()));
  window->dock("negativesDock")->show();
  window->dock("negativesDock")->raise();
  ASSERT_TRUE(QTest::qWaitFor([&] { return c->statusText().contains("native weights"); }, 30000))
      << c->statusText().toStdString();
  EXPECT_EQ(c->inspector()->imageCount(), 0);
  EXPECT_EQ(window->logPanel()->errorCount(), errors + 1);  // reported once, in the log too
}

}  // namespace
}  // namespace distillery
