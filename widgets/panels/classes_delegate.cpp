#include "widgets/panels/classes_delegate.h"

#include <QPainter>

namespace distillery {

QSize ClassesDelegate::sizeHint(const QStyleOptionViewItem& option,
                                const QModelIndex& index) const {
  QSize s = QStyledItemDelegate::sizeHint(option, index);
  s.setHeight(qMax(s.height(), option.fontMetrics.height() + 8));
  return s;
}

void ClassesDelegate::paint(QPainter* p, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const {
  const int shortcut = index.data(ShortcutRole).toInt();
  const QVariant count = index.data(CountRole);
  const QFontMetrics& fm = option.fontMetrics;
  const int keyWidth = fm.horizontalAdvance(QStringLiteral("9")) + 10;
  const QString countText = count.isValid() ? QString::number(count.toInt()) : QString();
  const int countWidth = countText.isEmpty() ? 0 : fm.horizontalAdvance(countText) + 8;

  // The name gets what the key cap and count leave.
  QStyleOptionViewItem base(option);
  base.rect.setRight(option.rect.right() - keyWidth - countWidth - 4);
  QStyledItemDelegate::paint(p, base, index);
  if (option.state & QStyle::State_Selected) {  // carry the highlight under the extras
    p->fillRect(QRect(base.rect.right() + 1, option.rect.top(),
                      option.rect.right() - base.rect.right(), option.rect.height()),
                option.palette.highlight());
  }

  p->save();
  const QColor text = option.palette.color(
      option.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text);
  if (!countText.isEmpty()) {
    QColor dim = text;
    dim.setAlphaF(0.6);
    p->setPen(dim);
    p->drawText(QRect(option.rect.right() - keyWidth - countWidth - 2, option.rect.top(),
                      countWidth, option.rect.height()),
                Qt::AlignRight | Qt::AlignVCenter, countText);
  }
  if (shortcut >= 1 && shortcut <= 9) {
    const QRect key(option.rect.right() - keyWidth, option.rect.center().y() - fm.height() / 2 - 1,
                    keyWidth - 2, fm.height() + 2);
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(text, 1));
    p->setBrush(Qt::NoBrush);
    p->drawRoundedRect(QRectF(key).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    p->drawText(key, Qt::AlignCenter, QString::number(shortcut));
  }
  p->restore();
}

}  // namespace distillery
