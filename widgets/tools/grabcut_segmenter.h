// GrabCut inside a box, sized for interactive use: the box plus a margin of background is
// downscaled to at most `maxSide` pixels before cv::grabCut runs, then the mask is scaled
// back. Pure function: the GrabCut tool runs it on a worker thread.
#pragma once

#include <opencv2/core.hpp>

#include "engine/util/status.h"

namespace distillery {

struct GrabCutOptions {
  int maxSide = 400;  // longest side of the working image
  int iterations = 4;
  double margin = 0.15;  // background around the box, as a fraction of its size
};

// `bgr`: 8-bit BGR image; `box`: image pixels. Returns a CV_8U image-sized 0/255 mask
// (inside the box only), or an error when the box is too small or nothing was found.
Result<cv::Mat> grabCutInBox(const cv::Mat& bgr, const cv::Rect& box,
                             const GrabCutOptions& options = {});

}  // namespace distillery
