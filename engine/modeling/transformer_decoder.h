// The transformer decoder of Mask2Former: Q learnable queries refined layer by layer
// with masked cross-attention (each query attends only inside the mask the previous
// layer predicted), self-attention and an FFN, round-robin over three feature scales.
// Every layer's prediction is returned (deep supervision). Internal (torch).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "engine/modeling/layers.h"

namespace distillery {

// One set prediction: class logits [B,Q,K+1] (last = no object) and mask logits
// [B,Q,H/4,W/4].
struct MaskPrediction {
  torch::Tensor logits;
  torch::Tensor masks;
};

struct TransformerDecoderOptions {
  int64_t inChannels = 64;  // pixel decoder width
  int64_t hiddenDim = 64;
  int64_t maskDim = 64;
  int64_t numHeads = 4;
  int64_t ffnDim = 128;
  int64_t numLayers = 3;
  int64_t numQueries = 48;
  int64_t numClasses = 80;
};

// Multi-head attention of queries [B,Q,C] over a key/value map [B,C,h,w] (for
// self-attention the queries themselves as [B,C,Q,1]); products are grouped 1x1
// convolutions (see layers.h). attnMask [B,Q,h*w] is true where attention is blocked.
class MaskedAttentionImpl : public torch::nn::Module {
 public:
  MaskedAttentionImpl(int64_t dim, int64_t heads);
  torch::Tensor forward(const torch::Tensor& query, const torch::Tensor& keyMap,
                        const torch::Tensor& valueMap, const torch::Tensor& attnMask = {});

 private:
  int64_t heads_;
  PointwiseConv q_{nullptr}, k_{nullptr}, v_{nullptr}, out_{nullptr};
};
TORCH_MODULE(MaskedAttention);

// Masked cross-attention -> self-attention -> FFN, each with a residual and a
// post-LayerNorm, as Mask2Former's decoder layer.
class DecoderLayerImpl : public torch::nn::Module {
 public:
  DecoderLayerImpl(int64_t dim, int64_t heads, int64_t ffnDim);
  torch::Tensor forward(const torch::Tensor& queries, const torch::Tensor& queryPos,
                        const torch::Tensor& memory, const torch::Tensor& memoryPos,
                        const torch::Tensor& attnMask);

 private:
  MaskedAttention crossAttn_{nullptr}, selfAttn_{nullptr};
  torch::nn::LayerNorm crossNorm_{nullptr}, selfNorm_{nullptr}, ffnNorm_{nullptr};
  PointwiseConv ffn1_{nullptr}, ffn2_{nullptr};
};
TORCH_MODULE(DecoderLayer);

class TransformerDecoderImpl : public torch::nn::Module {
 public:
  explicit TransformerDecoderImpl(const TransformerDecoderOptions& options);
  // multiScale: strides 32, 16, 8; maskFeatures: stride 4. In training mode returns
  // numLayers + 1 predictions: from the initial queries, then after each layer
  // (last = final); in eval mode only the final one.
  std::vector<MaskPrediction> forward(const std::vector<torch::Tensor>& multiScale,
                                      const torch::Tensor& maskFeatures);

 private:
  // Class and mask logits (when maskFeatures is defined) and the attention mask for
  // the next layer from the mask features pooled to that layer's level.
  MaskPrediction predict(const torch::Tensor& queries, const torch::Tensor& maskFeatures,
                         const torch::Tensor& pooledFeatures, torch::Tensor* attnMask);

  TransformerDecoderOptions options_;
  torch::nn::ModuleList inputProj_{nullptr};
  torch::Tensor levelEmbed_, queryFeat_, queryPos_;
  torch::nn::ModuleList layers_{nullptr};
  torch::nn::LayerNorm decoderNorm_{nullptr};
  PointwiseConv classHead_{nullptr};
  torch::nn::Sequential maskEmbed_{nullptr};
};
TORCH_MODULE(TransformerDecoder);

}  // namespace distillery
