// Polygons <-> masks for the canvas, with COCO semantics (engine/data/rle.h) so that what
// the canvas shows is what the project stores and exports.
#pragma once

#include <QPoint>
#include <QPolygonF>
#include <QSize>
#include <opencv2/core.hpp>
#include <vector>

namespace distillery {

std::vector<double> toXy(const QPolygonF& polygon);
QPolygonF toQPolygon(const std::vector<double>& xy);

// Rasterises like pycocotools' frPoly; CV_8U 0/255 of imageSize.
cv::Mat polygonToMask(const QPolygonF& polygon, QSize imageSize);
// The same pixels, as a crop covering the polygon's bounding box (clipped to the image);
// `origin` receives the crop's top-left. Empty when the polygon is outside the image.
cv::Mat polygonToMaskCrop(const QPolygonF& polygon, QSize imageSize, QPoint* origin);
// Outer contours of a mask (crop at `origin`) as polygons in image coordinates,
// simplified by `epsilon` pixels (Douglas-Peucker).
std::vector<QPolygonF> maskToPolygons(const cv::Mat& mask, QPoint origin = {},
                                      double epsilon = 1.0);

}  // namespace distillery
