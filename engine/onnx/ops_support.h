// Helpers the operator families share. Internal (torch).
#pragma once

#include <string>

#include "engine/onnx/onnx_op_registry.h"

namespace distillery {

// A CPU float16/bfloat16 tensor: LibTorch 1.13 lacks most CPU kernels for them.
bool needsFloat(const torch::Tensor& t);

// When input 0 is a CPU float16/bfloat16 tensor, runs the kernel on float copies and
// rounds its float outputs back (integer outputs such as indices stay), which is also
// what ONNX's references compute. CUDA has the kernels, so it takes no detour.
OnnxKernel viaFloat(OnnxKernel kernel);

void addOnnxOp(OnnxOpRegistry& registry, const std::string& type, OnnxKernel kernel,
               int sinceOpset = OnnxOpRegistry::kMinOpset, OnnxRefusal refuse = {});

}  // namespace distillery
