#include "widgets/canvas/canvas_badge.h"

#include <QPainter>

namespace distillery {
namespace {

constexpr int kMargin = 8;
constexpr int kSpinner = 14;  // pixels
constexpr int kPad = 6;

}  // namespace

CanvasBadge::CanvasBadge(QWidget* canvas) : QWidget(canvas) {
  setObjectName("canvasBadge");
  setAttribute(Qt::WA_TransparentForMouseEvents);
  setAttribute(Qt::WA_TranslucentBackground);
  spin_.setInterval(80);
  connect(&spin_, &QTimer::timeout, this, [this] {
    angle_ = (angle_ + 30) % 360;
    update();
  });
  hide();
}

void CanvasBadge::setStatus(const QString& text, bool busy) {
  if (text == text_ && busy == busy_) return;
  text_ = text;
  busy_ = busy && !text.isEmpty();
  if (busy_)
    spin_.start();
  else
    spin_.stop();
  setToolTip(text_);
  setVisible(!text_.isEmpty());
  place();
  update();
}

void CanvasBadge::place() {
  if (!parentWidget() || text_.isEmpty()) return;
  const QFontMetrics fm(font());
  const int maxText = qMax(80, parentWidget()->width() / 2);
  const QString shown = fm.elidedText(text_, Qt::ElideRight, maxText);
  const int w = fm.horizontalAdvance(shown) + 2 * kPad + (busy_ ? kSpinner + kPad : 0) + 2;
  const int h = qMax(fm.height(), kSpinner) + 2 * kPad - 2;
  setGeometry(parentWidget()->width() - w - kMargin, kMargin, w, h);
  raise();
}

void CanvasBadge::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0, 0, 0, 160));
  p.drawRoundedRect(rect(), 5, 5);
  int x = kPad;
  if (busy_) {
    const QRectF arc(x, (height() - kSpinner) / 2.0, kSpinner, kSpinner);
    p.setPen(QPen(QColor(255, 255, 255, 60), 2));
    p.drawEllipse(arc);
    p.setPen(QPen(QColor(0, 200, 255), 2, Qt::SolidLine, Qt::RoundCap));
    p.drawArc(arc, -angle_ * 16, 100 * 16);
    x += kSpinner + kPad;
  }
  p.setPen(Qt::white);
  const QRect textRect(x, 0, width() - x - kPad, height());
  p.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
             fontMetrics().elidedText(text_, Qt::ElideRight, textRect.width()));
}

}  // namespace distillery
