#include "engine/modeling/image_tensor.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "engine/util/status.h"

namespace distillery {
namespace {

TEST(ImageTensorTest, BgrBecomesRgbInUnitRange) {
  cv::Mat bgr(2, 3, CV_8UC3, cv::Scalar(255, 0, 51));  // B=255, G=0, R=51
  torch::Tensor t = imageToTensor(bgr);
  ASSERT_EQ(t.sizes(), (std::vector<int64_t>{3, 2, 3}));
  EXPECT_FLOAT_EQ(t[0][1][2].item<float>(), 0.2f);  // R
  EXPECT_FLOAT_EQ(t[1][0][0].item<float>(), 0.0f);  // G
  EXPECT_FLOAT_EQ(t[2][0][1].item<float>(), 1.0f);  // B
}

TEST(ImageTensorTest, GrayBgraAndSixteenBitAreAccepted) {
  EXPECT_FLOAT_EQ(imageToTensor(cv::Mat(4, 4, CV_8UC1, cv::Scalar(255)))[1][3][3].item<float>(),
                  1.0f);
  EXPECT_FLOAT_EQ(
      imageToTensor(cv::Mat(4, 4, CV_8UC4, cv::Scalar(0, 0, 255, 7)))[0][0][0].item<float>(), 1.0f);
  EXPECT_NEAR(
      imageToTensor(cv::Mat(4, 4, CV_16UC3, cv::Scalar(0, 65535, 0)))[1][2][2].item<float>(), 1.0f,
      1e-6);
  EXPECT_THROW(imageToTensor(cv::Mat(4, 4, CV_8UC2)), UserError);
  EXPECT_THROW(imageToTensor(cv::Mat()), UserError);
  EXPECT_THROW(imageToTensor(cv::Mat(4, 4, CV_64FC3)), UserError);
}

TEST(ImageTensorTest, BatchResizesLongerSideAndPadsToDivisibility) {
  std::vector<cv::Mat> images{cv::Mat(100, 50, CV_8UC3, cv::Scalar(255, 255, 255)),
                              cv::Mat(40, 80, CV_8UC3, cv::Scalar(255, 255, 255))};
  ImageBatch b = makeImageBatch(images, 64, 32);
  ASSERT_EQ(b.images.sizes(), (std::vector<int64_t>{2, 3, 64, 64}));
  EXPECT_EQ(b.placements[0].height, 64);
  EXPECT_EQ(b.placements[0].width, 32);
  EXPECT_EQ(b.placements[1].height, 32);
  EXPECT_EQ(b.placements[1].width, 64);
  EXPECT_EQ(b.placements[1].originalWidth, 80);
  EXPECT_FLOAT_EQ(b.images[0][0][63][31].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(b.images[0][0][63][32].item<float>(), 0.0f);  // padding
  EXPECT_FLOAT_EQ(b.images[1][2][32][0].item<float>(), 0.0f);

  ImageBatch kept = makeImageBatch({cv::Mat(33, 20, CV_8UC3)}, 0, 32);
  EXPECT_EQ(kept.images.size(2), 64);
  EXPECT_EQ(kept.images.size(3), 32);
  EXPECT_EQ(kept.placements[0].height, 33);
}

TEST(ImageTensorTest, TargetsFollowThePlacement) {
  cv::Mat mask = cv::Mat::zeros(100, 50, CV_8U);
  cv::rectangle(mask, cv::Rect(0, 50, 50, 50), cv::Scalar(1), cv::FILLED);  // lower half
  ImagePlacement p = placeImage(100, 50, 64);
  TargetInstances t = makeTargets({4}, {mask}, p, 64, 64);
  EXPECT_EQ(t.labels[0].item<int64_t>(), 4);
  ASSERT_EQ(t.masks.sizes(), (std::vector<int64_t>{1, 64, 64}));
  EXPECT_FLOAT_EQ(t.masks.sum().item<float>(), 32.0f * 32.0f);
  EXPECT_FLOAT_EQ(t.masks[0][40][10].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(t.masks[0][40][40].item<float>(), 0.0f);  // padding
}

}  // namespace
}  // namespace distillery
