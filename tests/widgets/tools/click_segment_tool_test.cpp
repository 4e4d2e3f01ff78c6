#include "widgets/tools/click_segment_tool.h"

#include <opencv2/imgproc.hpp>

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

// A provider that records the points and returns a disc around the first positive one
// (minus discs around negatives): enough to see what reached it.
struct RecordingProvider {
  std::shared_ptr<std::vector<PromptPoint>> seen = std::make_shared<std::vector<PromptPoint>>();
  Result<cv::Mat> operator()(const cv::Mat& image, const std::vector<PromptPoint>& points) const {
    *seen = points;
    cv::Mat mask = cv::Mat::zeros(image.size(), CV_8U);
    for (const PromptPoint& p : points)
      cv::circle(mask, cv::Point(int(p.image.x()), int(p.image.y())), 20, p.positive ? 255 : 0,
                 cv::FILLED);
    return mask;
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
  ASSERT_EQ(provider.seen->size(), 3u);
  EXPECT_TRUE((*provider.seen)[0].positive);
  EXPECT_FALSE((*provider.seen)[1].positive);
  EXPECT_FALSE((*provider.seen)[2].positive);
  EXPECT_EQ((*provider.seen)[0].image, QPointF(200, 150));
  ASSERT_FALSE(tool()->proposal().empty());
  EXPECT_EQ(tool()->proposal().at<uchar>(150, 190), 255);
  EXPECT_EQ(tool()->proposal().at<uchar>(150, 215), 0);

  QSignalSpy masks(canvas.get(), &ImageCanvas::maskCommitted);
  QSignalSpy accept(canvas.get(), &ImageCanvas::acceptRequested);
  key(Qt::Key_Return);
  ASSERT_EQ(masks.count(), 1);
  EXPECT_EQ(accept.count(), 0);
  EXPECT_EQ(masks.at(0).at(0).value<cv::Mat>().at<uchar>(150, 190), 255);
  EXPECT_TRUE(tool()->points().empty());
}

TEST_F(ClickSegmentToolTest, ProviderErrorIsShownAndEmitted) {
  canvas->setSegmentProvider(
      [](const cv::Mat&, const std::vector<PromptPoint>&) -> Result<cv::Mat> {
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
  canvas->setSegmentProvider(
      [](const cv::Mat&, const std::vector<PromptPoint>&) -> Result<cv::Mat> {
        return cv::Mat(10, 10, CV_8U, cv::Scalar(255));
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
  EXPECT_TRUE(messages.at(0).at(0).toString().contains("Teacher panel"));
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

}  // namespace
}  // namespace distillery
