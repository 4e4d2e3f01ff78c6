#include "widgets/gallery/gallery_delegate.h"

#include <QApplication>
#include <QPainter>
#include <QPixmap>

#include "widgets/gallery/gallery_model.h"
#include "widgets/gallery/status_badge.h"

namespace distillery {
namespace {

constexpr int kPadding = 4;

void drawPill(QPainter* p, const QRect& area, const QString& text, int right, int bottom) {
  const QFontMetrics fm(p->font());
  const QRect pill(right - fm.horizontalAdvance(text) - 6, bottom - fm.height(),
                   fm.horizontalAdvance(text) + 6, fm.height());
  p->setPen(Qt::NoPen);
  p->setBrush(QColor(0, 0, 0, 150));
  p->drawRoundedRect(pill.intersected(area), 3, 3);
  p->setPen(Qt::white);
  p->drawText(pill, Qt::AlignCenter, text);
}

}  // namespace

GalleryDelegate::GalleryDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QSize GalleryDelegate::tileSize() const {
  const QFontMetrics fm(QApplication::font());
  return {thumbnailSize_.width() + 2 * kPadding,
          thumbnailSize_.height() + 3 * kPadding + fm.height()};
}

QSize GalleryDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const {
  return tileSize();  // never touches the model: see the header
}

void GalleryDelegate::paint(QPainter* p, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const {
  p->save();
  const QRect tile = option.rect;
  const QPalette& pal = option.palette;
  if (option.state & QStyle::State_Selected) {
    p->fillRect(tile, pal.highlight());
  } else if (option.state & QStyle::State_MouseOver) {
    p->fillRect(tile, pal.color(QPalette::Highlight).lighter(185));
  }
  const QRect area(tile.left() + kPadding, tile.top() + kPadding, thumbnailSize_.width(),
                   thumbnailSize_.height());
  paintThumbnail(p, area, index);
  if (index.data(GalleryModel::ImageIdRole).isValid()) paintOverlays(p, area, index);

  const QRect textRect(tile.left() + kPadding, area.bottom() + kPadding, area.width(),
                       tile.bottom() - area.bottom() - kPadding);
  p->setPen(pal.color(option.state & QStyle::State_Selected ? QPalette::HighlightedText
                                                            : QPalette::Text));
  const QString name = index.data(Qt::DisplayRole).toString();
  p->drawText(textRect, Qt::AlignHCenter | Qt::AlignTop,
              option.fontMetrics.elidedText(name, Qt::ElideLeft, textRect.width()));
  if (option.state & QStyle::State_HasFocus) {
    p->setPen(QPen(pal.color(QPalette::Highlight).darker(130), 1, Qt::DotLine));
    p->setBrush(Qt::NoBrush);
    p->drawRect(tile.adjusted(0, 0, -1, -1));
  }
  p->restore();
}

void GalleryDelegate::paintThumbnail(QPainter* p, const QRect& area,
                                     const QModelIndex& index) const {
  const QVariant decoration = index.data(Qt::DecorationRole);  // asks for it if missing
  if (decoration.canConvert<QPixmap>()) {
    const QPixmap pixmap = decoration.value<QPixmap>();
    const QSize s = pixmap.size().scaled(area.size(), Qt::KeepAspectRatio);
    const QRect target(area.left() + (area.width() - s.width()) / 2,
                       area.top() + (area.height() - s.height()) / 2, s.width(), s.height());
    p->drawPixmap(target, pixmap);
    return;
  }
  // Placeholder while loading; a crossed box when the file cannot be read.
  p->setPen(Qt::NoPen);
  p->setBrush(QColor(128, 128, 128, 50));
  p->drawRect(area);
  const auto state =
      static_cast<ThumbnailLoader::State>(index.data(GalleryModel::ThumbnailStateRole).toInt());
  if (state == ThumbnailLoader::State::Failed) {
    p->setPen(QPen(QColor(0xd6, 0x3a, 0x3a), 1.5));
    p->drawLine(area.topLeft(), area.bottomRight());
    p->drawLine(area.topRight(), area.bottomLeft());
  }
}

// Antialiased discs and text cost more than the rest of a tile; draw each once.
const QPixmap& GalleryDelegate::badgePixmap(GalleryStatus status, int size, qreal dpr) const {
  const quint64 key = quint64(status) | (quint64(size) << 8) | (quint64(qRound(dpr * 100)) << 24);
  auto it = badges_.find(key);
  if (it == badges_.end()) it = badges_.insert(key, statusBadgePixmap(status, size, dpr));
  return *it;
}

void GalleryDelegate::paintOverlays(QPainter* p, const QRect& area,
                                    const QModelIndex& index) const {
  const auto status = static_cast<GalleryStatus>(index.data(GalleryModel::StatusRole).toInt());
  const int badge = qBound(14, area.width() / 5, 22);
  p->drawPixmap(area.left() + 2, area.top() + 2,
                badgePixmap(status, badge, p->device()->devicePixelRatioF()));

  QFont small = p->font();
  small.setPixelSize(qMax(8, badge * 10 / 16));
  p->setFont(small);
  const int human = index.data(GalleryModel::HumanCountRole).toInt();
  const int teacher = index.data(GalleryModel::TeacherCountRole).toInt();
  QString counts;
  if (human > 0) counts += QStringLiteral("H%1").arg(human);
  if (teacher > 0)
    counts +=
        (counts.isEmpty() ? QString() : QStringLiteral(" ")) + QStringLiteral("T%1").arg(teacher);
  if (!counts.isEmpty()) drawPill(p, area, counts, area.right() - 1, area.bottom() - 5);

  // Uncertainty in [0,1] as a bar along the bottom edge: longer = more uncertain.
  const QVariant u = index.data(GalleryModel::UncertaintyRole);
  if (u.isValid()) {
    const double v = qBound(0.0, u.toDouble(), 1.0);
    p->fillRect(QRect(area.left(), area.bottom() - 2, area.width(), 3), QColor(0, 0, 0, 110));
    p->fillRect(QRect(area.left(), area.bottom() - 2, int(area.width() * v), 3),
                QColor(0xff, 0x8c, 0x1a));
  }
}

}  // namespace distillery
