#include "widgets/canvas/image_pyramid.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "widgets/canvas/image_conversion.h"

namespace distillery {
namespace {

TEST(ImagePyramidTest, LevelsHalveUntilOneTile) {
  const cv::Mat image(3000, 4000, CV_8UC3, cv::Scalar(10, 20, 30));
  const auto pyramid = ImagePyramid::build(image);
  ASSERT_NE(pyramid, nullptr);
  EXPECT_EQ(pyramid->imageSize(), QSize(4000, 3000));
  ASSERT_EQ(pyramid->levelCount(), 4);  // 4000, 2000, 1000, 500
  EXPECT_EQ(pyramid->level(0).columns, 8);
  EXPECT_EQ(pyramid->level(0).rows, 6);
  EXPECT_EQ(pyramid->level(3).size, QSize(500, 375));
  EXPECT_EQ(pyramid->level(3).tiles.size(), 1u);
  // Edge tiles are cut to the image.
  EXPECT_EQ(pyramid->level(0).tile(7, 5).size(), QSize(4000 - 7 * 512, 3000 - 5 * 512));
}

TEST(ImagePyramidTest, TilesHoldTheImagePixels) {
  cv::Mat image(700, 900, CV_8UC3);
  cv::randu(image, 0, 255);
  const auto pyramid = ImagePyramid::build(image);
  ASSERT_NE(pyramid, nullptr);
  const QImage& tile = pyramid->level(0).tile(1, 1);
  for (const cv::Point p : {cv::Point(512, 512), cv::Point(899, 699), cv::Point(600, 650)}) {
    const cv::Vec3b bgr = image.at<cv::Vec3b>(p);
    const QRgb rgb = tile.pixel(p.x - 512, p.y - 512);
    EXPECT_EQ(qRed(rgb), bgr[2]);
    EXPECT_EQ(qGreen(rgb), bgr[1]);
    EXPECT_EQ(qBlue(rgb), bgr[0]);
  }
  EXPECT_EQ(tile.format(), QImage::Format_RGB32);
}

TEST(ImagePyramidTest, TileRectsCoverTheImageExactlyForOddSizes) {
  const cv::Mat image(1025, 1537, CV_8UC3, cv::Scalar::all(0));
  const auto pyramid = ImagePyramid::build(image);
  ASSERT_NE(pyramid, nullptr);
  for (int l = 0; l < pyramid->levelCount(); ++l) {
    const PyramidLevel& level = pyramid->level(l);
    const QRectF last = pyramid->tileImageRect(l, level.columns - 1, level.rows - 1);
    EXPECT_NEAR(last.right(), 1537, 1e-9) << "level " << l;
    EXPECT_NEAR(last.bottom(), 1025, 1e-9) << "level " << l;
    EXPECT_NEAR(pyramid->tileImageRect(l, 0, 0).left(), 0, 1e-9);
  }
}

TEST(ImagePyramidTest, CoarseLevelsAverage) {
  cv::Mat image(1024, 1024, CV_8UC3);
  for (int y = 0; y < image.rows; ++y)  // one-pixel stripes average to mid-grey
    image.row(y).setTo(cv::Scalar::all(y % 2 ? 200 : 0));
  const auto pyramid = ImagePyramid::build(image);
  ASSERT_EQ(pyramid->levelCount(), 2);
  EXPECT_EQ(qRed(pyramid->level(1).tile(0, 0).pixel(100, 100)), 100);
}

TEST(ImagePyramidTest, CancelStopsTheBuild) {
  const cv::Mat image(3000, 4000, CV_8UC3, cv::Scalar::all(0));
  std::atomic<bool> cancel{true};
  EXPECT_EQ(ImagePyramid::build(image, &cancel), nullptr);
}

TEST(ImageConversionTest, AcceptsGreyBgraAndSixteenBitRejectsTwoChannels) {
  const cv::Mat grey(4, 5, CV_8U, cv::Scalar(77));
  auto bgr = toBgr8(grey);
  ASSERT_TRUE(bgr.ok());
  EXPECT_EQ(bgr->type(), CV_8UC3);
  EXPECT_EQ(bgr->at<cv::Vec3b>(2, 2), cv::Vec3b(77, 77, 77));
  const cv::Mat deep(4, 5, CV_16UC4, cv::Scalar(257 * 10, 257 * 20, 257 * 30, 65535));
  auto eight = toBgr8(deep);
  ASSERT_TRUE(eight.ok());
  EXPECT_EQ(eight->at<cv::Vec3b>(0, 0), cv::Vec3b(10, 20, 30));
  const auto bad = toBgr8(cv::Mat(4, 5, CV_8UC2));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("2 channels"), std::string::npos);
}

TEST(ImageConversionTest, QImageRoundTrip) {
  cv::Mat image(3, 4, CV_8UC3);
  cv::randu(image, 0, 255);
  const QImage q = toQImage(image);
  EXPECT_EQ(q.pixel(3, 2), qRgb(image.at<cv::Vec3b>(2, 3)[2], image.at<cv::Vec3b>(2, 3)[1],
                                image.at<cv::Vec3b>(2, 3)[0]));
  const cv::Mat back = toBgr8(q);
  EXPECT_EQ(cv::countNonZero(back.reshape(1) != image.reshape(1)), 0);
}

}  // namespace
}  // namespace distillery
