#include "engine/api/device.h"

#include <ATen/Context.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <cstdlib>
#include <opencv2/core/version.hpp>
#include <string>

#include "engine/modeling/device.h"
#include "engine/store/sqlite_version.h"

namespace distillery {
namespace {

DeviceInfo detect() {
  DeviceInfo info;
  info.threads = at::get_num_threads();
  const char* forced = std::getenv("DISTILLERY_DEVICE");
  if (forced != nullptr && std::string(forced) == "cpu") {
    info.name = "CPU";
    info.reason = "CPU forced by DISTILLERY_DEVICE=cpu";
    return info;
  }
  if (!at::hasCUDA()) {
    info.name = "CPU";
    info.reason = "this LibTorch was built without CUDA";
    return info;
  }
  if (!torch::cuda::is_available()) {
    info.name = "CPU";
    info.reason = "LibTorch has CUDA but no GPU is visible (driver or CUDA_VISIBLE_DEVICES)";
    return info;
  }
  info.cuda = true;
  info.name = "CUDA device 0";
  info.reason = "CUDA available (" + std::to_string(torch::cuda::device_count()) + " device(s))";
  return info;
}

}  // namespace

const DeviceInfo& computeDevice() {
  static const DeviceInfo info = detect();
  return info;
}

void setComputeThreads(int threads) {
  if (threads > 0) at::set_num_threads(threads);
}

torch::Device torchDevice() {
  return computeDevice().cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
}

LibraryVersions libraryVersions() {
  LibraryVersions v;
  v.distillery = DISTILLERY_VERSION;
  v.torch = TORCH_VERSION;
  v.opencv = CV_VERSION;
  v.sqlite = sqliteVersion();
  return v;
}

}  // namespace distillery
