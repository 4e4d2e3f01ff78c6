// Turns one image's teacher predictions into pseudo-labels (METHODS.md §1-2):
//   drop queries whose argmax class is no-object; keep those whose class
//   probability > classThreshold; mask = sigmoid > maskThreshold; drop masks whose
//   area is too small -- by pixel count (CAST) or by the sum of mask sigmoids at
//   mask-logit resolution (Guided Distillation's "> 5"). Optionally one label per object:
//   a query whose mask overlaps a better-scored kept one above duplicateIou is dropped
//   (mask NMS, as a detector-prompted teacher's pipeline does). All thresholds are config.
#pragma once

#include <torch/torch.h>

namespace distillery {

struct PseudoLabelFilterConfig {
  double classThreshold = 0.7;
  double maskThreshold = 0.5;
  int64_t minMaskPixels = 4;     // binary mask area at mask-logit resolution
  double minMaskSigmoidSum = 0;  // Guided Distillation uses 5
  double duplicateIou = 0;       // 0: keep duplicates; e.g. 0.7: one label per object
};

struct PseudoLabels {
  torch::Tensor labels;  // [N] int64 class index (0..K-1)
  torch::Tensor masks;   // [N, h, w] float {0,1} at mask-logit resolution
  torch::Tensor scores;  // [N] class probability x mask quality
  torch::Tensor classProbs;  // [N] class probability alone
  torch::Tensor maskLogits;  // [N, h, w] the kept queries' mask logits
};

class PseudoLabelFilter {
 public:
  explicit PseudoLabelFilter(PseudoLabelFilterConfig config) : config_(config) {}
  const PseudoLabelFilterConfig& config() const { return config_; }

  // logits [Q, K+1], maskLogits [Q, h, w] of one image.
  PseudoLabels operator()(const torch::Tensor& logits, const torch::Tensor& maskLogits) const;
  // The kept masks at h x w as {0,1}: the logits upsampled (bilinear) and then thresholded,
  // as Mask2Former inference draws its masks, not the stride-4 binary mask enlarged.
  torch::Tensor masksAt(const PseudoLabels& labels, int64_t h, int64_t w) const;
  // The mask threshold as a logit: sigmoid(x) > maskThreshold <=> x > maskLogitThreshold().
  double maskLogitThreshold() const;

 private:
  torch::Tensor withoutDuplicates(const torch::Tensor& idx, const torch::Tensor& binary,
                                  const torch::Tensor& score) const;
  PseudoLabelFilterConfig config_;
};

}  // namespace distillery
