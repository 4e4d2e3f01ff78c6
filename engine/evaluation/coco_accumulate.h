// pycocotools' COCOeval.accumulate: per category, area range and maxDets, one
// precision/recall curve over the detections of all images, sampled at the recall
// thresholds.
#pragma once

#include <vector>

#include "engine/evaluation/coco_eval_result.h"
#include "engine/evaluation/coco_image_eval.h"

namespace distillery {

// evals[k] holds category k's per-image evaluations in ascending image id order (that
// order breaks score ties across images). `result` has params and categoryIds set;
// its precision and recall arrays are filled.
void accumulateCoco(const std::vector<std::vector<const CocoImageEval*>>& evals,
                    CocoEvalResult& result);

}  // namespace distillery
