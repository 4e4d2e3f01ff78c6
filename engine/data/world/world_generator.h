// The synthetic instance-segmentation world: images of shapes with exact masks, drawn
// from a named domain. Sample i of (domain, seed, size) is the same whichever thread
// draws it and in whatever order, because each sample seeds its own generator from
// (domain name, seed, i).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/world/domain_spec.h"

namespace distillery {

struct WorldSample {
  cv::Mat image;                     // CV_8UC3, BGR (OpenCV order), size x size
  std::vector<Instance> instances;   // back to front; masks are the visible pixels
};

// The K classes, category ids 1..K in shape order (disc, square, ..., heart).
std::vector<Category> worldCategories();

class WorldGenerator {
 public:
  // spec must pass validateDomain and size must be at least kMinWorldSize.
  WorldGenerator(DomainSpec spec, int size, uint64_t seed);

  // Instances carry imageId = index + 1, categoryId, the visible mask and its area.
  WorldSample sample(int64_t index) const;

  const DomainSpec& spec() const { return spec_; }
  int size() const { return size_; }
  uint64_t seed() const { return seed_; }

 private:
  DomainSpec spec_;
  int size_;
  uint64_t seed_;
};

constexpr int kMinWorldSize = 16;
constexpr int kMaxWorldSize = 4096;

}  // namespace distillery
