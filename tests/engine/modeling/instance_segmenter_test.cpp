#include "engine/modeling/instance_segmenter.h"

#include <gtest/gtest.h>

namespace distillery {
namespace {

TEST(InstanceSegmenterTest, OutputsFollowTheContractShapes) {
  torch::manual_seed(0);
  SegmenterConfig config = presetConfig("tiny", 3).value();
  InstanceSegmenter model(config);
  torch::Tensor images = torch::rand({2, 3, 64, 96});
  SegmenterOutput out = model->forward(images);
  const int64_t q = config.numQueries;
  EXPECT_EQ(out.predLogits.sizes(), (std::vector<int64_t>{2, q, 4}));
  EXPECT_EQ(out.predMasks.sizes(), (std::vector<int64_t>{2, q, 16, 24}));
  EXPECT_EQ(out.pixelEmbed.sizes(), (std::vector<int64_t>{2, config.maskDim, 16, 24}));
  ASSERT_EQ(out.aux.size(), static_cast<size_t>(config.decoderLayers));
  for (const auto& p : out.aux) {
    EXPECT_EQ(p.logits.sizes(), out.predLogits.sizes());
    EXPECT_EQ(p.masks.sizes(), out.predMasks.sizes());
  }
  ASSERT_EQ(out.features.size(), 4u);
  EXPECT_EQ(out.features[0].size(2), 16);
  EXPECT_EQ(out.features[3].size(2), 2);
  EXPECT_TRUE(torch::isfinite(out.predMasks).all().item<bool>());
  EXPECT_TRUE(torch::isfinite(out.predLogits).all().item<bool>());

  // Eval mode skips the intermediate predictions; the final one is the same function.
  model->eval();
  SegmenterOutput evalOut = model->forward(images);
  EXPECT_TRUE(evalOut.aux.empty());
  EXPECT_TRUE(torch::allclose(evalOut.predMasks, out.predMasks, 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(evalOut.predLogits, out.predLogits, 1e-5, 1e-6));
}

TEST(InstanceSegmenterTest, ImagesAreIndependentWithinABatch) {
  // No batch statistics anywhere: an image's output does not depend on its batch mates.
  // (Batch 1 takes other kernels for small inputs, see PointwiseConv, so compare batches of 2.)
  torch::manual_seed(1);
  InstanceSegmenter model(presetConfig("tiny", 2).value());
  torch::Tensor a = torch::rand({1, 3, 64, 64});
  torch::Tensor b = torch::rand({1, 3, 64, 64});
  torch::Tensor c = torch::rand({1, 3, 64, 64});
  torch::NoGradGuard noGrad;
  SegmenterOutput withB = model->forward(torch::cat({a, b}));
  SegmenterOutput withC = model->forward(torch::cat({a, c}));
  EXPECT_TRUE(torch::allclose(withB.predMasks[0], withC.predMasks[0], 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(withB.predLogits[0], withC.predLogits[0], 1e-5, 1e-6));
  EXPECT_FALSE(torch::allclose(withB.predMasks[1], withC.predMasks[1], 1e-5, 1e-6));
}

TEST(InstanceSegmenterTest, PresetsKeepTheTeacherAtLeastElevenTimesTheStudent) {
  for (int classes : {1, 80}) {
    const int64_t t = countParameters(*InstanceSegmenter(presetConfig("teacher-l", classes).value()));
    const int64_t small = countParameters(*InstanceSegmenter(presetConfig("student-s", classes).value()));
    const int64_t medium = countParameters(*InstanceSegmenter(presetConfig("student-m", classes).value()));
    EXPECT_GE(small, 500'000);
    EXPECT_GT(medium, small * 3 / 2);
    EXPECT_GE(t, 11 * small) << classes << " classes: student-s " << small << " teacher " << t;
    EXPECT_GE(t, 11 * medium) << classes << " classes: student-m " << medium << " teacher " << t;
  }
}

TEST(InstanceSegmenterTest, RejectsSizesNotDivisibleBy32) {
  InstanceSegmenter model(presetConfig("tiny", 2).value());
  EXPECT_THROW(model->forward(torch::rand({1, 3, 60, 64})), c10::Error);
}

}  // namespace
}  // namespace distillery
