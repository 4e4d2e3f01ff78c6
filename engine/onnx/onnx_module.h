// An ONNX graph executed with ATen ops, as a torch::nn::Module.
//
// Initializers become tensors the module owns: floating-point ones as parameters
// (frozen until setTrainable, so a foundation model can be fine-tuned later),
// others as buffers; `to(device)` moves them like any module's. Every node is
// checked against the registry at construction, so an unsupported operator is
// refused before anything runs. forward() runs the nodes in graph order (ONNX
// requires topological order) and frees each intermediate after its last use, so
// peak memory stays near the largest live set. Internal (torch).
#pragma once

#include <torch/torch.h>

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/onnx/onnx_model.h"
#include "engine/onnx/onnx_op_registry.h"
#include "engine/util/status.h"

namespace distillery {

struct OnnxModuleOptions {
  // Narrows the graph to what these outputs need, in this order: nodes that
  // feed none of them never run. Empty = every graph output.
  std::vector<std::string> outputs;
  bool fuse = true;  // run GELU and layer-norm subgraphs as one kernel (onnx_fusion.h)
};

class OnnxModuleImpl : public torch::nn::Module {
 public:
  // Refuses (error listing every offending node) when any node is unsupported.
  using Options = OnnxModuleOptions;
  static Result<std::shared_ptr<OnnxModuleImpl>> create(
      std::shared_ptr<const OnnxModel> model, const Options& options,
      const OnnxOpRegistry& registry = OnnxOpRegistry::builtin());
  static Result<std::shared_ptr<OnnxModuleImpl>> create(std::shared_ptr<const OnnxModel> model) {
    return create(std::move(model), Options{});
  }
  static Result<std::shared_ptr<OnnxModuleImpl>> load(const std::filesystem::path& file,
                                                      const Options& options = OnnxModuleOptions());
  int fusedSubgraphs() const { return fusedSubgraphs_; }

  const OnnxModel& model() const { return *model_; }
  const std::vector<OnnxValueInfo>& inputs() const { return model_->inputs(); }
  const std::vector<OnnxValueInfo>& outputs() const { return outputInfos_; }
  // Lets a declared static dimension of an input vary (a graph exported with a
  // fixed batch of prompts that its operators broadcast anyway).
  void relaxInputDim(const std::string& input, int dim);

  // Inputs in the graph's order. Throws OnnxError naming the input, with the
  // expected type and shape against the given, or the failing node.
  std::vector<torch::Tensor> forward(const std::vector<torch::Tensor>& inputs);
  std::unordered_map<std::string, torch::Tensor> forward(
      const std::unordered_map<std::string, torch::Tensor>& inputs);
  // Checks inputs as forward() does, without running: ok or the error.
  Status validateInputs(const std::vector<torch::Tensor>& inputs) const;

  // Floating-point initializers take gradients (or stop).
  void setTrainable(bool on);
  int64_t parameterCount() const;
  // The largest number of bytes held by intermediates at once in the last forward.
  int64_t lastPeakIntermediateBytes() const { return lastPeakBytes_; }

 private:
  struct Step {
    const OnnxOpSpec* op = nullptr;
    const onnx::NodeProto* node = nullptr;
    int opset = 0;
    std::vector<int> inputs;   // slot per input, -1 when omitted
    std::vector<int> outputs;  // slot per output, -1 when not wanted
    std::vector<int> release;  // slots whose last use is this step
  };
  explicit OnnxModuleImpl(std::shared_ptr<const OnnxModel> model);
  Status plan(const OnnxOpRegistry& registry, const Options& options);
  std::vector<torch::Tensor> run(std::vector<torch::Tensor> inputs);

  std::shared_ptr<const OnnxModel> model_;
  std::vector<std::string> slotNames_;
  std::vector<torch::Tensor> constants_;  // per slot: initializer (owned) or Constant value
  std::vector<int> inputSlots_;
  std::vector<int> outputSlots_;
  std::vector<OnnxValueInfo> inputInfos_;
  std::vector<OnnxValueInfo> outputInfos_;
  std::vector<Step> steps_;
  std::deque<onnx::NodeProto> fusedNodes_;  // stable addresses for Step::node
  int fusedSubgraphs_ = 0;
  int64_t lastPeakBytes_ = 0;
};
TORCH_MODULE(OnnxModule);

}  // namespace distillery
