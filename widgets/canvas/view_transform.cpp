#include "widgets/canvas/view_transform.h"

#include <algorithm>
#include <cmath>

namespace distillery {

void ViewTransform::set(double scale, QPointF offset) {
  scale_ = std::clamp(scale, kMinScale, kMaxScale);
  offset_ = offset;
}

QRectF ViewTransform::toView(const QRectF& image) const {
  return QRectF(toView(image.topLeft()), toView(image.bottomRight()));
}

QRectF ViewTransform::toImage(const QRectF& view) const {
  return QRectF(toImage(view.topLeft()), toImage(view.bottomRight()));
}

QTransform ViewTransform::imageToView() const {
  return QTransform(scale_, 0, 0, scale_, offset_.x(), offset_.y());
}

void ViewTransform::zoomAt(QPointF viewPoint, double factor) {
  const QPointF anchor = toImage(viewPoint);
  scale_ = std::clamp(scale_ * factor, kMinScale, kMaxScale);
  offset_ = viewPoint - anchor * scale_;
}

double ViewTransform::fitScale(QSize imageSize, QSize viewSize) {
  if (imageSize.isEmpty() || viewSize.isEmpty()) return 1.0;
  const double sx = double(viewSize.width()) / imageSize.width();
  const double sy = double(viewSize.height()) / imageSize.height();
  return std::clamp(std::min(sx, sy), kMinScale, kMaxScale);
}

void ViewTransform::fit(QSize imageSize, QSize viewSize) {
  scale_ = fitScale(imageSize, viewSize);
  offset_ = QPointF((viewSize.width() - imageSize.width() * scale_) / 2.0,
                    (viewSize.height() - imageSize.height() * scale_) / 2.0);
}

int ViewTransform::pyramidLevel(int levelCount, double devicePixelRatio) const {
  const double scale = scale_ * devicePixelRatio;
  if (levelCount <= 1 || scale >= 1.0) return 0;
  // Level L is fine enough while scale * 2^L <= 1, i.e. L <= log2(1/scale).
  const int level = int(std::floor(std::log2(1.0 / scale) + 1e-9));
  return std::clamp(level, 0, levelCount - 1);
}

}  // namespace distillery
