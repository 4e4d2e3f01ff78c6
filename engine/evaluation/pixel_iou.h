// The naive way to compute mask IoU: decode both masks to pixels and count. Kept as
// the baseline of `distillery-cli bench eval` and as a cross-check of the run-length
// IoU in tests; evaluation itself uses rle::iouMatrix.
#pragma once

#include <vector>

#include "engine/data/rle.h"

namespace distillery {

// Same contract as rle::iouMatrix: ious[d][g], crowd denominators are the detection's
// area, 0 when nothing overlaps, -1 when the sizes differ.
std::vector<std::vector<double>> pixelIouMatrix(const std::vector<Rle>& dts,
                                                const std::vector<Rle>& gts,
                                                const std::vector<bool>& gtIsCrowd);

}  // namespace distillery
