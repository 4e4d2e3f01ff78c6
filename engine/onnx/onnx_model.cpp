#include "engine/onnx/onnx_model.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <fstream>
#include <set>
#include <sstream>

#include "engine/onnx/onnx_op_registry.h"
#include "engine/onnx/onnx_tensor_proto.h"

namespace distillery {

std::string OnnxValueInfo::describe() const {
  std::string s = onnxTypeName(elemType) + " [";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ",";
    s += dims[i] >= 0 ? std::to_string(dims[i]) : (names[i].empty() ? "?" : names[i]);
  }
  return s + "]";
}

std::string OnnxUnsupportedNode::describe() const {
  return opType + " (domain '" + (domain.empty() ? "ai.onnx" : domain) + "', opset " +
         std::to_string(opset) + ", node " + name + "): " + reason;
}

OnnxValueInfo valueInfoOf(const onnx::ValueInfoProto& info) {
  OnnxValueInfo v;
  v.name = info.name();
  if (!info.type().has_tensor_type()) return v;
  const auto& tt = info.type().tensor_type();
  v.elemType = tt.elem_type();
  for (const auto& d : tt.shape().dim()) {
    v.dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
    v.names.push_back(d.has_dim_param() ? d.dim_param() : std::string());
  }
  return v;
}

Result<std::shared_ptr<OnnxModel>> OnnxModel::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::error(file.string() + ": cannot open (expected an ONNX model file)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto model = std::shared_ptr<OnnxModel>(new OnnxModel());
  model->file_ = file;
  if (buffer.str().empty() || !model->model_.ParseFromString(buffer.str()) ||
      !model->model_.has_graph())
    return Status::error(file.string() +
                         ": not an ONNX model (protobuf parse failed: truncated or another format)");
  for (const auto& o : model->model_.opset_import())
    model->opsets_[o.domain() == "ai.onnx" ? "" : o.domain()] = static_cast<int>(o.version());
  try {
    onnx::checker::check_model(model->model_);
  } catch (const std::exception& e) {
    return Status::error(file.string() + ": fails ONNX's checker: " + e.what());
  }
  try {
    onnx::shape_inference::InferShapes(model->model_);
  } catch (const std::exception& e) {
    return Status::error(file.string() + ": fails ONNX's shape inference: " + e.what());
  }
  std::set<std::string> initializers;
  for (const auto& t : model->graph().initializer()) initializers.insert(t.name());
  for (const auto& i : model->graph().input())
    if (!initializers.count(i.name())) model->inputs_.push_back(valueInfoOf(i));
  for (const auto& o : model->graph().output()) model->outputs_.push_back(valueInfoOf(o));
  return model;
}

int OnnxModel::opsetOf(const std::string& domain) const {
  auto it = opsets_.find(domain == "ai.onnx" ? "" : domain);
  return it == opsets_.end() ? 0 : it->second;
}

std::vector<OnnxUnsupportedNode> OnnxModel::unsupportedNodes(const OnnxOpRegistry& registry) const {
  std::vector<OnnxUnsupportedNode> out;
  const auto& nodes = graph().node();
  for (int i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    const int opset = opsetOf(n.domain());
    std::string why = registry.whyNot(n, opset);
    if (why.empty()) continue;
    out.push_back({n.op_type(), n.domain(), opset,
                   n.name().empty() ? "#" + std::to_string(i) : n.name(), std::move(why)});
  }
  for (const auto& v : inputs_)
    if (v.elemType == 0 || !torchTypeOf(v.elemType))
      out.push_back({"(graph input)", "", 0, v.name,
                     "input type " + (v.elemType ? onnxTypeName(v.elemType) : "non-tensor") +
                         " is not supported"});
  return out;
}

Status OnnxModel::checkSupported(const OnnxOpRegistry& registry) const {
  const auto bad = unsupportedNodes(registry);
  if (bad.empty()) return {};
  std::string msg = file_.string() + ": " + std::to_string(bad.size()) +
                    " node(s) cannot run on this executor:";
  for (const auto& b : bad) msg += "\n  " + b.describe();
  return Status::error(msg);
}

}  // namespace distillery
