// Contact sheets of the synthetic world, for docs and for a quick look at a domain.
#pragma once

#include <opencv2/core.hpp>

#include "engine/data/world/world_generator.h"

namespace distillery {

// Samples first, first+1, ... tiled rows x cols with a 2-pixel gutter. With `outlines`
// each image is followed by its masks (outlines in a colour per class) on black.
cv::Mat worldContactSheet(const WorldGenerator& generator, int rows, int cols, bool outlines,
                          int64_t first = 0);

// Rounds every channel to one of `levels` evenly spaced values: small PNGs for docs.
void posterise(cv::Mat& image, int levels);

// A class's outline colour in contact sheets (BGR).
cv::Scalar classOutlineColour(int64_t categoryId);

}  // namespace distillery
