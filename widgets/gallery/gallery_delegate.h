// Paints one gallery tile: the thumbnail (or a placeholder while it loads),
// the status badge, the annotation counts, a teacher-uncertainty bar and the
// file name. Every tile has the same size and sizeHint() reads no model data,
// so a 100k-row list lays out without paging anything in.
#pragma once

#include <QHash>
#include <QPixmap>
#include <QSize>
#include <QStyledItemDelegate>

#include "widgets/gallery/gallery_types.h"

namespace distillery {

class GalleryDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  explicit GalleryDelegate(QObject* parent = nullptr);

  void setThumbnailSize(QSize size) { thumbnailSize_ = size; }
  QSize thumbnailSize() const { return thumbnailSize_; }
  // The tile: thumbnail, padding and one line of text.
  QSize tileSize() const;

  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;

 private:
  void paintThumbnail(QPainter* p, const QRect& area, const QModelIndex& index) const;
  void paintOverlays(QPainter* p, const QRect& area, const QModelIndex& index) const;
  const QPixmap& badgePixmap(GalleryStatus status, int size, qreal dpr) const;

  QSize thumbnailSize_{96, 96};
  mutable QHash<quint64, QPixmap> badges_;
};

}  // namespace distillery
