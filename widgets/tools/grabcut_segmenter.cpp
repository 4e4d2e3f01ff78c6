#include "widgets/tools/grabcut_segmenter.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <string>

namespace distillery {

Result<cv::Mat> grabCutInBox(const cv::Mat& bgr, const cv::Rect& box,
                             const GrabCutOptions& options) {
  if (bgr.empty() || bgr.type() != CV_8UC3)
    return Status::error("GrabCut needs an 8-bit colour image");
  const cv::Rect imageRect(0, 0, bgr.cols, bgr.rows);
  const cv::Rect inside = box & imageRect;
  if (inside.width < 4 || inside.height < 4)
    return Status::error("the box is " + std::to_string(inside.width) + "x" +
                         std::to_string(inside.height) +
                         " pixels inside the image; GrabCut needs at least 4x4");
  // Work on the box plus a margin: GrabCut learns the background from around the box.
  const int mx = std::max(8, int(inside.width * options.margin));
  const int my = std::max(8, int(inside.height * options.margin));
  const cv::Rect roi =
      cv::Rect(inside.x - mx, inside.y - my, inside.width + 2 * mx, inside.height + 2 * my) &
      imageRect;
  const double scale = std::min(1.0, double(options.maxSide) / std::max(roi.width, roi.height));
  cv::Mat work;
  if (scale < 1.0) {
    cv::resize(bgr(roi), work, cv::Size(), scale, scale, cv::INTER_AREA);
  } else {
    work = bgr(roi).clone();
  }
  // The box in working pixels, kept at least one pixel away from the border so that some
  // background is known even when the box fills the image.
  cv::Rect rect(int((inside.x - roi.x) * scale), int((inside.y - roi.y) * scale),
                int(inside.width * scale), int(inside.height * scale));
  rect &= cv::Rect(1, 1, work.cols - 2, work.rows - 2);
  if (rect.width < 2 || rect.height < 2) return Status::error("the box is too small for GrabCut");

  cv::Mat labels(work.size(), CV_8U, cv::Scalar(cv::GC_BGD));
  cv::Mat bgdModel, fgdModel;
  try {
    cv::grabCut(work, labels, rect, bgdModel, fgdModel, options.iterations, cv::GC_INIT_WITH_RECT);
  } catch (const cv::Exception& e) {  // e.g. too few background pixels to learn a model
    return Status::error(std::string("GrabCut failed: ") + e.err);
  }
  cv::Mat foreground = (labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD);
  if (scale < 1.0) {
    cv::Mat full;
    cv::resize(foreground, full, roi.size(), 0, 0, cv::INTER_LINEAR);
    foreground = full > 127;
  }
  cv::Mat mask = cv::Mat::zeros(bgr.size(), CV_8U);
  foreground.copyTo(mask(roi));
  cv::Mat clipped = cv::Mat::zeros(bgr.size(), CV_8U);
  mask(inside).copyTo(clipped(inside));  // nothing outside the user's box
  if (cv::countNonZero(clipped) == 0) return Status::error("GrabCut found no object in the box");
  return clipped;
}

}  // namespace distillery
