#include "widgets/inspector/heatmap.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace distillery {
namespace {

constexpr int kMinAlpha = 40;
constexpr int kMaxAlpha = 175;

// 8-bit levels -> BGRA with the colour map and a level-dependent alpha.
QImage colourise(const cv::Mat& levels) {
  cv::Mat bgr, bgra;
  cv::applyColorMap(levels, bgr, cv::COLORMAP_INFERNO);
  cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
  for (int y = 0; y < levels.rows; ++y) {
    const uchar* l = levels.ptr<uchar>(y);
    cv::Vec4b* p = bgra.ptr<cv::Vec4b>(y);
    for (int x = 0; x < levels.cols; ++x)
      p[x][3] = static_cast<uchar>(kMinAlpha + (kMaxAlpha - kMinAlpha) * l[x] / 255);
  }
  // QImage::Format_ARGB32 is B,G,R,A in memory on little-endian machines, as BGRA.
  QImage out(bgra.data, bgra.cols, bgra.rows, static_cast<int>(bgra.step), QImage::Format_ARGB32);
  return out.copy();
}

}  // namespace

QImage heatmapImage(const cv::Mat& weights, double maxValue) {
  if (weights.empty() || weights.channels() != 1) return {};
  cv::Mat w;
  weights.convertTo(w, CV_32F);
  cv::patchNaNs(w, 0.0);
  cv::Mat levels;
  const double scale = maxValue > 0 ? 255.0 / maxValue : 0.0;
  w.convertTo(levels, CV_8U, scale);  // saturates to [0, 255]
  return colourise(levels);
}

QImage colourRamp(int length) {
  cv::Mat levels(1, std::max(length, 2), CV_8U);
  for (int i = 0; i < levels.cols; ++i)
    levels.at<uchar>(0, i) = static_cast<uchar>(std::lround(255.0 * i / (levels.cols - 1)));
  QImage ramp = colourise(levels);
  for (int i = 0; i < ramp.width(); ++i) {
    QColor c = ramp.pixelColor(i, 0);
    c.setAlpha(255);
    ramp.setPixelColor(i, 0, c);
  }
  return ramp;
}

double maxWeight(const std::vector<cv::Mat>& maps) {
  double best = 0;
  for (const cv::Mat& m : maps) {
    if (m.empty() || m.channels() != 1) continue;
    cv::Mat f;
    m.convertTo(f, CV_32F);
    cv::patchNaNs(f, 0.0);
    double lo = 0, hi = 0;
    cv::minMaxLoc(f, &lo, &hi);
    if (std::isfinite(hi)) best = std::max(best, hi);
  }
  return best;
}

}  // namespace distillery
