#include "engine/data/formats/coco_segmentation.h"

#include <algorithm>
#include <cmath>

namespace distillery::coco {

using json_fields::Json;

void checkImageSize(int64_t width, int64_t height) {
  if (width < 1 || height < 1 || width > kMaxImageSide || height > kMaxImageSide) {
    throw UserError("image size " + std::to_string(width) + "x" + std::to_string(height) +
                    " is outside 1.." + std::to_string(kMaxImageSide));
  }
}

void checkPolygon(const std::vector<double>& xy, int height, int width, const std::string& what) {
  if (xy.size() % 2 != 0) {
    throw UserError(what + " has an odd number of coordinates (" + std::to_string(xy.size()) + ")");
  }
  if (xy.size() < 6) {
    throw UserError(what + " has " + std::to_string(xy.size() / 2) +
                    " points, expected at least 3");
  }
  // Real files stray a little outside the image; far outside means a broken number.
  const double limit = 4.0 * std::max(width, height) + 64;
  for (double c : xy) {
    if (!std::isfinite(c) || std::fabs(c) > limit) {
      throw UserError(what + " has coordinate " + std::to_string(c) + ", far outside the " +
                      std::to_string(width) + "x" + std::to_string(height) + " image");
    }
  }
}

Rle polygonsToRle(const std::vector<std::vector<double>>& parts, int height, int width) {
  if (parts.empty()) throw UserError("segmentation has no polygon");
  for (size_t i = 0; i < parts.size(); ++i) {
    checkPolygon(parts[i], height, width,
                 parts.size() == 1 ? "polygon" : "polygon " + std::to_string(i));
  }
  return rle::fromPolygons(parts, height, width);
}

namespace {

Rle rleFromObject(const Json& seg, int height, int width) {
  const Json& size = json_fields::member(seg, "size");
  if (!size.is_array() || size.size() != 2) {
    throw UserError("RLE 'size' is " + json_fields::typeName(size) + ", expected [height, width]");
  }
  const int64_t h = json_fields::toInt(size[0], "size[0]");
  const int64_t w = json_fields::toInt(size[1], "size[1]");
  if (h != height || w != width) {
    throw UserError("mask is " + std::to_string(w) + "x" + std::to_string(h) +
                    " (width x height), image is " + std::to_string(width) + "x" +
                    std::to_string(height));
  }
  const Json& counts = json_fields::member(seg, "counts");
  Result<Rle> mask = Status::error("unreachable");
  if (counts.is_string()) {
    mask = rle::fromString(counts.get<std::string>(), height, width);
  } else if (counts.is_array()) {
    std::vector<uint32_t> runs;
    runs.reserve(counts.size());
    for (const Json& c : counts) {
      const int64_t v = json_fields::toInt(c, "counts[" + std::to_string(runs.size()) + "]");
      if (v < 0 || v > UINT32_MAX)
        throw UserError("RLE run " + std::to_string(v) + " is out of range");
      runs.push_back(static_cast<uint32_t>(v));
    }
    mask = rle::fromCounts(std::move(runs), height, width);
  } else {
    throw UserError("RLE 'counts' is " + json_fields::typeName(counts) +
                    ", expected a string or a list");
  }
  if (!mask.ok()) throw UserError(mask.status().message());
  return std::move(mask).value();
}

}  // namespace

Rle segmentationToRle(const Json& seg, int height, int width) {
  if (seg.is_object()) return rleFromObject(seg, height, width);
  if (!seg.is_array()) {
    throw UserError("'segmentation' is " + json_fields::typeName(seg) +
                    ", expected polygons or an RLE object");
  }
  std::vector<std::vector<double>> parts;
  parts.reserve(seg.size());
  for (const Json& poly : seg) {
    const std::string what = "polygon " + std::to_string(parts.size());
    if (!poly.is_array())
      throw UserError(what + " is " + json_fields::typeName(poly) + ", expected a list of numbers");
    std::vector<double> xy;
    xy.reserve(poly.size());
    for (const Json& c : poly) xy.push_back(json_fields::toNumber(c, what + " coordinate"));
    parts.push_back(std::move(xy));
  }
  return polygonsToRle(parts, height, width);
}

Json rleToJson(const Rle& mask) {
  return Json{{"size", {mask.height, mask.width}}, {"counts", rle::toString(mask)}};
}

namespace {

// OpenCV contours run through the centres of the outermost pixels (index space),
// while COCO polygons are rasterised with pixel i covering [i, i+1]. Shifting by
// half a pixel and pushing each vertex half a pixel outwards (miter join) puts the
// polygon on the pixel edges, so a box comes back exactly and small masks keep
// their outer ring.
std::vector<double> toPixelEdges(const std::vector<double>& xy) {
  const size_t n = xy.size() / 2;
  double twiceArea = 0;
  for (size_t i = 0; i < n; ++i) {
    const size_t j = (i + 1) % n;
    twiceArea += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
  }
  std::vector<double> out(xy.size());
  const double side =
      twiceArea >= 0 ? 1.0 : -1.0;  // outward normal of edge e is side * (e.y, -e.x)
  for (size_t i = 0; i < n; ++i) {
    const size_t a = (i + n - 1) % n, b = (i + 1) % n;
    double e1x = xy[2 * i] - xy[2 * a], e1y = xy[2 * i + 1] - xy[2 * a + 1];
    double e2x = xy[2 * b] - xy[2 * i], e2y = xy[2 * b + 1] - xy[2 * i + 1];
    const double l1 = std::hypot(e1x, e1y), l2 = std::hypot(e2x, e2y);
    double dx = 0, dy = 0;
    if (l1 > 0 && l2 > 0 && twiceArea != 0) {
      const double n1x = side * e1y / l1, n1y = -side * e1x / l1;
      const double n2x = side * e2y / l2, n2y = -side * e2x / l2;
      const double denom = std::max(1.0 + n1x * n2x + n1y * n2y, 0.5);  // caps spikes
      dx = 0.5 * (n1x + n2x) / denom;
      dy = 0.5 * (n1y + n2y) / denom;
    }
    out[2 * i] = xy[2 * i] + 0.5 + dx;
    out[2 * i + 1] = xy[2 * i + 1] + 0.5 + dy;
  }
  return out;
}

}  // namespace

std::vector<std::vector<double>> maskToPolygons(const Rle& mask, double epsilon) {
  std::vector<std::vector<double>> polys;
  for (const auto& contour : rle::toPolygons(mask, epsilon)) {
    if (contour.size() >= 6) polys.push_back(toPixelEdges(contour));
  }
  return polys;
}

}  // namespace distillery::coco
