#include "engine/foundation/segment_everything.h"

#include <algorithm>
#include <numeric>

namespace distillery {

namespace {

cv::Rect boundingBox(const torch::Tensor& mask) {
  auto rows = mask.any(1).nonzero(), cols = mask.any(0).nonzero();
  if (rows.numel() == 0) return {};
  const int y0 = rows.min().item<int>(), y1 = rows.max().item<int>();
  const int x0 = cols.min().item<int>(), x1 = cols.max().item<int>();
  return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

}  // namespace

std::vector<int> maskNms(const std::vector<EverythingMask>& masks, float iouThresh) {
  std::vector<int> kept;
  for (int i = 0; i < static_cast<int>(masks.size()); ++i) {
    bool duplicate = false;
    for (int k : kept) {
      const cv::Rect overlap = masks[i].box & masks[k].box;
      if (overlap.area() == 0) continue;  // disjoint boxes: disjoint masks
      auto a = masks[i].mask.slice(0, overlap.y, overlap.y + overlap.height)
                   .slice(1, overlap.x, overlap.x + overlap.width);
      auto b = masks[k].mask.slice(0, overlap.y, overlap.y + overlap.height)
                   .slice(1, overlap.x, overlap.x + overlap.width);
      const int64_t inter = (a & b).sum().item<int64_t>();
      const int64_t uni = masks[i].area + masks[k].area - inter;
      if (uni > 0 && static_cast<double>(inter) / uni > iouThresh) {
        duplicate = true;
        break;
      }
    }
    if (!duplicate) kept.push_back(i);
  }
  return kept;
}

std::vector<EverythingMask> segmentEverything(PromptableSegmenter& segmenter,
                                              const torch::Tensor& embedding,
                                              const SamFrame& frame,
                                              const SegmentEverythingConfig& config) {
  torch::NoGradGuard noGrad;
  // Grid points at cell centres, as SAM's build_point_grid.
  const int n = std::max(1, config.pointsPerSide);
  std::vector<float> xy;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      xy.push_back((i + 0.5f) / n * frame.originalWidth);
      xy.push_back((j + 0.5f) / n * frame.originalHeight);
    }
  const auto points = torch::tensor(xy).view({-1, 2});
  std::vector<EverythingMask> candidates;
  const int64_t batch = std::max(1, config.pointsPerBatch);
  for (int64_t start = 0; start < points.size(0); start += batch) {
    auto chunk = points.slice(0, start, std::min(points.size(0), start + batch));
    auto masks = segmenter.segmentPoints(embedding, frame, chunk, /*fullSize=*/false);
    auto keep = (masks.iou >= config.predIouThresh).nonzero().reshape({-1});
    if (keep.numel() == 0) continue;
    auto logits = samMasksAtOriginalSize(masks.lowRes.index_select(0, keep), frame);
    // Stability: IoU of the mask at logit +offset against logit -offset.
    auto high = (logits > config.stabilityOffset).sum({1, 2}).to(torch::kFloat);
    auto low = (logits > -config.stabilityOffset).sum({1, 2}).to(torch::kFloat);
    auto stability = high / low.clamp_min(1);
    for (int64_t k = 0; k < keep.size(0); ++k) {
      const float s = stability[k].item<float>();
      if (s < config.stabilityThresh) continue;
      EverythingMask m;
      m.mask = logits[k] > 0;
      m.area = m.mask.sum().item<int64_t>();
      if (m.area == 0 || m.area < config.minArea) continue;
      const int64_t idx = keep[k].item<int64_t>();
      m.predictedIou = masks.iou[idx].item<float>();
      m.stability = s;
      m.point = {chunk[idx][0].item<float>(), chunk[idx][1].item<float>()};
      m.box = boundingBox(m.mask);
      candidates.push_back(std::move(m));
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) { return a.predictedIou > b.predictedIou; });
  std::vector<EverythingMask> out;
  for (int i : maskNms(candidates, config.nmsThresh)) out.push_back(std::move(candidates[i]));
  return out;
}

}  // namespace distillery
