#include "engine/losses/set_criterion.h"

#include <gtest/gtest.h>

#include "engine/modeling/instance_segmenter.h"

namespace distillery {
namespace {

// Target: one rectangle of class `label` in a 64x64 image.
TargetInstances rectangle(int64_t label, int y, int x, int h, int w) {
  TargetInstances t{torch::tensor({label}, torch::kInt64), torch::zeros({1, 64, 64})};
  t.masks[0].narrow(0, y, h).narrow(1, x, w).fill_(1);
  return t;
}

// A prediction for 1 image, Q=4, K=3 at 16x16 whose query `q` matches the target exactly.
MaskPrediction perfectFor(const TargetInstances& t, int q) {
  MaskPrediction p;
  p.logits = torch::zeros({1, 4, 4});
  p.logits.select(2, 3).fill_(8.0);                    // every query says no-object...
  p.logits[0][q][t.labels[0].item<int64_t>()] = 16.0;  // ...except q
  torch::Tensor small = torch::nn::functional::avg_pool2d(
      t.masks.unsqueeze(0), torch::nn::functional::AvgPool2dFuncOptions(4));
  p.masks = torch::full({1, 4, 16, 16}, -20.0);
  p.masks[0][q] = (small[0][0] - 0.5) * 40.0;
  return p;
}

SetCriterionOptions options(int k) {
  SetCriterionOptions o;
  o.numClasses = k;
  return o;
}

TEST(HungarianMatcherTest, PicksTheQueryThatFitsEachTarget) {
  TargetInstances t = rectangle(2, 8, 8, 24, 32);
  MaskPrediction p = perfectFor(t, 2);
  HungarianMatcher matcher;
  auto m = matcher.match(p, {t});
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].pred.numel(), 1);
  EXPECT_EQ(m[0].pred[0].item<int64_t>(), 2);
  EXPECT_EQ(m[0].target[0].item<int64_t>(), 0);
}

TEST(HungarianMatcherTest, MoreTargetsThanQueriesMatchesEveryQuery) {
  TargetInstances t;
  t.labels = torch::tensor({0, 1, 2, 0, 1, 2}, torch::kInt64);
  t.masks = (torch::rand({6, 64, 64}) > 0.5).to(torch::kFloat32);
  MaskPrediction p{torch::randn({1, 4, 4}), torch::randn({1, 4, 16, 16})};
  auto m = HungarianMatcher().match(p, {t});
  EXPECT_EQ(m[0].pred.numel(), 4);
  EXPECT_EQ(std::get<0>(at::_unique(m[0].target)).numel(), 4);
}

TEST(SetCriterionTest, PerfectPredictionHasSmallLossesAndDeepSupervisionNamesEveryLayer) {
  torch::manual_seed(0);  // point sampling is random; the bounds below hold for typical draws
  TargetInstances t = rectangle(1, 16, 8, 32, 40);
  MaskPrediction good = perfectFor(t, 0);
  MaskPrediction bad{torch::zeros({1, 4, 4}), torch::zeros({1, 4, 16, 16})};
  SetCriterion criterion(options(3));
  LossDict l = criterion({bad, bad, good}, {t});
  for (const char* key :
       {"loss_ce", "loss_mask", "loss_dice", "loss_ce_0", "loss_mask_1", "loss_dice_1"})
    EXPECT_TRUE(l.count(key)) << key;
  EXPECT_EQ(l.size(), 9u);
  // Importance sampling puts most points on the boundary, where the 16x16 logits
  // interpolate through 0: small, not zero.
  EXPECT_LT(l["loss_mask"].item<double>(), 0.15);
  EXPECT_LT(l["loss_dice"].item<double>(), 0.1);
  EXPECT_LT(l["loss_ce"].item<double>(), 0.01);
  EXPECT_NEAR(l["loss_mask_0"].item<double>(), std::log(2.0), 1e-4);  // logits 0: BCE = log 2
  EXPECT_GT(l["loss_dice_0"].item<double>(), 0.3);
  EXPECT_GT(l["loss_ce_0"].item<double>(), 1.0);

  SetCriterionOptions lastOnly = options(3);
  lastOnly.deepSupervision = false;
  EXPECT_EQ(SetCriterion(lastOnly)({bad, good}, {t}).size(), 3u);
  const double total = criterion.total(l).item<double>();
  double expected = 0;
  for (const auto& [k, v] : l)
    expected += (k.rfind("loss_ce", 0) == 0 ? 2.0 : 5.0) * v.item<double>();
  EXPECT_NEAR(total, expected, 1e-4);
}

TEST(SetCriterionTest, ImagesWithoutTargetsTrainTowardsNoObject) {
  SetCriterion criterion(options(3));
  torch::Tensor logits = torch::zeros({1, 4, 4}, torch::requires_grad());
  torch::Tensor masks = torch::zeros({1, 4, 16, 16}, torch::requires_grad());
  TargetInstances empty{torch::zeros({0}, torch::kInt64), torch::zeros({0, 64, 64})};
  LossDict l = criterion({{logits, masks}}, {empty});
  EXPECT_NEAR(l["loss_ce"].item<double>(), std::log(4.0), 1e-5);
  EXPECT_EQ(l["loss_mask"].item<double>(), 0.0);
  criterion.total(l).backward();
  // The no-object logit is pushed up, the others down.
  EXPECT_LT(logits.grad()[0][0][3].item<double>(), 0.0);
  EXPECT_GT(logits.grad()[0][0][0].item<double>(), 0.0);
}

TEST(SetCriterionTest, RejectsLabelsOutsideTheClassRange) {
  SetCriterion criterion(options(3));
  MaskPrediction p{torch::zeros({1, 4, 4}), torch::zeros({1, 4, 16, 16})};
  EXPECT_THROW(criterion({p}, {rectangle(3, 0, 0, 8, 8)}), c10::Error);
}

TEST(SetCriterionTest, GradientsAreFiniteAndTheLossFallsOnAFixedBatch) {
  torch::manual_seed(2);
  InstanceSegmenter model(presetConfig("tiny", 3).value());
  torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(2e-3));
  SetCriterion criterion(options(3));
  torch::Tensor images = torch::rand({2, 3, 64, 64});
  std::vector<TargetInstances> targets{rectangle(0, 4, 4, 30, 20), rectangle(2, 20, 30, 40, 30)};
  std::vector<double> losses;
  for (int step = 0; step < 40; ++step) {
    auto out = model->forward(images);
    torch::Tensor loss = criterion.total(criterion(out.predictions(), targets));
    optimizer.zero_grad();
    loss.backward();
    for (const auto& p : model->parameters())
      if (p.grad().defined()) ASSERT_TRUE(torch::isfinite(p.grad()).all().item<bool>());
    optimizer.step();
    losses.push_back(loss.item<double>());
  }
  const double first = (losses[0] + losses[1] + losses[2]) / 3;
  const double last = (losses[37] + losses[38] + losses[39]) / 3;
  EXPECT_LT(last, 0.5 * first) << "first " << first << " last " << last;
}

}  // namespace
}  // namespace distillery
