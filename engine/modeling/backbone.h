// The backbone: a patchify stem (4x4, stride 4) and four stages of inverted-residual
// blocks at strides 4, 8, 16 and 32. Early full-resolution convolutions were what
// made the first design slow, so nothing runs above stride 4. Internal (torch).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "engine/modeling/layers.h"

namespace distillery {

struct BackboneOptions {
  std::vector<int> widths{32, 64, 128, 192};
  std::vector<int> depths{1, 1, 2, 1};
  int expansion = 2;
};

// x + gamma * project(gelu(depthwise3x3(expand(norm(x))))). A 3x3 depthwise kernel:
// oneDNN's 5x5 and 7x7 depthwise weight gradients are 20-50x slower here.
class InvertedResidualBlockImpl : public torch::nn::Module {
 public:
  InvertedResidualBlockImpl(int64_t channels, int64_t expansion);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::GroupNorm norm_{nullptr};
  PointwiseConv expand_{nullptr}, project_{nullptr};
  torch::nn::Conv2d depthwise_{nullptr};
  torch::Tensor layerScale_;
};
TORCH_MODULE(InvertedResidualBlock);

class BackboneImpl : public torch::nn::Module {
 public:
  explicit BackboneImpl(const BackboneOptions& options);
  // Features at strides 4, 8, 16, 32.
  std::vector<torch::Tensor> forward(const torch::Tensor& images);
  const std::vector<int>& channels() const { return options_.widths; }

 private:
  BackboneOptions options_;
  PatchConv stem_{nullptr};
  torch::nn::GroupNorm stemNorm_{nullptr};
  torch::nn::ModuleList downsamples_{nullptr};
  torch::nn::ModuleList stages_{nullptr};
};
TORCH_MODULE(Backbone);

}  // namespace distillery
