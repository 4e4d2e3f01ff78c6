// How good a set of pseudo-labels is, measured against held-back ground truth (the
// benchmark protocol knows the pool's true masks): greedy one-to-one matching per image
// and class at a mask-IoU threshold, highest score first (COCO's matching order).
#pragma once

#include "engine/data/dataset.h"

namespace distillery {

struct PseudoLabelQuality {
  int64_t pseudoLabels = 0;   // instances proposed
  int64_t truth = 0;          // non-crowd ground-truth instances on the same images
  int64_t matched = 0;        // proposals matched to a ground truth of their class
  double precision() const { return pseudoLabels ? static_cast<double>(matched) / pseudoLabels : 0; }
  double recall() const { return truth ? static_cast<double>(matched) / truth : 0; }
};

// Only images present in `pseudo` are counted (an image with no proposal still counts
// its ground truth). Masks of different sizes never match.
PseudoLabelQuality measurePseudoLabels(const Dataset& pseudo, const Dataset& truth, double iouThreshold = 0.5);

}  // namespace distillery
