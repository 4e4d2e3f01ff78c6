#include "engine/modeling/transformer_decoder.h"

#include <algorithm>
#include <cmath>

#include "engine/modeling/layers.h"

namespace distillery {

namespace nn = torch::nn;

namespace {

constexpr int64_t kNumLevels = 3;

// Tokens [B,T,C] <-> maps [B,C,T,1] for the 1x1-convolution linear layers.
torch::Tensor tokensToMap(const torch::Tensor& t) {
  return t.transpose(1, 2).unsqueeze(-1);
}
torch::Tensor mapToTokens(const torch::Tensor& m) {
  return m.flatten(2).transpose(1, 2);
}

}  // namespace

MaskedAttentionImpl::MaskedAttentionImpl(int64_t dim, int64_t heads) : heads_(heads) {
  q_ = register_module("q", PointwiseConv(dim, dim));
  k_ = register_module("k", PointwiseConv(dim, dim));
  v_ = register_module("v", PointwiseConv(dim, dim));
  out_ = register_module("out", PointwiseConv(dim, dim));
}

torch::Tensor MaskedAttentionImpl::forward(const torch::Tensor& query, const torch::Tensor& keyMap,
                                           const torch::Tensor& valueMap,
                                           const torch::Tensor& attnMask) {
  const int64_t dim = query.size(2);
  const int64_t headDim = dim / heads_;
  const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
  // Per-head views with (batch, head) folded into one leading dimension.
  torch::Tensor q = q_(tokensToMap(query)).squeeze(-1) * scale;                // [B,C,Q]
  q = q.unflatten(1, {heads_, headDim}).flatten(0, 1).transpose(1, 2);         // [B*h,Q,d]
  torch::Tensor k = k_(keyMap).unflatten(1, {heads_, headDim}).flatten(0, 1);  // [B*h,d,h',w']
  torch::Tensor v =
      v_(valueMap).unflatten(1, {heads_, headDim}).flatten(0, 1).flatten(2);  // [B*h,d,T]
  torch::Tensor scores = groupedMatmul(q, k).flatten(2);                      // [B*h,Q,T]
  if (attnMask.defined()) {
    scores = scores.unflatten(0, {-1, heads_})
                 .masked_fill(attnMask.unsqueeze(1), -std::numeric_limits<float>::infinity())
                 .flatten(0, 1);
  }
  torch::Tensor attn = scores.softmax(-1);
  torch::Tensor out = groupedMatmul(attn, v.transpose(1, 2).unsqueeze(-1));  // [B*h,Q,d,1]
  out = out.squeeze(-1).unflatten(0, {-1, heads_}).permute({0, 1, 3, 2}).flatten(1, 2);  // [B,C,Q]
  return mapToTokens(out_(out.unsqueeze(-1)));
}

DecoderLayerImpl::DecoderLayerImpl(int64_t dim, int64_t heads, int64_t ffnDim) {
  crossAttn_ = register_module("cross_attn", MaskedAttention(dim, heads));
  crossNorm_ = register_module("cross_norm", nn::LayerNorm(nn::LayerNormOptions({dim})));
  selfAttn_ = register_module("self_attn", MaskedAttention(dim, heads));
  selfNorm_ = register_module("self_norm", nn::LayerNorm(nn::LayerNormOptions({dim})));
  ffn1_ = register_module("ffn1", PointwiseConv(dim, ffnDim));
  ffn2_ = register_module("ffn2", PointwiseConv(ffnDim, dim));
  ffnNorm_ = register_module("ffn_norm", nn::LayerNorm(nn::LayerNormOptions({dim})));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& queries, const torch::Tensor& queryPos,
                                        const torch::Tensor& memory, const torch::Tensor& memoryPos,
                                        const torch::Tensor& attnMask) {
  torch::Tensor x = queries;
  x = crossNorm_(x + crossAttn_(x + queryPos, memory + memoryPos, memory, attnMask));
  torch::Tensor qk = tokensToMap(x + queryPos);
  x = selfNorm_(x + selfAttn_(x + queryPos, qk, tokensToMap(x)));
  x = ffnNorm_(x + mapToTokens(ffn2_(torch::relu(ffn1_(tokensToMap(x))))));
  return x;
}

TransformerDecoderImpl::TransformerDecoderImpl(const TransformerDecoderOptions& options)
    : options_(options) {
  const int64_t d = options.hiddenDim;
  inputProj_ = register_module("input_proj", nn::ModuleList());
  for (int64_t i = 0; i < kNumLevels; ++i) {
    if (options.inChannels != d)
      inputProj_->push_back(PointwiseConv(options.inChannels, d));
    else
      inputProj_->push_back(nn::Identity());
  }
  levelEmbed_ = register_parameter("level_embed", torch::randn({kNumLevels, d, 1, 1}) * 0.02);
  queryFeat_ = register_parameter("query_feat", torch::randn({options.numQueries, d}) * 0.1);
  queryPos_ = register_parameter("query_pos", torch::randn({options.numQueries, d}) * 0.1);
  layers_ = register_module("layers", nn::ModuleList());
  for (int64_t i = 0; i < options.numLayers; ++i)
    layers_->push_back(DecoderLayer(d, options.numHeads, options.ffnDim));
  decoderNorm_ = register_module("decoder_norm", nn::LayerNorm(nn::LayerNormOptions({d})));
  classHead_ = register_module("class_head", PointwiseConv(d, options.numClasses + 1));
  maskEmbed_ = register_module(
      "mask_embed", nn::Sequential(PointwiseConv(d, d), nn::ReLU(), PointwiseConv(d, d), nn::ReLU(),
                                   PointwiseConv(d, options.maskDim)));
}

MaskPrediction TransformerDecoderImpl::predict(const torch::Tensor& queries,
                                               const torch::Tensor& maskFeatures,
                                               const torch::Tensor& pooledFeatures,
                                               torch::Tensor* attnMask) {
  torch::Tensor x = tokensToMap(decoderNorm_(queries));                      // [B,C,Q,1]
  torch::Tensor embed = maskEmbed_->forward(x).squeeze(-1).transpose(1, 2);  // [B,Q,maskDim]
  MaskPrediction p;
  if (maskFeatures.defined()) {
    p.logits = mapToTokens(classHead_(x));
    p.masks = groupedMatmul(embed, maskFeatures);  // [B,Q,H/4,W/4]
  }
  if (attnMask != nullptr) {
    // Blocked where the mask, average-pooled to the next level, has probability
    // < 0.5. Pooling is linear, so pooling the features instead of the mask gives
    // the same logits without the full-resolution product. A query whose mask is
    // empty at this level attends everywhere (Mask2Former), which also avoids a
    // softmax over an all -inf row.
    torch::Tensor pooled = groupedMatmul(embed.detach(), pooledFeatures);
    torch::Tensor blocked = pooled.lt(0).flatten(2);
    *attnMask = blocked.logical_and(blocked.all(-1, /*keepdim=*/true).logical_not());
  }
  return p;
}

std::vector<MaskPrediction> TransformerDecoderImpl::forward(
    const std::vector<torch::Tensor>& multiScale, const torch::Tensor& maskFeatures) {
  TORCH_CHECK(multiScale.size() == kNumLevels, "transformer decoder: expected 3 feature levels");
  std::vector<torch::Tensor> memory, memoryPos, pooledFeatures;
  for (int64_t i = 0; i < kNumLevels; ++i) {
    auto* proj = inputProj_->ptr(i)->as<PointwiseConvImpl>();
    torch::Tensor m = proj != nullptr ? proj->forward(multiScale[i]) : multiScale[i];
    memory.push_back(m + levelEmbed_[i].unsqueeze(0));
    memoryPos.push_back(sinePositionEmbedding(m, options_.hiddenDim / 2));
  }
  // Mask features averaged over 2x2, 4x4 and 8x8 cells (each from the previous one),
  // listed in level order (8, 4, 2).
  for (torch::Tensor f = maskFeatures.detach(); pooledFeatures.size() < kNumLevels;) {
    f = torch::avg_pool2d(f, {2, 2});
    pooledFeatures.insert(pooledFeatures.begin(), f);
  }
  torch::Tensor zeros = batchZeros(maskFeatures);  // [B,1,1]
  torch::Tensor queries = queryFeat_.unsqueeze(0) + zeros;
  torch::Tensor queryPos = queryPos_.unsqueeze(0) + zeros;

  // Intermediate predictions only serve deep supervision: eval mode skips them.
  const bool intermediate = is_training();
  const torch::Tensor none;
  std::vector<MaskPrediction> predictions;
  torch::Tensor attnMask;
  predictions.push_back(
      predict(queries, intermediate ? maskFeatures : none, pooledFeatures[0], &attnMask));
  for (int64_t i = 0; i < options_.numLayers; ++i) {
    const int64_t level = i % kNumLevels;
    queries = layers_->ptr<DecoderLayerImpl>(i)->forward(queries, queryPos, memory[level],
                                                         memoryPos[level], attnMask);
    const bool last = i + 1 == options_.numLayers;
    const int64_t next = (i + 1) % kNumLevels;
    predictions.push_back(predict(queries, intermediate || last ? maskFeatures : none,
                                  pooledFeatures[next], last ? nullptr : &attnMask));
  }
  if (!intermediate) {
    predictions.erase(std::remove_if(predictions.begin(), predictions.end(),
                                     [](const MaskPrediction& p) { return !p.masks.defined(); }),
                      predictions.end());
  }
  return predictions;
}

}  // namespace distillery
