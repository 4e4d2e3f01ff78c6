#include "engine/onnx/onnx_op_registry.h"

#include <onnx/defs/schema.h>

namespace distillery {

const OnnxOpRegistry& OnnxOpRegistry::builtin() {
  static const OnnxOpRegistry registry = [] {
    OnnxOpRegistry r;
    registerElementwiseOps(r);
    registerMathOps(r);
    registerNnOps(r);
    registerResizeOps(r);
    registerShapeOps(r);
    // An operator whose definition in effect at opset 11 dates from an earlier
    // opset has the same semantics back to that one (ONNX bumps an operator's
    // version only when it changes), so the claim reaches back there too.
    for (auto& [name, spec] : r.ops_) {
      if (spec.sinceOpset != kMinOpset) continue;
      const auto* schema = onnx::OpSchemaRegistry::Schema(name, kMinOpset, "");
      if (schema) spec.sinceOpset = std::min(spec.sinceOpset, schema->SinceVersion());
    }
    return r;
  }();
  return registry;
}

void OnnxOpRegistry::add(OnnxOpSpec spec) {
  DST_CHECK(spec.kernel);
  DST_CHECK(ops_.count(spec.opType) == 0);
  std::string key = spec.opType;
  ops_.emplace(std::move(key), std::move(spec));
}

const OnnxOpSpec* OnnxOpRegistry::find(const std::string& opType) const {
  auto it = ops_.find(opType);
  return it == ops_.end() ? nullptr : &it->second;
}

std::string OnnxOpRegistry::whyNot(const onnx::NodeProto& node, int domainOpset) const {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return "domain '" + node.domain() + "' is not supported (only the default ai.onnx domain)";
  const OnnxOpSpec* op = find(node.op_type());
  if (!op) return "operator not implemented";
  if (domainOpset < op->sinceOpset || domainOpset > op->untilOpset)
    return "opset " + std::to_string(domainOpset) + " outside the supported " +
           std::to_string(op->sinceOpset) + "-" + std::to_string(op->untilOpset);
  for (const auto& a : node.attribute())
    if (a.type() == onnx::AttributeProto::GRAPH || a.type() == onnx::AttributeProto::GRAPHS)
      return "subgraph attribute '" + a.name() + "' is not supported";
  if (op->refuse) return op->refuse(node, domainOpset);
  return {};
}

std::vector<std::string> OnnxOpRegistry::opTypes() const {
  std::vector<std::string> names;
  for (const auto& [name, spec] : ops_) names.push_back(name);
  return names;
}

}  // namespace distillery
