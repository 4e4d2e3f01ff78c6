#include "widgets/canvas/mask_patch.h"

#include <gtest/gtest.h>

namespace distillery {
namespace {

TEST(MaskPatchTest, CropReadsZerosOutsideTheStoredCrop) {
  const cv::Mat crop(10, 10, CV_8U, cv::Scalar(1));  // 0/1 masks are read as 0/255
  const cv::Mat region = cropMask(crop, QPoint(100, 50), QRect(95, 45, 10, 10));
  EXPECT_EQ(cv::countNonZero(region), 25);
  EXPECT_EQ(region.at<uchar>(9, 9), 255);
  EXPECT_EQ(region.at<uchar>(0, 0), 0);
}

TEST(MaskPatchTest, PasteGrowsTheCropAndKeepsOldPixels) {
  cv::Mat mask(4, 4, CV_8U, cv::Scalar(255));
  QPoint origin(10, 10);
  const cv::Mat patch(2, 3, CV_8U, cv::Scalar(255));
  pasteMask(mask, origin, patch, QPoint(20, 5));
  EXPECT_EQ(origin, QPoint(10, 5));
  EXPECT_EQ(mask.cols, 13);  // x 10..22
  EXPECT_EQ(mask.rows, 9);   // y 5..13
  EXPECT_EQ(cv::countNonZero(mask), 16 + 6);
  EXPECT_EQ(cropMask(mask, origin, QRect(10, 10, 4, 4)).at<uchar>(3, 3), 255);
}

TEST(MaskPatchTest, PasteIntoAnEmptyMask) {
  cv::Mat mask;
  QPoint origin;
  pasteMask(mask, origin, cv::Mat(3, 3, CV_8U, cv::Scalar(255)), QPoint(7, 8));
  EXPECT_EQ(origin, QPoint(7, 8));
  EXPECT_EQ(cv::countNonZero(mask), 9);
}

TEST(MaskPatchTest, NonZeroBounds) {
  cv::Mat mask = cv::Mat::zeros(50, 60, CV_8U);
  EXPECT_TRUE(nonZeroBounds(mask).isEmpty());
  mask.at<uchar>(5, 7) = 1;
  mask.at<uchar>(20, 40) = 9;
  EXPECT_EQ(nonZeroBounds(mask), QRect(QPoint(7, 5), QPoint(40, 20)));
}

}  // namespace
}  // namespace distillery
