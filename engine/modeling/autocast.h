// Mixed precision on CUDA only: within an AutocastGuard on a CUDA device, eligible
// ops run in float16 (LibTorch's autocast); on the CPU it does nothing, so nothing
// requires CUDA. The set loss casts to float32 itself. Internal (torch).
#pragma once

#include <torch/torch.h>

namespace distillery {

class AutocastGuard {
 public:
  explicit AutocastGuard(const torch::Device& device);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;
  bool active() const { return active_; }

 private:
  bool active_ = false;
  bool previous_ = false;
};

}  // namespace distillery
