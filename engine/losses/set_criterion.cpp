#include "engine/losses/set_criterion.h"

#include "engine/losses/point_sampling.h"

namespace distillery {

namespace F = torch::nn::functional;

namespace {

double weightOf(const std::string& key, const SetCriterionOptions& o) {
  if (key.rfind("loss_ce", 0) == 0) return o.classWeight;
  if (key.rfind("loss_mask", 0) == 0) return o.maskWeight;
  if (key.rfind("loss_dice", 0) == 0) return o.diceWeight;
  return 0.0;
}

}  // namespace

SetCriterion::SetCriterion(SetCriterionOptions options)
    : options_(options),
      matcher_(MatcherOptions{options.classWeight, options.maskWeight, options.diceWeight, 0}) {}

LossDict SetCriterion::operator()(const std::vector<MaskPrediction>& predictions,
                                  const std::vector<TargetInstances>& targets) const {
  TORCH_CHECK(!predictions.empty(), "set criterion: no predictions");
  for (const auto& t : targets) {
    TORCH_CHECK(t.labels.dim() == 1 && t.masks.dim() == 3 && t.masks.size(0) == t.labels.size(0),
                "set criterion: target needs labels [N] and masks [N,H,W]");
    if (t.labels.numel() > 0)
      TORCH_CHECK(t.labels.min().item<int64_t>() >= 0 &&
                      t.labels.max().item<int64_t>() < options_.numClasses,
                  "set criterion: target label outside [0, ", options_.numClasses, ")");
  }
  LossDict all;
  const size_t n = predictions.size();
  const size_t first = options_.deepSupervision ? 0 : n - 1;
  const torch::Tensor& masks = predictions.back().masks;
  const MatcherTargets prepared =
      matcher_.prepare(targets, masks.size(2) * masks.size(3), masks.device());
  for (size_t i = first; i < n; ++i) {
    const std::string suffix = i + 1 == n ? "" : "_" + std::to_string(i);
    LossDict l = losses(predictions[i], targets, matcher_.match(predictions[i], prepared), suffix);
    all.insert(l.begin(), l.end());
  }
  return all;
}

LossDict SetCriterion::losses(const MaskPrediction& prediction,
                              const std::vector<TargetInstances>& targets,
                              const std::vector<MatchIndices>& matches,
                              const std::string& suffix) const {
  const torch::Tensor& logits = prediction.logits;  // [B,Q,K+1]
  const torch::Tensor& masks = prediction.masks;    // [B,Q,h,w]
  const int64_t batch = logits.size(0), queries = logits.size(1), k = options_.numClasses;
  TORCH_CHECK(logits.size(2) == k + 1, "set criterion: logits have ", logits.size(2),
              " classes, expected ", k + 1);
  const auto longOpts = torch::TensorOptions().dtype(torch::kInt64).device(logits.device());

  // Classification: matched queries take their target's class, the rest no-object.
  torch::Tensor targetClasses = torch::full({batch, queries}, k, longOpts);
  int64_t numMasks = 0;
  std::vector<int64_t> srcIndex;  // b * Q + query, into masks flattened over (B,Q)
  std::vector<torch::Tensor> tgt;
  for (int64_t b = 0; b < batch; ++b) {
    const auto& t = targets[static_cast<size_t>(b)];
    const auto& m = matches[static_cast<size_t>(b)];
    numMasks += t.labels.size(0);
    if (m.pred.numel() == 0) continue;
    const torch::Tensor pred = m.pred.to(logits.device()), target = m.target.to(t.labels.device());
    targetClasses[b].index_put_({pred}, t.labels.index_select(0, target).to(logits.device()));
    const auto* p = m.pred.data_ptr<int64_t>();
    for (int64_t i = 0; i < m.pred.numel(); ++i) srcIndex.push_back(b * queries + p[i]);
    tgt.push_back(t.masks.index_select(0, target.to(t.masks.device())));
  }
  torch::Tensor classWeights = torch::ones({k + 1}, logits.options());
  classWeights[k] = options_.noObjectWeight;
  LossDict out;
  out["loss_ce" + suffix] =
      F::cross_entropy(logits.transpose(1, 2).to(torch::kFloat32), targetClasses,
                       F::CrossEntropyFuncOptions().weight(classWeights.to(torch::kFloat32)));

  // Masks: BCE and dice on importance-sampled points, normalised by the target count.
  const double norm = static_cast<double>(std::max<int64_t>(numMasks, 1));
  if (srcIndex.empty()) {
    out["loss_mask" + suffix] = masks.sum() * 0.0;
    out["loss_dice" + suffix] = masks.sum() * 0.0;
    return out;
  }
  torch::Tensor index = torch::tensor(srcIndex, longOpts.device(torch::kCPU)).to(masks.device());
  torch::Tensor srcMasks =
      masks.flatten(0, 1).index_select(0, index).unsqueeze(1).to(torch::kFloat32);  // [M,1,h,w]
  torch::Tensor tgtMasks =
      torch::cat(tgt).unsqueeze(1).to(masks.device(), torch::kFloat32);  // [M,1,H,W]
  const int64_t numPoints =
      options_.numPoints > 0 ? options_.numPoints : masks.size(2) * masks.size(3);
  torch::Tensor points = uncertainPointCoordsWithRandomness(
      srcMasks.detach(), numPoints, options_.oversampleRatio, options_.importanceSampleRatio);
  torch::Tensor labels;
  {
    torch::NoGradGuard noGrad;
    labels = pointSample(tgtMasks, points).squeeze(1);  // [M,P]
  }
  torch::Tensor pointLogits = pointSample(srcMasks, points).squeeze(1);  // [M,P]
  torch::Tensor bce = F::binary_cross_entropy_with_logits(
      pointLogits, labels, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
  out["loss_mask" + suffix] = bce.mean(1).sum() / norm;
  torch::Tensor p = pointLogits.sigmoid();
  torch::Tensor dice =
      1.0 - (2.0 * (p * labels).sum(-1) + 1.0) / (p.sum(-1) + labels.sum(-1) + 1.0);
  out["loss_dice" + suffix] = dice.sum() / norm;
  return out;
}

torch::Tensor SetCriterion::total(const LossDict& losses) const {
  torch::Tensor sum;
  for (const auto& [key, value] : losses) {
    const double w = weightOf(key, options_);
    if (w == 0.0) continue;
    sum = sum.defined() ? sum + w * value : w * value;
  }
  TORCH_CHECK(sum.defined(), "set criterion: no weighted loss terms");
  return sum;
}

}  // namespace distillery
