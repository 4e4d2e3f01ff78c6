#include "engine/losses/point_sampling.h"

namespace distillery {

torch::Tensor pointSample(const torch::Tensor& input, const torch::Tensor& points) {
  namespace F = torch::nn::functional;
  torch::Tensor grid = (points * 2.0 - 1.0).unsqueeze(2);  // [N,P,1,2] in [-1,1]
  torch::Tensor out = F::grid_sample(input, grid,
                                     F::GridSampleFuncOptions()
                                         .mode(torch::kBilinear)
                                         .padding_mode(torch::kZeros)
                                         .align_corners(false));
  return out.squeeze(3);
}

torch::Tensor uncertainPointCoordsWithRandomness(const torch::Tensor& logits, int64_t numPoints,
                                                 double oversampleRatio,
                                                 double importanceSampleRatio) {
  TORCH_CHECK(oversampleRatio >= 1.0, "oversample ratio must be >= 1");
  TORCH_CHECK(importanceSampleRatio >= 0.0 && importanceSampleRatio <= 1.0,
              "importance ratio must be in [0,1]");
  torch::NoGradGuard noGrad;
  const int64_t n = logits.size(0);
  const auto opts = logits.options();
  const auto sampled = static_cast<int64_t>(static_cast<double>(numPoints) * oversampleRatio);
  torch::Tensor coords = torch::rand({n, sampled, 2}, opts);
  torch::Tensor uncertainty = -pointSample(logits, coords).abs().squeeze(1);  // [N, sampled]
  const auto important =
      static_cast<int64_t>(importanceSampleRatio * static_cast<double>(numPoints));
  const int64_t random = numPoints - important;
  torch::Tensor chosen = coords.narrow(1, 0, 0);
  if (important > 0) {
    torch::Tensor idx =
        std::get<1>(uncertainty.topk(important, 1, /*largest=*/true, /*sorted=*/false));
    chosen = coords.gather(1, idx.unsqueeze(-1).expand({n, important, 2}));
  }
  if (random > 0) chosen = torch::cat({chosen, torch::rand({n, random, 2}, opts)}, 1);
  return chosen;
}

}  // namespace distillery
