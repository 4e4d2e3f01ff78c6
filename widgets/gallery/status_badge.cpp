#include "widgets/gallery/status_badge.h"

#include <QCoreApplication>
#include <QPainter>

namespace distillery {

QColor statusColour(GalleryStatus status) {
  // Distinct in hue and lightness; letters carry the meaning for colour-blind users.
  switch (status) {
    case GalleryStatus::Unlabelled:
      return QColor(0x8a, 0x8f, 0x98);
    case GalleryStatus::Human:
      return QColor(0x2f, 0x6f, 0xd6);
    case GalleryStatus::Pending:
      return QColor(0xf0, 0xa2, 0x02);
    case GalleryStatus::Accepted:
      return QColor(0x2e, 0x9e, 0x44);
    case GalleryStatus::Rejected:
      return QColor(0xd6, 0x3a, 0x3a);
  }
  return Qt::black;
}

QChar statusLetter(GalleryStatus status) {
  switch (status) {
    case GalleryStatus::Unlabelled:
      return QChar('U');
    case GalleryStatus::Human:
      return QChar('S');
    case GalleryStatus::Pending:
      return QChar('P');
    case GalleryStatus::Accepted:
      return QChar('A');
    case GalleryStatus::Rejected:
      return QChar('R');
  }
  return QChar('?');
}

void paintStatusBadge(QPainter& painter, const QRectF& rect, GalleryStatus status) {
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(QColor(255, 255, 255, 220), qMax(1.0, rect.width() / 14)));
  painter.setBrush(statusColour(status));
  painter.drawEllipse(rect.adjusted(0.5, 0.5, -0.5, -0.5));
  QFont font = painter.font();
  font.setBold(true);
  font.setPixelSize(qMax(6, int(rect.height() * 0.58)));
  painter.setFont(font);
  painter.setPen(status == GalleryStatus::Pending ? QColor(40, 30, 0) : QColor(Qt::white));
  painter.drawText(rect, Qt::AlignCenter, QString(statusLetter(status)));
  painter.restore();
}

QPixmap statusBadgePixmap(GalleryStatus status, int size, qreal devicePixelRatio) {
  QPixmap pixmap(QSize(size, size) * devicePixelRatio);
  pixmap.setDevicePixelRatio(devicePixelRatio);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  paintStatusBadge(painter, QRectF(0, 0, size, size), status);
  return pixmap;
}

QString statusLegendHtml() {
  QString html = QStringLiteral("<b>%1</b><table>")
                     .arg(QCoreApplication::translate("Gallery", "Image status"));
  for (int s = 0; s < kGalleryStatusCount; ++s) {
    const auto status = static_cast<GalleryStatus>(s);
    html += QStringLiteral(
                "<tr><td><span style='color:%1'>&#9679;</span> <b>%2</b></td><td>%3</td></tr>")
                .arg(statusColour(status).name(), QString(statusLetter(status)),
                     galleryStatusName(status));
  }
  return html + QStringLiteral("</table>");
}

}  // namespace distillery
