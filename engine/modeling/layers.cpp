#include "engine/modeling/layers.h"

#include <torch/csrc/jit/frontend/tracer.h>

#include <cmath>

namespace distillery {

namespace {

// torch::nn::Conv2d's default initialisation.
void initConv(torch::Tensor& weight, torch::Tensor& bias, int64_t fanIn) {
  torch::NoGradGuard noGrad;
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  const double bound = 1.0 / std::sqrt(static_cast<double>(fanIn));
  if (bias.defined()) bias.uniform_(-bound, bound);
}

}  // namespace

torch::Tensor denseConv(const torch::Tensor& x, const torch::Tensor& weight,
                        const torch::Tensor& bias, int64_t stride, int64_t dilation) {
  const std::vector<int64_t> strides{stride, stride}, zero{0, 0}, dilations{dilation, dilation};
  const c10::optional<at::Tensor> b =
      bias.defined() ? c10::optional<at::Tensor>(bias) : c10::nullopt;
  // A shape-dependent choice of kernel path only: both branches compute the same
  // function, so a trace that bakes one in stays exact for every input size.
  constexpr int64_t kSmallInput = 20480;  // ATen's limit for one image
  if (x.size(0) == 1 && x.numel() <= kSmallInput) {
    const int64_t out = weight.size(0);
    torch::Tensor doubled = torch::cat({x, x}, 1);
    if (out % 2 == 0) return at::conv2d(doubled, weight, b, strides, zero, dilations, 2);
    // Odd outputs: run the weights twice and keep one copy.
    const c10::optional<at::Tensor> b2 =
        bias.defined() ? c10::optional<at::Tensor>(torch::cat({bias, bias})) : c10::nullopt;
    return at::conv2d(doubled, torch::cat({weight, weight}), b2, strides, zero, dilations, 2)
        .narrow(1, 0, out);
  }
  return at::conv2d(x, weight, b, strides, zero, dilations, 1);
}

PointwiseConvImpl::PointwiseConvImpl(int64_t in, int64_t out, bool bias) {
  weight_ = register_parameter("weight", torch::empty({out, in, 1, 1}));
  if (bias) bias_ = register_parameter("bias", torch::empty({out}));
  initConv(weight_, bias_, in);
}

torch::Tensor PointwiseConvImpl::forward(const torch::Tensor& x) {
  return denseConv(x, weight_, bias_, 1, 2);
}

PatchConvImpl::PatchConvImpl(int64_t in, int64_t out, int64_t patch) : patch_(patch) {
  weight_ = register_parameter("weight", torch::empty({out, in, patch, patch}));
  bias_ = register_parameter("bias", torch::empty({out}));
  initConv(weight_, bias_, in * patch * patch);
}

torch::Tensor PatchConvImpl::forward(const torch::Tensor& x) {
  return denseConv(x, weight_, bias_, patch_, 1);
}

torch::Tensor groupedMatmul(const torch::Tensor& a, const torch::Tensor& b) {
  TORCH_CHECK(a.dim() == 3 && b.dim() == 4 && a.size(0) == b.size(0) && a.size(2) == b.size(1),
              "groupedMatmul: expected a [N,M,K] and b [N,K,H,W], got ", a.sizes(), " and ",
              b.sizes());
  const int64_t groups = a.size(0);
  const int64_t m = a.size(1);
  torch::Tensor weight = a.flatten(0, 1).unsqueeze(-1).unsqueeze(-1);  // [N*M,K,1,1]
  torch::Tensor input = b.flatten(0, 1).unsqueeze(0);                  // [1,N*K,H,W]
  const bool tracing = torch::jit::tracer::isTracing();
  if (groups == 1 && !tracing) return denseConv(input, weight, {}, 1, 2);  // [1,M,H,W]
  if (tracing) {
    // Record the group count as the traced batch size, as Python's tracer does for
    // ints derived from tensor sizes, so the exported graph accepts any batch.
    torch::jit::tracer::ArgumentStash::stashValue("groups", 0, torch::jit::tracer::getSizeOf(a, 0),
                                                  c10::IntType::get());
  }
  const std::vector<int64_t> one{1, 1}, zero{0, 0}, two{2, 2};
  torch::Tensor out =
      at::conv2d(input, weight, c10::optional<at::Tensor>(), one, zero, two, groups);
  return out.squeeze(0).unflatten(0, {-1, m});
}

torch::Tensor sinePositionEmbedding(const torch::Tensor& like, int64_t numPosFeats) {
  constexpr double kScale = 2 * M_PI;
  constexpr double kEps = 1e-6;
  torch::Tensor ones = torch::ones_like(like.select(1, 0));  // [B,H,W]
  torch::Tensor y = ones.cumsum(1);
  torch::Tensor x = ones.cumsum(2);
  y = (y - 0.5) / (y.narrow(1, -1, 1) + kEps) * kScale;
  x = (x - 0.5) / (x.narrow(2, -1, 1) + kEps) * kScale;
  std::vector<float> periods(static_cast<size_t>(numPosFeats));
  for (int64_t i = 0; i < numPosFeats; ++i)
    periods[static_cast<size_t>(i)] = static_cast<float>(
        std::pow(10000.0, 2.0 * static_cast<double>(i / 2) / static_cast<double>(numPosFeats)));
  torch::Tensor dimT = torch::tensor(periods, like.options());
  torch::Tensor px = x.unsqueeze(-1) / dimT;  // [B,H,W,F]
  torch::Tensor py = y.unsqueeze(-1) / dimT;
  using torch::indexing::Slice;
  px = torch::stack({px.index({"...", Slice(0, torch::indexing::None, 2)}).sin(),
                     px.index({"...", Slice(1, torch::indexing::None, 2)}).cos()},
                    4)
           .flatten(3);
  py = torch::stack({py.index({"...", Slice(0, torch::indexing::None, 2)}).sin(),
                     py.index({"...", Slice(1, torch::indexing::None, 2)}).cos()},
                    4)
           .flatten(3);
  return torch::cat({py, px}, 3).permute({0, 3, 1, 2});
}

torch::Tensor upsample2x(const torch::Tensor& x) {
  const std::vector<double> scales{2.0, 2.0};
  return at::upsample_nearest2d(x, c10::nullopt, scales);
}

torch::Tensor batchZeros(const torch::Tensor& x) {
  return torch::zeros_like(x.flatten(1).narrow(1, 0, 1)).unsqueeze(-1);
}

}  // namespace distillery
