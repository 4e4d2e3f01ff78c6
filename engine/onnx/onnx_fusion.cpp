#include "engine/onnx/onnx_fusion.h"

#include <cmath>
#include <optional>
#include <unordered_map>

#include "engine/onnx/onnx_tensor_proto.h"

namespace distillery {

namespace {

std::vector<torch::Tensor> geluKernel(const OnnxNodeContext& ctx) {
  return {torch::gelu(ctx.input(0))};
}

std::vector<torch::Tensor> layerNormKernel(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  return {torch::layer_norm(x, {x.size(-1)}, ctx.input(1), ctx.input(2), ctx.f("epsilon", 1e-5f))};
}

const OnnxOpSpec kGelu{"Gelu", 1, 99, geluKernel, nullptr};
const OnnxOpSpec kLayerNorm{"LayerNormLastAxis", 1, 99, layerNormKernel, nullptr};

class GraphIndex {
 public:
  GraphIndex(const onnx::GraphProto& g, const std::vector<bool>& needed) : g_(g) {
    for (const auto& o : g.output()) outputs_.insert(o.name());
    for (const auto& t : g.initializer()) constants_[t.name()] = &t;
    for (int n = 0; n < g.node_size(); ++n) {
      if (!needed[n]) continue;
      const auto& node = g.node(n);
      for (const auto& o : node.output()) producer_[o] = n;
      for (const auto& i : node.input()) consumers_[i].push_back(n);
      if (node.op_type() == "Constant" && node.attribute_size() == 1 &&
          node.attribute(0).name() == "value")
        constants_[node.output(0)] = &node.attribute(0).t();
    }
  }
  const onnx::NodeProto& node(int n) const { return g_.node(n); }
  // The one node reading `value`, when exactly one does and it is no graph output.
  std::optional<int> soleConsumer(const std::string& value, const char* op) const {
    auto it = consumers_.find(value);
    if (outputs_.count(value) || it == consumers_.end() || it->second.size() != 1) return {};
    if (g_.node(it->second[0]).op_type() != op) return {};
    return it->second[0];
  }
  int consumerCount(const std::string& value) const {
    auto it = consumers_.find(value);
    return outputs_.count(value) ? -1 : (it == consumers_.end() ? 0 : static_cast<int>(it->second.size()));
  }
  std::vector<int> consumers(const std::string& value) const {
    auto it = consumers_.find(value);
    return it == consumers_.end() ? std::vector<int>{} : it->second;
  }
  // The rank of an initializer, or -1 for anything else.
  int rank(const std::string& value) const {
    auto it = constants_.find(value);
    return it == constants_.end() ? -1 : it->second->dims_size();
  }
  std::optional<int> producer(const std::string& value, const char* op) const {
    auto it = producer_.find(value);
    if (it == producer_.end() || g_.node(it->second).op_type() != op) return {};
    return it->second;
  }
  std::optional<double> scalar(const std::string& value) const {
    auto it = constants_.find(value);
    if (it == constants_.end()) return {};
    try {
      auto t = tensorFromProto(*it->second);
      if (t.numel() != 1 || !t.is_floating_point()) return {};
      return t.item<double>();
    } catch (const std::exception&) {
      return {};
    }
  }
  bool isConstant(const std::string& value) const { return constants_.count(value) > 0; }

 private:
  const onnx::GraphProto& g_;
  std::unordered_set<std::string> outputs_;
  std::unordered_map<std::string, const onnx::TensorProto*> constants_;
  std::unordered_map<std::string, int> producer_;
  std::unordered_map<std::string, std::vector<int>> consumers_;
};

bool near(std::optional<double> v, double target) { return v && std::abs(*v - target) < 1e-4; }

// The input of a binary node other than `known`, or "" when `known` is not one of them.
std::string other(const onnx::NodeProto& n, const std::string& known) {
  if (n.input_size() != 2) return {};
  if (n.input(0) == known) return n.input(1);
  if (n.input(1) == known) return n.input(0);
  return {};
}

std::optional<OnnxFusion> matchGelu(const GraphIndex& g, int erf) {
  const auto& e = g.node(erf);
  auto div = g.producer(e.input(0), "Div");
  if (!div || !g.soleConsumer(e.input(0), "Erf")) return {};
  const std::string x = g.node(*div).input(0);
  if (!near(g.scalar(g.node(*div).input(1)), std::sqrt(2.0))) return {};
  auto add = g.soleConsumer(e.output(0), "Add");
  if (!add || !near(g.scalar(other(g.node(*add), e.output(0))), 1.0)) return {};
  auto mul1 = g.soleConsumer(g.node(*add).output(0), "Mul");
  if (!mul1 || other(g.node(*mul1), g.node(*add).output(0)) != x) return {};
  auto mul2 = g.soleConsumer(g.node(*mul1).output(0), "Mul");
  if (!mul2 || !near(g.scalar(other(g.node(*mul2), g.node(*mul1).output(0))), 0.5)) return {};
  OnnxFusion f;
  f.node.set_op_type("Gelu");
  f.node.set_domain("distillery");
  f.node.set_name(g.node(*mul2).name() + "/fused_gelu");
  f.node.add_input(x);
  f.node.add_output(g.node(*mul2).output(0));
  f.op = &kGelu;
  f.replaced = {*div, erf, *add, *mul1, *mul2};
  f.at = *mul2;
  return f;
}

bool lastAxisMean(const onnx::NodeProto& n) {
  int64_t keep = 1;
  std::vector<int64_t> axes;
  for (const auto& a : n.attribute()) {
    if (a.name() == "keepdims") keep = a.i();
    if (a.name() == "axes") axes.assign(a.ints().begin(), a.ints().end());
  }
  return keep == 1 && axes == std::vector<int64_t>{-1} && n.input_size() == 1;
}

std::optional<OnnxFusion> matchLayerNorm(const GraphIndex& g, int mean) {
  const auto& m = g.node(mean);
  if (!lastAxisMean(m)) return {};
  const std::string x = m.input(0);
  auto sub = g.soleConsumer(m.output(0), "Sub");
  if (!sub || g.node(*sub).input(0) != x || g.node(*sub).input(1) != m.output(0)) return {};
  const std::string d = g.node(*sub).output(0);
  if (g.consumerCount(d) != 2) return {};
  std::optional<int> pow, div;
  for (int c : g.consumers(d)) {
    if (g.node(c).op_type() == "Pow" && g.node(c).input(0) == d) pow = c;
    if (g.node(c).op_type() == "Div" && g.node(c).input(0) == d) div = c;
  }
  if (!pow || !div || !near(g.scalar(g.node(*pow).input(1)), 2.0)) return {};
  auto var = g.soleConsumer(g.node(*pow).output(0), "ReduceMean");
  if (!var || !lastAxisMean(g.node(*var))) return {};
  auto addEps = g.soleConsumer(g.node(*var).output(0), "Add");
  if (!addEps) return {};
  auto eps = g.scalar(other(g.node(*addEps), g.node(*var).output(0)));
  auto sqrt = g.soleConsumer(g.node(*addEps).output(0), "Sqrt");
  if (!eps || !sqrt || g.node(*div).input(1) != g.node(*sqrt).output(0) ||
      g.consumerCount(g.node(*sqrt).output(0)) != 1)
    return {};
  auto mul = g.soleConsumer(g.node(*div).output(0), "Mul");
  if (!mul) return {};
  const std::string gamma = other(g.node(*mul), g.node(*div).output(0));
  auto addBeta = g.soleConsumer(g.node(*mul).output(0), "Add");
  if (!addBeta) return {};
  const std::string beta = other(g.node(*addBeta), g.node(*mul).output(0));
  // The affine parameters must be per-channel vectors the module owns.
  if (g.rank(gamma) != 1 || g.rank(beta) != 1) return {};
  OnnxFusion f;
  f.node.set_op_type("LayerNormLastAxis");
  f.node.set_domain("distillery");
  f.node.set_name(g.node(*addBeta).name() + "/fused_layer_norm");
  f.node.add_input(x);
  f.node.add_input(gamma);
  f.node.add_input(beta);
  f.node.add_output(g.node(*addBeta).output(0));
  auto* a = f.node.add_attribute();
  a->set_name("epsilon");
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(static_cast<float>(*eps));
  f.op = &kLayerNorm;
  f.replaced = {mean, *sub, *pow, *var, *addEps, *sqrt, *div, *mul, *addBeta};
  f.at = *addBeta;
  return f;
}

}  // namespace

std::vector<OnnxFusion> findFusions(const onnx::GraphProto& graph, const std::vector<bool>& needed) {
  GraphIndex index(graph, needed);
  std::vector<OnnxFusion> fusions;
  std::vector<bool> taken(graph.node_size(), false);
  auto accept = [&](std::optional<OnnxFusion> f) {
    if (!f) return;
    for (int n : f->replaced)
      if (taken[n]) return;
    for (int n : f->replaced) taken[n] = true;
    fusions.push_back(std::move(*f));
  };
  for (int n = 0; n < graph.node_size(); ++n) {
    if (!needed[n]) continue;
    const auto& op = graph.node(n).op_type();
    if (op == "Erf") accept(matchGelu(index, n));
    if (op == "ReduceMean") accept(matchLayerNorm(index, n));
  }
  return fusions;
}

}  // namespace distillery
