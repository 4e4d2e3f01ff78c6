#include "widgets/canvas/overlay_painter.h"

#include <QFontMetrics>
#include <algorithm>

namespace distillery {
namespace {

constexpr int kMaxFillLevel = 12;

Qt::PenStyle outlineStyle(const OverlayInstance& instance) {
  if (instance.review == OverlayReview::Rejected) return Qt::DotLine;
  if (instance.review == OverlayReview::Accepted) return Qt::SolidLine;
  switch (instance.source) {
    case Source::Teacher:
      return Qt::DashLine;
    case Source::Student:
      return Qt::DotLine;
    case Source::Human:
      break;
  }
  return Qt::SolidLine;
}

void paintFill(QPainter& painter, const OverlayLayer& layer, int index, const ViewTransform& view,
               const QRectF& visible, double opacity) {
  const OverlayLayer::Entry& e = layer.entry(index);
  const int level = view.pyramidLevel(
      kMaxFillLevel, painter.device() ? painter.device()->devicePixelRatioF() : 1.0);
  const QImage& fill = layer.fill(index, level, opacity);
  if (fill.isNull()) return;
  // Paint only the visible part: source rectangle in fill pixels, target in view pixels.
  const QRectF part = QRectF(e.bounds).intersected(visible);
  if (part.isEmpty()) return;
  const double sx = double(fill.width()) / e.bounds.width();
  const double sy = double(fill.height()) / e.bounds.height();
  const QPointF local = part.topLeft() - QPointF(e.bounds.topLeft());
  const QRectF source(local.x() * sx, local.y() * sy, part.width() * sx, part.height() * sy);
  // The level's fill is already filtered (INTER_AREA): nearest sampling is enough.
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(view.toView(part), fill, source);
}

void drawOutline(QPainter& painter, const OverlayLayer::Entry& e, const QTransform& toView) {
  for (const QPolygonF& polygon : e.outline) painter.drawPolygon(toView.map(polygon));
}

// 1-pixel pens: wider ones are stroked as polygons, several times slower.
void paintOutline(QPainter& painter, const OverlayLayer::Entry& e, const ViewTransform& view) {
  if (e.outline.empty()) return;
  const OverlayInstance& instance = e.instance;
  const QTransform toView = view.imageToView();
  painter.setBrush(Qt::NoBrush);
  if (instance.selected) {  // the one instance drawn wide: a light halo under a 2-px line
    painter.setPen(
        QPen(QColor(255, 255, 255, 230), 4.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    drawOutline(painter, e, toView);
    painter.setPen(QPen(e.color, 2.0, outlineStyle(instance), Qt::RoundCap, Qt::RoundJoin));
  } else {
    const Qt::PenStyle style = outlineStyle(instance);
    if (style != Qt::SolidLine) {  // dark gaps make dashes readable over any fill
      painter.setPen(QPen(QColor(0, 0, 0, 150), 1.0));
      drawOutline(painter, e, toView);
    }
    QPen pen(e.color.lighter(130), 1.0);
    if (style == Qt::DashLine) pen.setDashPattern({6.0, 4.0});
    if (style == Qt::DotLine) pen.setDashPattern({2.0, 3.0});
    painter.setPen(pen);
  }
  drawOutline(painter, e, toView);
}

void paintScore(QPainter& painter, const OverlayLayer::Entry& e, const ViewTransform& view) {
  const OverlayInstance& instance = e.instance;
  if (instance.source == Source::Human || instance.score < 0 || e.bounds.isEmpty()) return;
  const QString text = QString::number(instance.score, 'f', 2);
  const QFontMetrics metrics(painter.font());
  const QPointF anchor = view.toView(QPointF(e.bounds.topLeft()));
  const QRectF box(anchor.x(), anchor.y() - metrics.height() - 2,
                   metrics.horizontalAdvance(text) + 6, metrics.height() + 2);
  painter.fillRect(box, e.color);
  painter.setPen(e.color.lightness() > 140 ? Qt::black : Qt::white);
  painter.drawText(box, Qt::AlignCenter, text);
}

}  // namespace

double fillOpacity(const OverlayInstance& instance, const OverlayStyle& style) {
  double opacity = style.opacity;
  if (instance.selected) opacity = std::min(1.0, opacity + 0.25);
  if (instance.review == OverlayReview::Rejected) opacity *= 0.3;
  return opacity;
}

void paintOverlays(QPainter& painter, const OverlayLayer& layer, const ViewTransform& view,
                   const QRectF& visibleImage, const OverlayStyle& style, bool fillsComposited) {
  int selected = -1;
  for (int i = 0; i < layer.size(); ++i) {
    const OverlayLayer::Entry& e = layer.entry(i);
    if (!QRectF(e.bounds).intersects(visibleImage) && !e.outlineBounds.intersects(visibleImage))
      continue;
    if (!style.outlineOnly && !fillsComposited)
      paintFill(painter, layer, i, view, visibleImage, fillOpacity(e.instance, style));
    if (e.instance.selected) {
      selected = i;  // its outline goes on top of everything
      continue;
    }
    paintOutline(painter, e, view);
    if (style.showScores) paintScore(painter, e, view);
  }
  if (selected >= 0) {
    paintOutline(painter, layer.entry(selected), view);
    if (style.showScores) paintScore(painter, layer.entry(selected), view);
  }
}

}  // namespace distillery
