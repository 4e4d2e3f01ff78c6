// Building blocks shared by the backbone, pixel decoder and transformer decoder.
// Internal (torch).
//
// Why the matrix products are convolutions: this LibTorch links the reference
// (netlib) BLAS, so matmul/bmm/linear run at 2-4 GFLOP/s, while oneDNN's
// convolutions reach 20-40. ATen 1.13 sends a 1x1 convolution to oneDNN only when
// it is strided, dilated, batched >= 16 or multi-threaded, and (for one image) the
// input has more than 20480 values or the convolution is grouped. For a 1x1 kernel
// a dilation of 2 changes nothing mathematically, so PointwiseConv sets it; for one
// small input it runs two groups over a duplicated input, which is the same
// function too. Batched products become grouped 1x1 convolutions (groupedMatmul).
// docs/models.md has the measurements.
#pragma once

#include <torch/torch.h>

namespace distillery {

// A dense (groups = 1) convolution routed to oneDNN for every input size; see above.
torch::Tensor denseConv(const torch::Tensor& x, const torch::Tensor& weight,
                        const torch::Tensor& bias, int64_t stride, int64_t dilation);

// A 1x1 convolution (a per-pixel linear layer) that runs on oneDNN. Parameters are
// named and initialised as torch::nn::Conv2d's ("weight" [out,in,1,1], "bias").
class PointwiseConvImpl : public torch::nn::Module {
 public:
  PointwiseConvImpl(int64_t in, int64_t out, bool bias = true);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::Tensor weight_, bias_;
};
TORCH_MODULE(PointwiseConv);

// A k x k convolution with stride k (patchify stem, downsampling), on oneDNN.
class PatchConvImpl : public torch::nn::Module {
 public:
  PatchConvImpl(int64_t in, int64_t out, int64_t patch);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int64_t patch_;
  torch::Tensor weight_, bias_;
};
TORCH_MODULE(PatchConv);

// a [N,M,K] times b [N,K,H,W] -> [N,M,H,W]: out[n,m,h,w] = sum_k a[n,m,k] b[n,k,h,w].
// M must not depend on the input size (it is recorded as a constant when tracing);
// N may (it is recorded as a graph value).
torch::Tensor groupedMatmul(const torch::Tensor& a, const torch::Tensor& b);

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
