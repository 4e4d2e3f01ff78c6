// Running a teacher over the project's unlabelled pool (WORKBENCH.md flow 3): its
// instances become pending `teacher` annotations with their scores, written in small
// batches (one transaction each) so they reach the gallery and the review queue while
// the pass goes on. One label per object: a candidate whose mask overlaps a better one
// (IoU > 0.7, often the same query with another class) is dropped. Human and reviewed
// annotations are never touched: the store's
// replacePredictions only replaces pending teacher output, and a new pseudo-label that
// repeats a human or reviewed label (mask IoU > 0.5) is dropped, so a rejected label
// does not come back (the filter is shared with Segment Everything: pending_labels.h).
// Store-side (see annotation_types.h); runs on a worker with its
// own Project handle.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

class Project;

struct PoolLabelling {
  std::filesystem::path model;  // TorchScript meeting the teacher contract
  // Per teacher class index, the project category id it becomes; <= 0 drops the class.
  std::vector<int64_t> categoryForClass;
  int batchImages = 4;      // images per forward pass and per transaction
  double scoreFloor = 0.1;  // instances scoring at or below this are not stored
  int topK = 50;            // instances per image
};

// One batch written: what the views must re-read.
struct PoolBatchDone {
  int64_t imagesDone = 0;
  int64_t imagesTotal = 0;
  int64_t labels = 0;  // pseudo-labels stored so far
  // Per image, the annotation ids removed (earlier pending teacher labels) or added.
  std::vector<std::pair<int64_t, std::vector<int64_t>>> changed;
};

struct PoolLabellingReport {
  int64_t images = 0;                // images predicted and written
  int64_t imagesTotal = 0;           // the pool's size when the pass started
  int64_t labels = 0;                // pseudo-labels stored
  int64_t repeats = 0;               // dropped: they repeat a human or reviewed label
  int64_t duplicates = 0;            // dropped: a better-scored new label covers the same object
  std::vector<std::string> skipped;  // "path: reason" per image left out
  bool cancelled = false;
};

// The teacher's per-image uncertainty for the review order: the largest ambiguity
// 1 - |2s - 1| over its instances' scores s (1 at s = 0.5, 0 when every score is 0
// or 1); 0 without instances.
double poolUncertainty(const std::vector<double>& scores);

// Predicts every image of split 'unlabelled' and stores the result; `cancel` is read
// between batches (what was written stays). `onBatch` runs on the calling thread.
Result<PoolLabellingReport> pseudoLabelPool(
    Project& project, const PoolLabelling& request, const std::atomic<bool>& cancel,
    const std::function<void(const PoolBatchDone&)>& onBatch);

}  // namespace distillery
