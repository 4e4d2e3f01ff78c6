#include "engine/modeling/pixel_decoder.h"

#include "engine/modeling/layers.h"

namespace distillery {

namespace nn = torch::nn;

SeparableConvBlockImpl::SeparableConvBlockImpl(int64_t channels) {
  depthwise_ = register_module(
      "depthwise",
      nn::Conv2d(nn::Conv2dOptions(channels, channels, 3).padding(1).groups(channels)));
  pointwise_ = register_module("pointwise", PointwiseConv(channels, channels));
  norm_ = register_module("norm", nn::GroupNorm(1, channels));
}

torch::Tensor SeparableConvBlockImpl::forward(const torch::Tensor& x) {
  return torch::relu(norm_(pointwise_(depthwise_(x))));
}

PixelDecoderImpl::PixelDecoderImpl(const std::vector<int>& inChannels, int64_t dim,
                                   int64_t maskDim) {
  lateral_ = register_module("lateral", nn::ModuleList());
  output_ = register_module("output", nn::ModuleList());
  for (int c : inChannels) {
    lateral_->push_back(PointwiseConv(c, dim));
    output_->push_back(SeparableConvBlock(dim));
  }
  maskFeatures_ = register_module("mask_features", PointwiseConv(dim, maskDim));
}

PixelDecoderOutput PixelDecoderImpl::forward(const std::vector<torch::Tensor>& features) {
  TORCH_CHECK(features.size() == lateral_->size(), "pixel decoder: expected ", lateral_->size(),
              " feature maps");
  const int64_t levels = static_cast<int64_t>(features.size());
  std::vector<torch::Tensor> outs(features.size());
  torch::Tensor y;
  // Top-down: coarsest first, each level adds the upsampled coarser result.
  for (int64_t i = levels - 1; i >= 0; --i) {
    torch::Tensor lateral = lateral_->ptr<PointwiseConvImpl>(i)->forward(features[i]);
    y = y.defined() ? lateral + upsample2x(y) : lateral;
    y = output_->ptr<SeparableConvBlockImpl>(i)->forward(y);
    outs[i] = y;
  }
  PixelDecoderOutput result;
  result.maskFeatures = maskFeatures_(outs[0]);
  for (int64_t i = levels - 1; i >= 1; --i) result.multiScale.push_back(outs[i]);
  return result;
}

}  // namespace distillery
