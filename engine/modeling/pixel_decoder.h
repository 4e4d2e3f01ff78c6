// The multi-scale pixel decoder: an FPN over the backbone's strides 4..32 that
// produces the mask features (stride 4) and the three lower-resolution maps the
// transformer decoder attends to (Mask2Former's "BasePixelDecoder" shape, with
// depthwise-separable output convolutions). Internal (torch).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "engine/modeling/layers.h"

namespace distillery {

struct PixelDecoderOutput {
  torch::Tensor maskFeatures;             // [B, maskDim, H/4, W/4]
  std::vector<torch::Tensor> multiScale;  // strides 32, 16, 8, each [B, dim, h, w]
};

// relu(norm(pointwise(depthwise3x3(x)))).
class SeparableConvBlockImpl : public torch::nn::Module {
 public:
  explicit SeparableConvBlockImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d depthwise_{nullptr};
  PointwiseConv pointwise_{nullptr};
  torch::nn::GroupNorm norm_{nullptr};
};
TORCH_MODULE(SeparableConvBlock);

class PixelDecoderImpl : public torch::nn::Module {
 public:
  PixelDecoderImpl(const std::vector<int>& inChannels, int64_t dim, int64_t maskDim);
  PixelDecoderOutput forward(const std::vector<torch::Tensor>& features);

 private:
  torch::nn::ModuleList lateral_{nullptr};
  torch::nn::ModuleList output_{nullptr};
  PointwiseConv maskFeatures_{nullptr};
};
TORCH_MODULE(PixelDecoder);

}  // namespace distillery
