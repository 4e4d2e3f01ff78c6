#include "engine/losses/pixel_contrast.h"

#include <gtest/gtest.h>

namespace distillery {
namespace {

namespace F = torch::nn::functional;

torch::Generator seeded(uint64_t seed) {
  auto g = at::detail::createCPUGenerator(seed);
  return g;
}

// Two images, 8x8, each split into a left instance (class 0) and a right instance
// (class 1), with confident masks and classes. Queries: 0 = left, 1 = right, 2 = empty.
struct ConfidentScene {
  torch::Tensor maskLogits;   // [2,3,8,8]
  torch::Tensor classLogits;  // [2,3,3]  (K=2 classes + no-object)
  ConfidentScene() {
    maskLogits = torch::full({2, 3, 8, 8}, -20.0, torch::kDouble);
    maskLogits.index_put_({torch::indexing::Slice(), 0, torch::indexing::Slice(), torch::indexing::Slice(0, 4)}, 20.0);
    maskLogits.index_put_({torch::indexing::Slice(), 1, torch::indexing::Slice(), torch::indexing::Slice(4, 8)}, 20.0);
    classLogits = torch::full({2, 3, 3}, -20.0, torch::kDouble);
    classLogits.index_put_({torch::indexing::Slice(), 0, 0}, 20.0);
    classLogits.index_put_({torch::indexing::Slice(), 1, 1}, 20.0);
    classLogits.index_put_({torch::indexing::Slice(), 2, 2}, 20.0);
  }
};

TEST(PixelContrastTest, WeightFormulaMatchesHandComputation) {
  const auto anchor = torch::tensor({{0.7, 0.2, 0.1}}, torch::kDouble);
  const auto cands = torch::tensor({{0.7, 0.2, 0.1}, {0.0, 0.0, 1.0}, {0.5, 0.5, 0.0}}, torch::kDouble);
  const auto w = negativeWeights(NegativeSampling::Fused, anchor, cands);
  // 1 - <a,n>: 1-.54, 1-.10, 1-.45
  EXPECT_NEAR(w[0][0].item<double>(), 0.46, 1e-12);
  EXPECT_NEAR(w[0][1].item<double>(), 0.90, 1e-12);
  EXPECT_NEAR(w[0][2].item<double>(), 0.55, 1e-12);
  EXPECT_TRUE(negativeWeights(NegativeSampling::Uniform, anchor, cands).eq(1).all().item<bool>());
}

TEST(PixelContrastTest, FusedDistributionMatchesHandComputation) {
  // One pixel, two queries: P_m = softmax([ln 3, 0]) = [.75, .25];
  // P_c(q0) = softmax([ln 1, ln 3]) = [.25, .75]; P_c(q1) = [.5, .5].
  // F_c = .75*[.25,.75] + .25*[.5,.5] = [.3125, .6875].
  const auto m = torch::tensor({std::log(3.0), 0.0}, torch::kDouble).view({1, 2, 1, 1});
  const auto c = torch::tensor({{0.0, std::log(3.0)}, {0.0, 0.0}}, torch::kDouble).view({1, 2, 2});
  const auto fc = fusedClassDistribution(m, c);
  EXPECT_NEAR(fc[0][0][0][0].item<double>(), 0.3125, 1e-12);
  EXPECT_NEAR(fc[0][1][0][0].item<double>(), 0.6875, 1e-12);
}

TEST(PixelContrastTest, TemperatureScheduleEndpoints) {
  PixelContrastConfig c;
  EXPECT_DOUBLE_EQ(contrastTemperature(c, 0, 1000), 0.3);
  EXPECT_DOUBLE_EQ(contrastTemperature(c, 999, 1000), 0.07);
  EXPECT_NEAR(contrastTemperature(c, 333, 1000), 0.3 + (0.07 - 0.3) * 333.0 / 999.0, 1e-12);
  EXPECT_DOUBLE_EQ(contrastTemperature(c, 5000, 1000), 0.07);  // clamped past the end
}

TEST(PixelContrastTest, GumbelTopKNeverDrawsZeroWeightsAndHasNoRepeats) {
  auto w = torch::zeros({4, 50}, torch::kDouble);
  w.index_put_({torch::indexing::Slice(), torch::indexing::Slice(1, 50, 2)}, 1.0);  // odd only
  const NegativeDraw d = gumbelTopK(w, 40, seeded(1));
  for (int64_t a = 0; a < 4; ++a) {
    const auto picked = d.indices[a].masked_select(d.valid[a]);
    EXPECT_EQ(picked.numel(), 25);  // only 25 candidates have weight
    EXPECT_TRUE((picked.remainder(2) == 1).all().item<bool>());
    EXPECT_EQ(std::get<0>(at::_unique(picked)).numel(), 25);
  }
}

// The draws are the k largest races w / E, E = -log u from the generator's uniforms (the
// definition, written out here with tensor ops), in descending order.
TEST(PixelContrastTest, GumbelTopKDrawsTheLargestRacesInOrder) {
  for (auto type : {torch::kFloat, torch::kDouble}) {
    const auto w = torch::rand({64, 500}, torch::TensorOptions().dtype(type)) *
                   (torch::rand({64, 500}, torch::TensorOptions().dtype(type)) > 0.3).to(type);
    const NegativeDraw d = gumbelTopK(w, 37, seeded(5));
    auto u = torch::empty(w.sizes(), w.options()).uniform_(1e-10, 1.0, seeded(5));
    const auto [score, idx] = (w / u.log().neg()).topk(37, 1);
    EXPECT_TRUE(d.indices.equal(idx)) << type;
    EXPECT_TRUE(d.valid.equal(score > 0)) << type;
  }
}

// The loss draws its negatives one anchor at a time on the CPU; they are the draws of the
// matrix path (weights, exclusions, Gumbel top-k) with the same generator.
TEST(PixelContrastTest, FusedDrawsAreTheMatrixDraws) {
  const int64_t batch = 3, pixels = 40, anchors = 75;  // three blocks of anchors, the last one partial
  for (auto type : {torch::kFloat, torch::kDouble}) {
    for (auto mode : {NegativeSampling::Fused, NegativeSampling::Uniform, NegativeSampling::MaskOnly}) {
      for (bool sameImage : {false, true}) {
       // 25 of 120 candidates select among all keys; 3 among those past a sampled threshold.
       for (int64_t negatives : {25, 3}) {
        PixelContrastConfig config;
        config.negatives = negatives;
        config.sampling = mode;
        config.sameImageCandidates = sameImage;
        const auto dist = torch::rand({batch * pixels, 4}, torch::TensorOptions().dtype(type)).softmax(1);
        const auto anchorImage = torch::arange(batch).repeat_interleave(anchors / batch);
        const auto anchorPixel = torch::randint(pixels, {anchors}, torch::kLong);
        const auto anchorDist = dist.index_select(0, anchorImage * pixels + anchorPixel);
        const NegativeDraw fused = InstanceAwarePixelContrast(config).drawNegatives(
            anchorDist, dist, batch, pixels, anchorImage, anchorPixel, seeded(21));

        auto w = negativeWeights(mode, anchorDist, dist);
        for (int64_t a = 0; a < anchors; ++a) {
          const int64_t image = anchorImage[a].item<int64_t>();
          if (sameImage) w[a][image * pixels + anchorPixel[a].item<int64_t>()] = 0;
          else w[a].narrow(0, image * pixels, pixels).zero_();
        }
        const NegativeDraw matrix = gumbelTopK(w, config.negatives, seeded(21));
        EXPECT_TRUE(fused.indices.equal(matrix.indices)) << type << " " << toString(mode) << " " << sameImage;
        EXPECT_TRUE(fused.valid.equal(matrix.valid)) << type << " " << toString(mode) << " " << sameImage;
       }
      }
    }
  }
}

// One draw per row picks a candidate with probability proportional to its weight.
TEST(PixelContrastTest, GumbelTopKDrawsInProportionToTheWeights) {
  const auto w = torch::tensor({1.0f, 3.0f, 0.0f, 4.0f}).repeat({40000, 1});
  const NegativeDraw d = gumbelTopK(w, 1, seeded(9));
  const auto counts = torch::bincount(d.indices.reshape({-1}), {}, 4).to(torch::kDouble) / 40000.0;
  EXPECT_NEAR(counts[0].item<double>(), 0.125, 0.01);
  EXPECT_NEAR(counts[1].item<double>(), 0.375, 0.01);
  EXPECT_EQ(counts[2].item<double>(), 0.0);
  EXPECT_NEAR(counts[3].item<double>(), 0.5, 0.01);
}

TEST(PixelContrastTest, NegativesNeverComeFromTheAnchorsOwnInstanceWhenConfident) {
  ConfidentScene s;
  for (auto mode : {NegativeSampling::Fused, NegativeSampling::ClassOnly, NegativeSampling::MaskOnly}) {
    PixelContrastConfig cfg;
    cfg.sampling = mode;
    cfg.sameImageCandidates = true;  // the hardest case: the own instance is a candidate
    cfg.negatives = 200;
    InstanceAwarePixelContrast contrast(cfg);
    // Anchor at image 0, y=3, x=1: inside the left (class 0) instance.
    const auto insp = contrast.inspect(s.maskLogits, s.classLogits, 0, 3, 1, seeded(7));
    ASSERT_GT(insp.negatives.size(0), 0) << toString(mode);
    const auto xs = insp.negatives.select(1, 2), images = insp.negatives.select(1, 0);
    const bool ownInstance = ((images == 0) & (xs < 4)).any().item<bool>();
    EXPECT_FALSE(ownInstance) << toString(mode);
    EXPECT_NEAR(insp.weights[0].slice(1, 0, 4).sum().item<double>(), 0.0, 1e-6) << toString(mode);
    EXPECT_NEAR(insp.weights.sum().item<double>(), 1.0, 1e-9);
  }
  // Uniform sampling ignores instances: it does draw from the anchor's own instance.
  PixelContrastConfig cfg;
  cfg.sampling = NegativeSampling::Uniform;
  cfg.sameImageCandidates = true;
  const auto insp = InstanceAwarePixelContrast(cfg).inspect(s.maskLogits, s.classLogits, 0, 3, 1, seeded(7));
  const auto xs = insp.negatives.select(1, 2), images = insp.negatives.select(1, 0);
  EXPECT_TRUE(((images == 0) & (xs < 4)).any().item<bool>());
}

TEST(PixelContrastTest, DefaultCandidatesComeFromOtherImages) {
  ConfidentScene s;
  PixelContrastConfig cfg;
  cfg.sampling = NegativeSampling::Uniform;
  const auto insp = InstanceAwarePixelContrast(cfg).inspect(s.maskLogits, s.classLogits, 1, 0, 0, seeded(3));
  EXPECT_TRUE((insp.negatives.select(1, 0) == 0).all().item<bool>());
  EXPECT_EQ(insp.negatives.size(0), 64);  // all 64 pixels of the other image (< R = 200)
}

// The analytic gradient w.r.t. the weak embeddings matches central differences.
TEST(PixelContrastTest, GradientCheck) {
  torch::manual_seed(0);
  ConfidentScene s;
  PixelContrastConfig cfg;
  cfg.negatives = 12;
  cfg.anchorsPerImage = 5;
  InstanceAwarePixelContrast contrast(cfg);
  const auto raw = torch::randn({2, 4, 8, 8}, torch::kDouble);
  const auto strong = F::normalize(torch::randn({2, 4, 8, 8}, torch::kDouble), F::NormalizeFuncOptions().dim(1));
  auto lossOf = [&](const torch::Tensor& x) {
    const auto z = F::normalize(x, F::NormalizeFuncOptions().dim(1));
    // Same seed each call: the same anchors and negatives are drawn.
    return contrast.loss(z, strong, s.maskLogits, s.classLogits, 0.2, seeded(11));
  };
  auto x = raw.clone().requires_grad_(true);
  lossOf(x).backward();
  const auto grad = x.grad();
  ASSERT_GT(grad.abs().sum().item<double>(), 0.0);
  const double eps = 1e-6;
  auto flat = raw.view({-1});
  int checked = 0;
  for (int64_t i = 0; i < flat.numel(); i += 7) {
    auto plus = raw.clone(), minus = raw.clone();
    plus.view({-1})[i] += eps;
    minus.view({-1})[i] -= eps;
    const double numeric = (lossOf(plus).item<double>() - lossOf(minus).item<double>()) / (2 * eps);
    EXPECT_NEAR(grad.view({-1})[i].item<double>(), numeric, 1e-6) << "element " << i;
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

// Optimising embeddings with the loss pulls instances apart: the loss falls and
// same-pixel positives end up closer than other-instance negatives.
TEST(PixelContrastTest, TrainingSeparatesInstances) {
  torch::manual_seed(0);
  ConfidentScene s;
  PixelContrastConfig cfg;
  cfg.negatives = 32;
  cfg.anchorsPerImage = 32;
  InstanceAwarePixelContrast contrast(cfg);
  auto emb = torch::randn({2, 8, 8, 8}, torch::kDouble).requires_grad_(true);
  torch::optim::Adam opt({emb}, 0.05);
  double first = 0, last = 0;
  for (int step = 0; step < 60; ++step) {
    const auto z = F::normalize(emb, F::NormalizeFuncOptions().dim(1));
    const auto loss = contrast.loss(z, z.detach(), s.maskLogits, s.classLogits, 0.1, seeded(step));
    if (step == 0) first = loss.item<double>();
    last = loss.item<double>();
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
  EXPECT_LT(last, 0.5 * first);
}

TEST(PixelContrastTest, ProjectionHeadIsUnitNorm) {
  ProjectionHead head(16, 32, 128);
  const auto z = head->forward(torch::randn({2, 16, 5, 5}));
  EXPECT_EQ(z.sizes(), (std::vector<int64_t>{2, 128, 5, 5}));
  EXPECT_TRUE(torch::allclose(z.norm(2, 1), torch::ones({2, 5, 5}), 1e-5, 1e-5));
}

TEST(PixelContrastTest, SamplingNamesRoundTrip) {
  for (auto m : {NegativeSampling::Fused, NegativeSampling::MaskOnly, NegativeSampling::ClassOnly,
                 NegativeSampling::Uniform})
    EXPECT_EQ(*negativeSamplingFromString(toString(m)), m);
  EXPECT_FALSE(negativeSamplingFromString("random").ok());
}

}  // namespace
}  // namespace distillery
