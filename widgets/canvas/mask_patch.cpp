#include "widgets/canvas/mask_patch.h"

#include <opencv2/core.hpp>
#include <utility>

namespace distillery {
namespace {

cv::Rect toCv(const QRect& r) {
  return cv::Rect(r.x(), r.y(), r.width(), r.height());
}

}  // namespace

cv::Mat cropMask(const cv::Mat& mask, QPoint maskOrigin, const QRect& rect) {
  cv::Mat out = cv::Mat::zeros(rect.height(), rect.width(), CV_8U);
  if (mask.empty()) return out;
  const QRect stored(maskOrigin, QSize(mask.cols, mask.rows));
  const QRect common = stored.intersected(rect);
  if (common.isEmpty()) return out;
  const cv::Mat src = mask(toCv(common.translated(-maskOrigin)));
  cv::Mat dst = out(toCv(common.translated(-rect.topLeft())));
  cv::compare(src, 0, dst, cv::CMP_NE);  // any nonzero becomes 255
  return out;
}

void pasteMask(cv::Mat& mask, QPoint& maskOrigin, const cv::Mat& patch, QPoint patchOrigin) {
  const QRect patchRect(patchOrigin, QSize(patch.cols, patch.rows));
  if (patchRect.isEmpty()) return;
  QRect stored(maskOrigin, QSize(mask.cols, mask.rows));
  if (mask.empty()) stored = QRect();
  if (!stored.contains(patchRect)) {
    const QRect grown = stored.isEmpty() ? patchRect : stored.united(patchRect);
    cv::Mat bigger = cv::Mat::zeros(grown.height(), grown.width(), CV_8U);
    if (!mask.empty()) mask.copyTo(bigger(toCv(stored.translated(-grown.topLeft()))));
    mask = bigger;
    maskOrigin = grown.topLeft();
  }
  patch.copyTo(mask(toCv(patchRect.translated(-maskOrigin))));
}

QRect nonZeroBounds(const cv::Mat& mask) {
  if (mask.empty()) return {};
  // Project onto both axes (cheaper than listing every foreground pixel of a large mask).
  cv::Mat columns, rows;
  cv::reduce(mask, columns, 0, cv::REDUCE_MAX);
  cv::reduce(mask, rows, 1, cv::REDUCE_MAX);
  auto span = [](const cv::Mat& line) {
    const cv::Mat flat = line.reshape(1, 1);
    int first = -1, last = -1;
    for (int i = 0; i < flat.cols; ++i) {
      if (flat.at<uchar>(0, i) == 0) continue;
      if (first < 0) first = i;
      last = i;
    }
    return std::make_pair(first, last);
  };
  const auto [x0, x1] = span(columns);
  if (x0 < 0) return {};
  const auto [y0, y1] = span(rows);
  return QRect(QPoint(x0, y0), QPoint(x1, y1));
}

}  // namespace distillery
