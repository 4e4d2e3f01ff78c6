// The instances drawn over the image, with a per-instance cache that is rebuilt only when
// that instance's mask, outline or colour changes: a tight mask crop, its outline polygons
// and colourised fill images per pyramid level (built lazily, on first paint at that level).
// Fills carry their opacity in their alpha: QPainter's opacity on a scaled image takes a
// generic path about five times slower than a plain premultiplied blend.
#pragma once

#include <QColor>
#include <QImage>
#include <QPolygonF>
#include <QRect>
#include <QSize>
#include <vector>

#include "widgets/canvas/overlay_instance.h"

namespace distillery {

class OverlayLayer {
 public:
  struct Entry {
    OverlayInstance instance;        // mask replaced by its tight crop (0/255), maskOrigin adjusted
    QRect bounds;                    // image pixels covered by the crop
    QColor color;                    // class colour or the stable id colour
    std::vector<QPolygonF> outline;  // closed polygons, image coordinates
    QRectF outlineBounds;
    bool rasterised = false;            // the mask came from the outline polygon
    mutable std::vector<QImage> fills;  // index = pyramid level; null until first needed
    mutable double fillOpacity = -1;    // the opacity baked into `fills`
  };

  // Polygon-only instances are rasterised within this size (unknown: unclipped).
  void setImageSize(QSize size) { imageSize_ = size; }

  // Replaces the list; instances whose mask, outline and colour are unchanged keep their cache.
  // List order is paint order: the last instance is on top.
  void setInstances(std::vector<OverlayInstance> instances);
  // Adds the instance, or replaces the one with the same id (keeping its place).
  void upsert(OverlayInstance instance);
  bool remove(qint64 id);
  void clear();
  // Writes `patch` (CV_8U at `origin`, image pixels) into an instance's mask.
  bool applyMaskPatch(qint64 id, QPoint origin, const cv::Mat& patch);
  // Marks one instance selected (kNone: none). Returns false for an unknown id.
  bool setSelected(qint64 id);
  qint64 selectedId() const;

  int size() const { return int(entries_.size()); }
  const Entry& entry(int index) const { return entries_[size_t(index)]; }
  const OverlayInstance* find(qint64 id) const;
  // The topmost instance whose mask covers the pixel at `imagePoint`, or kNone.
  qint64 topmostAt(QPointF imagePoint) const;
  // `rect` (image pixels) of an instance's mask as 0/255; zeros for an unknown id.
  cv::Mat maskRegion(qint64 id, const QRect& rect) const;
  // The instance's fill at a pyramid level: premultiplied ARGB, alpha = coverage * opacity.
  const QImage& fill(int index, int level, double opacity = 1.0) const;

  // How many instance caches were built so far (tests check that unchanged ones are kept).
  int cacheBuilds() const { return cacheBuilds_; }
  // Image rectangles whose drawn fills changed since the last call (composited tiles there
  // are stale): changed masks, colours, order, selection or review status.
  std::vector<QRect> takeDirtyRects();

 private:
  Entry makeEntry(OverlayInstance instance);
  static bool sameGeometry(const Entry& cached, const OverlayInstance& incoming, QColor color);
  int indexOf(qint64 id) const;
  void markDirty(const Entry& e);

  std::vector<Entry> entries_;
  std::vector<QRect> dirty_;
  QSize imageSize_;
  int cacheBuilds_ = 0;
};

}  // namespace distillery
