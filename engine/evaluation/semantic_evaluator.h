// Semantic segmentation: a confusion matrix over pixels, IoU per class and their
// mean over the classes present (in ground truth or prediction), as detectron2's
// SemSegEvaluator and mmseg report mIoU. Pixels labelled `ignoreLabel` do not count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/evaluation/evaluator.h"

namespace distillery {

struct SemanticResult {
  std::vector<std::string> classNames;
  // confusion[gt * numClasses + pred]; predictions outside 0..N-1 go to column N.
  std::vector<uint64_t> confusion;
  std::vector<double> iou;  // per class; -1 when the class is in neither gt nor prediction
  double meanIou = -1;      // mean of iou over classes present; -1 when none is
  double pixelAccuracy = -1;
  uint64_t countedPixels = 0;
};

class SemanticEvaluator : public DatasetEvaluator {
 public:
  explicit SemanticEvaluator(std::vector<std::string> classNames, int ignoreLabel = 255);

  void reset() override;
  // Reads image.gtLabels and image.predLabels (same size, integer types). Throws
  // UserError when a ground truth pixel is neither a class nor the ignore label, or
  // when the sizes differ.
  void process(const EvalImage& image) override;
  // "sem_seg/mIoU", "sem_seg/pACC" and "sem_seg/IoU-<name>" (in [0, 1], -1 undefined).
  EvaluationResults evaluate() override;

  SemanticResult result() const;
  // Adds one label-map pair; `what` names the image in errors.
  void add(const cv::Mat& gtLabels, const cv::Mat& predLabels, const std::string& what);

 private:
  std::vector<std::string> classNames_;
  int ignoreLabel_;
  size_t numClasses_;
  std::vector<uint64_t> confusion_;  // numClasses_ x (numClasses_ + 1)
};

}  // namespace distillery
