// A TorchScript model behind the teacher contract: forward(images [B,3,H,W] RGB in
// [0,1]) -> Dict[str,Tensor] with pred_logits [B,Q,K+1], pred_masks [B,Q,h,w] and
// optionally pixel_embed [B,D,h',w'], plus the optional sidecar (model_sidecar.h).
// Loading validates the contract with a dummy forward. The adapter runs in eval mode
// for pseudo-labelling and in train mode, with chosen parameters unfrozen, for
// adaptation. Distillery's own exports meet the same contract, so a student can
// teach the next round. Internal (torch).
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engine/modeling/model_sidecar.h"
#include "engine/modeling/teacher_contract.h"
#include "engine/modeling/transformer_decoder.h"
#include "engine/util/status.h"

namespace distillery {

struct ContractOutput {
  torch::Tensor predLogits;  // [B,Q,K+1]
  torch::Tensor predMasks;   // [B,Q,h,w] logits
  torch::Tensor pixelEmbed;  // [B,D,h',w'] or undefined
  MaskPrediction prediction() const { return {predLogits, predMasks}; }
};

struct TeacherLoadOptions {
  std::vector<std::string> expectedClasses;  // empty: any class count
  torch::Device device = torch::kCPU;
};

// Which parameters adaptation trains. Parameters are grouped into blocks in the
// order the model lists them: a block is the name up to its last numeric component
// ("transformer_decoder.layers.5"), else the owning module ("transformer_decoder.class_head").
struct TrainableSelection {
  enum class Mode { None, All, LastBlocks, Prefixes };
  Mode mode = Mode::All;
  int lastBlocks = 0;                 // Mode::LastBlocks
  std::vector<std::string> prefixes;  // Mode::Prefixes: parameter-name prefixes
};

class TeacherAdapter {
 public:
  static Result<TeacherAdapter> load(const std::filesystem::path& file,
                                     const TeacherLoadOptions& options = {});

  // Eval mode, no gradient: for pseudo-labelling.
  ContractOutput predict(const torch::Tensor& images);
  // The current mode (see train()) with autograd on the trainable parameters.
  ContractOutput forward(const torch::Tensor& images);
  void train(bool on = true);

  // Returns the number of parameter tensors left trainable.
  int setTrainable(const TrainableSelection& selection);
  std::vector<torch::Tensor> trainableParameters() const;
  // Block names in parameter order (see TrainableSelection).
  std::vector<std::string> parameterBlocks() const;

  // Saves the (adapted) module and a copy of its sidecar next to it.
  Status save(const std::filesystem::path& file) const;

  const TeacherSummary& summary() const { return summary_; }
  const ModelSidecar& sidecar() const { return sidecar_; }
  int numQueries() const { return summary_.numQueries; }
  int numClasses() const { return summary_.numClasses; }
  torch::jit::Module& module() { return module_; }

 private:
  ContractOutput run(const torch::Tensor& images);

  torch::jit::Module module_;
  ModelSidecar sidecar_;
  TeacherSummary summary_;
  torch::Device device_ = torch::kCPU;
};

// The block a parameter belongs to (see TrainableSelection).
std::string parameterBlock(const std::string& parameterName);

}  // namespace distillery
