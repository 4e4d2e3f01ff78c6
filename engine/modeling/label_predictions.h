// Predictions of a perfect model, made from labels: what the negatives inspector
// samples from in its confident case (InspectionOptions::labelsAsPredictions).
// Query 0 claims the background (class "no object"), query k the k-th instance with
// its class, each with probability ~1. Internal (torch).
#pragma once

#include <torch/torch.h>

#include <opencv2/core.hpp>
#include <vector>

namespace distillery {

struct LabelPredictions {
  torch::Tensor maskLogits;   // [B, Q, h, w]
  torch::Tensor classLogits;  // [B, Q, K+1], last column = no object
};

// instanceIds: per image a CV_32S map at prediction resolution (h x w, all the same
// size): 0 = background, k = instance k (1-based). classes: per image the class index
// (0..K-1) of each instance. `logit` sets the confidence: softmax(±logit) ~ 1.
LabelPredictions labelPredictions(const std::vector<cv::Mat>& instanceIds,
                                  const std::vector<std::vector<int64_t>>& classes,
                                  int64_t numClasses, double logit = 20.0);

}  // namespace distillery
