#include "widgets/canvas/display_tile_cache.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

namespace distillery {
namespace {

constexpr int kMaxFillLevel = 12;

quint64 keyOf(int level, int column, int row) {
  return (quint64(level) << 48) | (quint64(row) << 24) | quint64(column);
}

}  // namespace

DisplayTileCache::DisplayTileCache(qint64 maxBytes) : cache_(maxBytes / 1024) {}

void DisplayTileCache::setPyramid(std::shared_ptr<const ImagePyramid> pyramid) {
  pyramid_ = std::move(pyramid);
  cache_.clear();
}

void DisplayTileCache::invalidate(const QRect& imageRect) {
  if (!pyramid_ || imageRect.isEmpty() || cache_.isEmpty()) return;
  const QSize image = pyramid_->imageSize();
  const int t = ImagePyramid::kTileSize;
  for (int l = 0; l < pyramid_->levelCount(); ++l) {
    const PyramidLevel& level = pyramid_->level(l);
    const double sx = double(level.size.width()) / image.width();
    const double sy = double(level.size.height()) / image.height();
    const int c0 = std::max(0, int(std::floor(imageRect.left() * sx / t)));
    const int r0 = std::max(0, int(std::floor(imageRect.top() * sy / t)));
    const int c1 = std::min(level.columns - 1, int(std::floor((imageRect.right() + 1) * sx / t)));
    const int r1 = std::min(level.rows - 1, int(std::floor((imageRect.bottom() + 1) * sy / t)));
    for (int r = r0; r <= r1; ++r)
      for (int c = c0; c <= c1; ++c) cache_.remove(keyOf(l, c, r));
  }
}

QImage DisplayTileCache::tile(int level, int column, int row, const OverlayLayer& layer,
                              const OverlayStyle& style) {
  const QImage& plain = pyramid_->level(level).tile(column, row);
  if (style.outlineOnly || layer.size() == 0) return plain;
  if (const QImage* cached = cache_.object(keyOf(level, column, row))) return *cached;
  const QRectF area = pyramid_->tileImageRect(level, column, row);
  bool reached = false;
  for (int i = 0; i < layer.size() && !reached; ++i)
    reached = QRectF(layer.entry(i).bounds).intersects(area);
  if (!reached) return plain;
  QImage composed = compose(level, column, row, layer, style);
  cache_.insert(keyOf(level, column, row), new QImage(composed),
                int(composed.sizeInBytes() / 1024));
  return composed;
}

QImage DisplayTileCache::compose(int level, int column, int row, const OverlayLayer& layer,
                                 const OverlayStyle& style) {
  ++builds_;
  QImage out = pyramid_->level(level).tile(column, row).copy();
  const QRectF area = pyramid_->tileImageRect(level, column, row);
  // Image pixels -> this tile's pixels.
  const double sx = out.width() / area.width();
  const double sy = out.height() / area.height();
  QPainter painter(&out);
  for (int i = 0; i < layer.size(); ++i) {
    const OverlayLayer::Entry& e = layer.entry(i);
    if (!QRectF(e.bounds).intersects(area)) continue;
    const QImage& fill =
        layer.fill(i, std::min(level, kMaxFillLevel), fillOpacity(e.instance, style));
    if (fill.isNull()) continue;
    const QRectF target((e.bounds.x() - area.x()) * sx, (e.bounds.y() - area.y()) * sy,
                        e.bounds.width() * sx, e.bounds.height() * sy);
    painter.drawImage(target, fill);
  }
  return out;
}

}  // namespace distillery
