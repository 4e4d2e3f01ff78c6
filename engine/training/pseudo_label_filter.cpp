#include "engine/training/pseudo_label_filter.h"

namespace distillery {

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
  const auto idx = keep.nonzero().squeeze(1);
  PseudoLabels out;
  out.labels = argmax.index_select(0, idx);
  out.masks = binary.index_select(0, idx);
  out.classProbs = maxProb.index_select(0, idx);
  // Mask quality: mean sigmoid inside the binary mask (Mask2Former's instance score).
  const auto quality = (sig * binary).flatten(1).sum(1) / area.clamp_min(1.0);
  out.scores = out.classProbs * quality.index_select(0, idx);
  return out;
}

}  // namespace distillery
