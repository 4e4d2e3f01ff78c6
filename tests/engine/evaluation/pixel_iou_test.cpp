#include "engine/evaluation/pixel_iou.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <random>

namespace distillery {
namespace {

cv::Mat blobs(int h, int w, std::mt19937& rng) {
  cv::Mat m(h, w, CV_8U, cv::Scalar(0));
  std::uniform_int_distribution<int> cx(0, w - 1), cy(0, h - 1), rad(1, h / 3);
  for (int i = 0; i < 3; ++i) cv::circle(m, {cx(rng), cy(rng)}, rad(rng), cv::Scalar(1), cv::FILLED);
  return m;
}

TEST(PixelIouTest, AgreesWithRunLengthIouIncludingCrowds) {
  std::mt19937 rng(7);
  std::vector<Rle> dts, gts;
  for (int i = 0; i < 12; ++i) dts.push_back(rle::encode(blobs(40, 60, rng)));
  for (int i = 0; i < 9; ++i) gts.push_back(rle::encode(blobs(40, 60, rng)));
  dts.push_back(rle::encode(cv::Mat(40, 60, CV_8U, cv::Scalar(0))));  // empty detection
  const std::vector<bool> crowd = {false, true, false, false, true, false, false, false, false};
  const auto runs = rle::iouMatrix(dts, gts, crowd);
  const auto pixels = pixelIouMatrix(dts, gts, crowd);
  int overlapping = 0;
  for (size_t d = 0; d < dts.size(); ++d) {
    for (size_t g = 0; g < gts.size(); ++g) {
      EXPECT_EQ(pixels[d][g], runs[d][g]) << d << "," << g;
      overlapping += runs[d][g] > 0;
    }
  }
  EXPECT_GT(overlapping, 10);  // the case exercises real overlaps
}

TEST(PixelIouTest, SizeMismatchIsMinusOne) {
  const Rle a = rle::encode(cv::Mat(4, 4, CV_8U, cv::Scalar(1)));
  const Rle b = rle::encode(cv::Mat(4, 5, CV_8U, cv::Scalar(1)));
  EXPECT_EQ(pixelIouMatrix({a}, {b}, {false})[0][0], -1);
}

}  // namespace
}  // namespace distillery
