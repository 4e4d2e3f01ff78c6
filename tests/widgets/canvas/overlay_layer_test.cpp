#include "widgets/canvas/overlay_layer.h"

#include <gtest/gtest.h>

#include "tests/widgets/canvas_fixture.h"

namespace distillery {
namespace {

using test::squareInstance;

TEST(OverlayLayerTest, TopmostIsTheLastInTheList) {
  OverlayLayer layer;
  layer.setInstances({squareInstance(1, 10, 10, 20), squareInstance(2, 20, 20, 20)});
  EXPECT_EQ(layer.topmostAt(QPointF(25.5, 25.5)), 2);  // overlap: the later one
  EXPECT_EQ(layer.topmostAt(QPointF(12, 12)), 1);
  EXPECT_EQ(layer.topmostAt(QPointF(5, 5)), OverlayInstance::kNone);
  EXPECT_EQ(layer.topmostAt(QPointF(39.9, 39.9)), 2);
  EXPECT_EQ(layer.topmostAt(QPointF(40.0, 40.0)), OverlayInstance::kNone);  // pixel 40 is outside
}

TEST(OverlayLayerTest, HitTestFollowsTheMaskNotTheBox) {
  OverlayInstance ring = squareInstance(7, 0, 0, 30);
  ring.mask(cv::Rect(10, 10, 10, 10)).setTo(0);
  OverlayLayer layer;
  layer.setInstances({squareInstance(3, 12, 12, 5), ring});
  EXPECT_EQ(layer.topmostAt(QPointF(14, 14)), 3);  // through the hole of the ring on top
}

TEST(OverlayLayerTest, UnchangedInstancesKeepTheirCache) {
  OverlayLayer layer;
  layer.setInstances({squareInstance(1, 0, 0, 10), squareInstance(2, 50, 50, 10)});
  EXPECT_EQ(layer.cacheBuilds(), 2);
  // Same geometry, new score/selection/review and even a full-size copy of the mask: kept.
  OverlayInstance again = squareInstance(2, 50, 50, 10);
  again.score = 0.5;
  again.selected = true;
  OverlayInstance fullSize = squareInstance(1, 0, 0, 10);
  fullSize.mask = cv::Mat::zeros(100, 100, CV_8U);
  fullSize.mask(cv::Rect(0, 0, 10, 10)).setTo(1);
  fullSize.maskOrigin = QPoint();
  layer.setInstances({fullSize, again});
  EXPECT_EQ(layer.cacheBuilds(), 2);
  EXPECT_DOUBLE_EQ(layer.find(2)->score, 0.5);
  EXPECT_EQ(layer.selectedId(), 2);
  // A changed mask is rebuilt, only that one.
  OverlayInstance moved = squareInstance(1, 1, 0, 10);
  layer.setInstances({moved, again});
  EXPECT_EQ(layer.cacheBuilds(), 3);
  EXPECT_EQ(layer.topmostAt(QPointF(10.5, 5)), 1);
}

TEST(OverlayLayerTest, FillsAreBuiltOncePerLevel) {
  OverlayLayer layer;
  layer.setInstances({squareInstance(1, 0, 0, 64)});
  const QImage& full = layer.fill(0, 0);
  EXPECT_EQ(full.size(), QSize(64, 64));
  EXPECT_EQ(qAlpha(full.pixel(10, 10)), 255);
  const QImage& quarter = layer.fill(0, 2);
  EXPECT_EQ(quarter.size(), QSize(16, 16));
  EXPECT_EQ(layer.fill(0, 2).cacheKey(), quarter.cacheKey());  // cached, not rebuilt
  // The opacity is baked in: another opacity is another image.
  EXPECT_EQ(qAlpha(layer.fill(0, 0, 0.5).pixel(10, 10)), 128);
}

TEST(OverlayLayerTest, PolygonOnlyInstancesAreRasterised) {
  OverlayInstance polygon;
  polygon.id = 9;
  polygon.outline = QPolygonF({QPointF(10, 10), QPointF(30, 10), QPointF(30, 30), QPointF(10, 30)});
  OverlayLayer layer;
  layer.setImageSize(QSize(100, 100));
  layer.upsert(polygon);
  EXPECT_EQ(layer.topmostAt(QPointF(20, 20)), 9);
  EXPECT_EQ(layer.topmostAt(QPointF(35, 20)), OverlayInstance::kNone);
  ASSERT_EQ(layer.entry(0).outline.size(), 1u);
  EXPECT_EQ(layer.entry(0).outline[0], polygon.outline);
}

TEST(OverlayLayerTest, MaskPatchEditsAndGrowsTheMask) {
  OverlayLayer layer;
  layer.setInstances({squareInstance(4, 10, 10, 10)});
  cv::Mat patch = cv::Mat::zeros(10, 20, CV_8U);
  patch(cv::Rect(10, 0, 10, 10)).setTo(255);  // extends it to the right, erases its left half
  ASSERT_TRUE(layer.applyMaskPatch(4, QPoint(5, 10), patch));
  EXPECT_EQ(layer.topmostAt(QPointF(12, 12)), OverlayInstance::kNone);
  EXPECT_EQ(layer.topmostAt(QPointF(22, 12)), 4);
  EXPECT_EQ(layer.entry(0).bounds, QRect(15, 10, 10, 10));
  EXPECT_FALSE(layer.applyMaskPatch(99, QPoint(), patch));
}

TEST(OverlayLayerTest, SelectionIsExclusive) {
  OverlayLayer layer;
  layer.setInstances({squareInstance(1, 0, 0, 5), squareInstance(2, 10, 0, 5)});
  EXPECT_TRUE(layer.setSelected(1));
  EXPECT_TRUE(layer.setSelected(2));
  EXPECT_FALSE(layer.find(1)->selected);
  EXPECT_EQ(layer.selectedId(), 2);
  EXPECT_FALSE(layer.setSelected(42));
  EXPECT_EQ(layer.selectedId(), 2);
  EXPECT_TRUE(layer.setSelected(OverlayInstance::kNone));
  EXPECT_EQ(layer.selectedId(), OverlayInstance::kNone);
}

}  // namespace
}  // namespace distillery
