#include "widgets/tools/mask_paint_tool.h"

#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "widgets/canvas/image_canvas.h"
#include "widgets/canvas/instance_colors.h"

namespace distillery {
namespace {

constexpr int kShift = 3;  // OpenCV drawing with 1/8-pixel precision
constexpr double kOne = 1 << kShift;

// Image coordinates (pixel i covers [i, i+1)) to OpenCV's fixed point (pixel i centred at i).
cv::Point fixedPoint(QPointF p, QPoint origin) {
  return cv::Point(int(std::lround((p.x() - origin.x() - 0.5) * kOne)),
                   int(std::lround((p.y() - origin.y() - 0.5) * kOne)));
}

}  // namespace

MaskPaintTool::MaskPaintTool(QString name, Mode mode, ImageCanvas* canvas)
    : AbstractTool(std::move(name), canvas), mode_(mode) {}

void MaskPaintTool::setBrushSize(int pixels) {
  const int next = std::clamp(pixels, kMinSize, kMaxSize);
  if (next == size_) return;
  size_ = next;
  repaint();
  emit brushSizeChanged(size_);
}

void MaskPaintTool::growBrush() {
  setBrushSize(std::max(size_ + 1, int(std::lround(size_ * 1.25))));
}
void MaskPaintTool::shrinkBrush() {
  setBrushSize(std::min(size_ - 1, int(std::lround(size_ / 1.25))));
}

void MaskPaintTool::mousePressed(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton || canvas()->imageSize().isEmpty()) return;
  target_ = canvas()->selectedInstance();
  if (mode_ == Mode::Erase && target_ == OverlayInstance::kNone) {
    emit message(tr("Select an instance to erase from"));
    return;
  }
  stroking_ = true;
  stroke_ = {event.imagePos};
  repaint();
}

void MaskPaintTool::mouseMoved(const ToolMouseEvent& event) {
  hover_ = event.imagePos;
  hovering_ = true;
  if (stroking_ && (event.buttons & Qt::LeftButton)) stroke_.push_back(event.imagePos);
  repaint();
}

void MaskPaintTool::mouseReleased(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton || !stroking_) return;
  stroke_.push_back(event.imagePos);
  finishStroke();
}

void MaskPaintTool::hoverLeft() {
  hovering_ = false;
  repaint();
}

bool MaskPaintTool::keyPressed(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_BracketRight:
      growBrush();
      return true;
    case Qt::Key_BracketLeft:
      shrinkBrush();
      return true;
    case Qt::Key_Escape:
      if (!stroking_) return false;
      cancel();
      return true;
    default:
      return false;
  }
}

bool MaskPaintTool::controlWheel(QWheelEvent* event) {
  const int notches = event->angleDelta().y();
  if (notches > 0) growBrush();
  if (notches < 0) shrinkBrush();
  return true;
}

void MaskPaintTool::cancel() {
  stroking_ = false;
  stroke_.clear();
  repaint();
}

QRect MaskPaintTool::strokeRect() const {
  double x0 = stroke_.front().x(), x1 = x0, y0 = stroke_.front().y(), y1 = y0;
  for (const QPointF& p : stroke_) {
    x0 = std::min(x0, p.x());
    x1 = std::max(x1, p.x());
    y0 = std::min(y0, p.y());
    y1 = std::max(y1, p.y());
  }
  const double r = size_ / 2.0 + 1.0;
  const QRect box(QPoint(int(std::floor(x0 - r)), int(std::floor(y0 - r))),
                  QPoint(int(std::ceil(x1 + r)), int(std::ceil(y1 + r))));
  return box.intersected(QRect(QPoint(0, 0), canvas()->imageSize()));
}

cv::Mat MaskPaintTool::rasterise(const QRect& rect) const {
  cv::Mat coverage = cv::Mat::zeros(rect.height(), rect.width(), CV_8U);
  const int radius = std::max(0, int(std::lround(size_ / 2.0 * kOne)));
  for (size_t i = 0; i < stroke_.size(); ++i) {
    const cv::Point p = fixedPoint(stroke_[i], rect.topLeft());
    cv::circle(coverage, p, radius, 255, cv::FILLED, cv::LINE_8, kShift);
    if (i > 0)
      cv::line(coverage, fixedPoint(stroke_[i - 1], rect.topLeft()), p, 255, size_, cv::LINE_8,
               kShift);
  }
  return coverage;
}

void MaskPaintTool::finishStroke() {
  const QRect rect = strokeRect();
  const qint64 target = target_;
  cv::Mat coverage;
  if (!rect.isEmpty()) coverage = rasterise(rect);
  cancel();
  if (coverage.empty() || cv::countNonZero(coverage) == 0) return;
  if (target == OverlayInstance::kNone) {  // brush without a selection: a new instance
    const QSize size = canvas()->imageSize();
    cv::Mat mask = cv::Mat::zeros(size.height(), size.width(), CV_8U);
    coverage.copyTo(mask(cv::Rect(rect.x(), rect.y(), rect.width(), rect.height())));
    emit maskCommitted(mask);
    return;
  }
  if (!canvas()->overlays().find(target)) {  // removed while the stroke was drawn
    emit message(tr("The instance was removed; the stroke was dropped"));
    return;
  }
  MaskPatch patch;
  patch.origin = rect.topLeft();
  patch.before = canvas()->overlays().maskRegion(target, rect);
  if (mode_ == Mode::Paint) {
    cv::bitwise_or(patch.before, coverage, patch.after);
  } else {
    cv::bitwise_and(patch.before, ~coverage, patch.after);
  }
  if (cv::countNonZero(patch.before != patch.after) == 0) return;  // nothing changed
  canvas()->applyMaskPatch(target, patch.origin, patch.after);
  emit strokeCommitted(target, patch);
}

void MaskPaintTool::paintOverlay(QPainter& painter, const ViewTransform& view) const {
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  const double width = std::max(1.0, size_ * view.scale());
  if (stroking_ && !stroke_.empty()) {
    QColor color(30, 30, 30, 150);  // eraser: darkens what it will remove
    if (mode_ == Mode::Paint) {
      const OverlayInstance* target = canvas()->overlays().find(target_);
      color = target && target->classColor.isValid() ? target->classColor
                                                     : stableInstanceColor(target_);
      color.setAlpha(140);
    }
    QPainterPath path(view.toView(stroke_.front()));
    for (const QPointF& p : stroke_) path.lineTo(view.toView(p));
    painter.setPen(QPen(color, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(path);
  }
  if (hovering_) {
    const QPointF c = view.toView(hover_);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(Qt::black, 3.0));
    painter.drawEllipse(c, width / 2, width / 2);
    painter.setPen(QPen(mode_ == Mode::Paint ? Qt::white : QColor(255, 120, 120), 1.5));
    painter.drawEllipse(c, width / 2, width / 2);
  }
  painter.restore();
}

}  // namespace distillery
