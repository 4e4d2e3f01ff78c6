#include "widgets/canvas/display_tile_cache.h"

#include "tests/widgets/canvas_fixture.h"
#include "widgets/tools/brush_tool.h"

namespace distillery {
namespace {

class DisplayTileCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pyramid = ImagePyramid::build(cv::Mat(1024, 1536, CV_8UC3, cv::Scalar(0, 0, 0)));  // 3x2 tiles
    cache.setPyramid(pyramid);
    OverlayInstance red = test::squareInstance(1, 100, 100, 50);  // in tile (0, 0) only
    red.classColor = QColor(255, 0, 0);
    layer.setInstances({red});
    layer.takeDirtyRects();
    style.opacity = 1.0;
  }
  std::shared_ptr<const ImagePyramid> pyramid;
  DisplayTileCache cache;
  OverlayLayer layer;
  OverlayStyle style;
};

TEST_F(DisplayTileCacheTest, FillsAreCompositedOnceAndPlainTilesAreShared) {
  const QImage composed = cache.tile(0, 0, 0, layer, style);
  EXPECT_EQ(composed.pixel(120, 120), qRgb(255, 0, 0));
  EXPECT_EQ(composed.pixel(10, 10), qRgb(0, 0, 0));
  cache.tile(0, 0, 0, layer, style);
  EXPECT_EQ(cache.builds(), 1);
  // No instance reaches tile (2, 1): the pyramid's own tile, no copy.
  EXPECT_EQ(cache.tile(0, 2, 1, layer, style).cacheKey(), pyramid->level(0).tile(2, 1).cacheKey());
  EXPECT_EQ(cache.builds(), 1);
  // Outline-only: no fills anywhere.
  style.outlineOnly = true;
  EXPECT_EQ(cache.tile(0, 0, 0, layer, style).pixel(120, 120), qRgb(0, 0, 0));
}

TEST_F(DisplayTileCacheTest, ChangedInstancesInvalidateOnlyTheirTiles) {
  cache.tile(0, 0, 0, layer, style);
  cache.tile(1, 0, 0, layer, style);
  ASSERT_EQ(cache.cachedTiles(), 2);
  // A new instance far away (tile (2, 1) at level 0, (1, 0) at level 1) leaves both alone.
  layer.upsert(test::squareInstance(2, 1200, 800, 20));
  for (const QRect& r : layer.takeDirtyRects()) cache.invalidate(r);
  EXPECT_EQ(cache.cachedTiles(), 2);
  EXPECT_NE(cache.tile(0, 2, 1, layer, style).pixel(1210 - 1024, 810 - 512), qRgb(0, 0, 0));
  EXPECT_EQ(cache.builds(), 3);
  // Selecting the red one changes its look: its tiles at every level go, the far one stays.
  layer.setSelected(1);
  for (const QRect& r : layer.takeDirtyRects()) cache.invalidate(r);
  EXPECT_EQ(cache.cachedTiles(), 1);
  cache.tile(0, 2, 1, layer, style);
  EXPECT_EQ(cache.builds(), 3);
}

using CanvasTilesTest = test::CanvasTest;

TEST_F(CanvasTilesTest, AStrokeShowsInTheNextFrame) {
  loadZoomed();
  OverlayInstance square = test::squareInstance(3, 100, 100, 40);
  square.classColor = QColor(0, 255, 0);
  canvas->setInstances({square});
  canvas->setOverlayOpacity(1.0);
  canvas->selectInstance(3);
  const QPoint probe = at(QPointF(170, 120));
  const QRgb before = canvas->grab().toImage().pixel(probe);
  key(Qt::Key_B);
  canvas->brushTool()->setBrushSize(10);
  drag({QPointF(130, 120), QPointF(180, 120)});
  const QRgb after = canvas->grab().toImage().pixel(probe);
  EXPECT_NE(before, after);
  EXPECT_EQ(after, qRgb(0, 255, 0));
  // Undo through the app would apply the old patch: the frame follows again.
  canvas->applyMaskPatch(3, QPoint(140, 100), cv::Mat::zeros(40, 60, CV_8U));
  EXPECT_EQ(canvas->grab().toImage().pixel(probe), before);
}

}  // namespace
}  // namespace distillery
