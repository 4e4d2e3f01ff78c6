// How COCO evaluation results are shown and saved: pycocotools' summarize() lines,
// a per-category table and the JSON the CLI writes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/evaluation/coco_eval_result.h"

namespace distillery {

// The 12 lines of pycocotools' summarize(), byte for byte, e.g.
//  Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.123
std::string formatCocoSummary(const CocoEvalResult& r);

// One row per category: id, name, AP and AP50 ("-" when it has no ground truth).
std::string formatPerCategoryTable(const CocoEvalResult& r);

// {"stats": [12 numbers], "per_category": {"<name>": {"ap": .., "ap50": ..}}};
// undefined values are -1 as in stats. Repeated names get " (id N)" appended.
nlohmann::json cocoResultToJson(const CocoEvalResult& r);

}  // namespace distillery
