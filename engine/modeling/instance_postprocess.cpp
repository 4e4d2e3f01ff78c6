#include "engine/modeling/instance_postprocess.h"

#include <algorithm>

namespace distillery {

namespace F = torch::nn::functional;

torch::Tensor masksAtOriginalSize(const torch::Tensor& maskLogits, int paddedHeight, int paddedWidth,
                                  const ImagePlacement& placement) {
  torch::Tensor m = F::interpolate(maskLogits.unsqueeze(0), F::InterpolateFuncOptions()
                                                                .size(std::vector<int64_t>{paddedHeight, paddedWidth})
                                                                .mode(torch::kBilinear)
                                                                .align_corners(false));
  m = m.narrow(2, 0, placement.height).narrow(3, 0, placement.width);
  if (placement.height != placement.originalHeight || placement.width != placement.originalWidth)
    m = F::interpolate(m, F::InterpolateFuncOptions()
                              .size(std::vector<int64_t>{placement.originalHeight, placement.originalWidth})
                              .mode(torch::kBilinear)
                              .align_corners(false));
  return m.squeeze(0);
}

std::vector<Instance> instanceInference(const torch::Tensor& logits, const torch::Tensor& masks,
                                        int paddedHeight, int paddedWidth,
                                        const ImagePlacement& placement,
                                        const std::vector<int64_t>& categoryIds, int64_t imageId,
                                        Source source, const PostprocessOptions& options) {
  torch::NoGradGuard noGrad;
  const int64_t q = logits.size(0), k = logits.size(1) - 1;
  TORCH_CHECK(masks.size(0) == q, "postprocess: ", q, " class rows but ", masks.size(0), " masks");
  TORCH_CHECK(static_cast<int64_t>(categoryIds.size()) == k, "postprocess: ", categoryIds.size(),
              " category ids for ", k, " classes");
  torch::Tensor scores =
      logits.to(torch::kCPU, torch::kFloat32).softmax(-1).narrow(1, 0, k).flatten();
  const int64_t keep = std::min<int64_t>(options.topK, scores.numel());
  auto [topScores, topIndex] = scores.topk(keep, 0, /*largest=*/true, /*sorted=*/true);
  torch::Tensor labels = topIndex.remainder(k);
  torch::Tensor queries = topIndex.div(k, "floor");
  const torch::Tensor cpuMasks = masks.to(torch::kCPU, torch::kFloat32);

  std::vector<Instance> out;
  constexpr int64_t kChunk = 16;  // bounds memory: masks are upsampled to full size
  for (int64_t start = 0; start < keep; start += kChunk) {
    const int64_t n = std::min(kChunk, keep - start);
    const torch::Tensor m = masksAtOriginalSize(cpuMasks.index_select(0, queries.narrow(0, start, n)),
                                                paddedHeight, paddedWidth, placement);  // [n,H,W]
    torch::Tensor binary = m.gt(0);  // sigmoid > 0.5
    torch::Tensor area = binary.sum({1, 2}).to(torch::kFloat32);
    torch::Tensor quality = (m.sigmoid() * binary).sum({1, 2}) / (area + 1e-6);
    torch::Tensor finalScores = topScores.narrow(0, start, n) * quality;
    torch::Tensor bytes = binary.to(torch::kUInt8).contiguous();
    for (int64_t i = 0; i < n; ++i) {
      const double score = finalScores[i].item<double>();
      if (score <= options.scoreThreshold) continue;
      if (options.dropEmpty && area[i].item<float>() == 0.0f) continue;
      cv::Mat mask(placement.originalHeight, placement.originalWidth, CV_8U,
                   bytes[i].data_ptr<uint8_t>());
      Instance inst;
      inst.imageId = imageId;
      inst.categoryId = categoryIds[static_cast<size_t>(labels[start + i].item<int64_t>())];
      inst.mask = rle::encode(mask);
      inst.score = score;
      inst.source = source;
      out.push_back(std::move(inst));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Instance& a, const Instance& b) { return a.score > b.score; });
  return out;
}

}  // namespace distillery
