#include "engine/losses/point_sampling.h"

#include <gtest/gtest.h>

namespace distillery {
namespace {

TEST(PointSamplingTest, PixelCentresReadThePixelsAndMidpointsInterpolate) {
  torch::Tensor map = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({1, 1, 2, 2});
  // (x, y) in [0,1]: pixel (col 1, row 0) has its centre at (0.75, 0.25).
  torch::Tensor points = torch::tensor({0.75f, 0.25f, 0.25f, 0.75f, 0.5f, 0.5f}).view({1, 3, 2});
  torch::Tensor v = pointSample(map, points);
  ASSERT_EQ(v.sizes(), (std::vector<int64_t>{1, 1, 3}));
  EXPECT_FLOAT_EQ(v[0][0][0].item<float>(), 2.0f);
  EXPECT_FLOAT_EQ(v[0][0][1].item<float>(), 3.0f);
  EXPECT_FLOAT_EQ(v[0][0][2].item<float>(), 2.5f);
}

TEST(PointSamplingTest, ImportanceSamplingConcentratesNearTheBoundary) {
  torch::manual_seed(0);
  // Logit = 20 * (x - 0.5): uncertain only near the vertical line x = 0.5.
  torch::Tensor x = torch::linspace(0, 1, 64).view({1, 1, 1, 64}).expand({2, 1, 64, 64});
  torch::Tensor logits = (x - 0.5) * 20.0;
  torch::Tensor points = uncertainPointCoordsWithRandomness(logits, 400, 3.0, 0.75);
  ASSERT_EQ(points.sizes(), (std::vector<int64_t>{2, 400, 2}));
  EXPECT_GE(points.min().item<float>(), 0.0f);
  EXPECT_LE(points.max().item<float>(), 1.0f);
  torch::Tensor near = (points.select(2, 0) - 0.5).abs() < 0.15;
  // 300 important points are among the 30% most central of 1200 uniform draws; the
  // 100 random ones land there 30% of the time: about 330 of 400 expected.
  const double fraction = near.to(torch::kFloat32).mean().item<double>();
  EXPECT_GT(fraction, 0.7);
  torch::Tensor uniform = uncertainPointCoordsWithRandomness(logits, 400, 3.0, 0.0);
  EXPECT_LT(((uniform.select(2, 0) - 0.5).abs() < 0.15).to(torch::kFloat32).mean().item<double>(),
            0.45);
}

}  // namespace
}  // namespace distillery
