// Paints the visible tiles of the one pyramid level that matches the zoom.
#pragma once

#include <QPainter>
#include <QRectF>

#include "widgets/canvas/image_pyramid.h"
#include "widgets/canvas/view_transform.h"

namespace distillery {

// `visibleImage`: the image pixels in view. Returns the number of tiles drawn.
int paintPyramid(QPainter& painter, const ImagePyramid& pyramid, const ViewTransform& view,
                 const QRectF& visibleImage);

}  // namespace distillery
