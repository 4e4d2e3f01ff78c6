#include "engine/losses/pixel_contrast.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/DistributionsHelper.h>
#include <mutex>

#include "engine/modeling/layers.h"

namespace distillery {
namespace F = torch::nn::functional;

const char* toString(NegativeSampling s) {
  switch (s) {
    case NegativeSampling::Fused: return "fused";
    case NegativeSampling::MaskOnly: return "mask-only";
    case NegativeSampling::ClassOnly: return "class-only";
    case NegativeSampling::Uniform: return "uniform";
  }
  return "fused";
}

Result<NegativeSampling> negativeSamplingFromString(const std::string& name) {
  for (auto s : {NegativeSampling::Fused, NegativeSampling::MaskOnly, NegativeSampling::ClassOnly,
                 NegativeSampling::Uniform}) {
    if (name == toString(s)) return s;
  }
  return Status::error("unknown negative sampling '" + name +
                       "' (expected fused, mask-only, class-only or uniform)");
}

double contrastTemperature(const PixelContrastConfig& c, int64_t step, int64_t maxSteps) {
  const double p = maxSteps > 1 ? std::clamp(static_cast<double>(step) / static_cast<double>(maxSteps - 1), 0.0, 1.0)
                                : 1.0;
  return c.temperatureStart + (c.temperatureEnd - c.temperatureStart) * p;
}

torch::Tensor fusedClassDistribution(const torch::Tensor& maskLogits, const torch::Tensor& classLogits) {
  const auto pm = maskLogits.softmax(1);                 // [B,Q,h,w] over queries
  const auto pc = classLogits.softmax(-1);               // [B,Q,C]
  auto fc = torch::einsum("bqhw,bqc->bchw", {pm, pc});   // [B,C,h,w]
  return fc / fc.sum(1, true).clamp_min(1e-12);
}

torch::Tensor samplingDistribution(NegativeSampling mode, const torch::Tensor& maskLogits,
                                   const torch::Tensor& classLogits) {
  switch (mode) {
    case NegativeSampling::Fused: return fusedClassDistribution(maskLogits, classLogits);
    case NegativeSampling::MaskOnly: return maskLogits.softmax(1);
    case NegativeSampling::ClassOnly: {
      const auto dominant = maskLogits.argmax(1);        // [B,h,w] query index
      const auto pc = classLogits.softmax(-1);           // [B,Q,C]
      const int64_t B = maskLogits.size(0), H = maskLogits.size(2), W = maskLogits.size(3);
      auto idx = dominant.view({B, H * W, 1}).expand({B, H * W, pc.size(2)});
      return pc.gather(1, idx).view({B, H, W, pc.size(2)}).permute({0, 3, 1, 2}).contiguous();
    }
    case NegativeSampling::Uniform:
      return torch::ones({maskLogits.size(0), 1, maskLogits.size(2), maskLogits.size(3)},
                         maskLogits.options());
  }
  DST_CHECK(false);
  return {};
}

torch::Tensor negativeWeights(NegativeSampling mode, const torch::Tensor& anchorDist,
                              const torch::Tensor& candidateDist) {
  if (mode == NegativeSampling::Uniform)
    return torch::ones({anchorDist.size(0), candidateDist.size(0)}, anchorDist.options());
  // One fused pass for 1 - <a, n> (addmm), then the clamp in place.
  return torch::addmm(torch::ones({1, 1}, anchorDist.options()), anchorDist, candidateDist.t(), 1.0, -1.0)
      .clamp_min_(0.0);
}

NegativeDraw gumbelTopK(const torch::Tensor& weights, int64_t r, torch::Generator generator) {
  // Gumbel top-k on log w, computed as exponential races: log w + G with G = -log(-log u)
  // orders candidates exactly as w / E with E = -log u ~ Exp(1) (log is monotone), which
  // costs one log instead of three over the [A, N] matrix. Zero weights get key 0.
  const int64_t k = std::min<int64_t>(r, weights.size(1));
  auto key = torch::empty(weights.sizes(), weights.options()).uniform_(1e-10, 1.0, generator);
  key.log_().neg_();                 // E
  key = weights / key;
  auto [score, idx] = key.topk(k, 1);
  return {idx, score > 0};
}

namespace {

// negativeWeights + excludeCandidates + gumbelTopK a block of anchors at a time on the
// CPU, without the [A, N] matrices (four passes over 1024 x 16384 floats at default scale):
// the weights of a block in one matrix product (the candidates' distributions are read
// once per block, not once per anchor: mask-only compares 48 queries), the races, and a
// selection per row. The uniforms are the generator's in the order uniform_ fills [A, N]
// (row-major, one per entry), so the draws are those of the matrix path (up to the
// rounding of a dot product or a log); the k largest races are selected among those past
// a threshold sampled from the row and returned sorted, as topk returns them.
template <typename T>
NegativeDraw drawRows(NegativeSampling mode, const torch::Tensor& anchorDist, const torch::Tensor& dist,
                      const torch::Tensor& anchorImage, const torch::Tensor& anchorPixel, int64_t pixels,
                      bool sameImage, int64_t k, torch::Generator generator) {
  constexpr int64_t kBlock = 32;
  const int64_t rows = anchorDist.size(0), n = dist.size(0);
  const int64_t* image = anchorImage.data_ptr<int64_t>();
  const int64_t* pixel = anchorPixel.data_ptr<int64_t>();
  auto indices = torch::empty({rows, k}, anchorDist.options().dtype(torch::kLong));
  auto scores = torch::empty({rows, k}, anchorDist.options());
  int64_t* outIndex = indices.data_ptr<int64_t>();
  T* outScore = scores.data_ptr<T>();
  auto* gen = at::get_generator_or_default<at::CPUGeneratorImpl>(generator, at::detail::getDefaultCPUGenerator());
  std::lock_guard<std::mutex> lock(gen->mutex_);
  at::uniform_real_distribution<T> uniform(static_cast<T>(1e-10), static_cast<T>(1.0));
  const auto blockOptions = torch::TensorOptions().dtype(c10::CppTypeToScalarType<T>::value);
  auto keys = torch::empty({kBlock, n}, blockOptions), races = torch::empty({kBlock, n}, blockOptions);
  // <a, n> of a block as a 1x1 convolution of the candidates' distributions [1, C, 1, N]
  // with the block's as weights (oneDNN; this LibTorch's BLAS is the reference one, 8x
  // slower on mask-only's 48 columns: layers.h).
  const auto candidates =
      mode == NegativeSampling::Uniform ? torch::Tensor() : dist.t().contiguous().view({1, dist.size(1), 1, n});
  std::vector<std::pair<T, int64_t>> picked;
  std::vector<T> sample;
  // The order of the draw: larger keys first, of equal keys the earlier candidate (as topk).
  const auto above = [](const std::pair<T, int64_t>& x, const std::pair<T, int64_t>& y) {
    return x.first > y.first || (x.first == y.first && x.second < y.second);
  };
  for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
    const int64_t b = std::min(kBlock, rows - r0);
    auto race = races.narrow(0, 0, b), key = keys.narrow(0, 0, b);
    T* u = race.template data_ptr<T>();
    for (int64_t j = 0; j < b * n; ++j) u[j] = static_cast<T>(uniform(gen));
    race.log_().neg_();  // E = -log u, vectorised
    if (mode == NegativeSampling::Uniform) key.fill_(1);
    else key.copy_(denseConv(candidates, anchorDist.narrow(0, r0, b).view({b, -1, 1, 1}), {}, 1, 2).view({b, n}))
        .neg_().add_(1).clamp_min_(0);
    T* kb = key.template data_ptr<T>();
    for (int64_t i = 0; i < b; ++i) {
      const int64_t r = r0 + i;
      const int64_t skipFrom = sameImage ? image[r] * pixels + pixel[r] : image[r] * pixels;
      std::fill_n(kb + i * n + skipFrom, sameImage ? 1 : pixels, T(0));
    }
    key.div_(race);
    const T* kp = kb;
    for (int64_t i = 0; i < b; ++i, kp += n) {
      // A threshold from every 16th key that about twice k keys pass (fewer than k: all
      // keys), then the k largest of those, ordered as topk orders them.
      picked.clear();
      if (n >= 32 * k) {
        sample.clear();
        for (int64_t j = 0; j < n; j += 16) sample.push_back(kp[j]);
        const auto rank = std::min<size_t>(sample.size() - 1, static_cast<size_t>(2 * k / 16 + 4));
        std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(rank), sample.end(), std::greater<T>());
        const T threshold = sample[rank];
        for (int64_t j = 0; j < n; ++j)
          if (kp[j] >= threshold) picked.emplace_back(kp[j], j);
      }
      if (static_cast<int64_t>(picked.size()) < k) {
        picked.clear();
        for (int64_t j = 0; j < n; ++j) picked.emplace_back(kp[j], j);
      }
      std::nth_element(picked.begin(), picked.begin() + (k - 1), picked.end(), above);
      std::sort(picked.begin(), picked.begin() + k, above);
      const int64_t r = r0 + i;
      for (int64_t j = 0; j < k; ++j) {
        outIndex[r * k + j] = picked[static_cast<size_t>(j)].second;
        outScore[r * k + j] = picked[static_cast<size_t>(j)].first;
      }
    }
  }
  return {indices, scores > 0};
}

}  // namespace

NegativeDraw InstanceAwarePixelContrast::drawNegatives(const torch::Tensor& anchorDist, const torch::Tensor& dist,
                                                       int64_t batch, int64_t pixels, const torch::Tensor& anchorImage,
                                                       const torch::Tensor& anchorPixel,
                                                       torch::Generator generator) const {
  torch::NoGradGuard noGrad;
  const auto type = dist.scalar_type();
  const int64_t k = std::min<int64_t>(config_.negatives, dist.size(0));
  if (dist.device().is_cpu() && (type == torch::kFloat || type == torch::kDouble)) {
    const auto a = anchorDist.contiguous(), d = dist.contiguous();
    const auto image = anchorImage.to(torch::kLong).contiguous(), pixel = anchorPixel.to(torch::kLong).contiguous();
    if (type == torch::kFloat)
      return drawRows<float>(config_.sampling, a, d, image, pixel, pixels, config_.sameImageCandidates, k, generator);
    return drawRows<double>(config_.sampling, a, d, image, pixel, pixels, config_.sameImageCandidates, k, generator);
  }
  auto w = negativeWeights(config_.sampling, anchorDist, dist);
  excludeCandidates(w, batch, pixels, anchorImage, anchorPixel);
  return gumbelTopK(w, config_.negatives, generator);
}

void InstanceAwarePixelContrast::excludeCandidates(torch::Tensor& w, int64_t batch, int64_t pixels,
                                                   const torch::Tensor& anchorImage,
                                                   const torch::Tensor& anchorPixel) const {
  // Touches A x pixels entries rather than building [A, N] masks (138 ms of a 1 s step).
  const auto rows = torch::arange(anchorImage.size(0), anchorImage.options());
  if (config_.sameImageCandidates)
    w.index_put_({rows, anchorImage * pixels + anchorPixel}, 0.0);
  else
    w.view({anchorImage.size(0), batch, pixels}).index_put_({rows, anchorImage}, 0.0);
}

torch::Tensor InstanceAwarePixelContrast::loss(const torch::Tensor& zWeak, const torch::Tensor& zStrong,
                                               const torch::Tensor& maskLogits,
                                               const torch::Tensor& classLogits, double temperature,
                                               torch::Generator generator) const {
  const int64_t B = zWeak.size(0), D = zWeak.size(1), H = zWeak.size(2), W = zWeak.size(3);
  DST_CHECK(zStrong.sizes() == zWeak.sizes());
  DST_CHECK(B >= 2 || config_.sameImageCandidates);
  const int64_t P = H * W;
  torch::Tensor dist;
  {
    torch::NoGradGuard noGrad;
    auto m = maskLogits.detach();
    if (m.size(2) != H || m.size(3) != W)
      m = F::interpolate(m, F::InterpolateFuncOptions().size(std::vector<int64_t>{H, W})
                                .mode(torch::kBilinear).align_corners(false));
    dist = samplingDistribution(config_.sampling, m, classLogits.detach());   // [B,C,H,W]
    dist = dist.permute({0, 2, 3, 1}).reshape({B * P, -1}).to(zWeak.dtype());
  }
  // Anchors: anchorsPerImage uniformly drawn pixels of every image.
  const int64_t perImage = std::min<int64_t>(config_.anchorsPerImage, P);
  const auto longOpts = torch::TensorOptions().dtype(torch::kLong).device(zWeak.device());
  // A random permutation per image (sort of uniform keys), first perImage of it.
  auto anchorPixel = std::get<1>(torch::rand({B, P}, generator, zWeak.options()).sort(1))
                         .narrow(1, 0, perImage).reshape({-1});
  auto anchorImage = torch::arange(B, longOpts).repeat_interleave(perImage);
  const auto anchorFlat = anchorImage * P + anchorPixel;                          // [A]

  const auto zw = zWeak.permute({0, 2, 3, 1}).reshape({B * P, D});
  const auto zs = zStrong.detach().permute({0, 2, 3, 1}).reshape({B * P, D});
  const auto za = zw.index_select(0, anchorFlat);                                 // [A,D]
  const auto positive = (za * zs.index_select(0, anchorFlat)).sum(1) / temperature;

  const NegativeDraw draw = drawNegatives(dist.index_select(0, anchorFlat), dist, B, P, anchorImage, anchorPixel, generator);
  const auto zn = zs.index_select(0, draw.indices.reshape({-1})).view({draw.indices.size(0), -1, D});
  // <z_a, z_n> as a batched matrix product: a third of the time of multiply-and-sum,
  // forward and backward (A x R x D = 1024 x 200 x 128 at default scale).
  auto negative = (torch::bmm(zn, za.unsqueeze(2)).squeeze(2) / temperature - config_.hingeMargin).clamp_min(0.0);
  negative = negative.masked_fill(~draw.valid, -std::numeric_limits<double>::infinity());
  const auto logits = torch::cat(std::vector<torch::Tensor>{positive.unsqueeze(1), negative}, 1);
  return (torch::logsumexp(logits, 1) - positive).mean();
}

NegativeInspection InstanceAwarePixelContrast::inspect(const torch::Tensor& maskLogits,
                                                       const torch::Tensor& classLogits, int64_t image,
                                                       int64_t y, int64_t x,
                                                       torch::Generator generator,
                                                       const torch::Tensor& candidates) const {
  torch::NoGradGuard noGrad;
  const int64_t B = maskLogits.size(0), H = maskLogits.size(2), W = maskLogits.size(3), P = H * W;
  DST_CHECK(image >= 0 && image < B && y >= 0 && y < H && x >= 0 && x < W);
  const auto dist = samplingDistribution(config_.sampling, maskLogits, classLogits)
                        .permute({0, 2, 3, 1}).reshape({B * P, -1});
  const auto longOpts = torch::TensorOptions().dtype(torch::kLong).device(maskLogits.device());
  const auto anchorImage = torch::full({1}, image, longOpts);
  const auto anchorPixel = torch::full({1}, y * W + x, longOpts);
  auto w = negativeWeights(config_.sampling, dist.index_select(0, anchorImage * P + anchorPixel), dist);
  excludeCandidates(w, B, P, anchorImage, anchorPixel);
  if (candidates.defined()) {
    DST_CHECK(candidates.numel() == B * P);
    w = w * candidates.reshape({1, B * P}).to(w.dtype());
  }
  const NegativeDraw draw = gumbelTopK(w, config_.negatives, generator);
  const auto picked = draw.indices.masked_select(draw.valid);
  NegativeInspection out;
  out.weights = (w / w.sum().clamp_min(1e-12)).view({B, H, W});
  out.negatives = torch::stack({picked.div(P, "floor"), picked.remainder(P).div(W, "floor"),
                                picked.remainder(W)}, 1);
  return out;
}

ProjectionHeadImpl::ProjectionHeadImpl(int64_t inChannels, int64_t hidden, int64_t outDim) {
  fc1_ = register_module("fc1", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels, hidden, 1)));
  fc2_ = register_module("fc2", torch::nn::Conv2d(torch::nn::Conv2dOptions(hidden, outDim, 1)));
}

torch::Tensor ProjectionHeadImpl::forward(const torch::Tensor& features) {
  return F::normalize(fc2_(torch::relu(fc1_(features))), F::NormalizeFuncOptions().dim(1));
}

}  // namespace distillery
