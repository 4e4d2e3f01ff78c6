// Pyramid tiles with the instance fills composited in. A frame then costs one blit per
// visible tile however many instances overlap there; drawing 50 scaled, translucent fill
// images per frame instead cost several times more than the image itself. Tiles are made
// on first use (GUI thread, about a millisecond each), kept in an LRU cache, and dropped
// where instances change (OverlayLayer::takeDirtyRects) or when the style changes.
#pragma once

#include <QCache>
#include <QImage>
#include <QRect>
#include <memory>

#include "widgets/canvas/image_pyramid.h"
#include "widgets/canvas/overlay_layer.h"
#include "widgets/canvas/overlay_painter.h"

namespace distillery {

class DisplayTileCache {
 public:
  explicit DisplayTileCache(qint64 maxBytes = qint64(256) << 20);

  // Clears the cache.
  void setPyramid(std::shared_ptr<const ImagePyramid> pyramid);
  // Drops the tiles of every level that show `imageRect`.
  void invalidate(const QRect& imageRect);
  void invalidateAll() { cache_.clear(); }

  // The image tile with the fills of the instances that reach it; the plain tile when none
  // does (or fills are off).
  QImage tile(int level, int column, int row, const OverlayLayer& layer, const OverlayStyle& style);

  int builds() const { return builds_; }
  int cachedTiles() const { return int(cache_.count()); }

 private:
  QImage compose(int level, int column, int row, const OverlayLayer& layer,
                 const OverlayStyle& style);

  std::shared_ptr<const ImagePyramid> pyramid_;
  QCache<quint64, QImage> cache_;  // cost in KiB
  int builds_ = 0;
};

}  // namespace distillery
