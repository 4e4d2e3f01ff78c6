#include "engine/modeling/hungarian_matcher.h"

#include "engine/losses/point_sampling.h"
#include "engine/modeling/layers.h"
#include "engine/modeling/linear_assignment.h"

namespace distillery {

MatcherTargets HungarianMatcher::prepare(const std::vector<TargetInstances>& targets,
                                         int64_t maskPixels, const torch::Device& device) const {
  torch::NoGradGuard noGrad;
  const auto batch = static_cast<int64_t>(targets.size());
  const int64_t numPoints = options_.numPoints > 0 ? options_.numPoints : maskPixels;
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  MatcherTargets m;
  m.points = torch::rand({1, numPoints, 2}, opts);
  int64_t maxTargets = 0;
  for (const auto& t : targets) {
    maxTargets = std::max(maxTargets, t.labels.size(0));
    m.labels.push_back(t.labels.to(device, torch::kInt64));
  }
  m.targetPoints = torch::zeros({batch, numPoints, maxTargets, 1}, opts);
  for (int64_t b = 0; b < batch; ++b) {
    const auto& t = targets[static_cast<size_t>(b)];
    const int64_t n = t.labels.size(0);
    if (n == 0) continue;
    torch::Tensor sampled = pointSample(t.masks.to(opts).unsqueeze(0), m.points);  // [1,N,P]
    m.targetPoints[b].narrow(1, 0, n).copy_(sampled[0].transpose(0, 1).unsqueeze(-1));
  }
  m.targetArea = m.targetPoints.squeeze(-1).sum(1).unsqueeze(1);
  return m;
}

std::vector<torch::Tensor> HungarianMatcher::costMatrices(const MaskPrediction& prediction,
                                                          const MatcherTargets& targets) const {
  torch::NoGradGuard noGrad;
  const int64_t batch = prediction.logits.size(0);
  TORCH_CHECK(static_cast<int64_t>(targets.labels.size()) == batch,
              "matcher: ", targets.labels.size(), " targets for ", batch, " images");
  const torch::Tensor masks = prediction.masks.detach().to(torch::kFloat32);  // [B,Q,h,w]
  const torch::Tensor probs = prediction.logits.detach().to(torch::kFloat32).softmax(-1);
  const int64_t q = masks.size(1), numPoints = targets.points.size(1),
                maxTargets = targets.targetPoints.size(2);
  std::vector<torch::Tensor> costs;
  if (maxTargets == 0) {
    for (int64_t b = 0; b < batch; ++b) costs.push_back(torch::zeros({q, 0}, probs.options()));
    return costs;
  }
  torch::Tensor predPoints =
      pointSample(masks, targets.points.expand({batch, numPoints, 2}));  // [B,Q,P]
  // Both mask costs need one product with the targets: logits.t and sigmoid.t.
  torch::Tensor sig = predPoints.sigmoid();
  torch::Tensor products = groupedMatmul(torch::cat({predPoints, sig}, 1), targets.targetPoints)
                               .squeeze(-1);  // [B,2Q,Nmax]
  torch::Tensor logitDot = products.narrow(1, 0, q);
  torch::Tensor sigDot = products.narrow(1, q, q);
  // Mean BCE over points: (sum softplus(x) - x.t) / P.
  torch::Tensor costMask =
      (torch::softplus(predPoints).sum(-1, true) - logitDot) / static_cast<double>(numPoints);
  torch::Tensor costDice =
      1.0 - (2.0 * sigDot + 1.0) / (sig.sum(-1, true) + targets.targetArea + 1.0);
  for (int64_t b = 0; b < batch; ++b) {
    const torch::Tensor& labels = targets.labels[static_cast<size_t>(b)];
    const int64_t n = labels.size(0);
    torch::Tensor costClass = -probs[b].index_select(1, labels);  // [Q,N]
    costs.push_back(options_.costClass * costClass +
                    options_.costMask * costMask[b].narrow(1, 0, n) +
                    options_.costDice * costDice[b].narrow(1, 0, n));
  }
  return costs;
}

std::vector<MatchIndices> HungarianMatcher::match(const MaskPrediction& prediction,
                                                  const MatcherTargets& targets) const {
  std::vector<MatchIndices> result;
  for (const torch::Tensor& cost : costMatrices(prediction, targets)) {
    const int rows = static_cast<int>(cost.size(0)), cols = static_cast<int>(cost.size(1));
    torch::Tensor c = cost.to(torch::kCPU, torch::kFloat64).contiguous();
    std::vector<double> values(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
    std::vector<int64_t> pred, target;
    for (auto [r, col] : linearSumAssignment(values, rows, cols)) {
      pred.push_back(r);
      target.push_back(col);
    }
    const auto m = static_cast<int64_t>(pred.size());
    result.push_back({torch::tensor(pred, torch::kInt64).view({m}),
                      torch::tensor(target, torch::kInt64).view({m})});
  }
  return result;
}

std::vector<MatchIndices> HungarianMatcher::match(
    const MaskPrediction& prediction, const std::vector<TargetInstances>& targets) const {
  return match(prediction, prepare(targets, prediction.masks.size(2) * prediction.masks.size(3),
                                   prediction.masks.device()));
}

}  // namespace distillery
