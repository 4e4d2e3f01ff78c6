#include "engine/onnx/onnx_node_context.h"

#include "engine/onnx/onnx_tensor_proto.h"

namespace distillery {

OnnxNodeContext::OnnxNodeContext(const onnx::NodeProto& node, int opset,
                                 std::vector<torch::Tensor> inputs)
    : node_(node), opset_(opset), inputs_(std::move(inputs)) {}

const torch::Tensor& OnnxNodeContext::input(int i) const {
  if (!hasInput(i))
    throw OnnxError("input " + std::to_string(i) + " is required but not given");
  return inputs_[i];
}

const onnx::AttributeProto* OnnxNodeContext::find(const std::string& name) const {
  for (const auto& a : node_.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

int64_t OnnxNodeContext::i(const std::string& name, int64_t fallback) const {
  const auto* a = find(name);
  return a ? a->i() : fallback;
}

float OnnxNodeContext::f(const std::string& name, float fallback) const {
  const auto* a = find(name);
  return a ? a->f() : fallback;
}

std::string OnnxNodeContext::s(const std::string& name, const std::string& fallback) const {
  const auto* a = find(name);
  return a ? a->s() : fallback;
}

std::vector<int64_t> OnnxNodeContext::ints(const std::string& name,
                                           std::vector<int64_t> fallback) const {
  const auto* a = find(name);
  if (!a) return fallback;
  return {a->ints().begin(), a->ints().end()};
}

std::vector<float> OnnxNodeContext::floats(const std::string& name,
                                           std::vector<float> fallback) const {
  const auto* a = find(name);
  if (!a) return fallback;
  return {a->floats().begin(), a->floats().end()};
}

torch::Tensor OnnxNodeContext::t(const std::string& name) const {
  const auto* a = find(name);
  if (!a || !a->has_t()) throw OnnxError("attribute '" + name + "' (a tensor) is required");
  return tensorFromProto(a->t());
}

std::vector<int64_t> toInt64Vector(const torch::Tensor& t) {
  auto c = t.to(torch::kCPU, torch::kLong).contiguous().reshape({-1});
  const int64_t* p = c.data_ptr<int64_t>();
  return {p, p + c.numel()};
}

int64_t normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    throw OnnxError("axis " + std::to_string(axis) + " is outside [-" + std::to_string(rank) +
                    ", " + std::to_string(rank) + ")");
  return axis < 0 ? axis + rank : axis;
}

}  // namespace distillery
