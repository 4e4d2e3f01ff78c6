// Deterministic imperfect detections made from a ground truth: shifted, eroded and
// dilated copies of its masks plus random boxes, with random scores. The benchmark
// evaluates them and the real-data tests check invariants on them; a fixed seed
// gives the same detections on every machine (std::mt19937 and integer draws only).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/data/dataset.h"

namespace distillery {

struct PerturbOptions {
  uint32_t seed = 1;
  int perImage = 100;       // detections per image (copies first, then random boxes)
  std::vector<int> perImageCounts;  // when set, image i gets perImageCounts[i] instead
  int copiesPerObject = 2;  // jittered copies of each ground-truth instance (crowds too)
  int maxShift = 4;         // pixels, each direction
  double wrongCategory = 0.05;  // chance a copy gets another category
  int scoreDecimals = 0;        // > 0 rounds scores (ties across images), 0 keeps them
};

// Detections (source Student, ids 1..N) for every image of gt, in image order.
// With perImage < 0, every image gets copies only, no random boxes.
std::vector<Instance> perturbDetections(const Dataset& gt, const PerturbOptions& options);

// Per-image detection counts that add up to `total` as evenly as possible (the
// first images get one more), for runs sized to a given detection count.
std::vector<int> spreadEvenly(int total, int images);

}  // namespace distillery
