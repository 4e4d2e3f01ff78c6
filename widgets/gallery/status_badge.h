// The badge drawn on a gallery thumbnail: a coloured disc with a letter per
// labelling state, so the state reads without colour vision too.
#pragma once

#include <QChar>
#include <QColor>
#include <QPixmap>
#include <QRectF>
#include <QString>

#include "widgets/gallery/gallery_types.h"

class QPainter;

namespace distillery {

QColor statusColour(GalleryStatus status);
QChar statusLetter(GalleryStatus status);

// Draws the disc and letter filling `rect` (a square).
void paintStatusBadge(QPainter& painter, const QRectF& rect, GalleryStatus status);

// The badge alone, for combo boxes and legends.
QPixmap statusBadgePixmap(GalleryStatus status, int size, qreal devicePixelRatio = 1.0);

// Rich-text legend: one line per state with its colour, letter and name.
QString statusLegendHtml();

}  // namespace distillery
