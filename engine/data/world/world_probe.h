// Probes of the domain shift, without any deep model: two tiny classifiers fitted on a
// source domain and scored on each domain.
//   colour: nearest class centroid of an instance's mean colour (the shortcut a model
//           trained on the source can learn);
//   shape:  nearest neighbour on log Hu moments of the instance's mask (the cue that
//           is meant to transfer).
// A good world has a colour probe near 1 on the source and near chance (1/K) or below
// on the targets, and a shape probe that stays well above chance everywhere.
#pragma once

#include <string>
#include <vector>

#include "engine/data/world/domain_spec.h"

namespace distillery {

struct ShiftProbe {
  std::string domain;
  int instances = 0;
  double colourAccuracy = 0;
  double shapeAccuracy = 0;
};

// Fits on `images` samples of `source` (seed), scores on `images` samples of every
// domain in `targets` (seed + 1, so the source is scored on unseen samples too).
std::vector<ShiftProbe> probeShift(const DomainSpec& source, const std::vector<DomainSpec>& targets,
                                   int images, int size, uint64_t seed);

}  // namespace distillery
