// The mapping between image pixels and view (widget) pixels: view = image * scale + offset.
// Zoom keeps a chosen view point fixed; fit centres the whole image. Pure math, no widget.
#pragma once

#include <QPointF>
#include <QRectF>
#include <QSize>
#include <QTransform>

namespace distillery {

class ViewTransform {
 public:
  static constexpr double kMinScale = 1.0 / 256.0;
  static constexpr double kMaxScale = 64.0;

  double scale() const { return scale_; }
  QPointF offset() const { return offset_; }
  void set(double scale, QPointF offset);

  QPointF toView(QPointF image) const { return image * scale_ + offset_; }
  QPointF toImage(QPointF view) const { return (view - offset_) / scale_; }
  QRectF toView(const QRectF& image) const;
  QRectF toImage(const QRectF& view) const;
  QTransform imageToView() const;

  // Multiplies the scale by `factor` (clamped), keeping the image point under `viewPoint` fixed.
  void zoomAt(QPointF viewPoint, double factor);
  void panBy(QPointF viewDelta) { offset_ += viewDelta; }
  // Largest scale at which the whole image fits the view, image centred.
  void fit(QSize imageSize, QSize viewSize);
  static double fitScale(QSize imageSize, QSize viewSize);

  // Pyramid level whose resolution is the smallest one still at least as fine as the view:
  // level L holds the image downsampled by 2^L. Capped at `levelCount - 1`. On high-DPI
  // screens a view pixel is `devicePixelRatio` device pixels.
  int pyramidLevel(int levelCount, double devicePixelRatio = 1.0) const;

 private:
  double scale_ = 1.0;
  QPointF offset_;
};

}  // namespace distillery
