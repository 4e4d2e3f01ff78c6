#include "engine/modeling/autocast.h"

#include <ATen/autocast_mode.h>
#include <gtest/gtest.h>

#include "engine/modeling/device.h"
#include "engine/modeling/instance_segmenter.h"

namespace distillery {
namespace {

TEST(AutocastTest, CpuDevicesLeaveItOff) {
  {
    AutocastGuard guard(torch::kCPU);
    EXPECT_FALSE(guard.active());
    EXPECT_FALSE(at::autocast::is_enabled());
    // A CPU forward inside the guard stays float32.
    InstanceSegmenter model(presetConfig("tiny", 2).value());
    EXPECT_EQ(model->forward(torch::rand({1, 3, 64, 64})).predMasks.scalar_type(), torch::kFloat32);
  }
  EXPECT_FALSE(at::autocast::is_enabled());
}

TEST(AutocastTest, CudaDevicesTurnItOnForTheScope) {
  if (!torchDevice().is_cuda()) GTEST_SKIP() << "no CUDA device: mixed precision is CUDA-only";
  {
    AutocastGuard guard(torchDevice());
    EXPECT_TRUE(guard.active());
    EXPECT_TRUE(at::autocast::is_enabled());
  }
  EXPECT_FALSE(at::autocast::is_enabled());
}

}  // namespace
}  // namespace distillery
