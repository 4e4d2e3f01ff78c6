// Follows COCOeval.computeIoU and COCOeval.evaluateImg step by step; the comments
// name the pycocotools behaviour each step keeps.
#include "engine/evaluation/coco_image_eval.h"

#include <algorithm>
#include <numeric>

namespace distillery {

double evaluationArea(const Instance& instance) {
  return instance.area >= 0 ? instance.area : static_cast<double>(rle::area(instance.mask));
}

namespace {

// Indices of dt sorted by score, highest first; stable like np.argsort(-s, 'mergesort').
std::vector<size_t> scoreOrder(const std::vector<const Instance*>& dt) {
  std::vector<size_t> order(dt.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&dt](size_t a, size_t b) { return dt[a]->score > dt[b]->score; });
  return order;
}

}  // namespace

CocoImageEval evaluateImageCategory(int64_t imageId, int64_t categoryId,
                                    const std::vector<const Instance*>& gt,
                                    const std::vector<const Instance*>& dt,
                                    const CocoEvalParams& params, const MaskIouFunction& iou) {
  DST_CHECK(!params.maxDets.empty() && !params.iouThresholds.empty());
  CocoImageEval out;
  out.imageId = imageId;
  out.categoryId = categoryId;

  // Highest score first, cut at the largest maxDets (computeIoU and evaluateImg agree).
  std::vector<size_t> order = scoreOrder(dt);
  if (order.size() > static_cast<size_t>(params.maxDets.back()))
    order.resize(static_cast<size_t>(params.maxDets.back()));
  const size_t D = order.size(), G = gt.size(), T = params.iouThresholds.size();
  std::vector<Rle> dtMasks, gtMasks;
  std::vector<bool> crowd(G);
  std::vector<double> dtArea(D), gtArea(G);
  dtMasks.reserve(D);
  gtMasks.reserve(G);
  out.scores.reserve(D);
  out.detectionIds.reserve(D);
  for (size_t d = 0; d < D; ++d) {
    const Instance& inst = *dt[order[d]];
    dtMasks.push_back(inst.mask);
    dtArea[d] = evaluationArea(inst);
    out.scores.push_back(inst.score);
    out.detectionIds.push_back(inst.id);
  }
  for (size_t g = 0; g < G; ++g) {
    gtMasks.push_back(gt[g]->mask);
    crowd[g] = gt[g]->iscrowd;
    gtArea[g] = evaluationArea(*gt[g]);
  }
  // mask.iou returns [] when either side is empty: then nothing is matched.
  std::vector<std::vector<double>> ious;
  if (D > 0 && G > 0) ious = iou(dtMasks, gtMasks, crowd);

  const size_t A = params.areaRanges.size();
  out.outcomes.assign(A, std::vector<DetectionOutcome>(T * D, DetectionOutcome::kFalsePositive));
  out.numCountedGt.assign(A, 0);
  std::vector<uint8_t> gtIgnore(G);
  std::vector<size_t> gtOrder(G);
  std::vector<uint8_t> gtTaken(G);
  for (size_t a = 0; a < A; ++a) {
    const AreaRange& range = params.areaRanges[a];
    // Crowds and ground truths outside the range are ignored; ignored ones go last
    // (a stable sort, so file order holds within each group).
    for (size_t g = 0; g < G; ++g) {
      gtIgnore[g] = crowd[g] || gtArea[g] < range.min || gtArea[g] > range.max;
      if (!gtIgnore[g]) ++out.numCountedGt[a];
    }
    std::iota(gtOrder.begin(), gtOrder.end(), 0);
    std::stable_sort(gtOrder.begin(), gtOrder.end(),
                     [&gtIgnore](size_t x, size_t y) { return gtIgnore[x] < gtIgnore[y]; });

    std::vector<DetectionOutcome>& result = out.outcomes[a];
    for (size_t t = 0; t < T; ++t) {
      std::fill(gtTaken.begin(), gtTaken.end(), uint8_t{0});
      for (size_t d = 0; d < D; ++d) {
        bool matched = false, ignored = false;
        if (!ious.empty()) {
          double best = std::min(params.iouThresholds[t], 1 - 1e-10);
          long m = -1;  // position in gtOrder of the best match so far
          for (size_t k = 0; k < G; ++k) {
            const size_t g = gtOrder[k];
            // A matched regular ground truth is not matched again; a crowd can be.
            if (gtTaken[k] && !crowd[g]) continue;
            // Matched to a regular ground truth and only ignored ones remain: stop.
            if (m > -1 && !gtIgnore[gtOrder[static_cast<size_t>(m)]] && gtIgnore[g]) break;
            // Ties go to the later ground truth (`<`, not `<=`).
            if (ious[d][g] < best) continue;
            best = ious[d][g];
            m = static_cast<long>(k);
          }
          if (m > -1) {
            const size_t g = gtOrder[static_cast<size_t>(m)];
            gtTaken[static_cast<size_t>(m)] = 1;
            ignored = gtIgnore[g];
            matched = !(params.zeroGtIdCountsAsUnmatched && gt[g]->id == 0);
          }
        }
        // Unmatched detections outside the area range are ignored, not false positives.
        if (!matched && (dtArea[d] < range.min || dtArea[d] > range.max)) ignored = true;
        result[t * D + d] = ignored   ? DetectionOutcome::kIgnored
                            : matched ? DetectionOutcome::kTruePositive
                                      : DetectionOutcome::kFalsePositive;
      }
    }
  }
  return out;
}

}  // namespace distillery
