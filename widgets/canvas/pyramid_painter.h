// Paints the visible tiles of the one pyramid level that matches the zoom.
#pragma once

#include <QImage>
#include <QPainter>
#include <QRectF>
#include <functional>

#include "widgets/canvas/image_pyramid.h"
#include "widgets/canvas/view_transform.h"

namespace distillery {

// What to draw for tile (level, column, row); null: the pyramid's own tile.
using TileSource = std::function<QImage(int level, int column, int row)>;

// `visibleImage`: the image pixels in view. Returns the number of tiles drawn.
int paintPyramid(QPainter& painter, const ImagePyramid& pyramid, const ViewTransform& view,
                 const QRectF& visibleImage, const TileSource& source = nullptr);

}  // namespace distillery
