// Ground truth of one image as the matcher and the set criterion take it. Internal (torch).
#pragma once

#include <torch/torch.h>

namespace distillery {

struct TargetInstances {
  torch::Tensor labels;  // [N] int64, class indices in [0, K)
  torch::Tensor
      masks;  // [N,H,W] float {0,1} at the padded batch resolution (the model's input size)
};

}  // namespace distillery
