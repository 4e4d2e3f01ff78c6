#include "engine/data/world/world_preview.h"

#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/data/world/appearance.h"

namespace distillery {
namespace {

constexpr int kGutter = 2;

// The instances of a sample as filled masks with a bright outline, on black.
cv::Mat maskView(const WorldSample& s) {
  cv::Mat view = cv::Mat::zeros(s.image.size(), CV_8UC3);
  for (const Instance& inst : s.instances) {
    const cv::Mat m = rle::decode(inst.mask);
    const cv::Scalar colour = classOutlineColour(inst.categoryId);
    view.setTo(colour * 0.45, m);
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(m, contours, cv::RETR_LIST, cv::CHAIN_APPROX_NONE);
    cv::drawContours(view, contours, -1, colour, 1, cv::LINE_8);
  }
  return view;
}

}  // namespace

void posterise(cv::Mat& image, int levels) {
  DST_CHECK(image.depth() == CV_8U && levels >= 2 && levels <= 256);
  cv::Mat lut(1, 256, CV_8U);
  const double step = 255.0 / (levels - 1);
  for (int i = 0; i < 256; ++i)
    lut.at<uchar>(i) = cv::saturate_cast<uchar>(std::round(std::round(i / step) * step));
  cv::LUT(image, lut, image);
}

cv::Scalar classOutlineColour(int64_t categoryId) {
  const cv::Vec3f c = world::hsvToBgr(canonicalHue(static_cast<int>(categoryId - 1)), 0.8, 1.0);
  return {c[0], c[1], c[2]};
}

cv::Mat worldContactSheet(const WorldGenerator& generator, int rows, int cols, bool outlines,
                          int64_t first) {
  const int side = generator.size();
  const int tilesPerSample = outlines ? 2 : 1;
  const int width = cols * tilesPerSample * (side + kGutter) - kGutter;
  const int height = rows * (side + kGutter) - kGutter;
  cv::Mat sheet(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const WorldSample s = generator.sample(first + r * cols + c);
      const int x = c * tilesPerSample * (side + kGutter), y = r * (side + kGutter);
      s.image.copyTo(sheet(cv::Rect(x, y, side, side)));
      if (outlines) maskView(s).copyTo(sheet(cv::Rect(x + side + kGutter, y, side, side)));
    }
  }
  return sheet;
}

}  // namespace distillery
