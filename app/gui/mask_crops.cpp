#include "app/gui/mask_crops.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace distillery {

cv::Mat decodeCrop(const Rle& mask, QPoint* origin) {
  *origin = QPoint();
  const int64_t h = mask.height;
  if (h <= 0 || mask.width <= 0) return {};
  // Pass 1: bounding box of the runs of ones (column-major: x = p / h, y = p % h).
  int64_t minX = mask.width, maxX = -1, minY = h, maxY = -1;
  int64_t p = 0;
  for (size_t i = 0; i < mask.counts.size(); ++i) {
    const int64_t len = mask.counts[i];
    if (i % 2 == 1 && len > 0) {
      const int64_t first = p, last = p + len - 1;
      const int64_t x0 = first / h, x1 = last / h;
      minX = std::min(minX, x0);
      maxX = std::max(maxX, x1);
      if (x0 == x1) {
        minY = std::min(minY, first % h);
        maxY = std::max(maxY, last % h);
      } else {  // runs past a column's bottom into the next column's top
        minY = 0;
        maxY = h - 1;
      }
    }
    p += len;
  }
  if (maxX < 0) return {};
  cv::Mat crop = cv::Mat::zeros(int(maxY - minY + 1), int(maxX - minX + 1), CV_8U);
  // Pass 2: fill, column segment by column segment.
  p = 0;
  for (size_t i = 0; i < mask.counts.size(); ++i) {
    int64_t len = mask.counts[i];
    if (i % 2 == 1) {
      int64_t q = p;
      while (len > 0) {
        const int64_t x = q / h, y = q % h;
        const int64_t n = std::min(len, h - y);
        for (int64_t k = 0; k < n; ++k) crop.at<uint8_t>(int(y + k - minY), int(x - minX)) = 255;
        q += n;
        len -= n;
      }
      p = q;
    } else {
      p += len;
    }
  }
  *origin = QPoint(int(minX), int(minY));
  return crop;
}

namespace {

using Interval = std::pair<int64_t, int64_t>;  // [begin, end) in column-major pixel order

std::vector<Interval> onesOf(const Rle& r) {
  std::vector<Interval> out;
  int64_t p = 0;
  for (size_t i = 0; i < r.counts.size(); ++i) {
    if (i % 2 == 1 && r.counts[i] > 0) out.emplace_back(p, p + r.counts[i]);
    p += r.counts[i];
  }
  return out;
}

// Appends [b, e), merging with the last interval when they touch.
void append(std::vector<Interval>& out, int64_t b, int64_t e) {
  if (b >= e) return;
  if (!out.empty() && out.back().second >= b)
    out.back().second = std::max(out.back().second, e);
  else
    out.emplace_back(b, e);
}

}  // namespace

// Works on the runs: only the patch's pixels are visited, so a brush stroke on an
// 8000x6000 mask does not decode and re-encode 48 million pixels.
Rle pasteIntoRle(const Rle& mask, QPoint origin, const cv::Mat& patch) {
  const int64_t h = mask.height;
  const cv::Rect target = cv::Rect(origin.x(), origin.y(), patch.cols, patch.rows) &
                          cv::Rect(0, 0, mask.width, mask.height);
  if (target.area() <= 0) return mask;
  // Per patch column: the cut segment, and the patch's own intervals of ones in it.
  std::vector<Interval> cuts, fresh;
  for (int x = target.x; x < target.x + target.width; ++x) {
    const int64_t base = int64_t(x) * h;
    cuts.emplace_back(base + target.y, base + target.y + target.height);
    const int px = x - origin.x();
    for (int y = target.y; y < target.y + target.height; ++y)
      if (patch.at<uint8_t>(y - origin.y(), px) != 0) append(fresh, base + y, base + y + 1);
  }
  // The old intervals minus the cuts (both sorted), merged with the fresh ones.
  std::vector<Interval> kept;
  size_t c = 0;
  for (Interval iv : onesOf(mask)) {
    while (c < cuts.size() && cuts[c].second <= iv.first) ++c;
    for (size_t k = c; k < cuts.size() && cuts[k].first < iv.second; ++k) {
      if (cuts[k].first > iv.first) kept.emplace_back(iv.first, cuts[k].first);
      iv.first = std::max(iv.first, cuts[k].second);
    }
    if (iv.first < iv.second) kept.push_back(iv);
  }
  std::vector<Interval> merged;
  merged.reserve(kept.size() + fresh.size());
  size_t i = 0, j = 0;
  while (i < kept.size() || j < fresh.size()) {
    const bool takeKept = j >= fresh.size() || (i < kept.size() && kept[i].first < fresh[j].first);
    const Interval& iv = takeKept ? kept[i++] : fresh[j++];
    append(merged, iv.first, iv.second);
  }
  Rle out;
  out.height = mask.height;
  out.width = mask.width;
  int64_t p = 0;
  for (const Interval& iv : merged) {
    out.counts.push_back(uint32_t(iv.first - p));
    out.counts.push_back(uint32_t(iv.second - iv.first));
    p = iv.second;
  }
  const int64_t total = h * mask.width;
  if (p < total || out.counts.empty()) out.counts.push_back(uint32_t(total - p));
  return out;
}

}  // namespace distillery
