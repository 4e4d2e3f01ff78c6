// Instance-aware pixel-wise contrastive loss (CAST's L_pxl, METHODS.md §1).
//
//   anchor a: a pixel's embedding in the weak view, z_w[a] (L2-normalised)
//   positive: the same pixel in the strong view,   s+ = <z_w[a], z_s[a]> / T
//   negatives: R pixels drawn without replacement (Gumbel top-k on log w) with
//              w(a, n) = max(0, 1 - <F_c[a], F_c[n]>), F_c the per-pixel class
//              distribution fused from mask and class probabilities;
//              s-_r = max(0, <z_w[a], z_s[n_r]> / T - 0.5)   (hinge)
//   L = -log( exp(s+) / (exp(s+) + sum_r exp(s-_r)) ), averaged over anchors.
//
// Choices the paper leaves open (docs/methods.md): the strong branch, used for the
// positive and the negatives, is detached; F_c includes the no-object column, so
// background pixels are a class of their own; anchors are sampled uniformly.
#pragma once

#include <torch/torch.h>

#include <string>

#include "engine/util/status.h"

namespace distillery {

// How negative candidates are weighted (the paper's ablation).
enum class NegativeSampling { Fused, MaskOnly, ClassOnly, Uniform };
const char* toString(NegativeSampling s);
Result<NegativeSampling> negativeSamplingFromString(const std::string& name);

struct PixelContrastConfig {
  int64_t negatives = 200;        // R
  int64_t anchorsPerImage = 64;   // anchors sampled per image and step
  double hingeMargin = 0.5;
  double temperatureStart = 0.3;  // T is scheduled linearly from start to end
  double temperatureEnd = 0.07;
  NegativeSampling sampling = NegativeSampling::Fused;
  // Candidates come from the other images of the batch (as the paper's code);
  // true adds the anchor's own image (minus the anchor pixel).
  bool sameImageCandidates = false;
};

// T at `step` of `maxSteps`, linear from temperatureStart to temperatureEnd.
double contrastTemperature(const PixelContrastConfig& c, int64_t step, int64_t maxSteps);

// F_c [B, K+1, h, w]: sum_k softmax_q(maskLogits)[k,p] * softmax(classLogits)[k,c],
// renormalised per pixel. maskLogits [B,Q,h,w], classLogits [B,Q,K+1].
torch::Tensor fusedClassDistribution(const torch::Tensor& maskLogits,
                                     const torch::Tensor& classLogits);

// The per-pixel distribution each sampling mode compares, [B, C, h, w]:
// Fused: F_c; MaskOnly: softmax over queries of the mask logits; ClassOnly: the
// class softmax of the pixel's dominant query; Uniform: a constant (all weights 1).
torch::Tensor samplingDistribution(NegativeSampling mode, const torch::Tensor& maskLogits,
                                   const torch::Tensor& classLogits);

// w [A, N] = max(0, 1 - <anchorDist[a], candidateDist[n]>), rows not normalised
// (normalisation does not change Gumbel top-k). Uniform mode gives all ones.
torch::Tensor negativeWeights(NegativeSampling mode, const torch::Tensor& anchorDist,
                              const torch::Tensor& candidateDist);

// R indices per row drawn without replacement with probability proportional to w
// (Gumbel top-k on log w). Zero-weight candidates are never drawn: `valid` [A, R]
// marks real draws when a row has fewer than R candidates with w > 0.
struct NegativeDraw {
  torch::Tensor indices;  // [A, R] int64 into the candidate list
  torch::Tensor valid;    // [A, R] bool
};
NegativeDraw gumbelTopK(const torch::Tensor& weights, int64_t r, torch::Generator generator);

// What the negatives inspector shows for one anchor pixel.
struct NegativeInspection {
  torch::Tensor weights;    // [B, h, w], normalised to sum 1 over candidates (0 elsewhere)
  torch::Tensor negatives;  // [R', 3] int64 rows (image, y, x) of the sampled negatives
};

class InstanceAwarePixelContrast {
 public:
  explicit InstanceAwarePixelContrast(PixelContrastConfig config) : config_(config) {}
  const PixelContrastConfig& config() const { return config_; }

  // zWeak, zStrong [B,D,h,w] L2-normalised along D (zStrong is detached here);
  // maskLogits [B,Q,h',w'] (resized to h,w), classLogits [B,Q,K+1] -- predictions used
  // only to pick negatives (detached). Needs B >= 2 unless sameImageCandidates.
  torch::Tensor loss(const torch::Tensor& zWeak, const torch::Tensor& zStrong,
                     const torch::Tensor& maskLogits, const torch::Tensor& classLogits,
                     double temperature, torch::Generator generator) const;

  // The weight map and sampled negatives for the anchor at (image, y, x) in
  // prediction coordinates (h, w of maskLogits). `candidates` [B,h,w] bool, when
  // given, removes pixels from the candidates (the inspector drops batch padding).
  NegativeInspection inspect(const torch::Tensor& maskLogits, const torch::Tensor& classLogits,
                             int64_t image, int64_t y, int64_t x, torch::Generator generator,
                             const torch::Tensor& candidates = {}) const;

  // The negatives of anchors (image and pixel index each, pixels per image `pixels`):
  // the weights of anchorDist [A, C] against dist [batch * pixels, C], the exclusions,
  // and Gumbel top-k. On the CPU a block of anchors at a time, with no [A, N] matrix, drawing
  // exactly what those three steps draw with the same generator.
  NegativeDraw drawNegatives(const torch::Tensor& anchorDist, const torch::Tensor& dist, int64_t batch,
                             int64_t pixels, const torch::Tensor& anchorImage, const torch::Tensor& anchorPixel,
                             torch::Generator generator) const;

 private:
  // Zeroes, in place, the weights of candidates an anchor may not draw: its own pixel,
  // and its whole image unless sameImageCandidates (w [A, batch*pixels]).
  void excludeCandidates(torch::Tensor& w, int64_t batch, int64_t pixels, const torch::Tensor& anchorImage,
                         const torch::Tensor& anchorPixel) const;

  PixelContrastConfig config_;
};

// Projection head on dense features: 1x1 conv -> ReLU -> 1x1 conv to `outDim`,
// L2-normalised along channels (MLP to 128 dims in the paper).
class ProjectionHeadImpl : public torch::nn::Module {
 public:
  ProjectionHeadImpl(int64_t inChannels, int64_t hidden = 128, int64_t outDim = 128);
  torch::Tensor forward(const torch::Tensor& features);

 private:
  torch::nn::Conv2d fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(ProjectionHead);

}  // namespace distillery
