#include "widgets/canvas/pyramid_painter.h"

#include <algorithm>
#include <cmath>

namespace distillery {
namespace {

// Integer target edges: neighbouring tiles share them exactly, so no seams show.
QRect snapped(const QRectF& r) {
  const QPoint topLeft(int(std::lround(r.left())), int(std::lround(r.top())));
  const QPoint bottomRight(int(std::lround(r.right())), int(std::lround(r.bottom())));
  return QRect(topLeft, bottomRight - QPoint(1, 1));
}

}  // namespace

int paintPyramid(QPainter& painter, const ImagePyramid& pyramid, const ViewTransform& view,
                 const QRectF& visibleImage, const TileSource& source) {
  if (visibleImage.isEmpty()) return 0;
  const double dpr = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
  const int levelIndex = view.pyramidLevel(pyramid.levelCount(), dpr);
  const PyramidLevel& level = pyramid.level(levelIndex);
  const QSize image = pyramid.imageSize();
  // Visible part in this level's pixels, then in tiles.
  const double sx = double(level.size.width()) / image.width();
  const double sy = double(level.size.height()) / image.height();
  const int t = ImagePyramid::kTileSize;
  const int c0 = std::max(0, int(std::floor(visibleImage.left() * sx / t)));
  const int r0 = std::max(0, int(std::floor(visibleImage.top() * sy / t)));
  const int c1 = std::min(level.columns - 1, int(std::floor(visibleImage.right() * sx / t)));
  const int r1 = std::min(level.rows - 1, int(std::floor(visibleImage.bottom() * sy / t)));
  // Downscaling (zoomed out) filters; zoomed in, image pixels stay crisp squares.
  painter.setRenderHint(QPainter::SmoothPixmapTransform, view.scale() * dpr < 1.0);
  int drawn = 0;
  for (int r = r0; r <= r1; ++r) {
    for (int c = c0; c <= c1; ++c) {
      const QRect target = snapped(view.toView(pyramid.tileImageRect(levelIndex, c, r)));
      if (target.isEmpty()) continue;
      if (source) {
        painter.drawImage(target, source(levelIndex, c, r));
      } else {
        painter.drawImage(target, level.tile(c, r));
      }
      ++drawn;
    }
  }
  return drawn;
}

}  // namespace distillery
