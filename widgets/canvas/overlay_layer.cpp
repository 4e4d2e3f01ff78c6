#include "widgets/canvas/overlay_layer.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "widgets/canvas/instance_colors.h"
#include "widgets/canvas/mask_patch.h"
#include "widgets/canvas/mask_polygon.h"

namespace distillery {
namespace {

QColor colorOf(const OverlayInstance& instance) {
  return instance.classColor.isValid() ? instance.classColor : stableInstanceColor(instance.id);
}

// The tight crop of the instance's mask (0/255) and its origin; rasterises the outline
// when there is no mask.
cv::Mat tightCrop(const OverlayInstance& instance, QSize imageSize, QPoint* origin) {
  if (instance.mask.empty()) {
    const QSize limit = imageSize.isEmpty() ? QSize(1 << 20, 1 << 20) : imageSize;
    return polygonToMaskCrop(instance.outline, limit, origin);
  }
  const QRect local = nonZeroBounds(instance.mask);
  *origin = instance.maskOrigin + local.topLeft();
  if (local.isEmpty()) return {};
  return cropMask(instance.mask, instance.maskOrigin, local.translated(instance.maskOrigin));
}

std::vector<QPolygonF> outlinePolygons(const OverlayInstance& instance, const cv::Mat& crop,
                                       QPoint origin) {
  if (!instance.outline.isEmpty()) return {instance.outline};
  // Contours run through pixel indices; +0.5 puts them on pixel centres.
  std::vector<QPolygonF> polygons = maskToPolygons(crop, origin, 0.7);
  for (QPolygonF& polygon : polygons) polygon.translate(0.5, 0.5);
  return polygons;
}

QImage colorise(const cv::Mat& coverage, QColor color, double opacity) {
  QImage out(coverage.cols, coverage.rows, QImage::Format_ARGB32_Premultiplied);
  // Premultiplied BGRA in memory: alpha = coverage * opacity, each colour channel alpha * colour.
  std::vector<cv::Mat> planes(4);
  coverage.convertTo(planes[0], CV_8U, opacity * color.blueF());
  coverage.convertTo(planes[1], CV_8U, opacity * color.greenF());
  coverage.convertTo(planes[2], CV_8U, opacity * color.redF());
  coverage.convertTo(planes[3], CV_8U, opacity);
  cv::Mat target(coverage.rows, coverage.cols, CV_8UC4, out.bits(), size_t(out.bytesPerLine()));
  cv::merge(planes, target);
  return out;
}

}  // namespace

OverlayLayer::Entry OverlayLayer::makeEntry(OverlayInstance instance) {
  ++cacheBuilds_;
  Entry e;
  QPoint origin;
  cv::Mat crop = tightCrop(instance, imageSize_, &origin);
  e.rasterised = instance.mask.empty();
  e.color = colorOf(instance);
  e.outline = outlinePolygons(instance, crop, origin);
  for (const QPolygonF& polygon : e.outline) e.outlineBounds |= polygon.boundingRect();
  e.bounds = crop.empty() ? QRect() : QRect(origin, QSize(crop.cols, crop.rows));
  instance.mask = crop;
  instance.maskOrigin = origin;
  e.instance = std::move(instance);
  return e;
}

bool OverlayLayer::sameGeometry(const Entry& cached, const OverlayInstance& incoming,
                                QColor color) {
  if (cached.color != color || cached.instance.outline != incoming.outline) return false;
  if (incoming.mask.empty()) return cached.rasterised;  // same outline, same raster
  const QRect local = nonZeroBounds(incoming.mask);
  if (local.translated(incoming.maskOrigin) != cached.bounds) return false;
  if (local.isEmpty()) return true;
  const cv::Mat crop = cropMask(incoming.mask, incoming.maskOrigin, cached.bounds);
  return cv::countNonZero(crop != cached.instance.mask) == 0;
}

void OverlayLayer::setInstances(std::vector<OverlayInstance> instances) {
  std::vector<Entry> next;
  next.reserve(instances.size());
  for (auto& incoming : instances) {
    const int old = indexOf(incoming.id);
    if (old >= 0 && sameGeometry(entries_[size_t(old)], incoming, colorOf(incoming))) {
      Entry kept = std::move(entries_[size_t(old)]);
      const bool restyled =
          kept.instance.selected != incoming.selected || kept.instance.review != incoming.review;
      if (restyled || size_t(old) != next.size()) markDirty(kept);  // new look or new stacking
      cv::Mat crop = kept.instance.mask;
      const QPoint origin = kept.instance.maskOrigin;
      kept.instance = std::move(incoming);  // score, source, review, selected may change
      kept.instance.mask = crop;
      kept.instance.maskOrigin = origin;
      entries_[size_t(old)].instance.id = OverlayInstance::kNone;  // not matched twice
      next.push_back(std::move(kept));
    } else {
      next.push_back(makeEntry(std::move(incoming)));
      markDirty(next.back());
    }
  }
  for (const Entry& gone : entries_)
    if (gone.instance.id != OverlayInstance::kNone) markDirty(gone);  // removed or replaced
  entries_ = std::move(next);
}

void OverlayLayer::upsert(OverlayInstance instance) {
  const int i = indexOf(instance.id);
  if (i < 0) {
    entries_.push_back(makeEntry(std::move(instance)));
    markDirty(entries_.back());
  } else {
    markDirty(entries_[size_t(i)]);
    entries_[size_t(i)] = makeEntry(std::move(instance));
    markDirty(entries_[size_t(i)]);
  }
}

void OverlayLayer::clear() {
  for (const Entry& e : entries_) markDirty(e);
  entries_.clear();
}

bool OverlayLayer::remove(qint64 id) {
  const int i = indexOf(id);
  if (i < 0) return false;
  markDirty(entries_[size_t(i)]);
  entries_.erase(entries_.begin() + i);
  return true;
}

bool OverlayLayer::applyMaskPatch(qint64 id, QPoint origin, const cv::Mat& patch) {
  const int i = indexOf(id);
  if (i < 0) return false;
  OverlayInstance instance = entries_[size_t(i)].instance;
  pasteMask(instance.mask, instance.maskOrigin, patch, origin);
  instance.outline.clear();  // the mask changed: its outline is the mask's contour now
  markDirty(entries_[size_t(i)]);
  entries_[size_t(i)] = makeEntry(std::move(instance));
  markDirty(entries_[size_t(i)]);
  return true;
}

bool OverlayLayer::setSelected(qint64 id) {
  if (id != OverlayInstance::kNone && indexOf(id) < 0) return false;
  for (auto& e : entries_) {
    const bool selected = e.instance.id == id;
    if (selected != e.instance.selected) markDirty(e);
    e.instance.selected = selected;
  }
  return true;
}

qint64 OverlayLayer::selectedId() const {
  for (const auto& e : entries_)
    if (e.instance.selected) return e.instance.id;
  return OverlayInstance::kNone;
}

const OverlayInstance* OverlayLayer::find(qint64 id) const {
  const int i = indexOf(id);
  return i < 0 ? nullptr : &entries_[size_t(i)].instance;
}

qint64 OverlayLayer::topmostAt(QPointF imagePoint) const {
  const QPoint pixel(int(std::floor(imagePoint.x())), int(std::floor(imagePoint.y())));
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (!it->bounds.contains(pixel)) continue;
    const QPoint local = pixel - it->instance.maskOrigin;
    if (it->instance.mask.at<uchar>(local.y(), local.x()) != 0) return it->instance.id;
  }
  return OverlayInstance::kNone;
}

cv::Mat OverlayLayer::maskRegion(qint64 id, const QRect& rect) const {
  const OverlayInstance* instance = find(id);
  if (!instance) return cv::Mat::zeros(rect.height(), rect.width(), CV_8U);
  return cropMask(instance->mask, instance->maskOrigin, rect);
}

const QImage& OverlayLayer::fill(int index, int level, double opacity) const {
  const Entry& e = entries_[size_t(index)];
  if (std::abs(opacity - e.fillOpacity) > 1e-6) {
    e.fills.clear();
    e.fillOpacity = opacity;
  }
  if (e.fills.size() <= size_t(level)) e.fills.resize(size_t(level) + 1);
  QImage& cached = e.fills[size_t(level)];
  if (cached.isNull() && !e.instance.mask.empty()) {
    cv::Mat coverage = e.instance.mask;
    if (level > 0) {
      const int f = 1 << level;
      const cv::Size small(std::max(1, (coverage.cols + f - 1) / f),
                           std::max(1, (coverage.rows + f - 1) / f));
      cv::resize(e.instance.mask, coverage, small, 0, 0, cv::INTER_AREA);  // coverage -> alpha
    }
    cached = colorise(coverage, e.color, opacity);
  }
  return cached;
}

void OverlayLayer::markDirty(const Entry& e) {
  if (!e.bounds.isEmpty()) dirty_.push_back(e.bounds);
}

std::vector<QRect> OverlayLayer::takeDirtyRects() {
  std::vector<QRect> out;
  out.swap(dirty_);
  return out;
}

int OverlayLayer::indexOf(qint64 id) const {
  for (size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].instance.id == id) return int(i);
  return -1;
}

}  // namespace distillery
