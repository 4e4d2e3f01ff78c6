// Building blocks shared by the backbone, pixel decoder and transformer decoder.
// Internal (torch).
//
// Why the matrix products are convolutions: this LibTorch links the reference
// (netlib) BLAS, so matmul/bmm/linear run at 2-4 GFLOP/s, while oneDNN's
// convolutions reach 20-40. ATen 1.13 sends a 1x1 convolution to oneDNN only when
// it is strided, dilated, batched >= 16 or multi-threaded; for a 1x1 kernel a
// dilation of 2 changes nothing mathematically, so pointwiseConv() sets it.
// Batched products become grouped 1x1 convolutions (groupedMatmul).
#pragma once

#include <torch/torch.h>

namespace distillery {

// A 1x1 convolution (a per-pixel linear layer) that runs on oneDNN.
torch::nn::Conv2d pointwiseConv(int64_t in, int64_t out, bool bias = true);

// a [N,M,K] times b [N,K,H,W] -> [N,M,H,W]: out[n,m,h,w] = sum_k a[n,m,k] b[n,k,h,w].
// M must not depend on the input size (it is recorded as a constant when tracing);
// N may (it is recorded as a graph value).
torch::Tensor groupedMatmul(const torch::Tensor& a, const torch::Tensor& b);

// A linear layer over the channels of tokens [B,T,C] -> [B,T,C'], as a 1x1 conv.
class TokenLinearImpl : public torch::nn::Module {
 public:
  TokenLinearImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& tokens);

 private:
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(TokenLinear);

// DETR's normalised sine position embedding for a feature map [B,C,H,W] ->
// [B,2*numPosFeats,H,W], computed with cumulative sums so that it follows the
// input size when traced.
torch::Tensor sinePositionEmbedding(const torch::Tensor& like, int64_t numPosFeats);

// Nearest-neighbour upsampling by 2, recorded as a scale (not a size) when traced.
torch::Tensor upsample2x(const torch::Tensor& x);

// A tensor [B,1,1] of zeros that follows the batch size of x when traced; adding
// it broadcasts a learned [Q,C] table to [B,Q,C].
torch::Tensor batchZeros(const torch::Tensor& x);

}  // namespace distillery
