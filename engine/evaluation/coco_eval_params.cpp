#include "engine/evaluation/coco_eval_params.h"

#include <algorithm>
#include <cmath>

namespace distillery {

std::vector<double> linspace(double start, double stop, int num) {
  std::vector<double> v(static_cast<size_t>(std::max(num, 0)));
  if (num <= 0) return v;
  if (num == 1) {
    v[0] = start;
    return v;
  }
  // numpy: step = (stop - start) / (num - 1); y = arange(num) * step + start; y[-1] = stop.
  const double step = (stop - start) / (num - 1);
  for (int i = 0; i < num; ++i) v[static_cast<size_t>(i)] = i * step + start;
  v.back() = stop;
  return v;
}

CocoEvalParams CocoEvalParams::segm() {
  CocoEvalParams p;
  // int(np.round((0.95 - .5) / .05)) + 1 = 10 and int(np.round(1.0 / .01)) + 1 = 101.
  p.iouThresholds = linspace(.5, 0.95, static_cast<int>(std::round((0.95 - .5) / .05)) + 1);
  p.recallThresholds = linspace(.0, 1.00, static_cast<int>(std::round((1.00 - .0) / .01)) + 1);
  const double kHuge = 1e5 * 1e5;
  p.areaRanges = {{"all", 0, kHuge},
                  {"small", 0, 32.0 * 32.0},
                  {"medium", 32.0 * 32.0, 96.0 * 96.0},
                  {"large", 96.0 * 96.0, kHuge}};
  p.maxDets = {1, 10, 100};
  return p;
}

int CocoEvalParams::areaIndex(const std::string& label) const {
  for (size_t i = 0; i < areaRanges.size(); ++i)
    if (areaRanges[i].label == label) return static_cast<int>(i);
  return -1;
}

int CocoEvalParams::maxDetsIndex(int m) const {
  for (size_t i = 0; i < maxDets.size(); ++i)
    if (maxDets[i] == m) return static_cast<int>(i);
  return -1;
}

int CocoEvalParams::iouIndex(double threshold) const {
  for (size_t i = 0; i < iouThresholds.size(); ++i)
    if (iouThresholds[i] == threshold) return static_cast<int>(i);
  return -1;
}

}  // namespace distillery
