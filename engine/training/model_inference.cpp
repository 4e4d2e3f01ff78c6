#include "engine/training/model_inference.h"

#include <chrono>

#include "engine/evaluation/coco_mask_evaluator.h"
#include "engine/modeling/device.h"
#include "engine/modeling/image_tensor.h"
#include "engine/modeling/instance_postprocess.h"

namespace distillery {

void forEachPrediction(SegmentationModel& model, const TrainingSet& set, int size, int batch,
                       const std::function<void(size_t, const torch::Tensor&, const torch::Tensor&)>& fn) {
  torch::NoGradGuard noGrad;
  model.train(false);
  for (size_t start = 0; start < set.size(); start += static_cast<size_t>(batch)) {
    const size_t end = std::min(set.size(), start + static_cast<size_t>(batch));
    std::vector<cv::Mat> images;
    for (size_t i = start; i < end; ++i) images.push_back(set.evalSample(i, size).views.weak);
    const ModelOutputs out = model.forward(makeImageBatch(images, 0, 32).images.to(torchDevice()));
    const auto logits = out.logits.to(torch::kCPU), masks = out.masks.to(torch::kCPU);
    for (size_t i = start; i < end; ++i) fn(i, logits[static_cast<int64_t>(i - start)], masks[static_cast<int64_t>(i - start)]);
  }
}

Result<ModelScore> evaluateModel(SegmentationModel& model, const TrainingSet& set, const Dataset& groundTruth,
                                 const std::vector<int64_t>& categoryIds, int size) {
  Dataset results;
  results.categories = groundTruth.categories;
  results.images = groundTruth.images;
  // ms/image is the model's forward pass: post-processing at the source resolution
  // (large for real photos) is timed apart and left out.
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  Clock::duration postprocessing{};
  forEachPrediction(model, set, size, 8, [&](size_t i, const torch::Tensor& logits, const torch::Tensor& masks) {
    const auto t0 = Clock::now();
    const cv::Size src = set.sourceSize(i);
    auto instances = instanceInference(logits, masks, size, size, placeImage(src.height, src.width, size),
                                       categoryIds, set.imageId(i), Source::Student);
    for (auto& inst : instances) results.instances.push_back(std::move(inst));
    postprocessing += Clock::now() - t0;
  });
  const double seconds = std::chrono::duration<double>(Clock::now() - start - postprocessing).count();
  int64_t nextId = 1;
  for (auto& inst : results.instances) inst.id = nextId++;
  auto eval = evaluateCocoMasks(groundTruth, results);
  if (!eval.ok()) return eval.status();
  ModelScore score;
  score.ap = eval->stats[0];
  score.ap50 = eval->stats[1];
  score.msPerImage = set.empty() ? 0 : 1000.0 * seconds / static_cast<double>(set.size());
  for (const auto& c : eval->perCategory) score.perCategoryAp[c.name] = c.ap;
  return score;
}

Dataset pseudoLabel(SegmentationModel& model, const TrainingSet& pool, const std::vector<Category>& categories,
                    const std::vector<int64_t>& categoryIds, const PseudoLabelFilter& filter, int size) {
  Dataset out;
  out.categories = categories;
  int64_t nextId = 1;
  forEachPrediction(model, pool, size, 8, [&](size_t i, const torch::Tensor& logits, const torch::Tensor& masks) {
    const cv::Size src = pool.sourceSize(i);
    out.images.push_back({pool.imageId(i), "", src.width, src.height});
    const PseudoLabels pl = filter(logits, masks);
    if (pl.labels.numel() == 0) return;
    // Thresholded at the source size: the masks the teacher's own predictions have, not
    // its stride-4 mask enlarged.
    const auto up = masksAtOriginalSize(pl.maskLogits, size, size, placeImage(src.height, src.width, size));
    const auto binary = (up > filter.maskLogitThreshold()).to(torch::kUInt8).contiguous();
    for (int64_t k = 0; k < pl.labels.numel(); ++k) {
      cv::Mat m(src.height, src.width, CV_8U, binary[k].data_ptr<uint8_t>());
      Instance inst;
      inst.id = nextId++;
      inst.imageId = pool.imageId(i);
      inst.categoryId = categoryIds[static_cast<size_t>(pl.labels[k].item<int64_t>())];
      inst.mask = rle::encode(m);
      inst.score = pl.scores[k].item<double>();
      inst.source = Source::Teacher;
      if (rle::area(inst.mask) > 0) out.instances.push_back(std::move(inst));
    }
  });
  return out;
}

}  // namespace distillery
