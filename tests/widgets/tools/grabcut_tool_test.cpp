#include "widgets/tools/grabcut_tool.h"

#include <opencv2/imgproc.hpp>

#include "tests/widgets/canvas_fixture.h"
#include "widgets/tools/grabcut_segmenter.h"

namespace distillery {
namespace {

// Noisy green-grey background with a textured orange ellipse; returns its true mask.
cv::Mat syntheticScene(int width, int height, cv::Mat* truth) {
  cv::Mat image(height, width, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(image, cv::RNG::NORMAL, cv::Scalar(90, 140, 110), cv::Scalar(18, 18, 18));
  cv::Mat object(height, width, CV_8UC3);
  rng.fill(object, cv::RNG::NORMAL, cv::Scalar(40, 120, 230), cv::Scalar(15, 15, 15));
  *truth = cv::Mat::zeros(height, width, CV_8U);
  cv::ellipse(*truth, cv::Point(width / 2, height / 2), cv::Size(width / 5, height / 4), 20, 0, 360,
              255, cv::FILLED);
  object.copyTo(image, *truth);
  return image;
}

TEST(GrabCutSegmenterTest, FindsTheObjectInTheBox) {
  cv::Mat truth;
  const cv::Mat image = syntheticScene(800, 600, &truth);
  const cv::Rect box = cv::boundingRect(truth);
  const cv::Rect padded(box.x - 15, box.y - 15, box.width + 30, box.height + 30);
  const auto mask = grabCutInBox(image, padded);
  ASSERT_TRUE(mask.ok()) << mask.status().message();
  EXPECT_EQ(mask->size(), image.size());
  EXPECT_GT(test::iou(*mask, truth), 0.9);
  EXPECT_EQ(cv::countNonZero((*mask)(cv::Rect(0, 0, padded.x, 600))),
            0);  // nothing outside the box
}

TEST(GrabCutSegmenterTest, LargeImagesAreDownscaledAndStillAccurate) {
  cv::Mat truth;
  const cv::Mat image = syntheticScene(4000, 3000, &truth);
  const cv::Rect box = cv::boundingRect(truth);
  const auto mask =
      grabCutInBox(image, cv::Rect(box.x - 60, box.y - 60, box.width + 120, box.height + 120));
  ASSERT_TRUE(mask.ok()) << mask.status().message();
  EXPECT_GT(test::iou(*mask, truth), 0.9);
}

TEST(GrabCutSegmenterTest, TinyBoxIsRefusedWithItsSize) {
  const cv::Mat image(100, 100, CV_8UC3, cv::Scalar::all(0));
  const auto mask = grabCutInBox(image, cv::Rect(10, 10, 2, 30));
  ASSERT_FALSE(mask.ok());
  EXPECT_NE(mask.status().message().find("2x30"), std::string::npos) << mask.status().message();
}

using GrabCutToolTest = test::CanvasTest;

TEST_F(GrabCutToolTest, DraggedBoxBecomesAMaskOnAWorker) {
  cv::Mat truth;
  load(syntheticScene(400, 300, &truth));
  canvas->setView(2.0, QPointF(10, 20));
  key(Qt::Key_R);
  QSignalSpy masks(canvas.get(), &ImageCanvas::maskCommitted);
  const cv::Rect box = cv::boundingRect(truth);
  drag({QPointF(box.x - 10, box.y - 10), QPointF(box.x + 50, box.y + 40),
        QPointF(box.br().x + 10, box.br().y + 10)});
  EXPECT_TRUE(canvas->grabCutTool()->isRunning() || masks.count() == 1);
  ASSERT_TRUE(masks.count() == 1 || masks.wait(20000));
  const cv::Mat mask = masks.at(0).at(0).value<cv::Mat>();
  EXPECT_GT(test::iou(mask, truth), 0.9);
  EXPECT_FALSE(canvas->tool()->isBusy());
}

TEST_F(GrabCutToolTest, AClickIsNotABox) {
  load(test::rampWithDisc(400, 300, cv::Point(200, 150), 40));
  key(Qt::Key_R);
  click(QPointF(100, 100));
  EXPECT_FALSE(canvas->grabCutTool()->isRunning());
}

}  // namespace
}  // namespace distillery
