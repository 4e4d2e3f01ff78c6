// Reading a ground-truth file and a results file for evaluation, the way
// COCO(gt) and gt.loadRes(results) see them. Unlike a conversion, which may skip
// bad records, evaluation refuses them: a skipped record would change the numbers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/util/status.h"

namespace distillery {

struct CocoEvalInputs {
  Dataset groundTruth;
  Dataset results;  // categories and images copied from the ground truth
  bool areasFromBoxes = false;  // see readCocoEvalInputs
};

// Fails, naming the file and the record, on any ground-truth or result record the
// readers would skip (unknown image or category, wrong mask size, bad segmentation).
// As loadRes: when the first result has a non-empty "bbox", every detection's area
// (which decides its area range) is the box's w*h, not the mask's pixel count.
Result<CocoEvalInputs> readCocoEvalInputs(const std::filesystem::path& groundTruthJson,
                                          const std::filesystem::path& resultsJson);

}  // namespace distillery
