#include "engine/data/world/world_probe.h"

#include <array>
#include <cmath>
#include <limits>
#include <opencv2/imgproc.hpp>

#include "engine/data/world/shapes.h"
#include "engine/data/world/world_generator.h"

namespace distillery {
namespace {

constexpr int kHu = 7;

struct Example {
  int label = 0;  // class index
  cv::Vec3d colour;
  std::array<double, kHu> shape{};
};

std::vector<Example> examples(const DomainSpec& spec, int images, int size, uint64_t seed) {
  const WorldGenerator gen(spec, size, seed);
  std::vector<Example> out;
  for (int i = 0; i < images; ++i) {
    const WorldSample s = gen.sample(i);
    for (const Instance& inst : s.instances) {
      const cv::Mat mask = rle::decode(inst.mask);
      Example e;
      e.label = static_cast<int>(inst.categoryId - 1);
      const cv::Scalar mean = cv::mean(s.image, mask);
      e.colour = {mean[0], mean[1], mean[2]};
      double hu[kHu];
      cv::HuMoments(cv::moments(mask, true), hu);
      // Signed log scale: Hu moments span many orders of magnitude.
      for (int k = 0; k < kHu; ++k)
        e.shape[static_cast<size_t>(k)] =
            -std::copysign(1.0, hu[k]) * std::log10(std::fabs(hu[k]) + 1e-30);
      out.push_back(e);
    }
  }
  return out;
}

double shapeDistance(const std::array<double, kHu>& a, const std::array<double, kHu>& b) {
  // The first four moments are stable; the higher ones are mostly noise on small masks.
  double d = 0;
  for (size_t k = 0; k < 4; ++k) d += (a[k] - b[k]) * (a[k] - b[k]);
  return d;
}

}  // namespace

std::vector<ShiftProbe> probeShift(const DomainSpec& source, const std::vector<DomainSpec>& targets,
                                   int images, int size, uint64_t seed) {
  const std::vector<Example> train = examples(source, images, size, seed);
  std::array<cv::Vec3d, world::kClassCount> centroid{};
  std::array<int, world::kClassCount> members{};
  for (const Example& e : train) {
    centroid[static_cast<size_t>(e.label)] += e.colour;
    ++members[static_cast<size_t>(e.label)];
  }
  for (size_t k = 0; k < centroid.size(); ++k)
    if (members[k] > 0) centroid[k] /= members[k];

  std::vector<ShiftProbe> report;
  for (const DomainSpec& target : targets) {
    const std::vector<Example> test = examples(target, images, size, seed + 1);
    ShiftProbe p;
    p.domain = target.name;
    p.instances = static_cast<int>(test.size());
    int colourHits = 0, shapeHits = 0;
    for (const Example& e : test) {
      int best = 0;
      double bestD = std::numeric_limits<double>::max();
      for (size_t k = 0; k < centroid.size(); ++k) {
        if (members[k] == 0) continue;
        const double d = cv::norm(e.colour - centroid[k]);
        if (d < bestD) bestD = d, best = static_cast<int>(k);
      }
      colourHits += best == e.label;
      int nearest = -1;
      bestD = std::numeric_limits<double>::max();
      for (const Example& t : train) {
        const double d = shapeDistance(e.shape, t.shape);
        if (d < bestD) bestD = d, nearest = t.label;
      }
      shapeHits += nearest == e.label;
    }
    if (p.instances > 0) {
      p.colourAccuracy = static_cast<double>(colourHits) / p.instances;
      p.shapeAccuracy = static_cast<double>(shapeHits) / p.instances;
    }
    report.push_back(p);
  }
  return report;
}

}  // namespace distillery
