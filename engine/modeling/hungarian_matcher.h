// Mask2Former's bipartite matcher: per image, the assignment of predictions to
// ground-truth instances minimising 2*class + 5*mask BCE + 5*dice, the mask terms
// on points sampled uniformly and shared by prediction and target. Internal (torch).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "engine/modeling/target_instances.h"
#include "engine/modeling/transformer_decoder.h"

namespace distillery {

struct MatcherOptions {
  double costClass = 2.0;
  double costMask = 5.0;
  double costDice = 5.0;
  int64_t numPoints = 0;  // 0: as many as the predicted masks have pixels
};

struct MatchIndices {
  torch::Tensor pred;    // [M] int64 query indices, ascending
  torch::Tensor target;  // [M] int64 target indices
};

// Targets sampled once at shared uniform points, reused for every decoder layer.
struct MatcherTargets {
  torch::Tensor points;               // [1,P,2] in [0,1]
  torch::Tensor targetPoints;         // [B,P,Nmax,1], zero beyond each image's N
  torch::Tensor targetArea;           // [B,1,Nmax] target points inside each mask
  std::vector<torch::Tensor> labels;  // [N] per image
};

class HungarianMatcher {
 public:
  explicit HungarianMatcher(MatcherOptions options = {}) : options_(options) {}
  // Samples the targets; maskPixels (h*w of the predicted masks) sets the point count
  // when options.numPoints is 0.
  MatcherTargets prepare(const std::vector<TargetInstances>& targets, int64_t maskPixels,
                         const torch::Device& device) const;
  // One MatchIndices per image; M = min(Q, N) pairs. No gradient.
  std::vector<MatchIndices> match(const MaskPrediction& prediction,
                                  const MatcherTargets& targets) const;
  std::vector<MatchIndices> match(const MaskPrediction& prediction,
                                  const std::vector<TargetInstances>& targets) const;
  // The cost matrices [Q,N] per image (for tests and inspection).
  std::vector<torch::Tensor> costMatrices(const MaskPrediction& prediction,
                                          const MatcherTargets& targets) const;

 private:
  MatcherOptions options_;
};

}  // namespace distillery
