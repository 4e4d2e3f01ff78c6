#include "widgets/inspector/colour_bar.h"

#include <QPainter>
#include <QTransform>
#include <algorithm>

#include "widgets/inspector/heatmap.h"

namespace distillery {

ColourBar::ColourBar(QWidget* parent) : QWidget(parent) {
  // Top of the widget is the high end: flip the horizontal ramp into a column.
  ramp_ = colourRamp(256).transformed(QTransform().rotate(-90));
  setObjectName("colourBar");
}

void ColourBar::setRange(double maxValue) {
  max_ = maxValue;
  update();
}

void ColourBar::setTitle(const QString& title) {
  title_ = title;
  update();
}

void ColourBar::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const QFontMetrics fm = fontMetrics();
  const int top = fm.height() * 3 / 2 + 4, bottom = height() - fm.height() - 2;
  const QRect bar(2, top, 14, std::max(bottom - top, 4));
  p.drawImage(bar, ramp_);
  p.setPen(palette().color(QPalette::WindowText));
  p.drawRect(bar.adjusted(0, 0, -1, -1));
  const QString hi = max_ > 0 ? QString::number(max_, 'g', 2) : QStringLiteral("-");
  p.drawText(QRect(bar.right() + 4, bar.top() - fm.height() / 2, width(), fm.height()),
             Qt::AlignLeft, hi);
  p.drawText(QRect(bar.right() + 4, bar.bottom() - fm.height() / 2, width(), fm.height()),
             Qt::AlignLeft, "0");
  if (!title_.isEmpty()) p.drawText(QRect(0, 0, width(), fm.height()), Qt::AlignLeft, title_);
}

}  // namespace distillery
