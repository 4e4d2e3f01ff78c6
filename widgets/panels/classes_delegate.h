// Draws a class row as usual (swatch and name) plus, at the right, the
// instance count and the digit key that picks the class.
#pragma once

#include <QStyledItemDelegate>

namespace distillery {

class ClassesDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  // Item data roles the panel fills.
  enum Role { ShortcutRole = Qt::UserRole + 10, CountRole };

  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace distillery
