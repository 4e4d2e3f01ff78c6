// The evaluator interface, in detectron2's shape (evaluation/evaluator.py):
// reset() before a pass, process() once per image, evaluate() at the end.
// An evaluation hook runs a list of these and writes the results into the same
// event storage as the losses, so AP curves are plotted like loss curves.
#pragma once

#include <map>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace distillery {

// One image as evaluators see it: its record, the ground truth and what the model
// predicted. Instance evaluators read the instances, semantic ones the label maps.
struct EvalImage {
  const ImageRecord* image = nullptr;
  std::vector<const Instance*> groundTruth;  // human labels, crowds included
  std::vector<const Instance*> predictions;  // scored instances
  cv::Mat gtLabels;    // HxW class per pixel (CV_8U/CV_16U/CV_32S), for semantic evaluation
  cv::Mat predLabels;  // HxW predicted class per pixel
};

// Flat metric names ("segm/AP", "segm/AP50-person", "sem_seg/mIoU") to values.
using EvaluationResults = std::map<std::string, double>;

class DatasetEvaluator {
 public:
  virtual ~DatasetEvaluator() = default;
  // Forgets everything processed so far.
  virtual void reset() = 0;
  // Adds one image; each image is processed at most once per pass.
  virtual void process(const EvalImage& image) = 0;
  // Computes the metrics of everything processed since reset().
  virtual EvaluationResults evaluate() = 0;
};

}  // namespace distillery
