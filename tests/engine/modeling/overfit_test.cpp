// End to end on tiny inputs: a tiny segmenter overfits a handful of synthetic images
// (filled shapes drawn with OpenCV) to a high COCO mask AP in a few hundred CPU steps.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <random>

#include "engine/evaluation/coco_mask_evaluator.h"
#include "engine/losses/set_criterion.h"
#include "engine/modeling/image_tensor.h"
#include "engine/modeling/instance_postprocess.h"
#include "engine/modeling/instance_segmenter.h"

namespace distillery {
namespace {

constexpr int kSize = 64;
constexpr int kClasses = 3;  // circle, rectangle, triangle

struct Scene {
  cv::Mat image;  // BGR
  std::vector<int64_t> labels;
  std::vector<cv::Mat> masks;
};

Scene drawScene(std::mt19937& rng, int objects) {
  std::uniform_int_distribution<int> colour(30, 225), pos(12, kSize - 12), radius(6, 10);
  Scene s;
  s.image =
      cv::Mat(kSize, kSize, CV_8UC3, cv::Scalar(colour(rng) / 3, colour(rng) / 3, colour(rng) / 3));
  cv::Mat occupied = cv::Mat::zeros(kSize, kSize, CV_8U);
  for (int i = 0, tries = 0; i < objects && tries < 100; ++tries) {
    const int cls = static_cast<int>(rng() % kClasses);
    const cv::Point c(pos(rng), pos(rng));
    const int r = radius(rng);
    cv::Mat m = cv::Mat::zeros(kSize, kSize, CV_8U);
    if (cls == 0) {
      cv::circle(m, c, r, cv::Scalar(1), cv::FILLED);
    } else if (cls == 1) {
      cv::rectangle(m, cv::Rect(c.x - r, c.y - r / 2, 2 * r, r), cv::Scalar(1), cv::FILLED);
    } else {
      std::vector<cv::Point> tri{{c.x, c.y - r}, {c.x - r, c.y + r}, {c.x + r, c.y + r}};
      cv::fillConvexPoly(m, tri, cv::Scalar(1));
    }
    if (cv::countNonZero(m & occupied) > 0) continue;  // no overlaps: one owner per pixel
    occupied |= m;
    s.image.setTo(cv::Scalar(colour(rng), colour(rng), colour(rng)), m);
    s.labels.push_back(cls);
    s.masks.push_back(m);
    ++i;
  }
  return s;
}

TEST(OverfitTest, TinyModelReachesHighMaskApOnAFewSyntheticImages) {
  torch::manual_seed(0);
  std::mt19937 rng(4);
  std::vector<Scene> scenes;
  for (int i = 0; i < 4; ++i) scenes.push_back(drawScene(rng, 2 + i % 2));

  std::vector<cv::Mat> images;
  for (const auto& s : scenes) images.push_back(s.image);
  ImageBatch batch = makeImageBatch(images, 0, 32);
  std::vector<TargetInstances> targets;
  for (size_t i = 0; i < scenes.size(); ++i)
    targets.push_back(
        makeTargets(scenes[i].labels, scenes[i].masks, batch.placements[i], kSize, kSize));

  InstanceSegmenter model(presetConfig("tiny", kClasses).value());
  torch::optim::AdamW optimizer(model->parameters(),
                                torch::optim::AdamWOptions(2e-3).weight_decay(0.05));
  SetCriterionOptions co;
  co.numClasses = kClasses;
  SetCriterion criterion(co);
  model->train();
  double firstLoss = 0, lastLoss = 0;
  for (int step = 0; step < 300; ++step) {
    auto out = model->forward(batch.images);
    torch::Tensor loss = criterion.total(criterion(out.predictions(), targets));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (step == 0) firstLoss = loss.item<double>();
    lastLoss = loss.item<double>();
  }
  EXPECT_LT(lastLoss, 0.2 * firstLoss);

  // Evaluate on the training images with COCO mask AP.
  Dataset gt, results;
  for (int k = 0; k < kClasses; ++k)
    gt.categories.push_back({k + 1, "shape" + std::to_string(k), ""});
  results.categories = gt.categories;
  model->eval();
  torch::NoGradGuard noGrad;
  auto out = model->forward(batch.images);
  int64_t annId = 1;
  for (size_t i = 0; i < scenes.size(); ++i) {
    const int64_t imageId = static_cast<int64_t>(i) + 1;
    gt.images.push_back({imageId, "scene" + std::to_string(i) + ".png", kSize, kSize});
    for (size_t j = 0; j < scenes[i].masks.size(); ++j) {
      Instance inst;
      inst.id = annId++;
      inst.imageId = imageId;
      inst.categoryId = scenes[i].labels[j] + 1;
      inst.mask = rle::encode(scenes[i].masks[j]);
      gt.instances.push_back(inst);
    }
    auto predicted = instanceInference(out.predLogits[static_cast<int64_t>(i)],
                                       out.predMasks[static_cast<int64_t>(i)], kSize, kSize,
                                       batch.placements[i], {1, 2, 3}, imageId, Source::Student);
    results.instances.insert(results.instances.end(), predicted.begin(), predicted.end());
  }
  results.images = gt.images;
  auto eval = evaluateCocoMasks(gt, results);
  ASSERT_TRUE(eval.ok()) << eval.status().message();
  EXPECT_GT(eval->stats[kStatAp50], 0.9) << "AP " << eval->stats[kStatAp];
  EXPECT_GT(eval->stats[kStatAp], 0.8);
  std::cout << "overfit: loss " << firstLoss << " -> " << lastLoss << ", AP "
            << eval->stats[kStatAp] << ", AP50 " << eval->stats[kStatAp50] << "\n";
}

}  // namespace
}  // namespace distillery
