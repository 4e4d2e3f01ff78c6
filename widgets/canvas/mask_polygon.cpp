#include "widgets/canvas/mask_polygon.h"

#include <QRect>
#include <cmath>

#include "engine/data/rle.h"

namespace distillery {

std::vector<double> toXy(const QPolygonF& polygon) {
  std::vector<double> xy;
  xy.reserve(size_t(polygon.size()) * 2);
  for (const QPointF& p : polygon) {
    xy.push_back(p.x());
    xy.push_back(p.y());
  }
  return xy;
}

QPolygonF toQPolygon(const std::vector<double>& xy) {
  QPolygonF polygon;
  for (size_t i = 0; i + 1 < xy.size(); i += 2) polygon << QPointF(xy[i], xy[i + 1]);
  return polygon;
}

cv::Mat polygonToMask(const QPolygonF& polygon, QSize imageSize) {
  cv::Mat mask =
      rle::decode(rle::fromPolygon(toXy(polygon), imageSize.height(), imageSize.width()));
  return mask * 255;
}

cv::Mat polygonToMaskCrop(const QPolygonF& polygon, QSize imageSize, QPoint* origin) {
  const QRectF bounds = polygon.boundingRect();
  // Integer shift keeps frPoly's result identical to the full-size raster.
  const QRect box =
      QRect(QPoint(int(std::floor(bounds.left())) - 1, int(std::floor(bounds.top())) - 1),
            QPoint(int(std::ceil(bounds.right())) + 1, int(std::ceil(bounds.bottom())) + 1))
          .intersected(QRect(QPoint(0, 0), imageSize));
  if (origin) *origin = box.topLeft();
  if (box.isEmpty() || polygon.size() < 3) return {};
  const QPolygonF shifted = polygon.translated(-box.topLeft());
  cv::Mat crop = rle::decode(rle::fromPolygon(toXy(shifted), box.height(), box.width()));
  return crop * 255;
}

std::vector<QPolygonF> maskToPolygons(const cv::Mat& mask, QPoint origin, double epsilon) {
  std::vector<QPolygonF> polygons;
  if (mask.empty()) return polygons;
  for (const auto& xy : rle::toPolygons(rle::encode(mask), epsilon))
    polygons.push_back(toQPolygon(xy).translated(origin));
  return polygons;
}

}  // namespace distillery
