// The operators the ONNX executor claims, each with the opsets whose semantics
// its kernel implements. A node is refused before anything runs when its domain is
// not the default one, its op type is not claimed, the model's opset is outside
// the claimed range, or the op's refusal check finds an attribute it does not
// implement. A claim from opset 11 reaches back to the opset where the operator's
// definition in effect at 11 was introduced (same semantics). Internal (torch).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/onnx/onnx_node_context.h"

namespace distillery {

using OnnxKernel = std::function<std::vector<torch::Tensor>(const OnnxNodeContext&)>;
// Why this node, at this opset, cannot run; empty when it can.
using OnnxRefusal = std::function<std::string(const onnx::NodeProto&, int opset)>;

struct OnnxOpSpec {
  std::string opType;
  int sinceOpset = 11;  // the claimed opsets, inclusive
  int untilOpset = 17;
  OnnxKernel kernel;
  OnnxRefusal refuse;  // optional
};

class OnnxOpRegistry {
 public:
  static constexpr int kMinOpset = 11;
  static constexpr int kMaxOpset = 17;

  // Every operator this build implements.
  static const OnnxOpRegistry& builtin();

  void add(OnnxOpSpec spec);
  const OnnxOpSpec* find(const std::string& opType) const;
  // Why the node cannot run under the model's opset for its domain; empty when it can.
  std::string whyNot(const onnx::NodeProto& node, int domainOpset) const;
  std::vector<std::string> opTypes() const;

 private:
  std::map<std::string, OnnxOpSpec> ops_;
};

// Each ops_<family>.cpp fills in its operators.
void registerElementwiseOps(OnnxOpRegistry& registry);  // unary, binary, logic, Where, Cast, Clip
void registerMathOps(OnnxOpRegistry& registry);         // MatMul, Gemm, Einsum, Softmax, reductions, TopK, ArgMax
void registerNnOps(OnnxOpRegistry& registry);           // Conv, ConvTranspose, pools, normalisations
void registerResizeOps(OnnxOpRegistry& registry);       // Resize
void registerShapeOps(OnnxOpRegistry& registry);        // Shape, Reshape, Gather, Slice, Concat, Pad, ...

}  // namespace distillery
