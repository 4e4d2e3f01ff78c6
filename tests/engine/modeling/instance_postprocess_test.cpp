#include "engine/modeling/instance_postprocess.h"

#include <gtest/gtest.h>

namespace distillery {
namespace {

// Q=3 queries, K=2 classes, 8x8 mask logits for a 32x32 padded input holding a
// 24x32 image that was resized from 48x64.
struct Fixture {
  torch::Tensor logits = torch::full({3, 3}, -10.0);
  torch::Tensor masks = torch::full({3, 8, 8}, -10.0);
  ImagePlacement placement{48, 64, 24, 32};
  Fixture() {
    logits[0][1] = 10.0;  // query 0: class 1, confident, left half
    masks[0].narrow(1, 0, 4).fill_(10.0);
    logits[1][0] = 2.0;  // query 1: class 0, less sure, top rows
    logits[1][2] = 2.0;
    masks[1].narrow(0, 0, 2).fill_(10.0);
    logits[2][2] = 10.0;  // query 2: no-object, empty mask
  }
};

TEST(InstancePostprocessTest, ScoresAreClassTimesMaskQualityAndMasksComeAtOriginalSize) {
  Fixture f;
  auto out = instanceInference(f.logits, f.masks, 32, 32, f.placement, {7, 9}, 42, Source::Teacher,
                               {6, 0.0, true});
  ASSERT_GE(out.size(), 2u);
  const Instance& best = out[0];
  EXPECT_EQ(best.categoryId, 9);
  EXPECT_EQ(best.imageId, 42);
  EXPECT_EQ(best.source, Source::Teacher);
  EXPECT_EQ(best.mask.height, 48);
  EXPECT_EQ(best.mask.width, 64);
  // Left half of the padded input, i.e. the left half of the image.
  EXPECT_NEAR(static_cast<double>(rle::area(best.mask)), 48 * 32, 48 * 2);
  EXPECT_GT(best.score, 0.99);
  const Instance& second = out[1];
  EXPECT_EQ(second.categoryId, 7);
  // softmax(2, -10, 2)[0] ~ 0.5, mask quality ~ 1.
  EXPECT_NEAR(second.score, 0.5, 0.02);
  for (size_t i = 1; i < out.size(); ++i) EXPECT_GE(out[i - 1].score, out[i].score);
}

TEST(InstancePostprocessTest, TopKThresholdAndEmptyMasks) {
  Fixture f;
  auto one = instanceInference(f.logits, f.masks, 32, 32, f.placement, {7, 9}, 1, Source::Student,
                               {1, 0.0, true});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].categoryId, 9);
  auto high = instanceInference(f.logits, f.masks, 32, 32, f.placement, {7, 9}, 1, Source::Student,
                                {6, 0.9, true});
  EXPECT_EQ(high.size(), 1u);
  // Query 2's mask is empty: kept only when asked.
  auto all = instanceInference(f.logits, f.masks, 32, 32, f.placement, {7, 9}, 1, Source::Student,
                               {6, -1.0, false});
  EXPECT_EQ(all.size(), 6u);
  auto nonEmpty = instanceInference(f.logits, f.masks, 32, 32, f.placement, {7, 9}, 1,
                                    Source::Student, {6, -1.0, true});
  EXPECT_EQ(nonEmpty.size(), 4u);
}

}  // namespace
}  // namespace distillery
