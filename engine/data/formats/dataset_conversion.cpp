#include "engine/data/formats/dataset_conversion.h"

#include <algorithm>

#include "engine/data/formats/coco_json.h"
#include "engine/data/formats/labelme_json.h"
#include "engine/data/formats/mask_folder.h"
#include "engine/data/formats/via_json.h"
#include "engine/data/formats/yolo_seg.h"

namespace distillery {

namespace fs = std::filesystem;

const std::vector<std::string>& importFormats() {
  static const std::vector<std::string> kFormats = {"coco", "labelme", "via", "masks"};
  return kFormats;
}

const std::vector<std::string>& exportFormats() {
  static const std::vector<std::string> kFormats = {"coco", "labelme", "yolo"};
  return kFormats;
}

fs::path defaultImageRoot(const std::string& from, const fs::path& input) {
  std::error_code ec;
  const fs::path folder = fs::is_directory(input, ec)
                              ? input
                              : (input.parent_path().empty() ? fs::path(".") : input.parent_path());
  if (from == "coco") return {};  // COCO file names are relative to a root the file does not name
  return folder;
}

Result<Dataset> importDataset(const ConvertRequest& r, ConversionReport* report) {
  const fs::path root = r.images.empty() ? defaultImageRoot(r.from, r.input) : r.images;
  if (r.from == "coco") {
    CocoReadOptions o;
    o.imageRoot = root;
    return readCocoJson(r.input, o, report);
  }
  if (r.from == "labelme") {
    LabelmeReadOptions o;
    o.imageRoot = root;
    return readLabelme(r.input, o, report);
  }
  if (r.from == "via") {
    ViaReadOptions o;
    o.imageRoot = root;
    o.categoryName = r.category;
    o.labelAttribute = r.labelAttribute;
    return readViaJson(r.input, o, report);
  }
  if (r.from == "masks") {
    MaskFolderOptions o;
    o.categoryName = r.category;
    return readMaskFolder(r.input, o, report);
  }
  return Status::error("unknown input format '" + r.from +
                       "' (expected coco, labelme, via or masks)");
}

Status exportDataset(const Dataset& d, const ConvertRequest& r, const fs::path& imageRoot,
                     ConversionReport* report) {
  if (r.to == "coco") return writeCocoJson(d, r.output, CocoWriteOptions{r.polygons}, report);
  if (r.to == "labelme") {
    LabelmeWriteOptions o;
    o.imageRoot = imageRoot;
    return writeLabelme(d, r.output, o, report);
  }
  if (r.to == "yolo") return writeYoloSeg(d, r.output, report);
  return Status::error("unknown output format '" + r.to + "' (expected coco, labelme or yolo)");
}

ConvertOutcome convertDataset(const ConvertRequest& r) {
  ConvertOutcome out;
  const auto& exports = exportFormats();
  if (std::find(exports.begin(), exports.end(), r.to) == exports.end()) {
    out.stage = ConvertOutcome::Stage::ReadFailed;
    out.status =
        Status::error("unknown output format '" + r.to + "' (expected coco, labelme or yolo)");
    return out;
  }
  Result<Dataset> d = importDataset(r, &out.report);
  if (!d.ok()) {
    out.stage = ConvertOutcome::Stage::ReadFailed;
    out.status = d.status();
    return out;
  }
  out.imageRoot = r.images.empty() ? defaultImageRoot(r.from, r.input) : r.images;
  if (r.from == "masks") out.imageRoot = r.input;
  Status s = exportDataset(*d, r, out.imageRoot, &out.report);
  if (!s.ok()) {
    out.stage = ConvertOutcome::Stage::WriteFailed;
    out.status = s;
  }
  return out;
}

}  // namespace distillery
