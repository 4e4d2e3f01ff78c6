#include "engine/onnx/ops_support.h"

namespace distillery {

bool needsFloat(const torch::Tensor& t) {
  return t.is_cpu() && (t.scalar_type() == torch::kHalf || t.scalar_type() == torch::kBFloat16);
}

OnnxKernel viaFloat(OnnxKernel kernel) {
  using Tensors = std::vector<torch::Tensor>;
  return [kernel = std::move(kernel)](const OnnxNodeContext& ctx) -> Tensors {
    if (!ctx.hasInput(0) || !needsFloat(ctx.input(0))) return kernel(ctx);
    const auto type = ctx.input(0).scalar_type();
    Tensors in = ctx.inputs();
    for (auto& t : in)
      if (t.defined() && needsFloat(t)) t = t.to(torch::kFloat);
    Tensors out = kernel(OnnxNodeContext(ctx.node(), ctx.opset(), std::move(in)));
    for (auto& t : out)
      if (t.defined() && t.scalar_type() == torch::kFloat) t = t.to(type);
    return out;
  };
}

void addOnnxOp(OnnxOpRegistry& registry, const std::string& type, OnnxKernel kernel,
               int sinceOpset, OnnxRefusal refuse) {
  OnnxOpSpec spec;
  spec.opType = type;
  spec.sinceOpset = sinceOpset;
  spec.kernel = std::move(kernel);
  spec.refuse = std::move(refuse);
  registry.add(std::move(spec));
}

}  // namespace distillery
