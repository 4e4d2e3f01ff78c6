#include "engine/evaluation/coco_eval_files.h"

#include "engine/data/formats/coco_json.h"
#include "engine/data/formats/coco_results.h"

namespace distillery {
namespace {

Status skippedRecords(const ConversionReport& report) {
  std::string msg = report.skipped.front();
  if (report.skipped.size() > 1)
    msg += " (and " + std::to_string(report.skipped.size() - 1) + " more bad records)";
  return Status::error(msg);
}

// loadRes's branch: `'bbox' in anns[0] and not anns[0]['bbox'] == []`.
bool firstResultHasBox(const json_fields::Json& doc) {
  if (!doc.is_array() || doc.empty() || !doc[0].is_object()) return false;
  const auto it = doc[0].find("bbox");
  return it != doc[0].end() && !(it->is_array() && it->empty());
}

}  // namespace

Result<CocoEvalInputs> readCocoEvalInputs(const std::filesystem::path& groundTruthJson,
                                          const std::filesystem::path& resultsJson) {
  CocoEvalInputs in;
  ConversionReport gtReport;
  Result<Dataset> gt = readCocoJson(groundTruthJson, &gtReport);
  if (!gt.ok()) return gt.status();
  if (!gtReport.skipped.empty()) return skippedRecords(gtReport);
  in.groundTruth = std::move(*gt);

  const std::string name = resultsJson.filename().string();
  Result<json_fields::Json> doc = json_fields::readFile(resultsJson, name);
  if (!doc.ok()) return doc.status();
  ConversionReport dtReport;
  Result<std::vector<Instance>> dt = cocoResultsFromJson(*doc, name, in.groundTruth, &dtReport);
  if (!dt.ok()) return dt.status();
  if (!dtReport.skipped.empty()) return skippedRecords(dtReport);
  // Nothing was skipped, so instance i is record i.
  in.results.instances = std::move(*dt);
  in.results.categories = in.groundTruth.categories;
  in.results.images = in.groundTruth.images;

  in.areasFromBoxes = firstResultHasBox(*doc);
  if (in.areasFromBoxes) {
    for (size_t i = 0; i < in.results.instances.size(); ++i) {
      const json_fields::Json& record = (*doc)[i];
      const std::string where = name + ": result " + std::to_string(i) + ": ";
      const auto it = record.find("bbox");
      if (it == record.end() || !it->is_array() || it->size() != 4) {
        return Status::error(where + "'bbox' is missing or not [x, y, w, h], but result 0 has one;"
                                     " pycocotools then takes every detection's area from its box");
      }
      try {
        const double w = json_fields::toNumber((*it)[2], "bbox width");
        const double h = json_fields::toNumber((*it)[3], "bbox height");
        in.results.instances[i].area = w * h;
      } catch (const UserError& e) {
        return Status::error(where + e.what());
      }
    }
  }
  return in;
}

}  // namespace distillery
