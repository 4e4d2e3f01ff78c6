#include "engine/training/pseudo_label_filter.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace distillery {

// Greedy mask NMS over the kept queries, best score first; the survivors stay in query order.
torch::Tensor PseudoLabelFilter::withoutDuplicates(const torch::Tensor& idx, const torch::Tensor& binary,
                                                   const torch::Tensor& score) const {
  const auto masks = binary.index_select(0, idx).flatten(1).to(torch::kFloat);  // [N, hw]
  const auto order = score.index_select(0, idx).argsort(0, true).contiguous();
  const auto inter = masks.mm(masks.t());
  const auto area = masks.sum(1);
  const auto iou = (inter / (area.unsqueeze(1) + area.unsqueeze(0) - inter).clamp_min(1.0)).cpu().contiguous();
  const auto iouA = iou.accessor<float, 2>();
  const auto orderCpu = order.cpu();
  const auto orderA = orderCpu.accessor<int64_t, 1>();
  std::vector<int64_t> kept;
  for (int64_t r = 0; r < orderCpu.numel(); ++r) {
    const int64_t i = orderA[r];
    const bool duplicate =
        std::any_of(kept.begin(), kept.end(), [&](int64_t k) { return iouA[i][k] > config_.duplicateIou; });
    if (!duplicate) kept.push_back(i);
  }
  std::sort(kept.begin(), kept.end());
  return idx.index_select(0, torch::tensor(kept, torch::kLong).to(idx.device()));
}

PseudoLabels PseudoLabelFilter::operator()(const torch::Tensor& logits,
                                           const torch::Tensor& maskLogits) const {
  torch::NoGradGuard noGrad;
  const int64_t noObject = logits.size(1) - 1;
  const auto probs = logits.softmax(-1);
  auto [maxProb, argmax] = probs.max(-1);
  const auto sig = maskLogits.sigmoid();
  const auto binary = (sig > config_.maskThreshold).to(sig.dtype());
  const auto area = binary.flatten(1).sum(1);
  auto keep = (argmax != noObject) & (maxProb > config_.classThreshold) &
              (area >= static_cast<double>(config_.minMaskPixels));
  if (config_.minMaskSigmoidSum > 0) keep &= sig.flatten(1).sum(1) > config_.minMaskSigmoidSum;
  // Mask quality: mean sigmoid inside the binary mask (Mask2Former's instance score).
  const auto quality = (sig * binary).flatten(1).sum(1) / area.clamp_min(1.0);
  const auto score = maxProb * quality;
  auto idx = keep.nonzero().squeeze(1);
  if (config_.duplicateIou > 0 && idx.numel() > 1) idx = withoutDuplicates(idx, binary, score);
  PseudoLabels out;
  out.labels = argmax.index_select(0, idx);
  out.masks = binary.index_select(0, idx);
  out.classProbs = maxProb.index_select(0, idx);
  out.scores = score.index_select(0, idx);
  out.maskLogits = maskLogits.index_select(0, idx);
  return out;
}

double PseudoLabelFilter::maskLogitThreshold() const {
  const double t = std::clamp(config_.maskThreshold, 1e-6, 1 - 1e-6);
  return std::log(t / (1 - t));
}

torch::Tensor PseudoLabelFilter::masksAt(const PseudoLabels& labels, int64_t h, int64_t w) const {
  namespace F = torch::nn::functional;
  torch::NoGradGuard noGrad;
  if (labels.maskLogits.size(0) == 0) return torch::zeros({0, h, w}, labels.maskLogits.options());
  const auto up = F::interpolate(labels.maskLogits.unsqueeze(0),
                                 F::InterpolateFuncOptions().size(std::vector<int64_t>{h, w})
                                     .mode(torch::kBilinear).align_corners(false))[0];
  return (up > maskLogitThreshold()).to(labels.maskLogits.dtype());
}

}  // namespace distillery
