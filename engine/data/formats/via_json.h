// VGG Image Annotator (VIA) region files: VIA 1 `via_region_data.json` (as the
// balloon set) and the `_via_img_metadata` part of VIA 2 projects. Import only.
//
// VIA stores no image size, so each image's header is read; a missing image is
// skipped and reported by name, together with its regions.
#pragma once

#include <filesystem>
#include <string>

#include "engine/data/dataset.h"
#include "engine/data/formats/conversion_report.h"
#include "engine/data/formats/json_fields.h"
#include "engine/util/status.h"

namespace distillery {

struct ViaReadOptions {
  std::filesystem::path imageRoot;      // default: the JSON file's folder
  std::string categoryName = "object";  // the one category when labelAttribute is empty
  // region_attributes key that holds the class (a string, or a checkbox object whose
  // first true key names it). Empty: every region is `categoryName`.
  std::string labelAttribute;
};

Result<Dataset> readViaJson(const std::filesystem::path& json, const ViaReadOptions& options = {},
                            ConversionReport* report = nullptr);
// On a parsed document; images are looked up under options.imageRoot (required here).
Result<Dataset> viaFromJson(const json_fields::Json& doc, const std::string& name,
                            const ViaReadOptions& options, ConversionReport* report = nullptr);

}  // namespace distillery
