// COCO mask AP with pycocotools' COCOeval(iouType='segm') semantics: the evaluator
// and a whole-dataset helper for the CLI. docs/evaluation.md lists every rule kept.
#pragma once

#include <map>
#include <set>

#include "engine/evaluation/coco_accumulate.h"
#include "engine/evaluation/coco_eval_result.h"
#include "engine/evaluation/coco_image_eval.h"
#include "engine/evaluation/evaluator.h"

namespace distillery {

class CocoMaskEvaluator : public DatasetEvaluator {
 public:
  // categories: all categories of the ground truth (pycocotools' catIds). Instances of
  // other categories are skipped, as pycocotools' category filter does.
  explicit CocoMaskEvaluator(std::vector<Category> categories,
                             CocoEvalParams params = CocoEvalParams::segm(),
                             MaskIouFunction iou = rle::iouMatrix);

  void reset() override;
  // Matches the image's detections against its ground truth right away and keeps
  // only the outcomes; the masks are not retained.
  void process(const EvalImage& image) override;
  // "segm/AP", "segm/AP50", ... (the 12 stats, see CocoStat) and "segm/AP-<name>",
  // "segm/AP50-<name>" per category; values in [0, 1], -1 when undefined.
  EvaluationResults evaluate() override;

  // The full result of everything processed since reset(): arrays, stats, per category.
  CocoEvalResult result() const;
  const CocoEvalParams& params() const { return params_; }

 private:
  std::vector<Category> categories_;  // ascending id
  std::map<int64_t, size_t> categoryIndex_;
  CocoEvalParams params_;
  MaskIouFunction iou_;
  // evals_[k]: per-image evaluations of category k, in processing order.
  std::vector<std::vector<CocoImageEval>> evals_;
  std::set<int64_t> processedImages_;
  size_t numDetections_ = 0;
};

// Names of the 12 stats in the order of CocoStat: AP, AP50, AP75, APs, APm, APl,
// AR1, AR10, AR100, ARs, ARm, ARl.
const std::vector<std::string>& cocoStatNames();

// Evaluates `results` (instances with scores) against `groundTruth` over all ground
// truth images and categories, as COCOeval(gt, gt.loadRes(results), 'segm').
// Fails, naming the record (index in results.instances), when a result is on an
// image or category the ground truth lacks, or its mask size differs from the image.
Result<CocoEvalResult> evaluateCocoMasks(const Dataset& groundTruth, const Dataset& results,
                                         CocoEvalParams params = CocoEvalParams::segm(),
                                         MaskIouFunction iou = rle::iouMatrix);

}  // namespace distillery
