// The torch::Device matching computeDevice(). Internal (includes torch).
#pragma once

#include <torch/torch.h>

namespace distillery {

torch::Device torchDevice();

}  // namespace distillery
