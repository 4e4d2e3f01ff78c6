#include "engine/evaluation/pseudo_label_quality.h"

#include <algorithm>

#include "engine/data/rle.h"

namespace distillery {

PseudoLabelQuality measurePseudoLabels(const Dataset& pseudo, const Dataset& truth, double iouThreshold) {
  PseudoLabelQuality q;
  const auto proposals = pseudo.instancesByImage();
  const auto gtByImage = truth.instancesByImage();
  for (const auto& image : pseudo.images) {
    std::vector<const Instance*> dts, gts;
    if (auto it = proposals.find(image.id); it != proposals.end()) dts = it->second;
    if (auto it = gtByImage.find(image.id); it != gtByImage.end())
      for (const Instance* g : it->second)
        if (!g->iscrowd) gts.push_back(g);
    q.pseudoLabels += static_cast<int64_t>(dts.size());
    q.truth += static_cast<int64_t>(gts.size());
    std::stable_sort(dts.begin(), dts.end(), [](const Instance* a, const Instance* b) { return a->score > b->score; });
    std::vector<bool> taken(gts.size(), false);
    for (const Instance* d : dts) {
      int best = -1;
      double bestIou = iouThreshold;
      for (size_t g = 0; g < gts.size(); ++g) {
        if (taken[g] || gts[g]->categoryId != d->categoryId) continue;
        const double v = rle::iou(d->mask, gts[g]->mask, false);
        if (v >= bestIou) {
          bestIou = v;
          best = static_cast<int>(g);
        }
      }
      if (best >= 0) {
        taken[static_cast<size_t>(best)] = true;
        ++q.matched;
      }
    }
  }
  return q;
}

}  // namespace distillery
