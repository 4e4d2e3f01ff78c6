// Follows pycocotools' maskApi.c operation for operation, so that strings, areas,
// boxes and IoUs agree to the bit. Comments mark the places where that matters.
#include "engine/data/rle.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <opencv2/imgproc.hpp>

namespace distillery::rle {
namespace {

uint64_t totalRuns(const std::vector<uint32_t>& counts) {
  uint64_t s = 0;
  for (uint32_t c : counts) s += c;
  return s;
}

}  // namespace

Rle encode(const cv::Mat& mask) {
  DST_CHECK(mask.dims == 2 && mask.channels() == 1);
  cv::Mat binary;
  if (mask.depth() == CV_8U || mask.depth() == CV_8S) {
    binary = mask;
  } else {
    cv::compare(mask, 0, binary, cv::CMP_NE);
  }
  // Column-major order: walk the transpose row by row.
  cv::Mat t;
  cv::transpose(binary, t);
  if (!t.isContinuous()) t = t.clone();
  Rle r;
  r.height = mask.rows;
  r.width = mask.cols;
  const uint8_t* p = t.ptr<uint8_t>();
  const size_t n = static_cast<size_t>(t.total());
  uint8_t prev = 0;
  uint32_t run = 0;
  r.counts.reserve(16);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t v = p[i] != 0;
    if (v != prev) {
      r.counts.push_back(run);
      run = 0;
      prev = v;
    }
    ++run;
  }
  r.counts.push_back(run);
  return r;
}

cv::Mat decode(const Rle& r) {
  cv::Mat t(r.width, r.height, CV_8U, cv::Scalar(0));
  uint8_t* p = t.ptr<uint8_t>();
  const size_t n = static_cast<size_t>(r.width) * r.height;
  size_t pos = 0;
  uint8_t v = 0;
  for (uint32_t c : r.counts) {
    const size_t end = std::min(n, pos + c);
    if (v) std::fill(p + pos, p + end, uint8_t{1});
    pos = end;
    v = !v;
  }
  cv::Mat mask;
  cv::transpose(t, mask);
  return mask;
}

std::string toString(const Rle& r) {
  std::string s;
  s.reserve(r.counts.size() * 2);
  for (size_t i = 0; i < r.counts.size(); ++i) {
    int64_t x = r.counts[i];
    if (i > 2) x -= static_cast<int64_t>(r.counts[i - 2]);  // maskApi: deltas from index 3
    bool more = true;
    while (more) {
      char c = static_cast<char>(x & 0x1f);
      x >>= 5;  // arithmetic shift keeps the sign, as in C
      more = (c & 0x10) ? x != -1 : x != 0;
      if (more) c |= 0x20;
      s.push_back(static_cast<char>(c + 48));
    }
  }
  return s;
}

Result<Rle> fromString(const std::string& s, int height, int width) {
  if (height < 0 || width < 0) return Status::error("RLE size must not be negative");
  std::vector<uint32_t> counts;
  size_t p = 0;
  while (p < s.size()) {
    int64_t x = 0;
    int k = 0;
    bool more = true;
    while (more) {
      if (p >= s.size()) {
        return Status::error("RLE counts string ends inside a value at character " +
                             std::to_string(p));
      }
      const int c = static_cast<unsigned char>(s[p]) - 48;
      if (c < 0 || c > 63) {
        return Status::error("RLE counts string has an invalid character at position " +
                             std::to_string(p) + " (expected '0'..'o')");
      }
      if (k > 12) return Status::error("RLE counts string has a value that is too long");
      x |= static_cast<int64_t>(c & 0x1f) << (5 * k);
      more = (c & 0x20) != 0;
      ++p;
      ++k;
      if (!more && (c & 0x10)) x |= -(static_cast<int64_t>(1) << (5 * k));  // sign-extend
    }
    if (counts.size() > 2) x += counts[counts.size() - 2];
    if (x < 0 || x > UINT32_MAX) {
      return Status::error("RLE counts string decodes to an invalid run length " +
                           std::to_string(x) + " at run " + std::to_string(counts.size()));
    }
    counts.push_back(static_cast<uint32_t>(x));
  }
  return fromCounts(std::move(counts), height, width);
}

Result<Rle> fromCounts(std::vector<uint32_t> counts, int height, int width) {
  const uint64_t expected = static_cast<uint64_t>(height) * static_cast<uint64_t>(width);
  const uint64_t total = totalRuns(counts);
  if (total != expected) {
    return Status::error("RLE runs add up to " + std::to_string(total) + " pixels, expected " +
                         std::to_string(height) + "x" + std::to_string(width) + " = " +
                         std::to_string(expected));
  }
  Rle r;
  r.height = height;
  r.width = width;
  r.counts = std::move(counts);
  return r;
}

Rle fromPolygon(const std::vector<double>& xy, int height, int width) {
  const size_t k = xy.size() / 2;
  const double scale = 5;
  const int64_t h = height, w = width;
  Rle r;
  r.height = height;
  r.width = width;
  if (k == 0) {
    r.counts = {static_cast<uint32_t>(h * w)};
    return r;
  }
  // Upsample and walk the boundary densely (maskApi rleFrPoly).
  std::vector<int> x(k + 1), y(k + 1);
  for (size_t j = 0; j < k; ++j) x[j] = static_cast<int>(scale * xy[j * 2 + 0] + .5);
  x[k] = x[0];
  for (size_t j = 0; j < k; ++j) y[j] = static_cast<int>(scale * xy[j * 2 + 1] + .5);
  y[k] = y[0];
  size_t m = 0;
  for (size_t j = 0; j < k; ++j)
    m += static_cast<size_t>(std::max(std::abs(x[j] - x[j + 1]), std::abs(y[j] - y[j + 1]))) + 1;
  std::vector<int> u(m), v(m);
  m = 0;
  for (size_t j = 0; j < k; ++j) {
    int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
    const int dx = std::abs(xe - xs), dy = std::abs(ys - ye);
    const bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      std::swap(xs, xe);
      std::swap(ys, ye);
    }
    const double s = dx >= dy ? static_cast<double>(ye - ys) / dx : static_cast<double>(xe - xs) / dy;
    if (dx >= dy) {
      for (int d = 0; d <= dx; ++d) {
        const int t = flip ? dx - d : d;
        u[m] = t + xs;
        v[m] = static_cast<int>(ys + s * t + .5);
        ++m;
      }
    } else {
      for (int d = 0; d <= dy; ++d) {
        const int t = flip ? dy - d : d;
        v[m] = t + ys;
        u[m] = static_cast<int>(xs + s * t + .5);
        ++m;
      }
    }
  }
  // Points along the y-boundary, downsampled back to pixel resolution.
  std::vector<int64_t> bx, by;
  bx.reserve(m);
  by.reserve(m);
  for (size_t j = 1; j < m; ++j) {
    if (u[j] == u[j - 1]) continue;
    double xd = static_cast<double>(u[j] < u[j - 1] ? u[j] : u[j] - 1);
    xd = (xd + .5) / scale - .5;
    if (std::floor(xd) != xd || xd < 0 || xd > static_cast<double>(w - 1)) continue;
    double yd = static_cast<double>(v[j] < v[j - 1] ? v[j] : v[j - 1]);
    yd = (yd + .5) / scale - .5;
    if (yd < 0) yd = 0;
    else if (yd > static_cast<double>(h)) yd = static_cast<double>(h);
    yd = std::ceil(yd);
    bx.push_back(static_cast<int64_t>(xd));
    by.push_back(static_cast<int64_t>(yd));
  }
  // Run lengths from the sorted boundary positions.
  std::vector<uint32_t> a;
  a.reserve(bx.size() + 1);
  for (size_t j = 0; j < bx.size(); ++j) a.push_back(static_cast<uint32_t>(bx[j] * h + by[j]));
  a.push_back(static_cast<uint32_t>(h * w));
  std::sort(a.begin(), a.end());
  uint32_t prev = 0;
  for (uint32_t& t : a) {
    const uint32_t cur = t;
    t -= prev;
    prev = cur;
  }
  std::vector<uint32_t> b;
  b.reserve(a.size());
  size_t j = 0;
  b.push_back(a[j++]);
  while (j < a.size()) {
    if (a[j] > 0) {
      b.push_back(a[j++]);
    } else {
      ++j;
      if (j < a.size()) b.back() += a[j++];
    }
  }
  r.counts = std::move(b);
  return r;
}

Rle fromPolygons(const std::vector<std::vector<double>>& polygons, int height, int width) {
  std::vector<Rle> parts;
  parts.reserve(polygons.size());
  for (const auto& p : polygons) parts.push_back(fromPolygon(p, height, width));
  if (parts.empty()) {
    Rle empty;
    empty.height = height;
    empty.width = width;
    empty.counts = {static_cast<uint32_t>(static_cast<int64_t>(height) * width)};
    return empty;
  }
  return merge(parts);
}

Rle fromBox(const BoxXywh& b, int height, int width) {
  const double xs = b.x, xe = b.x + b.w, ys = b.y, ye = b.y + b.h;
  return fromPolygon({xs, ys, xs, ye, xe, ye, xe, ys}, height, width);
}

uint64_t area(const Rle& r) {
  uint64_t a = 0;
  for (size_t j = 1; j < r.counts.size(); j += 2) a += r.counts[j];
  return a;
}

BoxXywh bbox(const Rle& r) {
  BoxXywh box;
  const uint32_t h = static_cast<uint32_t>(r.height);
  const size_t m = (r.counts.size() / 2) * 2;  // a trailing zero run does not matter
  if (m == 0 || h == 0) return box;
  uint32_t xs = static_cast<uint32_t>(r.width), ys = h, xe = 0, ye = 0, cc = 0, xp = 0;
  for (size_t j = 0; j < m; ++j) {
    cc += r.counts[j];
    const uint32_t t = cc - static_cast<uint32_t>(j % 2);
    const uint32_t y = t % h, x = (t - y) / h;
    if (j % 2 == 0) {
      xp = x;
    } else if (xp < x) {  // the run of ones wraps a column: full height
      ys = 0;
      ye = h - 1;
    }
    xs = std::min(xs, x);
    xe = std::max(xe, x);
    ys = std::min(ys, y);
    ye = std::max(ye, y);
  }
  box.x = xs;
  box.w = static_cast<double>(xe) - xs + 1;
  box.y = ys;
  box.h = static_cast<double>(ye) - ys + 1;
  return box;
}

Rle merge(const std::vector<Rle>& masks, bool intersect) {
  if (masks.empty()) return Rle{};
  if (masks.size() == 1) return masks[0];
  const int h = masks[0].height, w = masks[0].width;
  std::vector<uint32_t> cnts = masks[0].counts;
  for (size_t i = 1; i < masks.size(); ++i) {
    const Rle& B = masks[i];
    DST_CHECK(B.height == h && B.width == w);
    const std::vector<uint32_t> A = std::move(cnts);
    cnts.clear();
    if (A.empty() || B.counts.empty()) return Rle{h, w, {}};
    uint32_t ca = A[0], cb = B.counts[0], cc = 0, ct = 1;
    bool v = false, va = false, vb = false;
    size_t a = 1, b = 1;
    while (ct > 0) {
      const uint32_t c = std::min(ca, cb);
      cc += c;
      ct = 0;
      ca -= c;
      if (!ca && a < A.size()) {
        ca = A[a++];
        va = !va;
      }
      ct += ca;
      cb -= c;
      if (!cb && b < B.counts.size()) {
        cb = B.counts[b++];
        vb = !vb;
      }
      ct += cb;
      const bool vp = v;
      v = intersect ? (va && vb) : (va || vb);
      if (v != vp || ct == 0) {
        cnts.push_back(cc);
        cc = 0;
      }
    }
  }
  return Rle{h, w, std::move(cnts)};
}

namespace {

double boxIou(const BoxXywh& d, const BoxXywh& g, bool crowd) {
  const double w = std::min(d.w + d.x, g.w + g.x) - std::max(d.x, g.x);
  if (w <= 0) return 0;
  const double hh = std::min(d.h + d.y, g.h + g.y) - std::max(d.y, g.y);
  if (hh <= 0) return 0;
  const double i = w * hh;
  const double u = crowd ? d.w * d.h : d.w * d.h + g.w * g.h - i;
  return i / u;
}

double runIou(const Rle& dt, const Rle& gt, bool crowd) {
  if (dt.counts.empty() || gt.counts.empty()) return 0;
  uint64_t inter = 0, uni = 0;
  uint32_t ca = dt.counts[0], cb = gt.counts[0], ct = 1;
  size_t a = 1, b = 1;
  bool va = false, vb = false;
  while (ct > 0) {
    const uint32_t c = std::min(ca, cb);
    if (va || vb) {
      uni += c;
      if (va && vb) inter += c;
    }
    ct = 0;
    ca -= c;
    if (!ca && a < dt.counts.size()) {
      ca = dt.counts[a++];
      va = !va;
    }
    ct += ca;
    cb -= c;
    if (!cb && b < gt.counts.size()) {
      cb = gt.counts[b++];
      vb = !vb;
    }
    ct += cb;
  }
  if (inter == 0) uni = 1;
  else if (crowd) uni = area(dt);
  return static_cast<double>(inter) / static_cast<double>(uni);
}

}  // namespace

double iou(const Rle& dt, const Rle& gt, bool gtIsCrowd) {
  return iouMatrix({dt}, {gt}, {gtIsCrowd})[0][0];
}

std::vector<std::vector<double>> iouMatrix(const std::vector<Rle>& dts, const std::vector<Rle>& gts,
                                           const std::vector<bool>& gtIsCrowd) {
  DST_CHECK(gtIsCrowd.empty() || gtIsCrowd.size() == gts.size());
  std::vector<BoxXywh> db(dts.size()), gb(gts.size());
  for (size_t d = 0; d < dts.size(); ++d) db[d] = bbox(dts[d]);
  for (size_t g = 0; g < gts.size(); ++g) gb[g] = bbox(gts[g]);
  std::vector<std::vector<double>> out(dts.size(), std::vector<double>(gts.size(), 0.0));
  for (size_t g = 0; g < gts.size(); ++g) {
    const bool crowd = !gtIsCrowd.empty() && gtIsCrowd[g];
    for (size_t d = 0; d < dts.size(); ++d) {
      // maskApi first rejects pairs whose boxes do not overlap, then checks sizes.
      if (boxIou(db[d], gb[g], crowd) <= 0) continue;
      if (dts[d].height != gts[g].height || dts[d].width != gts[g].width) {
        out[d][g] = -1;
        continue;
      }
      out[d][g] = runIou(dts[d], gts[g], crowd);
    }
  }
  return out;
}

std::vector<std::vector<double>> toPolygons(const Rle& r, double epsilon) {
  cv::Mat mask = decode(r);
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  std::vector<std::vector<double>> polygons;
  for (auto& c : contours) {
    if (epsilon > 0) {
      std::vector<cv::Point> simplified;
      cv::approxPolyDP(c, simplified, epsilon, true);
      c.swap(simplified);
    }
    if (c.size() < 3) continue;  // COCO needs at least three vertices
    std::vector<double> xy;
    xy.reserve(c.size() * 2);
    for (const cv::Point& p : c) {
      xy.push_back(p.x);
      xy.push_back(p.y);
    }
    polygons.push_back(std::move(xy));
  }
  return polygons;
}

}  // namespace distillery::rle
