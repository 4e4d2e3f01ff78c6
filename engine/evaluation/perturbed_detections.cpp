#include "engine/evaluation/perturbed_detections.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <random>

namespace distillery {
namespace {

// Uniform integer in [lo, hi] from raw mt19937 output, identical on every standard
// library (std::uniform_int_distribution is not specified bit for bit).
int draw(std::mt19937& rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % static_cast<uint32_t>(hi - lo + 1));
}
double unit(std::mt19937& rng) { return rng() / 4294967296.0; }

Rle jitter(const Rle& mask, std::mt19937& rng, int maxShift) {
  cv::Mat m = rle::decode(mask);
  const int dx = draw(rng, -maxShift, maxShift), dy = draw(rng, -maxShift, maxShift);
  cv::Mat shifted(m.size(), CV_8U, cv::Scalar(0));
  const cv::Rect src(std::max(0, -dx), std::max(0, -dy), m.cols - std::abs(dx), m.rows - std::abs(dy));
  const cv::Rect dst(std::max(0, dx), std::max(0, dy), src.width, src.height);
  if (src.width > 0 && src.height > 0) m(src).copyTo(shifted(dst));
  switch (draw(rng, 0, 2)) {
    case 0: cv::erode(shifted, shifted, cv::Mat()); break;
    case 1: cv::dilate(shifted, shifted, cv::Mat()); break;
    default: break;
  }
  return rle::encode(shifted);
}

}  // namespace

std::vector<int> spreadEvenly(int total, int images) {
  std::vector<int> n(static_cast<size_t>(std::max(images, 0)), 0);
  for (int i = 0; i < images; ++i) n[static_cast<size_t>(i)] = total / images + (i < total % images ? 1 : 0);
  return n;
}

std::vector<Instance> perturbDetections(const Dataset& gt, const PerturbOptions& o) {
  std::mt19937 rng(o.seed);
  const auto byImage = gt.instancesByImage();
  std::vector<Instance> out;
  for (size_t index = 0; index < gt.images.size(); ++index) {
    const ImageRecord& image = gt.images[index];
    const int wanted = index < o.perImageCounts.size() ? o.perImageCounts[index] : o.perImage;
    std::vector<Instance> dets;
    const auto it = byImage.find(image.id);
    if (it != byImage.end()) {
      for (const Instance* g : it->second) {
        for (int c = 0; c < o.copiesPerObject; ++c) {
          Instance d;
          d.imageId = image.id;
          d.categoryId = g->categoryId;
          if (!gt.categories.empty() && unit(rng) < o.wrongCategory)
            d.categoryId = gt.categories[static_cast<size_t>(draw(rng, 0, static_cast<int>(gt.categories.size()) - 1))].id;
          d.mask = jitter(g->mask, rng, o.maxShift);
          d.score = 0.3 + 0.7 * unit(rng);
          dets.push_back(std::move(d));
        }
      }
    }
    if (wanted >= 0) {
      if (dets.size() > static_cast<size_t>(wanted)) dets.resize(static_cast<size_t>(wanted));
      while (dets.size() < static_cast<size_t>(wanted) && !gt.categories.empty()) {
        Instance d;
        d.imageId = image.id;
        d.categoryId = gt.categories[static_cast<size_t>(draw(rng, 0, static_cast<int>(gt.categories.size()) - 1))].id;
        const int w = draw(rng, 2, std::max(2, image.width / 3)), h = draw(rng, 2, std::max(2, image.height / 3));
        const int x = draw(rng, 0, std::max(0, image.width - w)), y = draw(rng, 0, std::max(0, image.height - h));
        d.mask = rle::fromBox({double(x), double(y), double(w), double(h)}, image.height, image.width);
        d.score = 0.6 * unit(rng);
        dets.push_back(std::move(d));
      }
    }
    for (Instance& d : dets) {
      if (o.scoreDecimals > 0) {
        const double scale = std::pow(10.0, o.scoreDecimals);
        d.score = std::round(d.score * scale) / scale;
      }
      d.id = static_cast<int64_t>(out.size()) + 1;
      d.source = Source::Student;
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace distillery
