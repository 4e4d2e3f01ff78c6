#include "engine/modeling/model_info.h"

#include "engine/export/segmenter_trace.h"
#include "engine/modeling/instance_segmenter.h"

namespace distillery {

namespace {

// The first two components of a parameter name ("backbone.stages.0.0.norm.weight"
// -> "backbone.stages"); parameters directly on a part keep one.
std::string partOf(const std::string& name) {
  const auto first = name.find('.');
  if (first == std::string::npos) return name;
  const auto second = name.find('.', first + 1);
  return second == std::string::npos ? name.substr(0, first) : name.substr(0, second);
}

}  // namespace

Result<ModelInfo> describeModel(const std::string& arch, int numClasses, int size) {
  auto config = presetConfig(arch, numClasses);
  if (!config) return config.status();
  if (size <= 0 || size % 32 != 0)
    return Status::error("model info: size must be a positive multiple of 32");
  try {
    InstanceSegmenter model(*config);
    model->eval();
    ModelInfo info;
    info.config = *config;
    for (const auto& p : model->named_parameters()) {
      const std::string part = partOf(p.key());
      if (info.parts.empty() || info.parts.back().name != part) info.parts.push_back({part, 0});
      info.parts.back().params += p.value().numel();
      info.params += p.value().numel();
    }
    torch::NoGradGuard noGrad;
    // Batch 2 takes the batched kernels, as exports do (see PointwiseConv).
    torch::jit::Module traced = traceSegmenter(model, torch::rand({2, 3, size, size}));
    info.flopsSize = size;
    info.flops = countGraphFlops(traced) / 2;
    return info;
  } catch (const c10::Error& e) {
    return Status::error("model info: " + std::string(e.what_without_backtrace()));
  }
}

}  // namespace distillery
