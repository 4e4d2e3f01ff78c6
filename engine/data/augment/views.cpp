#include "engine/data/augment/views.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <random>

namespace distillery {
namespace {

using Rng = std::mt19937_64;

double uniform(Rng& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}
bool chance(Rng& rng, double p) { return uniform(rng, 0.0, 1.0) < p; }

// Applies one geometric transform (scale about the origin, optional flip, then a
// translation) to an image with warpAffine; masks use nearest neighbour.
cv::Mat warp(const cv::Mat& src, const cv::Mat& affine, int size, int interpolation) {
  cv::Mat out;
  cv::warpAffine(src, out, affine, cv::Size(size, size), interpolation, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  return out;
}

TrainingViews applyGeometry(const cv::Mat& image, const std::vector<cv::Mat>& masks,
                            const ViewGeometry& g, int size) {
  TrainingViews v;
  v.geometry = g;
  const cv::Mat a = viewAffine(g, image.cols);
  v.weak = warp(image, a, size, cv::INTER_LINEAR);
  for (const cv::Mat& m : masks) v.masks.push_back(warp(m, a, size, cv::INTER_NEAREST));
  v.valid = warp(cv::Mat(image.size(), CV_8U, cv::Scalar(1)), a, size, cv::INTER_NEAREST);
  return v;
}

void adjustBrightnessContrast(cv::Mat& f, double b, double c) {
  f *= b;
  const cv::Scalar mean = cv::mean(f);
  const double gray = 0.114 * mean[0] + 0.587 * mean[1] + 0.299 * mean[2];  // BGR
  f = f * c + cv::Scalar::all(gray * (1.0 - c));
}

void adjustSaturationHue(cv::Mat& f, double s, double h) {
  cv::Mat clipped = cv::min(cv::max(f, 0.0), 1.0);
  cv::Mat hsv;
  cv::cvtColor(clipped, hsv, cv::COLOR_BGR2HSV);  // float: H in [0,360)
  std::vector<cv::Mat> ch;
  cv::split(hsv, ch);
  ch[0] += h * 360.0;
  ch[0].forEach<float>([](float& x, const int*) { x = std::fmod(x + 360.0f, 360.0f); });
  ch[1] = cv::min(ch[1] * s, 1.0);
  cv::merge(ch, hsv);
  cv::cvtColor(hsv, f, cv::COLOR_HSV2BGR);
}

}  // namespace

cv::Mat viewAffine(const ViewGeometry& g, int sourceWidth) {
  // x' = s*x - ox (or s*(w-1-x) - ox when flipped), y' = s*y - oy
  cv::Mat a = cv::Mat::zeros(2, 3, CV_64F);
  a.at<double>(0, 0) = g.flipped ? -g.scale : g.scale;
  a.at<double>(0, 2) = (g.flipped ? g.scale * (sourceWidth - 1) : 0.0) - g.offsetX;
  a.at<double>(1, 1) = g.scale;
  a.at<double>(1, 2) = -g.offsetY;
  return a;
}

cv::Mat strongPhotometric(const cv::Mat& bgr, const ViewConfig& c, uint64_t seed) {
  Rng rng(seed ^ 0x5bd1e995ULL);
  cv::Mat f;
  bgr.convertTo(f, CV_32FC3, 1.0 / 255.0);
  if (chance(rng, c.jitterProbability)) {
    const double b = uniform(rng, std::max(0.0, 1 - c.brightness), 1 + c.brightness);
    const double k = uniform(rng, std::max(0.0, 1 - c.contrast), 1 + c.contrast);
    const double s = uniform(rng, std::max(0.0, 1 - c.saturation), 1 + c.saturation);
    const double h = uniform(rng, -c.hue, c.hue);
    adjustBrightnessContrast(f, b, k);
    adjustSaturationHue(f, s, h);
  }
  if (chance(rng, c.grayscaleProbability)) {
    cv::Mat g;
    cv::cvtColor(cv::min(cv::max(f, 0.0), 1.0), g, cv::COLOR_BGR2GRAY);
    cv::cvtColor(g, f, cv::COLOR_GRAY2BGR);
  }
  if (chance(rng, c.blurProbability)) {
    const double sigma = uniform(rng, c.minBlurSigma, c.maxBlurSigma);
    const int k = 2 * static_cast<int>(std::ceil(3 * sigma)) + 1;
    cv::GaussianBlur(f, f, cv::Size(k, k), sigma, sigma, cv::BORDER_REFLECT);
  }
  cv::Mat out;
  f.convertTo(out, CV_8UC3, 255.0);  // saturating
  return out;
}

TrainingViews makeViews(const cv::Mat& image, const std::vector<cv::Mat>& masks, const ViewConfig& c,
                        uint64_t seed) {
  Rng geo(seed);
  ViewGeometry g;
  const double fit = static_cast<double>(c.size) / std::max(image.cols, image.rows);
  g.scale = fit * uniform(geo, c.minScale, c.maxScale);
  g.flipped = chance(geo, c.flipProbability);
  const int scaledW = static_cast<int>(std::lround(image.cols * g.scale));
  const int scaledH = static_cast<int>(std::lround(image.rows * g.scale));
  // Crop when the scaled image is larger than the view; otherwise place it at a random spot.
  g.offsetX = static_cast<int>(std::lround(uniform(geo, 0.0, 1.0) * (scaledW - c.size)));
  g.offsetY = static_cast<int>(std::lround(uniform(geo, 0.0, 1.0) * (scaledH - c.size)));
  TrainingViews v = applyGeometry(image, masks, g, c.size);
  if (c.strongView) {
    v.strong = strongPhotometric(v.weak, c, seed);
    v.strong.setTo(cv::Scalar::all(0), v.valid == 0);  // padding stays black in both views
  }
  return v;
}

TrainingViews makeEvalView(const cv::Mat& image, const std::vector<cv::Mat>& masks, int size) {
  ViewGeometry g;
  g.scale = static_cast<double>(size) / std::max(image.cols, image.rows);
  return applyGeometry(image, masks, g, size);
}

}  // namespace distillery
