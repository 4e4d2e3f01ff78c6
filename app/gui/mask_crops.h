// COCO RLE masks <-> the tight crops the canvas draws. Decoding straight into the
// crop walks the runs once and touches only the crop's pixels, so showing the
// instances of a 6000x4000 image does not allocate a full-size mask per instance.
#pragma once

#include <QPoint>
#include <opencv2/core.hpp>

#include "engine/data/rle.h"

namespace distillery {

// The mask's foreground as a CV_8U 0/255 crop of its bounding box; `origin`
// receives the crop's top-left. Empty (origin 0,0) for an empty mask.
cv::Mat decodeCrop(const Rle& mask, QPoint* origin);

// `mask` with the rectangle at `origin` replaced by `patch` (CV_8U, nonzero = in),
// clipped to the image.
Rle pasteIntoRle(const Rle& mask, QPoint origin, const cv::Mat& patch);

}  // namespace distillery
