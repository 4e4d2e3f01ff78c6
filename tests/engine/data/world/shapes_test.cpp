#include "engine/data/world/shapes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/core.hpp>

namespace distillery::world {
namespace {

constexpr double kPi = 3.14159265358979323846;

// The raster placed on a size x size canvas.
cv::Mat onCanvas(const ShapeRaster& r, int size) {
  cv::Mat canvas = cv::Mat::zeros(size, size, CV_8U);
  const cv::Rect clip = cv::Rect(r.origin, r.mask.size()) & cv::Rect(0, 0, size, size);
  r.mask(clip - r.origin).copyTo(canvas(clip));
  return canvas;
}

ShapeRaster drawn(ShapeKind kind, const ShapePose& pose, uint64_t seed = 1) {
  WorldRng rng(seed);
  return rasterise(drawForm(kind, rng), pose);
}

TEST(WorldShapesTest, EveryShapeIsNonEmptyAndInsideItsCircumcircle) {
  const ShapePose pose{50.3, 49.7, 20, 0.7};
  for (int k = 0; k < kClassCount + kDistractorKinds; ++k) {
    const auto kind = static_cast<ShapeKind>(k);
    const ShapeRaster r = drawn(kind, pose);
    EXPECT_EQ(r.area, cv::countNonZero(r.mask)) << shapeName(kind);
    EXPECT_GT(r.area, 40) << shapeName(kind);
    // No pixel further than the circumradius (plus the pixel diagonal) from the centre.
    const cv::Mat canvas = onCanvas(r, 100);
    for (int y = 0; y < 100; ++y)
      for (int x = 0; x < 100; ++x)
        if (canvas.at<uchar>(y, x))
          EXPECT_LE(std::hypot(x - pose.cx, y - pose.cy), pose.radius + 1.5)
              << shapeName(kind) << " at " << x << "," << y;
  }
}

TEST(WorldShapesTest, ClassShapesHaveTheirCharacteristicAreas) {
  const double r = 30;
  const ShapePose pose{64, 64, r, 0.3};
  auto ratio = [&](ShapeKind k) { return drawn(k, pose).area / (r * r); };
  EXPECT_NEAR(ratio(ShapeKind::Disc), kPi, 0.15);
  EXPECT_NEAR(ratio(ShapeKind::Square), 2.0, 0.15);
  EXPECT_NEAR(ratio(ShapeKind::Triangle), 3 * std::sqrt(3.0) / 4, 0.12);
  EXPECT_NEAR(ratio(ShapeKind::Ring), kPi * (1 - 0.55 * 0.55), 0.15);
  // A crescent is a disc with a bite taken out: much less than a disc, more than nothing.
  EXPECT_LT(ratio(ShapeKind::Crescent), 0.6 * kPi);
  EXPECT_GT(ratio(ShapeKind::Crescent), 0.2 * kPi);
}

TEST(WorldShapesTest, RingHasAHoleAndDiscDoesNot) {
  const ShapePose pose{40, 40, 15, 0};
  const cv::Mat ring = onCanvas(drawn(ShapeKind::Ring, pose), 80);
  const cv::Mat disc = onCanvas(drawn(ShapeKind::Disc, pose), 80);
  EXPECT_EQ(ring.at<uchar>(40, 40), 0);
  EXPECT_EQ(disc.at<uchar>(40, 40), 1);
  EXPECT_EQ(ring.at<uchar>(40, 40 + 12), 1);
}

TEST(WorldShapesTest, ClassShapesAreDistinctAtTheSamePose) {
  const ShapePose pose{64, 64, 28, 0.4};
  for (int a = 0; a < kClassCount; ++a) {
    const cv::Mat ma = onCanvas(drawn(classShape(a), pose), 128);
    for (int b = a + 1; b < kClassCount; ++b) {
      const cv::Mat mb = onCanvas(drawn(classShape(b), pose), 128);
      const double inter = cv::countNonZero(ma & mb), uni = cv::countNonZero(ma | mb);
      EXPECT_LT(inter / uni, 0.9) << shapeName(classShape(a)) << " vs " << shapeName(classShape(b));
    }
  }
}

TEST(WorldShapesTest, RotationTurnsTheShape) {
  const cv::Mat a = onCanvas(drawn(ShapeKind::Triangle, {64, 64, 25, 0}), 128);
  const cv::Mat b = onCanvas(drawn(ShapeKind::Triangle, {64, 64, 25, kPi / 3}), 128);
  EXPECT_GT(cv::countNonZero(a != b), 200);
}

TEST(WorldShapesTest, ShapesPastTheBorderKeepTheirFullArea) {
  const ShapeRaster inside = drawn(ShapeKind::Square, {50, 50, 12, 0.2});
  const ShapeRaster border = drawn(ShapeKind::Square, {0.0, 50, 12, 0.2});
  EXPECT_EQ(inside.area, border.area);
  EXPECT_LT(border.origin.x, 0);
  // Clipped to a canvas, about half of it remains.
  const int shown = cv::countNonZero(onCanvas(border, 100));
  EXPECT_GT(shown, inside.area / 3);
  EXPECT_LT(shown, 2 * inside.area / 3);
}

TEST(WorldShapesTest, DistractorFormsComeFromTheGenerator) {
  WorldRng a(7), b(7);
  const ShapeForm fa = drawForm(ShapeKind::Blob, a), fb = drawForm(ShapeKind::Blob, b);
  EXPECT_EQ(fa.params, fb.params);
  WorldRng c(8);
  EXPECT_NE(fa.params, drawForm(ShapeKind::Blob, c).params);
  // Blobs are elongated: no class shape is.
  EXPECT_GE(fa.params[0], 1.7);
}

}  // namespace
}  // namespace distillery::world
