// Point sampling of masks (PointRend, as Mask2Former's loss and matcher use it).
// Internal (torch).
#pragma once

#include <torch/torch.h>

namespace distillery {

// Bilinear samples of input [N,C,H,W] at points [N,P,2] given as (x, y) in [0,1]
// of the map's extent -> [N,C,P]. Outside points read zero.
torch::Tensor pointSample(const torch::Tensor& input, const torch::Tensor& points);

// Mask2Former's importance sampling: draw oversampleRatio*numPoints uniform points,
// keep the importanceSampleRatio*numPoints most uncertain ones (uncertainty =
// -|logit|) and fill the rest with fresh uniform points. logits [N,1,H,W] ->
// points [N,numPoints,2]. Uses the default torch generator; no gradient.
torch::Tensor uncertainPointCoordsWithRandomness(const torch::Tensor& logits, int64_t numPoints,
                                                 double oversampleRatio,
                                                 double importanceSampleRatio);

}  // namespace distillery
