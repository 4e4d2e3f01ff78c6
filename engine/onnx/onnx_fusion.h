// Subgraphs that exporters spell out op by op and ATen has as one kernel: GELU
// (x * (erf(x / sqrt 2) + 1) * 0.5, five full passes over the tensor) and layer
// normalisation over the last axis (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt,
// Div, Mul, Add: nine). The executor runs each match as one fused node; the
// result equals the unfused graph up to float rounding (tested). A match needs
// its intermediates to be read by nothing else and to be no graph output.
// Internal (torch).
#pragma once

#include <onnx/onnx_pb.h>

#include <unordered_set>
#include <vector>

#include "engine/onnx/onnx_op_registry.h"

namespace distillery {

struct OnnxFusion {
  onnx::NodeProto node;      // the fused node (domain "distillery")
  const OnnxOpSpec* op = nullptr;
  std::vector<int> replaced;  // graph node indices it stands for
  int at = 0;                 // runs in place of this one (the last replaced)
};

// `needed`: which graph nodes run at all.
std::vector<OnnxFusion> findFusions(const onnx::GraphProto& graph, const std::vector<bool>& needed);

}  // namespace distillery
