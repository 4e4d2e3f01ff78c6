#include <gtest/gtest.h>

#include "engine/training/ema_teacher.h"
#include "engine/training/pseudo_label_filter.h"

namespace distillery {
namespace {

struct NetImpl : torch::nn::Module {
  NetImpl() {
    lin = register_module("lin", torch::nn::Linear(3, 2));
    bn = register_module("bn", torch::nn::BatchNorm1d(2));
  }
  torch::nn::Linear lin{nullptr};
  torch::nn::BatchNorm1d bn{nullptr};
};
TORCH_MODULE(Net);

TEST(EmaTeacherTest, AveragesFloatsAndCopiesCounters) {
  torch::manual_seed(0);
  Net teacher, student;
  const auto t0 = teacher->lin->weight.clone();
  const auto s0 = student->lin->weight.clone();
  student->bn->num_batches_tracked.fill_(7);
  emaUpdate(*teacher, *student, 0.9);
  EXPECT_TRUE(torch::allclose(teacher->lin->weight, 0.9 * t0 + 0.1 * s0));
  EXPECT_EQ(teacher->bn->num_batches_tracked.item<int64_t>(), 7);
  copyWeights(*teacher, *student);
  EXPECT_TRUE(torch::equal(teacher->lin->weight, student->lin->weight));
  EXPECT_FALSE(teacher->lin->weight.requires_grad() && teacher->lin->weight.grad().defined());
}

TEST(PseudoLabelFilterTest, KeepsConfidentObjectsOnly) {
  // Q=4, K=2 (+ no-object). q0: class 0 at .9 -> kept. q1: no-object argmax -> dropped.
  // q2: class 1 at .6 -> below .7, dropped. q3: class 1 at .95 but tiny mask -> dropped.
  auto probs = torch::tensor({{.9, .05, .05}, {.1, .1, .8}, {.2, .6, .2}, {.02, .95, .03}});
  const auto logits = probs.log();
  auto masks = torch::full({4, 8, 8}, -10.0);
  masks.index_put_({0, torch::indexing::Slice(0, 4), torch::indexing::Slice(0, 4)}, 10.0);
  masks.index_put_({1, torch::indexing::Slice(), torch::indexing::Slice()}, 10.0);
  masks.index_put_({2, torch::indexing::Slice(), torch::indexing::Slice()}, 10.0);
  masks.index_put_({3, 0, 0}, 10.0);
  const PseudoLabels pl = PseudoLabelFilter({})(logits, masks);
  ASSERT_EQ(pl.labels.numel(), 1);
  EXPECT_EQ(pl.labels[0].item<int64_t>(), 0);
  EXPECT_EQ(pl.masks[0].sum().item<float>(), 16.0f);
  EXPECT_NEAR(pl.classProbs[0].item<float>(), 0.9f, 1e-5);
  EXPECT_NEAR(pl.scores[0].item<float>(), 0.9f * torch::sigmoid(torch::tensor(10.0)).item<float>(), 1e-5);
}

TEST(PseudoLabelFilterTest, GuidedDistillationSigmoidSumRule) {
  const auto logits = torch::tensor({{.9, .05, .05}, {.9, .05, .05}}).log();
  auto masks = torch::full({2, 8, 8}, -10.0);
  masks.index_put_({0, torch::indexing::Slice(0, 2), torch::indexing::Slice(0, 2)}, 10.0);  // sum ~4
  masks.index_put_({1, torch::indexing::Slice(0, 3), torch::indexing::Slice(0, 3)}, 10.0);  // sum ~9
  PseudoLabelFilterConfig gd;
  gd.minMaskPixels = 0;
  gd.minMaskSigmoidSum = 5;
  EXPECT_EQ(PseudoLabelFilter(gd)(logits, masks).labels.numel(), 1);
  PseudoLabelFilterConfig lenient;
  lenient.minMaskPixels = 0;
  EXPECT_EQ(PseudoLabelFilter(lenient)(logits, masks).labels.numel(), 2);
}

TEST(PseudoLabelFilterTest, DuplicateMasksKeepTheBetterScoredOne) {
  // q0 and q2 cover the same square (IoU 0.75), q2 more confident; q1 is elsewhere.
  const auto logits = torch::tensor({{.8, .1, .1}, {.1, .85, .05}, {.95, .03, .02}}).log();
  auto masks = torch::full({3, 8, 8}, -10.0);
  using torch::indexing::Slice;
  masks.index_put_({0, Slice(0, 4), Slice(0, 4)}, 10.0);
  masks.index_put_({1, Slice(4, 8), Slice(4, 8)}, 10.0);
  masks.index_put_({2, Slice(0, 4), Slice(0, 3)}, 10.0);
  PseudoLabelFilterConfig c;
  EXPECT_EQ(PseudoLabelFilter(c)(logits, masks).labels.numel(), 3);  // off in the struct
  c.duplicateIou = 0.7;
  const PseudoLabels pl = PseudoLabelFilter(c)(logits, masks);
  ASSERT_EQ(pl.labels.numel(), 2);
  EXPECT_EQ(pl.masks[0].sum().item<float>(), 16.0f);  // q1, in query order
  EXPECT_EQ(pl.masks[1].sum().item<float>(), 12.0f);  // q2 won over q0
  EXPECT_NEAR(pl.classProbs[1].item<float>(), 0.95f, 1e-5);
  c.duplicateIou = 0.8;  // IoU 0.75 is not a duplicate at 0.8
  EXPECT_EQ(PseudoLabelFilter(c)(logits, masks).labels.numel(), 3);
}

TEST(PseudoLabelFilterTest, MasksAtAnotherSizeComeFromTheLogits) {
  // One confident query whose mask logits ramp across three cells: -1, -0.2, 1.
  const auto logits = torch::tensor({{.9, .05, .05}}).log();
  const auto ramp = torch::tensor({-1.0, -0.2, 1.0}).view({1, 1, 3}).expand({1, 2, 3}).contiguous();
  PseudoLabelFilterConfig c;
  c.minMaskPixels = 0;
  const PseudoLabelFilter filter(c);
  const PseudoLabels pl = filter(logits, ramp);
  ASSERT_EQ(pl.labels.numel(), 1);
  EXPECT_TRUE(torch::equal(pl.maskLogits, ramp));
  // Bilinear logits at 6 px cross zero between pixels 2 and 3; the stride-level binary mask
  // (0, 0, 1) enlarged would have put the edge between 3 and 4.
  const auto row = filter.masksAt(pl, 4, 6)[0][1];
  EXPECT_TRUE(torch::equal(row, torch::tensor({0.0, 0.0, 0.0, 1.0, 1.0, 1.0}).to(row.dtype()))) << row;
  c.maskThreshold = 0.8;  // logit 1.386: above every upsampled value (at most 1.0)
  EXPECT_NEAR(PseudoLabelFilter(c).maskLogitThreshold(), std::log(4.0), 1e-9);
  EXPECT_EQ(PseudoLabelFilter(c).masksAt(pl, 4, 6).sum().item<float>(), 0.0f);
}

}  // namespace
}  // namespace distillery
