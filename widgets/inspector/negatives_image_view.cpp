#include "widgets/inspector/negatives_image_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace distillery {

NegativesImageView::NegativesImageView(QWidget* parent) : QWidget(parent) {
  setCursor(Qt::CrossCursor);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void NegativesImageView::setImage(const QImage& image) {
  image_ = image;
  clearOverlays();
}

void NegativesImageView::setCaption(const QString& caption) {
  caption_ = caption;
  update();
}

void NegativesImageView::setHeat(const QImage& heat) {
  heat_ = heat;
  update();
}

void NegativesImageView::setMarkers(const QVector<QPointF>& pixels) {
  markers_ = pixels;
  update();
}

void NegativesImageView::setAnchor(std::optional<QPointF> pixel) {
  anchor_ = pixel;
  update();
}

void NegativesImageView::setOutline(const QVector<QPolygonF>& polygons) {
  outline_ = polygons;
  update();
}

void NegativesImageView::clearOverlays() {
  heat_ = QImage();
  markers_.clear();
  outline_.clear();
  anchor_.reset();
  update();
}

double NegativesImageView::displayScale() const {
  if (image_.isNull()) return 1.0;
  return std::min(width() / static_cast<double>(image_.width()),
                  height() / static_cast<double>(image_.height()));
}

QRectF NegativesImageView::displayRect() const {
  if (image_.isNull()) return {};
  const double s = displayScale();
  const QSizeF size(image_.width() * s, image_.height() * s);
  return {QPointF((width() - size.width()) / 2, (height() - size.height()) / 2), size};
}

std::optional<QPoint> NegativesImageView::widgetToImage(const QPointF& widgetPos) const {
  if (image_.isNull()) return std::nullopt;
  const QRectF r = displayRect();
  const double s = displayScale();
  const int x = static_cast<int>(std::floor((widgetPos.x() - r.left()) / s));
  const int y = static_cast<int>(std::floor((widgetPos.y() - r.top()) / s));
  if (x < 0 || y < 0 || x >= image_.width() || y >= image_.height()) return std::nullopt;
  return QPoint(x, y);
}

QPointF NegativesImageView::imageToWidget(const QPointF& imagePos) const {
  const QRectF r = displayRect();
  const double s = displayScale();
  return {r.left() + imagePos.x() * s, r.top() + imagePos.y() * s};
}

void NegativesImageView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  if (const auto pixel = widgetToImage(event->position())) Q_EMIT pixelClicked(*pixel);
}

void NegativesImageView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Dark));
  if (image_.isNull()) return;
  const QRectF r = displayRect();
  p.setRenderHint(QPainter::SmoothPixmapTransform, true);
  p.drawImage(r, image_);
  // Nearest-neighbour for the heat: each cell is one prediction pixel, shown as it is.
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  if (!heat_.isNull()) p.drawImage(r, heat_);
  p.setRenderHint(QPainter::Antialiasing, true);

  p.setBrush(Qt::NoBrush);
  p.setPen(QPen(QColor(255, 230, 0), 2));
  for (const QPolygonF& poly : outline_) {
    QPolygonF w;
    for (const QPointF& pt : poly) w << imageToWidget(pt);
    p.drawPolygon(w);
  }

  p.setPen(QPen(Qt::white, 1));
  p.setBrush(QColor(0, 200, 255));
  for (const QPointF& m : markers_) p.drawEllipse(imageToWidget(m), 2.5, 2.5);

  if (anchor_) {
    const QPointF a = imageToWidget(*anchor_);
    p.setBrush(Qt::NoBrush);
    for (const auto& [colour, width] :
         {std::pair{QColor(Qt::black), 4.0}, {QColor(255, 0, 200), 2.0}}) {
      p.setPen(QPen(colour, width));
      p.drawLine(a + QPointF(-8, 0), a + QPointF(8, 0));
      p.drawLine(a + QPointF(0, -8), a + QPointF(0, 8));
      p.drawEllipse(a, 5, 5);
    }
  }

  if (!caption_.isEmpty()) {
    const QFontMetrics fm = fontMetrics();
    const QRectF box(r.left(), r.top(), fm.horizontalAdvance(caption_) + 8, fm.height() + 4);
    p.fillRect(box, QColor(0, 0, 0, 150));
    p.setPen(Qt::white);
    p.drawText(box, Qt::AlignCenter, caption_);
  }
}

}  // namespace distillery
