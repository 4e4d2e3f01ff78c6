// Parameters of COCO mask evaluation, the defaults of pycocotools' Params(iouType='segm').
#pragma once

#include <string>
#include <vector>

namespace distillery {

struct AreaRange {
  std::string label;  // "all", "small", "medium", "large"
  double min = 0;     // inclusive on both ends, as pycocotools compares
  double max = 0;
};

struct CocoEvalParams {
  // IoU thresholds .50:.05:.95 (T=10), bit-identical to numpy.linspace.
  std::vector<double> iouThresholds;
  // Recall thresholds 0:.01:1 (R=101), bit-identical to numpy.linspace.
  std::vector<double> recallThresholds;
  // all [0, 1e10], small [0, 32²], medium [32², 96²], large [96², 1e10].
  std::vector<AreaRange> areaRanges;
  // Ascending; the last one caps the detections per image and category.
  std::vector<int> maxDets;
  // pycocotools stores the matched ground truth's annotation id and later tests it
  // against 0, so a detection matched to an annotation with id 0 counts as unmatched.
  // On for files (exact agreement), off for in-memory datasets whose ids may be 0.
  bool zeroGtIdCountsAsUnmatched = false;

  // The pycocotools defaults above.
  static CocoEvalParams segm();

  int areaIndex(const std::string& label) const;     // -1 when absent
  int maxDetsIndex(int maxDets) const;               // -1 when absent
  int iouIndex(double threshold) const;              // exact match, as np.where; -1 when absent
};

// numpy.linspace(start, stop, num, endpoint=True), operation for operation.
std::vector<double> linspace(double start, double stop, int num);

}  // namespace distillery
