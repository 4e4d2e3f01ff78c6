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

// DISTILLERY_THREADS, then OMP_NUM_THREADS; 0 keeps LibTorch's own choice. Not "every
// core" by default: on 2 cores a second thread made a teacher-l training step only 1.27x
// faster (student 1.07x, inference slower), and OpenMP threads that outnumber the free
// cores spin-wait on each other (a 70 ms forward took 6.9 s beside other work).
int chooseThreads() {
  for (const char* var : {"DISTILLERY_THREADS", "OMP_NUM_THREADS"})
    if (const char* v = std::getenv(var); v && std::atoi(v) > 0) return std::atoi(v);
  return 0;
}

DeviceInfo detect() {
  DeviceInfo info;
  if (const int threads = chooseThreads(); threads > 0) at::set_num_threads(threads);
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
