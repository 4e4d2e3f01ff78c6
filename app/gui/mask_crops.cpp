#include "app/gui/mask_crops.h"

#include <algorithm>

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

Rle encodeCrop(const cv::Mat& crop, QPoint origin, int width, int height) {
  cv::Mat full = cv::Mat::zeros(height, width, CV_8U);
  if (!crop.empty()) {
    const cv::Rect image(0, 0, width, height);
    const cv::Rect target = cv::Rect(origin.x(), origin.y(), crop.cols, crop.rows) & image;
    if (target.area() > 0)
      crop(cv::Rect(target.x - origin.x(), target.y - origin.y(), target.width, target.height))
          .copyTo(full(target));
  }
  return rle::encode(full);
}

Rle pasteIntoRle(const Rle& mask, QPoint origin, const cv::Mat& patch) {
  cv::Mat full = rle::decode(mask);
  const cv::Rect image(0, 0, mask.width, mask.height);
  const cv::Rect target = cv::Rect(origin.x(), origin.y(), patch.cols, patch.rows) & image;
  if (target.area() > 0)
    patch(cv::Rect(target.x - origin.x(), target.y - origin.y(), target.width, target.height))
        .copyTo(full(target));
  return rle::encode(full);
}

}  // namespace distillery
