#include "engine/api/device.h"

#include <ATen/Context.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <cstdlib>
#include <thread>
#include <opencv2/core/version.hpp>
#include <string>

#include "engine/modeling/device.h"
#include "engine/store/sqlite_version.h"

namespace distillery {
namespace {

// OpenMP starts with one thread on some machines even with more cores free: use them
// all unless the user chose (DISTILLERY_THREADS, then OMP_NUM_THREADS).
int chooseThreads() {
  for (const char* var : {"DISTILLERY_THREADS", "OMP_NUM_THREADS"})
    if (const char* v = std::getenv(var); v && std::atoi(v) > 0) return std::atoi(v);
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

DeviceInfo detect() {
  DeviceInfo info;
  at::set_num_threads(chooseThreads());
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
  computeDevice();  // so the automatic choice never overrides this one
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
