// The standard COCO results list (what detectors submit and COCOeval.loadRes reads):
// [{"image_id", "category_id", "segmentation": {"size":[h,w],"counts":"..."}, "score"}, ...]
#pragma once

#include <filesystem>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/formats/conversion_report.h"
#include "engine/data/formats/json_fields.h"
#include "engine/util/status.h"

namespace distillery {

// Detections checked against the ground truth `gt`: a record whose image or category
// is not in gt, whose mask size differs from its image or which has no score is
// skipped and reported. As loadRes: ids are 1..N in file order, area comes from
// the mask, iscrowd is 0; source is Student. Polygon segmentations are accepted too.
Result<std::vector<Instance>> readCocoResults(const std::filesystem::path& json, const Dataset& gt,
                                              ConversionReport* report = nullptr);
Result<std::vector<Instance>> cocoResultsFromJson(const json_fields::Json& doc,
                                                  const std::string& name, const Dataset& gt,
                                                  ConversionReport* report = nullptr);

// Writes exactly the four keys above per detection (no "bbox": loadRes would then
// take the box's area instead of the mask's).
Status writeCocoResults(const std::vector<Instance>& detections, const std::filesystem::path& out);
json_fields::Json cocoResultsToJson(const std::vector<Instance>& detections);

}  // namespace distillery
