// Matching of one image and one category, as pycocotools' COCOeval.evaluateImg,
// done for every area range at once (the IoUs and the detection order are shared).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/evaluation/coco_eval_params.h"

namespace distillery {

// What a detection counts as at one IoU threshold and area range.
enum class DetectionOutcome : uint8_t { kFalsePositive = 0, kTruePositive = 1, kIgnored = 2 };

// ious[d][g] of detections against ground truths, with crowd semantics; the shape of
// rle::iouMatrix, which is the default. The benchmark swaps in a pixel baseline.
using MaskIouFunction = std::function<std::vector<std::vector<double>>(
    const std::vector<Rle>& dts, const std::vector<Rle>& gts, const std::vector<bool>& gtIsCrowd)>;

struct CocoImageEval {
  int64_t imageId = 0;
  int64_t categoryId = 0;
  // Detections, highest score first (stable), at most maxDets.back() of them.
  std::vector<double> scores;
  std::vector<int64_t> detectionIds;
  // outcomes[a][t * D + d] for area range a, IoU threshold t, detection d.
  std::vector<std::vector<DetectionOutcome>> outcomes;
  // Ground truths that count (neither crowd nor outside area range a), per a.
  std::vector<int> numCountedGt;

  size_t numDetections() const { return scores.size(); }
  DetectionOutcome outcome(size_t area, size_t t, size_t d) const {
    return outcomes[area][t * scores.size() + d];
  }
};

// The area pycocotools uses: the stored `area` field when set (ground truth: the
// annotation's area; results: what loadRes put there), else the mask's pixel count.
double evaluationArea(const Instance& instance);

// gt and dt belong to one image and one category, each in file order (the order
// breaks ties, as in pycocotools). Both may be empty.
CocoImageEval evaluateImageCategory(int64_t imageId, int64_t categoryId,
                                    const std::vector<const Instance*>& gt,
                                    const std::vector<const Instance*>& dt,
                                    const CocoEvalParams& params, const MaskIouFunction& iou);

}  // namespace distillery
