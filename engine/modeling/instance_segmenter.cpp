#include "engine/modeling/instance_segmenter.h"

#include "engine/modeling/allocator_tuning.h"

namespace distillery {

std::vector<MaskPrediction> SegmenterOutput::predictions() const {
  std::vector<MaskPrediction> all = aux;
  all.push_back({predLogits, predMasks});
  return all;
}

InstanceSegmenterImpl::InstanceSegmenterImpl(const SegmenterConfig& config) : config_(config) {
  keepFreedTensorMemory();
  const std::string why = config.validate();
  TORCH_CHECK(why.empty(), "segmenter config: ", why);
  pixelMean_ = register_buffer(
      "pixel_mean",
      torch::tensor(std::vector<float>(config.pixelMean.begin(), config.pixelMean.end()))
          .view({1, 3, 1, 1}));
  pixelStd_ = register_buffer(
      "pixel_std", torch::tensor(std::vector<float>(config.pixelStd.begin(), config.pixelStd.end()))
                       .view({1, 3, 1, 1}));
  backbone_ = register_module(
      "backbone", Backbone(BackboneOptions{config.widths, config.depths, config.expansion}));
  pixelDecoder_ = register_module(
      "pixel_decoder", PixelDecoder(config.widths, config.pixelDecoderDim, config.maskDim));
  TransformerDecoderOptions d;
  d.inChannels = config.pixelDecoderDim;
  d.hiddenDim = config.hiddenDim;
  d.maskDim = config.maskDim;
  d.numHeads = config.numHeads;
  d.ffnDim = config.ffnDim;
  d.numLayers = config.decoderLayers;
  d.numQueries = config.numQueries;
  d.numClasses = config.numClasses;
  decoder_ = register_module("transformer_decoder", TransformerDecoder(d));
}

SegmenterOutput InstanceSegmenterImpl::forward(const torch::Tensor& images) {
  TORCH_CHECK(images.dim() == 4 && images.size(1) == 3,
              "segmenter: expected images [B,3,H,W], got ", images.sizes());
  TORCH_CHECK(images.size(2) % 32 == 0 && images.size(3) % 32 == 0,
              "segmenter: image height and width must be multiples of 32, got ", images.sizes());
  SegmenterOutput out;
  out.features = backbone_((images - pixelMean_) / pixelStd_);
  PixelDecoderOutput pixels = pixelDecoder_(out.features);
  std::vector<MaskPrediction> predictions = decoder_(pixels.multiScale, pixels.maskFeatures);
  out.predLogits = predictions.back().logits;
  out.predMasks = predictions.back().masks;
  predictions.pop_back();
  out.aux = std::move(predictions);
  out.pixelEmbed = pixels.maskFeatures;
  return out;
}

int64_t countParameters(const torch::nn::Module& module) {
  int64_t n = 0;
  for (const auto& p : module.parameters()) n += p.numel();
  return n;
}

}  // namespace distillery
