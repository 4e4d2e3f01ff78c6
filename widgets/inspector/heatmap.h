// Weight maps as translucent heat overlays (OpenCV's inferno colour map), and the
// matching colour ramp for a colour bar. One mapping serves both, so they agree.
#pragma once

#include <QImage>
#include <opencv2/core.hpp>

namespace distillery {

// weights (any single-channel depth) -> ARGB32 image of the same size. Values are
// divided by maxValue and clamped to [0, 1]; stronger weights are also more opaque,
// so pixels the loss would not push away let the photo show through.
QImage heatmapImage(const cv::Mat& weights, double maxValue);

// The colour ramp from 0 (index 0) to 1 (index length-1), opaque, length x 1.
QImage colourRamp(int length = 256);

// The largest finite value over the maps (0 when all are empty).
double maxWeight(const std::vector<cv::Mat>& maps);

}  // namespace distillery
