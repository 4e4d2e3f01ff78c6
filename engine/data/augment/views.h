// Weak and strong views of one training image (METHODS.md §1-2).
//
// Both views share one geometric transform (flip, scale, crop), so a pseudo-mask
// made on the weak view is valid on the strong view without warping. The strong
// view adds photometric noise only: colour jitter (0.4, 0.4, 0.4, 0.1) with p=0.8,
// grayscale with p=0.2, Gaussian blur sigma in [0.1, 2] with p=0.5.
// Geometry and photometry draw from separate random streams, so turning the
// photometric part off (or on) never changes the geometry of a sample.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

namespace distillery {

struct ViewConfig {
  int size = 128;              // output is size x size (longer side resized to it, then padded)
  double flipProbability = 0.5;
  double minScale = 0.75;      // random rescale before the crop
  double maxScale = 1.25;
  bool strongView = true;      // produce the photometric strong view
  double jitterProbability = 0.8;
  double brightness = 0.4, contrast = 0.4, saturation = 0.4, hue = 0.1;
  double grayscaleProbability = 0.2;
  double blurProbability = 0.5;
  double minBlurSigma = 0.1, maxBlurSigma = 2.0;
};

// The geometry applied, to map predictions back to the source image.
struct ViewGeometry {
  bool flipped = false;
  double scale = 1.0;   // source pixels -> view pixels
  int offsetX = 0;      // view = source * scale (flipped) shifted by -offset
  int offsetY = 0;
};

struct TrainingViews {
  cv::Mat weak;                 // CV_8UC3 BGR, size x size
  cv::Mat strong;               // CV_8UC3 BGR (empty when strongView is false)
  std::vector<cv::Mat> masks;   // CV_8U {0,1}, size x size, one per input mask
  cv::Mat valid;                // CV_8U: 1 where the view shows image content (not padding)
  ViewGeometry geometry;
};

// The 2x3 affine map from source pixels to view pixels.
cv::Mat viewAffine(const ViewGeometry& g, int sourceWidth);

// Deterministic for a given (seed): the same seed gives the same views.
TrainingViews makeViews(const cv::Mat& imageBgr, const std::vector<cv::Mat>& masks,
                        const ViewConfig& config, uint64_t seed);

// Only the resize-and-pad to size x size, no randomness (evaluation and inference).
TrainingViews makeEvalView(const cv::Mat& imageBgr, const std::vector<cv::Mat>& masks, int size);

// The strong view's photometric part alone (exposed for tests and the inspector).
cv::Mat strongPhotometric(const cv::Mat& bgr, const ViewConfig& config, uint64_t seed);

}  // namespace distillery
