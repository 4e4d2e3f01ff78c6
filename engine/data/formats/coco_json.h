// COCO instance-segmentation JSON (the ground-truth file): import and export.
//
// Reading follows pycocotools: polygons are rasterised as annToRLE does, RLEs
// are taken as they are, `iscrowd` and the stored `area` are kept, and image,
// category and annotation ids stay as in the file. A bad record is skipped and
// reported; a file that is not COCO at all is an error (docs/formats.md).
#pragma once

#include <filesystem>

#include "engine/data/dataset.h"
#include "engine/data/formats/conversion_report.h"
#include "engine/data/formats/json_fields.h"
#include "engine/util/status.h"

namespace distillery {

struct CocoReadOptions {
  // When set, each image's file_name must exist under this folder; images that
  // do not are skipped and reported.
  std::filesystem::path imageRoot;
};

Result<Dataset> readCocoJson(const std::filesystem::path& json, ConversionReport* report = nullptr);
Result<Dataset> readCocoJson(const std::filesystem::path& json, const CocoReadOptions& options,
                             ConversionReport* report = nullptr);
// The same on a parsed document; `name` is how messages call the file.
Result<Dataset> cocoFromJson(const json_fields::Json& doc, const std::string& name,
                             const CocoReadOptions& options = {},
                             ConversionReport* report = nullptr);

struct CocoWriteOptions {
  bool polygons = false;  // RLE by default; crowd regions and masks without a polygon stay RLE
};

Status writeCocoJson(const Dataset& d, const std::filesystem::path& out,
                     const CocoWriteOptions& options = {}, ConversionReport* report = nullptr);
// The document writeCocoJson writes.
json_fields::Json cocoToJson(const Dataset& d, const CocoWriteOptions& options = {},
                             ConversionReport* report = nullptr, const std::string& name = "coco");

}  // namespace distillery
