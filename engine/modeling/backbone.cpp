#include "engine/modeling/backbone.h"

#include "engine/modeling/layers.h"

namespace distillery {

namespace nn = torch::nn;

InvertedResidualBlockImpl::InvertedResidualBlockImpl(int64_t channels, int64_t expansion) {
  const int64_t hidden = channels * expansion;
  // GroupNorm(1, C): no running statistics, so train and eval mode compute the same
  // function and a traced export stays exact in both.
  norm_ = register_module("norm", nn::GroupNorm(1, channels));
  expand_ = register_module("expand", PointwiseConv(channels, hidden));
  depthwise_ = register_module(
      "depthwise", nn::Conv2d(nn::Conv2dOptions(hidden, hidden, 3).padding(1).groups(hidden)));
  project_ = register_module("project", PointwiseConv(hidden, channels));
  // Small residual branches at init keep deep stacks stable (ConvNeXt's layer scale).
  layerScale_ = register_parameter("layer_scale", torch::full({1, channels, 1, 1}, 0.1));
}

torch::Tensor InvertedResidualBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = project_(torch::gelu(depthwise_(expand_(norm_(x)))));
  return x + layerScale_ * y;
}

BackboneImpl::BackboneImpl(const BackboneOptions& options) : options_(options) {
  TORCH_CHECK(options.widths.size() == 4 && options.depths.size() == 4, "backbone needs 4 stages");
  const auto& w = options.widths;
  stem_ = register_module("stem", PatchConv(3, w[0], 4));
  stemNorm_ = register_module("stem_norm", nn::GroupNorm(1, w[0]));
  downsamples_ = register_module("downsamples", nn::ModuleList());
  stages_ = register_module("stages", nn::ModuleList());
  for (size_t i = 0; i < 4; ++i) {
    if (i > 0) {
      nn::Sequential down(nn::GroupNorm(1, w[i - 1]), PatchConv(w[i - 1], w[i], 2));
      downsamples_->push_back(down);
    }
    nn::Sequential stage;
    for (int d = 0; d < options.depths[i]; ++d)
      stage->push_back(InvertedResidualBlock(w[i], options.expansion));
    stages_->push_back(stage);
  }
}

std::vector<torch::Tensor> BackboneImpl::forward(const torch::Tensor& images) {
  std::vector<torch::Tensor> features;
  torch::Tensor x = stemNorm_(stem_(images));
  for (size_t i = 0; i < stages_->size(); ++i) {
    if (i > 0) x = downsamples_->ptr<nn::SequentialImpl>(i - 1)->forward(x);
    auto stage = stages_->ptr<nn::SequentialImpl>(i);
    if (!stage->is_empty()) x = stage->forward(x);
    features.push_back(x);
  }
  return features;
}

}  // namespace distillery
