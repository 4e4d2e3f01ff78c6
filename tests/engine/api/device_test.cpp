#include "engine/api/device.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "engine/modeling/device.h"

namespace distillery {
namespace {

TEST(DeviceTest, ChoiceMatchesLibTorchAndExplainsItself) {
  const DeviceInfo& info = computeDevice();
  EXPECT_EQ(info.cuda, torch::cuda::is_available() && std::getenv("DISTILLERY_DEVICE") == nullptr);
  EXPECT_FALSE(info.reason.empty());
  EXPECT_EQ(torchDevice().is_cuda(), info.cuda);
}

TEST(DeviceTest, VersionsAreReported) {
  const LibraryVersions v = libraryVersions();
  EXPECT_EQ(v.torch.substr(0, 2), "1.");
  EXPECT_EQ(v.opencv.substr(0, 1), "4");
  EXPECT_FALSE(v.sqlite.empty());
  EXPECT_EQ(v.distillery, DISTILLERY_VERSION);
}

}  // namespace
}  // namespace distillery
