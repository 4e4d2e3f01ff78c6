#include "engine/onnx/onnx_module.h"

#include <algorithm>
#include <unordered_set>

#include "engine/onnx/onnx_fusion.h"
#include "engine/onnx/onnx_tensor_proto.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <map>

namespace distillery {

namespace {

// torch::nn::Module names may not contain '.'.
std::string parameterName(const std::string& onnxName) {
  std::string s = onnxName;
  for (char& c : s)
    if (c == '.') c = '_';
  return s.empty() ? "_" : s;
}

}  // namespace

OnnxModuleImpl::OnnxModuleImpl(std::shared_ptr<const OnnxModel> model) : model_(std::move(model)) {}

Result<std::shared_ptr<OnnxModuleImpl>> OnnxModuleImpl::load(const std::filesystem::path& file,
                                                             const Options& options) {
  auto model = OnnxModel::load(file);
  if (!model) return model.status();
  return create(*model, options);
}

Result<std::shared_ptr<OnnxModuleImpl>> OnnxModuleImpl::create(
    std::shared_ptr<const OnnxModel> model, const Options& options,
    const OnnxOpRegistry& registry) {
  if (auto s = model->checkSupported(registry); !s) return s;
  auto module = std::shared_ptr<OnnxModuleImpl>(new OnnxModuleImpl(std::move(model)));
  try {
    if (auto s = module->plan(registry, options); !s) return s;
  } catch (const OnnxError& e) {
    return Status::error(module->model_->file().string() + ": " + e.what());
  } catch (const c10::Error& e) {
    return Status::error(module->model_->file().string() + ": " + e.what_without_backtrace());
  }
  return module;
}

Status OnnxModuleImpl::plan(const OnnxOpRegistry& registry, const Options& options) {
  const auto& wanted = options.outputs;
  const auto& graph = model_->graph();
  const auto& file = model_->file();
  inputInfos_ = model_->inputs();
  if (wanted.empty()) {
    outputInfos_ = model_->outputs();
  } else {
    for (const auto& name : wanted) {
      auto it = std::find_if(model_->outputs().begin(), model_->outputs().end(),
                             [&](const auto& o) { return o.name == name; });
      if (it == model_->outputs().end())
        return Status::error(file.string() + ": the graph has no output '" + name + "'");
      outputInfos_.push_back(*it);
    }
  }
  // Nodes some wanted output depends on (graph order is topological).
  std::vector<bool> needed(graph.node_size(), false);
  {
    std::unordered_set<std::string> live;
    for (const auto& o : outputInfos_) live.insert(o.name);
    for (int n = graph.node_size() - 1; n >= 0; --n) {
      const auto& node = graph.node(n);
      for (const auto& out : node.output())
        if (!out.empty() && live.count(out)) needed[n] = true;
      if (needed[n])
        for (const auto& in : node.input()) live.insert(in);
    }
  }
  std::unordered_map<std::string, int> slotOf;
  auto slot = [&](const std::string& name) {
    auto [it, added] = slotOf.emplace(name, static_cast<int>(slotNames_.size()));
    if (added) {
      slotNames_.push_back(name);
      constants_.emplace_back();
    }
    return it->second;
  };
  // Initializers: owned by the module, floating point ones as (frozen) parameters.
  std::unordered_set<std::string> registered;
  for (const auto& init : graph.initializer()) {
    auto t = tensorFromProto(init, file.parent_path());
    std::string pname = parameterName(init.name());
    while (!registered.insert(pname).second) pname += "_";
    if (t.is_floating_point())
      t = register_parameter(pname, t, /*requires_grad=*/false);
    else
      t = register_buffer(pname, t);
    constants_[slot(init.name())] = t;
  }
  for (const auto& in : model_->inputs()) inputSlots_.push_back(slot(in.name));

  std::vector<const OnnxFusion*> fusedAt(graph.node_size(), nullptr);
  std::vector<bool> replaced(graph.node_size(), false);
  const auto fusions = options.fuse ? findFusions(graph, needed) : std::vector<OnnxFusion>{};
  for (const auto& f : fusions) {
    for (int n : f.replaced) replaced[n] = true;
    fusedAt[f.at] = &f;
  }
  fusedSubgraphs_ = static_cast<int>(fusions.size());
  std::vector<int> lastUse;
  for (int n = 0; n < graph.node_size(); ++n) {
    if (!needed[n] || (replaced[n] && !fusedAt[n])) continue;
    Step step;
    if (fusedAt[n]) {
      fusedNodes_.push_back(fusedAt[n]->node);
      step.node = &fusedNodes_.back();
      step.op = fusedAt[n]->op;
    } else {
      step.node = &graph.node(n);
      step.op = registry.find(graph.node(n).op_type());
    }
    const auto& node = *step.node;
    step.opset = model_->opsetOf(graph.node(n).domain());
    DST_CHECK(step.op != nullptr);  // checkSupported ran first
    for (const auto& name : node.input()) {
      if (name.empty()) {
        step.inputs.push_back(-1);
        continue;
      }
      if (!slotOf.count(name))
        return Status::error(file.string() + ": node " + node.op_type() + " '" + node.name() +
                             "' reads '" + name + "', which no earlier node, input or initializer makes");
      step.inputs.push_back(slot(name));
    }
    for (const auto& name : node.output()) step.outputs.push_back(name.empty() ? -1 : slot(name));
    steps_.push_back(std::move(step));
  }
  for (const auto& out : outputInfos_) {
    if (!slotOf.count(out.name))
      return Status::error(file.string() + ": graph output '" + out.name + "' is never made");
    outputSlots_.push_back(slot(out.name));
  }
  // Constant nodes without inputs are evaluated once, here.
  std::vector<Step> remaining;
  for (auto& step : steps_) {
    const auto& node = *step.node;
    if (node.op_type() == "Constant" && step.inputs.empty()) {
      OnnxNodeContext ctx(node, step.opset, {});
      // A buffer, so to(device) moves it with the initializers.
      std::string bname = "constant_" + parameterName(node.output(0));
      while (!registered.insert(bname).second) bname += "_";
      constants_[step.outputs.at(0)] = register_buffer(bname, step.op->kernel(ctx).at(0));
      continue;
    }
    remaining.push_back(std::move(step));
  }
  steps_ = std::move(remaining);
  // Release each intermediate after its last reader (outputs and constants are kept).
  lastUse.assign(slotNames_.size(), -1);
  for (int s = 0; s < static_cast<int>(steps_.size()); ++s)
    for (int in : steps_[s].inputs)
      if (in >= 0) lastUse[in] = s;
  std::unordered_set<int> keep(outputSlots_.begin(), outputSlots_.end());
  for (int s = 0; s < static_cast<int>(steps_.size()); ++s) {
    for (int out : steps_[s].outputs)  // an output nobody reads dies at once
      if (out >= 0 && lastUse[out] < 0 && !keep.count(out)) steps_[s].release.push_back(out);
  }
  for (int slotId = 0; slotId < static_cast<int>(lastUse.size()); ++slotId)
    if (lastUse[slotId] >= 0 && !keep.count(slotId) && !constants_[slotId].defined())
      steps_[lastUse[slotId]].release.push_back(slotId);
  return {};
}

Status OnnxModuleImpl::validateInputs(const std::vector<torch::Tensor>& inputs) const {
  const auto& expected = inputInfos_;
  if (inputs.size() != expected.size())
    return Status::error(model_->file().string() + ": " + std::to_string(expected.size()) +
                         " input(s) expected, " + std::to_string(inputs.size()) + " given");
  std::unordered_map<std::string, int64_t> symbols;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& e = expected[i];
    const auto& t = inputs[i];
    auto given = [&] {
      if (!t.defined()) return std::string("nothing");
      std::string s = onnxTypeName(onnxTypeOf(t.scalar_type())) + " [";
      for (int64_t d = 0; d < t.dim(); ++d) s += (d ? "," : "") + std::to_string(t.size(d));
      return s + "]";
    };
    auto fail = [&] {
      return Status::error(model_->file().string() + ": input '" + e.name + "': expected " +
                           e.describe() + ", given " + given());
    };
    if (!t.defined() || torchTypeOf(e.elemType) != t.scalar_type()) return fail();
    if (e.dims.empty() && e.names.empty() && t.dim() != 0) {
      // A rank-0 declaration (or no shape at all): only the type is checked when unknown.
    }
    if (!e.dims.empty() && static_cast<int64_t>(e.dims.size()) != t.dim()) return fail();
    for (size_t d = 0; d < e.dims.size(); ++d) {
      if (e.dims[d] >= 0 && e.dims[d] != t.size(d)) return fail();
      if (e.dims[d] < 0 && !e.names[d].empty()) {
        auto [it, added] = symbols.emplace(e.names[d], t.size(d));
        if (!added && it->second != t.size(d))
          return Status::error(model_->file().string() + ": input '" + e.name + "': dimension '" +
                               e.names[d] + "' is " + std::to_string(t.size(d)) +
                               " here but " + std::to_string(it->second) + " in another input");
      }
    }
  }
  return {};
}

std::vector<torch::Tensor> OnnxModuleImpl::forward(const std::vector<torch::Tensor>& inputs) {
  if (auto s = validateInputs(inputs); !s) throw OnnxError(s.message());
  return run(inputs);
}

std::unordered_map<std::string, torch::Tensor> OnnxModuleImpl::forward(
    const std::unordered_map<std::string, torch::Tensor>& named) {
  std::vector<torch::Tensor> inputs;
  for (const auto& in : inputInfos_) {
    auto it = named.find(in.name);
    if (it == named.end())
      throw OnnxError(model_->file().string() + ": input '" + in.name + "' (" + in.describe() +
                      ") is not given");
    inputs.push_back(it->second);
  }
  auto outs = forward(inputs);
  std::unordered_map<std::string, torch::Tensor> result;
  for (size_t i = 0; i < outs.size(); ++i) result[outputInfos_[i].name] = outs[i];
  return result;
}

std::vector<torch::Tensor> OnnxModuleImpl::run(std::vector<torch::Tensor> inputs) {
  std::vector<torch::Tensor> values = constants_;
  for (size_t i = 0; i < inputSlots_.size(); ++i) values[inputSlots_[i]] = std::move(inputs[i]);
  auto bytes = [](const torch::Tensor& t) { return t.defined() ? t.nbytes() : 0; };
  int64_t live = 0, peak = 0;
  for (int s : inputSlots_) live += bytes(values[s]);
  // DISTILLERY_ONNX_PROFILE=1 logs the time per operator type after each run.
  static const bool profile = std::getenv("DISTILLERY_ONNX_PROFILE") != nullptr;
  std::map<std::string, std::pair<double, int>> opTime;
  for (const auto& step : steps_) {
    const auto started = std::chrono::steady_clock::now();
    std::vector<torch::Tensor> args;
    args.reserve(step.inputs.size());
    for (int in : step.inputs) args.push_back(in >= 0 ? values[in] : torch::Tensor());
    const auto& node = *step.node;
    std::vector<torch::Tensor> outs;
    try {
      OnnxNodeContext ctx(node, step.opset, std::move(args));
      outs = step.op->kernel(ctx);
    } catch (const OnnxError& e) {
      throw OnnxError(model_->file().string() + ": node " + node.op_type() + " '" + node.name() +
                      "': " + e.what());
    } catch (const c10::Error& e) {
      throw OnnxError(model_->file().string() + ": node " + node.op_type() + " '" + node.name() +
                      "': " + e.what_without_backtrace());
    }
    for (size_t o = 0; o < step.outputs.size(); ++o) {
      if (step.outputs[o] < 0) continue;
      if (o >= outs.size() || !outs[o].defined())
        throw OnnxError(model_->file().string() + ": node " + node.op_type() + " '" + node.name() +
                        "' did not produce output " + std::to_string(o));
      live += bytes(outs[o]);
      values[step.outputs[o]] = std::move(outs[o]);
    }
    if (profile) {
      auto& t = opTime[node.op_type()];
      t.first += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      ++t.second;
    }
    peak = std::max(peak, live);
    for (int r : step.release) {
      live -= bytes(values[r]);
      values[r] = torch::Tensor();
    }
  }
  lastPeakBytes_ = peak;
  if (profile) {
    std::vector<std::pair<double, std::string>> sorted;
    for (const auto& [op, t] : opTime)
      sorted.emplace_back(t.first, op + " x" + std::to_string(t.second));
    std::sort(sorted.rbegin(), sorted.rend());
    std::string line;
    for (size_t i = 0; i < std::min<size_t>(sorted.size(), 12); ++i)
      line += " " + sorted[i].second + " " + std::to_string(static_cast<int>(sorted[i].first)) + "ms;";
    spdlog::info("{}: {}", model_->file().filename().string(), line);
  }
  std::vector<torch::Tensor> result;
  for (int s : outputSlots_) result.push_back(values[s]);
  return result;
}

void OnnxModuleImpl::relaxInputDim(const std::string& input, int dim) {
  for (auto& info : inputInfos_)
    if (info.name == input && dim < static_cast<int>(info.dims.size())) {
      info.dims[dim] = -1;
      info.names[dim].clear();
    }
}

void OnnxModuleImpl::setTrainable(bool on) {
  for (auto& p : parameters()) p.set_requires_grad(on);
}

int64_t OnnxModuleImpl::parameterCount() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

}  // namespace distillery
