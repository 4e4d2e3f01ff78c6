#include "engine/data/world/shapes.h"

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace distillery::world {
namespace {

constexpr double kPi = 3.14159265358979323846;
// Sub-pixel bits for OpenCV's drawing calls: vertices keep 1/8 pixel precision.
constexpr int kShift = 3;
constexpr double kOne = 1 << kShift;

cv::Point fixedPoint(double x, double y) {
  return {static_cast<int>(std::lround(x * kOne)), static_cast<int>(std::lround(y * kOne))};
}

// Vertices at the given radii, evenly spaced in angle from `angle`.
std::vector<cv::Point> radialPolygon(double cx, double cy, double angle,
                                     const std::vector<double>& radii) {
  std::vector<cv::Point> pts;
  pts.reserve(radii.size());
  const double step = 2 * kPi / static_cast<double>(radii.size());
  for (size_t i = 0; i < radii.size(); ++i) {
    const double a = angle + step * static_cast<double>(i);
    pts.push_back(fixedPoint(cx + radii[i] * std::cos(a), cy + radii[i] * std::sin(a)));
  }
  return pts;
}

// Points given in the shape's own frame (unit = radius), rotated and placed.
std::vector<cv::Point> placed(const std::vector<cv::Point2d>& local, double cx, double cy,
                              double r, double angle) {
  const double c = std::cos(angle), s = std::sin(angle);
  std::vector<cv::Point> pts;
  pts.reserve(local.size());
  for (const auto& p : local)
    pts.push_back(fixedPoint(cx + r * (c * p.x - s * p.y), cy + r * (s * p.x + c * p.y)));
  return pts;
}

void fill(cv::Mat& m, const std::vector<cv::Point>& pts, uchar value = 1) {
  const cv::Point* data = pts.data();
  const int n = static_cast<int>(pts.size());
  cv::fillPoly(m, &data, &n, 1, cv::Scalar(value), cv::LINE_8, kShift);
}

void disc(cv::Mat& m, double cx, double cy, double r, uchar value = 1) {
  cv::circle(m, fixedPoint(cx, cy), static_cast<int>(std::lround(r * kOne)), cv::Scalar(value),
             cv::FILLED, cv::LINE_8, kShift);
}

std::vector<cv::Point2d> crossOutline(double halfWidth) {
  const double w = halfWidth;
  return {{w, -1}, {w, -w}, {1, -w}, {1, w},  {w, w},  {w, 1},
          {-w, 1}, {-w, w}, {-1, w}, {-1, -w}, {-w, -w}, {-w, -1}};
}

std::vector<cv::Point2d> heartOutline() {
  // The classic heart curve, centred on its box and scaled to unit circumradius.
  std::vector<cv::Point2d> pts;
  constexpr int kSteps = 48;
  for (int i = 0; i < kSteps; ++i) {
    const double t = 2 * kPi * i / kSteps;
    const double x = 16 * std::pow(std::sin(t), 3);
    const double y = 13 * std::cos(t) - 5 * std::cos(2 * t) - 2 * std::cos(3 * t) - std::cos(4 * t);
    pts.push_back({x, -(y + 2.5)});
  }
  double reach = 0;
  for (const auto& p : pts) reach = std::max(reach, std::hypot(p.x, p.y));
  for (auto& p : pts) p *= 1.0 / reach;
  return pts;
}

}  // namespace

const char* shapeName(ShapeKind kind) {
  switch (kind) {
    case ShapeKind::Disc: return "disc";
    case ShapeKind::Square: return "square";
    case ShapeKind::Triangle: return "triangle";
    case ShapeKind::Star: return "star";
    case ShapeKind::Ring: return "ring";
    case ShapeKind::Cross: return "cross";
    case ShapeKind::Crescent: return "crescent";
    case ShapeKind::Heart: return "heart";
    case ShapeKind::Ellipse: return "ellipse";
    case ShapeKind::Bar: return "bar";
    case ShapeKind::Blob: return "blob";
    case ShapeKind::Zigzag: return "zigzag";
  }
  return "?";
}

ShapeForm drawForm(ShapeKind kind, WorldRng& rng) {
  ShapeForm f;
  f.kind = kind;
  switch (kind) {
    case ShapeKind::Ellipse: f.params[0] = rng.uniform(2.2, 3.5); break;  // aspect
    case ShapeKind::Bar: f.params[0] = rng.uniform(4.0, 8.0); break;      // aspect
    case ShapeKind::Blob:
      // Elongated and wobbly: no class is elongated, so a blob never passes for one.
      f.params[0] = rng.uniform(1.7, 2.4);   // aspect
      f.params[1] = rng.uniform(0.1, 0.2);   // wobble amplitude
      f.params[2] = rng.uniform(0, 2 * kPi); // wobble phase
      break;
    case ShapeKind::Zigzag:
      f.params[0] = rng.uniformInt(3, 5);     // segments
      f.params[1] = rng.uniform(0.25, 0.5);   // amplitude / radius
      f.params[2] = rng.uniform(0.10, 0.18);  // thickness / radius
      break;
    default: break;
  }
  return f;
}

ShapeRaster rasterise(const ShapeForm& form, const ShapePose& pose) {
  const double r = std::max(pose.radius, 1.0);
  const int half = static_cast<int>(std::ceil(r)) + 2;
  ShapeRaster out;
  out.origin = {static_cast<int>(std::floor(pose.cx)) - half,
                static_cast<int>(std::floor(pose.cy)) - half};
  out.mask = cv::Mat::zeros(2 * half + 2, 2 * half + 2, CV_8U);
  cv::Mat& m = out.mask;
  const double cx = pose.cx - out.origin.x, cy = pose.cy - out.origin.y, a = pose.angle;
  switch (form.kind) {
    case ShapeKind::Disc: disc(m, cx, cy, r); break;
    case ShapeKind::Square: fill(m, radialPolygon(cx, cy, a, std::vector<double>(4, r))); break;
    case ShapeKind::Triangle: fill(m, radialPolygon(cx, cy, a, std::vector<double>(3, r))); break;
    case ShapeKind::Star: {
      std::vector<double> radii(10);
      for (size_t i = 0; i < radii.size(); ++i) radii[i] = i % 2 ? 0.42 * r : r;
      fill(m, radialPolygon(cx, cy, a, radii));
      break;
    }
    case ShapeKind::Ring:
      disc(m, cx, cy, r);
      disc(m, cx, cy, 0.55 * r, 0);
      break;
    case ShapeKind::Cross: fill(m, placed(crossOutline(0.3), cx, cy, r / std::sqrt(1.09), a)); break;
    case ShapeKind::Crescent:
      disc(m, cx, cy, r);
      disc(m, cx + 0.42 * r * std::cos(a), cy + 0.42 * r * std::sin(a), 0.82 * r, 0);
      break;
    case ShapeKind::Heart: {
      static const std::vector<cv::Point2d> kHeart = heartOutline();
      fill(m, placed(kHeart, cx, cy, r, a));
      break;
    }
    case ShapeKind::Ellipse:
      cv::ellipse(m, fixedPoint(cx, cy),
                  cv::Size(static_cast<int>(std::lround(r * kOne)),
                           static_cast<int>(std::lround(r / form.params[0] * kOne))),
                  a * 180.0 / kPi, 0, 360, cv::Scalar(1), cv::FILLED, cv::LINE_8, kShift);
      break;
    case ShapeKind::Bar: {
      const double w = 1.0 / form.params[0];
      fill(m, placed({{-1, -w}, {1, -w}, {1, w}, {-1, w}}, cx, cy, r, a));
      break;
    }
    case ShapeKind::Blob: {
      std::vector<cv::Point2d> local(32);
      for (size_t i = 0; i < local.size(); ++i) {
        const double phi = 2 * kPi * static_cast<double>(i) / static_cast<double>(local.size());
        const double rho =
            (1 + form.params[1] * std::cos(3 * phi + form.params[2])) / (1 + form.params[1]);
        local[i] = {rho * std::cos(phi), rho * std::sin(phi) / form.params[0]};
      }
      fill(m, placed(local, cx, cy, r, a));
      break;
    }
    case ShapeKind::Zigzag: {
      const int segments = static_cast<int>(form.params[0]);
      const double thickness = std::max(1.0, form.params[2] * r);
      const double reach = r - thickness / 2;
      std::vector<cv::Point2d> local;
      for (int i = 0; i <= segments; ++i) {
        const double x = -1 + 2.0 * i / segments;
        local.push_back({x, (i % 2 ? 1 : -1) * form.params[1]});
      }
      const std::vector<cv::Point> pts = placed(local, cx, cy, std::max(reach, 1.0), a);
      cv::polylines(m, pts, false, cv::Scalar(1), static_cast<int>(std::lround(thickness)),
                    cv::LINE_8, kShift);
      break;
    }
  }
  out.area = cv::countNonZero(m);
  return out;
}

}  // namespace distillery::world
