// Tracing a C++ module into TorchScript without Python (ARCHITECTURE.md, "Fact,
// verified here"): mirror the module tree as torch::jit::Modules holding the *live*
// parameter and buffer tensors, trace forward with self, add the graph as forward.
// Internal (torch).
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>
#include <functional>

#include "engine/modeling/instance_segmenter.h"
#include "engine/modeling/model_sidecar.h"
#include "engine/util/status.h"

namespace distillery {

// forward(images) -> Dict[str, Tensor] with pred_logits, pred_masks, pixel_embed.
torch::jit::Module traceSegmenter(InstanceSegmenter& model, const torch::Tensor& example);

// Any module and forward function: `forward` maps the example input to named outputs.
torch::jit::Module traceModule(
    torch::nn::Module& model, const torch::Tensor& example,
    const std::function<c10::Dict<std::string, at::Tensor>(const torch::Tensor&)>& forward,
    const std::string& typeName);

// The sidecar describing a Distillery segmenter (class names padded with class_<k>).
ModelSidecar segmenterSidecar(const SegmenterConfig& config,
                              const std::vector<std::string>& classNames,
                              const std::vector<int64_t>& categoryIds, int inputSize);

// Traces in eval mode on the CPU with a batch of 2 at example size (kernel paths
// chosen for batches, see PointwiseConv), saves FILE and its sidecar FILE.json.
Status exportSegmenter(InstanceSegmenter& model, const ModelSidecar& sidecar,
                       const std::filesystem::path& file, int exampleSize = 128);

// Multiply-accumulate FLOPs (2 per MAC) of the convolutions and matrix products in a
// traced graph, whose values carry the concrete shapes seen while tracing.
double countGraphFlops(const torch::jit::Module& traced);

}  // namespace distillery
