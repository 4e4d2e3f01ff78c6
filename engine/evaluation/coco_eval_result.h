// What COCO mask evaluation produces: pycocotools' eval['precision'] and eval['recall']
// arrays, the 12 summary numbers of summarize(), and AP per category.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/evaluation/coco_eval_params.h"

namespace distillery {

// Order of CocoEvalResult::stats, as pycocotools' stats.
enum CocoStat {
  kStatAp = 0,
  kStatAp50,
  kStatAp75,
  kStatApSmall,
  kStatApMedium,
  kStatApLarge,
  kStatAr1,
  kStatAr10,
  kStatAr100,
  kStatArSmall,
  kStatArMedium,
  kStatArLarge,
  kNumCocoStats
};

struct CategoryAp {
  int64_t id = 0;
  std::string name;
  double ap = -1;    // mean precision over IoU .50:.95 and recall points, area all, 100 dets
  double ap50 = -1;  // the same at IoU .50; -1 when the category has no ground truth
};

struct CocoEvalResult {
  CocoEvalParams params;
  std::vector<int64_t> categoryIds;  // K, ascending, as pycocotools' catIds
  std::vector<std::string> categoryNames;
  // [T][R][K][A][M] and [T][K][A][M]; -1 where a category has no counted ground truth.
  std::vector<double> precision;
  std::vector<double> recall;
  std::array<double, kNumCocoStats> stats{};
  std::vector<CategoryAp> perCategory;  // in categoryIds order
  size_t numImages = 0;
  size_t numDetections = 0;  // evaluated detections (after the per-image cap)

  size_t numCategories() const { return categoryIds.size(); }
  double precisionAt(size_t t, size_t r, size_t k, size_t a, size_t m) const;
  double recallAt(size_t t, size_t k, size_t a, size_t m) const;
};

// One line of pycocotools' summarize(): the mean of the entries > -1 of precision
// (ap) or recall, at one IoU threshold or all of them, one area range and one
// maxDets; -1 when there is no such entry. `category` restricts to one index k.
double summarizeCoco(const CocoEvalResult& r, bool ap, std::optional<double> iouThreshold,
                     const std::string& areaLabel, int maxDets,
                     std::optional<size_t> category = std::nullopt);

// Fills r.stats and r.perCategory from r.precision and r.recall.
void summarizeCoco(CocoEvalResult& r);

}  // namespace distillery
