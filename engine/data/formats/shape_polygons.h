// Annotation-tool shapes (rectangles, circles, ellipses) as polygons in COCO
// coordinates, so that every importer rasterises through the same annToRLE path.
#pragma once

#include <vector>

namespace distillery::shapes {

// Corners of the axis-aligned box spanned by two opposite corners, in any order.
std::vector<double> rectangle(double x1, double y1, double x2, double y2);
// About one vertex per pixel of perimeter (at least 16, at most 720).
std::vector<double> ellipse(double cx, double cy, double rx, double ry, double theta = 0);
inline std::vector<double> circle(double cx, double cy, double r) {
  return ellipse(cx, cy, r, r);
}

}  // namespace distillery::shapes
