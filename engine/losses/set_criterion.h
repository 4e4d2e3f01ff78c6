// Mask2Former's set loss (METHODS.md §1 "Set loss"), used by L_sup and L_semi:
// Hungarian matching, cross-entropy with the no-object class weighted 0.1, and mask
// BCE + dice on importance-sampled points, applied to every decoder layer.
// Internal (torch).
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "engine/modeling/hungarian_matcher.h"
#include "engine/modeling/target_instances.h"
#include "engine/modeling/transformer_decoder.h"

namespace distillery {

struct SetCriterionOptions {
  int64_t numClasses = 80;
  double noObjectWeight = 0.1;
  double classWeight = 2.0;
  double maskWeight = 5.0;
  double diceWeight = 5.0;
  // Points per mask for the loss; 0 = the predicted mask's pixel count (the paper's
  // 12544 is 112x112 for 1024-pixel images; this scales it to the mask size).
  int64_t numPoints = 0;
  double oversampleRatio = 3.0;
  double importanceSampleRatio = 0.75;
  bool deepSupervision = true;
};

// "loss_ce", "loss_mask", "loss_dice" for the final prediction and "loss_ce_<i>"...
// for the earlier ones (i = 0 is the prediction from the initial queries).
using LossDict = std::map<std::string, torch::Tensor>;

class SetCriterion {
 public:
  explicit SetCriterion(SetCriterionOptions options);

  // predictions: every decoder layer, final last (SegmenterOutput::predictions()).
  // A single prediction (e.g. a TorchScript teacher's final output) works too.
  LossDict operator()(const std::vector<MaskPrediction>& predictions,
                      const std::vector<TargetInstances>& targets) const;
  // The same with precomputed matches, one vector per prediction.
  LossDict losses(const MaskPrediction& prediction, const std::vector<TargetInstances>& targets,
                  const std::vector<MatchIndices>& matches, const std::string& suffix) const;

  // sum over terms and layers of weight * loss.
  torch::Tensor total(const LossDict& losses) const;
  const SetCriterionOptions& options() const { return options_; }
  const HungarianMatcher& matcher() const { return matcher_; }

 private:
  SetCriterionOptions options_;
  HungarianMatcher matcher_;
};

}  // namespace distillery
