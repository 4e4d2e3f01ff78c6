// What a kernel sees of one ONNX node: its inputs as tensors, its attributes, the
// opset the model imports for its domain, and how many outputs the graph wants.
// Kernels implement ONNX's operator semantics (onnx.ai/onnx/operators) for the
// opsets the registry claims; the opset lets one kernel follow a signature change
// (axes as an attribute up to opset 12, as an input from 13, and so on).
// Internal (torch).
#pragma once

#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

// A node that cannot run as given (bad attribute value, inconsistent shapes).
// The executor prefixes the node's op type and name.
class OnnxError : public UserError {
 public:
  using UserError::UserError;
};

class OnnxNodeContext {
 public:
  OnnxNodeContext(const onnx::NodeProto& node, int opset, std::vector<torch::Tensor> inputs);

  const onnx::NodeProto& node() const { return node_; }
  const std::string& opType() const { return node_.op_type(); }
  int opset() const { return opset_; }

  // Inputs as the node lists them; an omitted optional input (empty name, or
  // missing at the end) is undefined.
  int numInputs() const { return static_cast<int>(inputs_.size()); }
  bool hasInput(int i) const { return i < numInputs() && inputs_[i].defined(); }
  const torch::Tensor& input(int i) const;  // throws OnnxError when absent
  const std::vector<torch::Tensor>& inputs() const { return inputs_; }

  int numOutputs() const { return node_.output_size(); }
  // An output the node names (a trailing or empty-named one is not wanted).
  bool wantsOutput(int i) const { return i < numOutputs() && !node_.output(i).empty(); }

  bool has(const std::string& name) const { return find(name) != nullptr; }
  int64_t i(const std::string& name, int64_t fallback) const;
  float f(const std::string& name, float fallback) const;
  std::string s(const std::string& name, const std::string& fallback) const;
  std::vector<int64_t> ints(const std::string& name, std::vector<int64_t> fallback = {}) const;
  std::vector<float> floats(const std::string& name, std::vector<float> fallback = {}) const;
  torch::Tensor t(const std::string& name) const;  // throws OnnxError when absent

  const onnx::AttributeProto* find(const std::string& name) const;

 private:
  const onnx::NodeProto& node_;
  int opset_;
  std::vector<torch::Tensor> inputs_;
};

// Shared helpers for kernels.
// An int64/int32 tensor of any rank as a flat vector (shapes, axes, pads...).
std::vector<int64_t> toInt64Vector(const torch::Tensor& t);
// A negative axis counts from the end; throws OnnxError outside [-rank, rank).
int64_t normalizeAxis(int64_t axis, int64_t rank);

}  // namespace distillery
