#include "engine/evaluation/coco_eval_result.h"

#include "engine/util/status.h"

namespace distillery {

double CocoEvalResult::precisionAt(size_t t, size_t r, size_t k, size_t a, size_t m) const {
  const size_t R = params.recallThresholds.size(), K = numCategories(),
               A = params.areaRanges.size(), M = params.maxDets.size();
  return precision[(((t * R + r) * K + k) * A + a) * M + m];
}

double CocoEvalResult::recallAt(size_t t, size_t k, size_t a, size_t m) const {
  const size_t K = numCategories(), A = params.areaRanges.size(), M = params.maxDets.size();
  return recall[((t * K + k) * A + a) * M + m];
}

double summarizeCoco(const CocoEvalResult& r, bool ap, std::optional<double> iouThreshold,
                     const std::string& areaLabel, int maxDets, std::optional<size_t> category) {
  const CocoEvalParams& p = r.params;
  const int a = p.areaIndex(areaLabel);
  const int m = p.maxDetsIndex(maxDets);
  if (a < 0 || m < 0) return -1;  // pycocotools selects nothing: -1
  size_t tBegin = 0, tEnd = p.iouThresholds.size();
  if (iouThreshold) {
    const int t = p.iouIndex(*iouThreshold);  // np.where(iouThr == p.iouThrs)
    if (t < 0) return -1;
    tBegin = static_cast<size_t>(t);
    tEnd = tBegin + 1;
  }
  size_t kBegin = 0, kEnd = r.numCategories();
  if (category) {
    DST_CHECK(*category < r.numCategories());
    kBegin = *category;
    kEnd = kBegin + 1;
  }
  double sum = 0;
  size_t n = 0;
  const auto add = [&](double v) {
    if (v > -1) {
      sum += v;
      ++n;
    }
  };
  for (size_t t = tBegin; t < tEnd; ++t) {
    for (size_t k = kBegin; k < kEnd; ++k) {
      if (ap) {
        for (size_t q = 0; q < p.recallThresholds.size(); ++q)
          add(r.precisionAt(t, q, k, static_cast<size_t>(a), static_cast<size_t>(m)));
      } else {
        add(r.recallAt(t, k, static_cast<size_t>(a), static_cast<size_t>(m)));
      }
    }
  }
  return n == 0 ? -1 : sum / static_cast<double>(n);
}

void summarizeCoco(CocoEvalResult& r) {
  const std::vector<int>& md = r.params.maxDets;
  DST_CHECK(md.size() >= 3);
  const std::optional<double> all;
  r.stats[kStatAp] = summarizeCoco(r, true, all, "all", 100);
  r.stats[kStatAp50] = summarizeCoco(r, true, .5, "all", md[2]);
  r.stats[kStatAp75] = summarizeCoco(r, true, .75, "all", md[2]);
  r.stats[kStatApSmall] = summarizeCoco(r, true, all, "small", md[2]);
  r.stats[kStatApMedium] = summarizeCoco(r, true, all, "medium", md[2]);
  r.stats[kStatApLarge] = summarizeCoco(r, true, all, "large", md[2]);
  r.stats[kStatAr1] = summarizeCoco(r, false, all, "all", md[0]);
  r.stats[kStatAr10] = summarizeCoco(r, false, all, "all", md[1]);
  r.stats[kStatAr100] = summarizeCoco(r, false, all, "all", md[2]);
  r.stats[kStatArSmall] = summarizeCoco(r, false, all, "small", md[2]);
  r.stats[kStatArMedium] = summarizeCoco(r, false, all, "medium", md[2]);
  r.stats[kStatArLarge] = summarizeCoco(r, false, all, "large", md[2]);

  // Per category as detectron2 reports it: precision[:, :, k, area all, last maxDets].
  r.perCategory.clear();
  for (size_t k = 0; k < r.numCategories(); ++k) {
    CategoryAp c;
    c.id = r.categoryIds[k];
    c.name = k < r.categoryNames.size() ? r.categoryNames[k] : std::to_string(c.id);
    c.ap = summarizeCoco(r, true, all, "all", md.back(), k);
    c.ap50 = summarizeCoco(r, true, .5, "all", md.back(), k);
    r.perCategory.push_back(std::move(c));
  }
}

}  // namespace distillery
