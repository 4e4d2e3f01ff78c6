// The query-based instance segmenter (Mask2Former style): backbone -> pixel decoder
// -> transformer decoder with masked cross-attention. Teacher and student are two
// presets of this one family (segmenter_config.h). Internal (torch).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "engine/modeling/backbone.h"
#include "engine/modeling/pixel_decoder.h"
#include "engine/modeling/segmenter_config.h"
#include "engine/modeling/transformer_decoder.h"

namespace distillery {

struct SegmenterOutput {
  torch::Tensor predLogits;  // [B,Q,K+1], last column = no object
  torch::Tensor predMasks;   // [B,Q,H/4,W/4] logits
  torch::Tensor pixelEmbed;  // [B,maskDim,H/4,W/4], the mask features
  std::vector<MaskPrediction>
      aux;  // earlier decoder predictions, first to last (training mode only)
  std::vector<torch::Tensor> features;  // backbone features at strides 4, 8, 16, 32

  // Every prediction for deep supervision: aux..., then the final one.
  std::vector<MaskPrediction> predictions() const;
};

class InstanceSegmenterImpl : public torch::nn::Module {
 public:
  explicit InstanceSegmenterImpl(const SegmenterConfig& config);
  // images: float RGB in [0,1], [B,3,H,W] with H and W multiples of 32.
  SegmenterOutput forward(const torch::Tensor& images);
  const SegmenterConfig& config() const { return config_; }

 private:
  SegmenterConfig config_;
  torch::Tensor pixelMean_, pixelStd_;
  Backbone backbone_{nullptr};
  PixelDecoder pixelDecoder_{nullptr};
  TransformerDecoder decoder_{nullptr};
};
TORCH_MODULE(InstanceSegmenter);

int64_t countParameters(const torch::nn::Module& module);

}  // namespace distillery
