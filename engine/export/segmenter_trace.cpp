#include "engine/export/segmenter_trace.h"

#include <torch/csrc/jit/frontend/tracer.h>

#include <atomic>
#include <cctype>
#include <unordered_map>

namespace distillery {

namespace {

// Type names must be unique identifiers: Python rebuilds each class from source.
std::string typeNameFor(const torch::nn::Module& m) {
  static std::atomic<int> counter{0};
  std::string name;
  for (char c : m.name()) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return "__torch__.distillery." + name + "_" + std::to_string(counter++);
}

void mirror(const torch::nn::Module& src, torch::jit::Module& dst,
            const std::shared_ptr<torch::jit::CompilationUnit>& cu) {
  for (const auto& p : src.named_parameters(/*recurse=*/false))
    dst.register_parameter(p.key(), p.value(), false);
  for (const auto& b : src.named_buffers(/*recurse=*/false))
    dst.register_buffer(b.key(), b.value());
  for (const auto& child : src.named_children()) {
    torch::jit::Module sub(c10::QualifiedName(typeNameFor(*child.value())), cu,
                           /*shouldMangle=*/true);
    mirror(*child.value(), sub, cu);
    dst.register_module(child.key(), sub);
  }
}

}  // namespace

torch::jit::Module traceModule(
    torch::nn::Module& model, const torch::Tensor& example,
    const std::function<c10::Dict<std::string, at::Tensor>(const torch::Tensor&)>& forward,
    const std::string& typeName) {
  auto cu = std::make_shared<torch::jit::CompilationUnit>();
  torch::jit::Module root(c10::QualifiedName("__torch__.distillery." + typeName), cu,
                          /*shouldMangle=*/true);
  mirror(model, root, cu);
  auto traced = torch::jit::tracer::trace(
      {example},
      [&](torch::jit::Stack inputs) -> torch::jit::Stack {
        return {c10::IValue(forward(inputs.at(0).toTensor()))};
      },
      [](const torch::autograd::Variable&) { return std::string(); },
      /*strict=*/false, /*force_outplace=*/false, &root);
  std::shared_ptr<torch::jit::Graph> graph = traced.first->graph;
  auto* fn = root._ivalue()->compilation_unit()->create_function(
      c10::QualifiedName(*root.type()->name(), "forward"), graph);
  root.type()->addMethod(fn);
  return root;
}

torch::jit::Module traceSegmenter(InstanceSegmenter& model, const torch::Tensor& example) {
  return traceModule(
      *model, example,
      [&](const torch::Tensor& images) {
        SegmenterOutput out = model->forward(images);
        c10::Dict<std::string, at::Tensor> d;
        d.insert("pred_logits", out.predLogits);
        d.insert("pred_masks", out.predMasks);
        d.insert("pixel_embed", out.pixelEmbed);
        return d;
      },
      "InstanceSegmenter");
}

ModelSidecar segmenterSidecar(const SegmenterConfig& config,
                              const std::vector<std::string>& classNames,
                              const std::vector<int64_t>& categoryIds, int inputSize) {
  ModelSidecar s;
  for (int k = 0; k < config.numClasses; ++k)
    s.classNames.push_back(static_cast<size_t>(k) < classNames.size()
                               ? classNames[static_cast<size_t>(k)]
                               : "class_" + std::to_string(k));
  if (categoryIds.size() == static_cast<size_t>(config.numClasses)) s.categoryIds = categoryIds;
  s.mean = config.pixelMean;
  s.std = config.pixelStd;
  s.normalizationInside = true;
  s.sizeDivisibility = config.sizeDivisibility;
  s.inputSize = inputSize;
  s.arch = config.arch;
  s.numQueries = config.numQueries;
  s.maskStride = 4;
  s.modelConfig = toJson(config);
  return s;
}

Status exportSegmenter(InstanceSegmenter& model, const ModelSidecar& sidecar,
                       const std::filesystem::path& file, int exampleSize) {
  const int side = std::max(32, (exampleSize + 31) / 32 * 32);
  const bool wasTraining = model->is_training();
  const torch::Device device = model->parameters().empty() ? torch::Device(torch::kCPU)
                                                           : model->parameters().front().device();
  try {
    model->to(torch::kCPU);
    model->eval();
    torch::NoGradGuard noGrad;
    torch::jit::Module traced = traceSegmenter(model, torch::rand({2, 3, side, side}));
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    traced.save(file.string());
  } catch (const c10::Error& e) {
    model->to(device);
    model->train(wasTraining);
    return Status::error(file.string() + ": export failed: " + e.what_without_backtrace());
  }
  model->to(device);
  model->train(wasTraining);
  return writeSidecar(sidecar, sidecarPath(file));
}

double countGraphFlops(const torch::jit::Module& traced) {
  auto graph = traced.get_method("forward").graph();
  // Parameters reach the graph through prim::GetAttr chains from self, whose values
  // carry no shapes: resolve them to the module's tensors.
  std::unordered_map<const torch::jit::Value*, c10::IValue> attrs;
  attrs[graph->inputs().at(0)] = traced._ivalue();
  auto sizesOf = [&](const torch::jit::Value* v) -> std::vector<int64_t> {
    if (auto it = attrs.find(v); it != attrs.end())
      return it->second.isTensor() ? it->second.toTensor().sizes().vec() : std::vector<int64_t>{};
    auto t = v->type()->cast<c10::TensorType>();
    if (!t) return {};
    auto s = t->sizes().concrete_sizes();
    return s ? *s : std::vector<int64_t>{};
  };
  double flops = 0;
  for (const torch::jit::Node* node : graph->nodes()) {
    const std::string kind = node->kind().toQualString();
    if (kind == "prim::GetAttr") {
      auto it = attrs.find(node->input(0));
      if (it != attrs.end() && it->second.isObject())
        attrs[node->output()] = it->second.toObject()->getAttr(node->s(c10::attr::name));
    } else if (kind == "aten::conv2d" || kind == "aten::_convolution") {
      const auto out = sizesOf(node->output(0));
      const auto w = sizesOf(node->input(1));
      if (out.size() == 4 && w.size() == 4)
        flops += 2.0 * out[0] * out[1] * out[2] * out[3] * w[1] * w[2] * w[3];
    } else if (kind == "aten::matmul" || kind == "aten::bmm" || kind == "aten::mm" ||
               kind == "aten::linear") {
      const auto a = sizesOf(node->input(0));
      const auto out = sizesOf(node->output(0));
      if (!a.empty() && !out.empty()) {
        double n = 1;
        for (int64_t s : out) n *= static_cast<double>(s);
        flops += 2.0 * n * static_cast<double>(a.back());
      }
    }
  }
  return flops;
}

}  // namespace distillery
