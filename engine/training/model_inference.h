// Running a segmentation model over a training set's evaluation views, for
// evaluation (AP on the val split) and for offline pseudo-labelling.
#pragma once

#include <functional>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/training_set.h"
#include "engine/training/pseudo_label_filter.h"
#include "engine/training/segmentation_model.h"

namespace distillery {

// Calls fn(index, logits [Q,K+1], maskLogits [Q,h,w]) per image of `set`, in
// eval mode without gradients, `batch` images at a time at `size` px.
void forEachPrediction(SegmentationModel& model, const TrainingSet& set, int size, int batch,
                       const std::function<void(size_t, const torch::Tensor&, const torch::Tensor&)>& fn);

struct ModelScore {
  double ap = 0;
  double ap50 = 0;
  double msPerImage = 0;          // forward pass per image (batches of 8), no post-processing
  std::map<std::string, double> perCategoryAp;  // category name -> AP
};

// COCO mask AP of the model's predictions on `set` against `groundTruth`.
Result<ModelScore> evaluateModel(SegmentationModel& model, const TrainingSet& set, const Dataset& groundTruth,
                                 const std::vector<int64_t>& categoryIds, int size);

// Offline pseudo-labels for every image of `pool`: a Dataset with the pool's images
// and teacher instances (masks at the source resolution, status pending by convention).
Dataset pseudoLabel(SegmentationModel& model, const TrainingSet& pool, const std::vector<Category>& categories,
                    const std::vector<int64_t>& categoryIds, const PseudoLabelFilter& filter, int size);

}  // namespace distillery
