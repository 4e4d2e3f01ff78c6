// How model output becomes pending labels in the project store, for every model pass of
// the workbench: the teacher's pass over the pool (pseudo_label_pool.h) and the promptable
// model's Segment Everything (sam_worker.h). Per image, one transaction through the
// store's replacePredictions: the image's earlier pending `teacher` labels are replaced;
// human and reviewed labels stay, and a candidate repeating one (mask IoU > 0.5) is
// dropped, so a rejected label does not come back. Of candidates covering one object
// (IoU > 0.7) only the first (best) is kept. Store-side: call it on a worker with the
// worker's own Project handle.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "engine/store/store_types.h"
#include "engine/util/status.h"

namespace distillery {

class Project;

struct ImageCandidates {
  int64_t imageId = 0;
  // Best first; category, mask and score set (a category <= 0 or an empty mask is skipped).
  std::vector<NewAnnotation> candidates;
};

struct PendingLabelsWritten {
  int64_t labels = 0;      // pending labels now on these images
  int64_t repeats = 0;     // dropped: they repeat a human or reviewed label
  int64_t duplicates = 0;  // dropped: a better candidate covers the same object
  // Per image, the annotation ids removed (earlier pending labels) or added.
  std::vector<std::pair<int64_t, std::vector<int64_t>>> changed;
};

// Writes the candidates of a batch of images as pending `teacher` labels, one
// transaction, with each image's uncertainty from its candidates' scores.
Result<PendingLabelsWritten> writePendingLabels(Project& project,
                                                std::vector<ImageCandidates> images);

}  // namespace distillery
