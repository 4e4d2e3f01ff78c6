#include "widgets/canvas/mask_polygon.h"

#include <gtest/gtest.h>

#include "engine/data/rle.h"

namespace distillery {
namespace {

TEST(MaskPolygonTest, RasterIsCocoFrPoly) {
  const QPolygonF polygon(
      {QPointF(10.3, 12.7), QPointF(60.2, 15.1), QPointF(48.9, 70.4), QPointF(14.0, 52.5)});
  const cv::Mat mask = polygonToMask(polygon, QSize(80, 90));
  ASSERT_EQ(mask.type(), CV_8U);
  EXPECT_EQ(uint64_t(cv::countNonZero(mask)), rle::area(rle::fromPolygon(toXy(polygon), 90, 80)));
  EXPECT_EQ(mask.at<uchar>(40, 35), 255);
}

TEST(MaskPolygonTest, CropMatchesTheFullRaster) {
  // Partly outside the image on the left and bottom, too.
  const QPolygonF polygon(
      {QPointF(-5.5, 20.2), QPointF(33.3, 8.8), QPointF(41.6, 95.0), QPointF(3.1, 61.7)});
  const QSize size(70, 80);
  const cv::Mat full = polygonToMask(polygon, size);
  QPoint origin;
  const cv::Mat crop = polygonToMaskCrop(polygon, size, &origin);
  ASSERT_FALSE(crop.empty());
  EXPECT_EQ(cv::countNonZero(crop), cv::countNonZero(full));
  const cv::Mat same = full(cv::Rect(origin.x(), origin.y(), crop.cols, crop.rows));
  EXPECT_EQ(cv::countNonZero(same != crop), 0);
}

TEST(MaskPolygonTest, SquareMaskGivesASquareOutline) {
  cv::Mat mask = cv::Mat::zeros(30, 30, CV_8U);
  mask(cv::Rect(5, 6, 10, 12)).setTo(255);
  const auto polygons = maskToPolygons(mask, QPoint(100, 200));
  ASSERT_EQ(polygons.size(), 1u);
  const QRectF box = polygons[0].boundingRect();
  EXPECT_EQ(box, QRectF(105, 206, 9, 11));  // through the border pixels' indices
}

}  // namespace
}  // namespace distillery
