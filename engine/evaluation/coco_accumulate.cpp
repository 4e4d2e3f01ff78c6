#include "engine/evaluation/coco_accumulate.h"

#include <algorithm>
#include <limits>

namespace distillery {
namespace {

// np.spacing(1): pycocotools adds it to the precision denominator.
constexpr double kSpacingOfOne = std::numeric_limits<double>::epsilon();

struct RankedDetection {
  double score;
  uint32_t eval;  // index into the category's evals
  uint32_t det;   // detection index within that image
};

}  // namespace

void accumulateCoco(const std::vector<std::vector<const CocoImageEval*>>& evals,
                    CocoEvalResult& result) {
  const CocoEvalParams& p = result.params;
  const size_t T = p.iouThresholds.size(), R = p.recallThresholds.size(),
               K = result.numCategories(), A = p.areaRanges.size(), M = p.maxDets.size();
  DST_CHECK(evals.size() == K);
  result.precision.assign(T * R * K * A * M, -1.0);
  result.recall.assign(T * K * A * M, -1.0);
  const auto precisionIndex = [&](size_t t, size_t r, size_t k, size_t a, size_t m) {
    return (((t * R + r) * K + k) * A + a) * M + m;
  };
  const auto recallIndex = [&](size_t t, size_t k, size_t a, size_t m) {
    return ((t * K + k) * A + a) * M + m;
  };

  std::vector<RankedDetection> ranked;
  std::vector<double> rc, pr;
  for (size_t k = 0; k < K; ++k) {
    const std::vector<const CocoImageEval*>& images = evals[k];
    if (images.empty()) continue;
    for (size_t m = 0; m < M; ++m) {
      // The first maxDets detections of every image, concatenated in image order, then
      // sorted by score with a stable sort (np.argsort(-scores, kind='mergesort')).
      const size_t maxDet = static_cast<size_t>(p.maxDets[m]);
      ranked.clear();
      for (size_t e = 0; e < images.size(); ++e) {
        const size_t n = std::min(images[e]->numDetections(), maxDet);
        for (size_t d = 0; d < n; ++d)
          ranked.push_back({images[e]->scores[d], static_cast<uint32_t>(e), static_cast<uint32_t>(d)});
      }
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const RankedDetection& x, const RankedDetection& y) {
                         return x.score > y.score;
                       });
      const size_t nd = ranked.size();
      for (size_t a = 0; a < A; ++a) {
        long npig = 0;
        for (const CocoImageEval* e : images) npig += e->numCountedGt[a];
        if (npig == 0) continue;  // no ground truth that counts: stays -1
        for (size_t t = 0; t < T; ++t) {
          // Cumulative true/false positives; ignored detections keep their place.
          rc.resize(nd);
          pr.resize(nd);
          double tp = 0, fp = 0;
          for (size_t i = 0; i < nd; ++i) {
            const DetectionOutcome o = images[ranked[i].eval]->outcome(a, t, ranked[i].det);
            if (o == DetectionOutcome::kTruePositive) tp += 1;
            else if (o == DetectionOutcome::kFalsePositive) fp += 1;
            rc[i] = tp / static_cast<double>(npig);
            pr[i] = tp / (fp + tp + kSpacingOfOne);
          }
          result.recall[recallIndex(t, k, a, m)] = nd ? rc[nd - 1] : 0;
          // Precision envelope: monotone non-increasing, made from the right.
          for (size_t i = nd; i-- > 1;)
            if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
          // Sample at each recall threshold: first i with rc[i] >= r (searchsorted
          // side='left'); thresholds beyond the reached recall keep precision 0.
          size_t i = 0;
          for (size_t r = 0; r < R; ++r) {
            const double thr = p.recallThresholds[r];
            while (i < nd && rc[i] < thr) ++i;
            result.precision[precisionIndex(t, r, k, a, m)] = i < nd ? pr[i] : 0.0;
          }
        }
      }
    }
  }
}

}  // namespace distillery
