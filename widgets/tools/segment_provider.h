// The contract between click-to-segment and whatever makes proposals (the app wires a
// teacher here). Kept free of the engine's model types: widgets/ knows no tensors.
#pragma once

#include <QPointF>
#include <functional>
#include <opencv2/core.hpp>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct PromptPoint {
  QPointF image;         // image pixels
  bool positive = true;  // false: "not this"
};

// Given the image (8-bit BGR) and the points so far, the best proposal: a CV_8U image-sized
// mask (nonzero inside), or an error the user can act on, such as
// "No teacher loaded: load one in the Teacher panel". Called on a worker thread.
using SegmentProvider =
    std::function<Result<cv::Mat>(const cv::Mat& image, const std::vector<PromptPoint>& points)>;

}  // namespace distillery
