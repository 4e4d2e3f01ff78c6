// A rectangular piece of one instance's mask before and after an edit (a brush stroke),
// and the crop/paste helpers that read and write masks stored as crops.
// Masks are CV_8U; nonzero is inside. Patches the canvas emits hold 0 and 255.
#pragma once

#include <QMetaType>
#include <QPoint>
#include <QRect>
#include <opencv2/core.hpp>

namespace distillery {

struct MaskPatch {
  QPoint origin;   // top-left of before/after in image pixels
  cv::Mat before;  // CV_8U, same size as after
  cv::Mat after;

  QRect rect() const { return QRect(origin, QSize(after.cols, after.rows)); }
  bool isEmpty() const { return after.empty(); }
};

// `rect` of a mask stored as a crop at `maskOrigin`, as 0/255; zero where the crop has no data.
cv::Mat cropMask(const cv::Mat& mask, QPoint maskOrigin, const QRect& rect);
// Writes `patch` (at `patchOrigin`) into a mask stored as a crop at `maskOrigin`, growing the
// crop (and moving its origin) when the patch reaches outside it.
void pasteMask(cv::Mat& mask, QPoint& maskOrigin, const cv::Mat& patch, QPoint patchOrigin);
// Bounding box of the nonzero pixels, in the mask's own coordinates (empty if none).
QRect nonZeroBounds(const cv::Mat& mask);

}  // namespace distillery

Q_DECLARE_METATYPE(distillery::MaskPatch)
