// RLE <-> crop helpers of the app layer against the engine's full decode.
#include "app/gui/mask_crops.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <random>

namespace distillery {
namespace {

TEST(MaskCropsTest, DecodeCropMatchesTheFullDecodeOnRandomShapes) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 40; ++trial) {
    const int h = 5 + int(rng() % 60), w = 5 + int(rng() % 60);
    cv::Mat full = cv::Mat::zeros(h, w, CV_8U);
    const int shapes = int(rng() % 4);
    for (int s = 0; s < shapes; ++s)
      cv::circle(full, {int(rng() % w), int(rng() % h)}, 1 + int(rng() % 12), 255, cv::FILLED);
    const Rle r = rle::encode(full);
    QPoint origin;
    const cv::Mat crop = decodeCrop(r, &origin);
    if (cv::countNonZero(full) == 0) {
      EXPECT_TRUE(crop.empty());
      continue;
    }
    const cv::Rect box = cv::boundingRect(full);
    EXPECT_EQ(origin, QPoint(box.x, box.y)) << "trial " << trial;
    ASSERT_EQ(crop.size(), box.size()) << "trial " << trial;
    EXPECT_EQ(cv::countNonZero(crop != full(box)), 0) << "trial " << trial;
    cv::Mat back = cv::Mat::zeros(h, w, CV_8U);
    crop.copyTo(back(box));
    EXPECT_EQ(rle::encode(back), r);
  }
}

TEST(MaskCropsTest, PasteReplacesTheRectangleAndClipsAtTheBorder) {
  cv::Mat full = cv::Mat::zeros(20, 30, CV_8U);
  full(cv::Rect(0, 0, 10, 10)).setTo(255);
  const cv::Mat patch = cv::Mat(6, 6, CV_8U, cv::Scalar(255));
  const Rle pasted = pasteIntoRle(rle::encode(full), QPoint(27, 17), patch);  // 3x3 inside
  EXPECT_EQ(rle::area(pasted), 100u + 9u);
  const Rle erased = pasteIntoRle(pasted, QPoint(0, 0), cv::Mat::zeros(5, 5, CV_8U));
  EXPECT_EQ(rle::area(erased), 109u - 25u);
}

TEST(MaskCropsTest, PasteOnRunsEqualsDecodePasteEncode) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    const int h = 3 + int(rng() % 40), w = 3 + int(rng() % 40);
    cv::Mat full = cv::Mat::zeros(h, w, CV_8U);
    for (int s = int(rng() % 4); s > 0; --s)
      cv::circle(full, {int(rng() % w), int(rng() % h)}, 1 + int(rng() % 10), 255, cv::FILLED);
    if (rng() % 5 == 0) full.setTo(255);  // runs that end on ones, or cover everything
    cv::Mat patch(1 + int(rng() % 15), 1 + int(rng() % 15), CV_8U);
    cv::randu(patch, 0, 2);
    if (rng() % 3 == 0) patch.setTo(0);
    const QPoint origin(int(rng() % (w + 10)) - 8, int(rng() % (h + 10)) - 8);

    cv::Mat expected = full.clone();
    const cv::Rect target =
        cv::Rect(origin.x(), origin.y(), patch.cols, patch.rows) & cv::Rect(0, 0, w, h);
    if (target.area() > 0)
      patch(cv::Rect(target.x - origin.x(), target.y - origin.y(), target.width, target.height))
          .copyTo(expected(target));
    EXPECT_EQ(pasteIntoRle(rle::encode(full), origin, patch), rle::encode(expected))
        << "trial " << trial;
  }
}

}  // namespace
}  // namespace distillery
