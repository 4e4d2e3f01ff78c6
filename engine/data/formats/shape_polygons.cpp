#include "engine/data/formats/shape_polygons.h"

#include <algorithm>
#include <cmath>

namespace distillery::shapes {

std::vector<double> rectangle(double x1, double y1, double x2, double y2) {
  const double xs = std::min(x1, x2), xe = std::max(x1, x2), ys = std::min(y1, y2),
               ye = std::max(y1, y2);
  return {xs, ys, xs, ye, xe, ye, xe, ys};
}

std::vector<double> ellipse(double cx, double cy, double rx, double ry, double theta) {
  rx = std::fabs(rx);
  ry = std::fabs(ry);
  const double kPi = 3.14159265358979323846;
  const double perimeter = 2 * kPi * std::max(rx, ry);
  const int n =
      std::isfinite(perimeter) ? std::clamp(static_cast<int>(std::ceil(perimeter)), 16, 720) : 16;
  const double c = std::cos(theta), s = std::sin(theta);
  std::vector<double> xy;
  xy.reserve(2 * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double a = 2 * kPi * i / n, ex = rx * std::cos(a), ey = ry * std::sin(a);
    xy.push_back(cx + c * ex - s * ey);
    xy.push_back(cy + s * ex + c * ey);
  }
  return xy;
}

}  // namespace distillery::shapes
