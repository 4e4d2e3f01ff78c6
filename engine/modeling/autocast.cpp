#include "engine/modeling/autocast.h"

#include <ATen/autocast_mode.h>

namespace distillery {

AutocastGuard::AutocastGuard(const torch::Device& device) : active_(device.is_cuda()) {
  if (!active_) return;
  previous_ = at::autocast::is_enabled();
  at::autocast::set_enabled(true);
}

AutocastGuard::~AutocastGuard() {
  if (!active_) return;
  at::autocast::set_enabled(previous_);
  if (!previous_) at::autocast::clear_cache();
}

}  // namespace distillery
