// LabelMe annotation files, one JSON per image: import (a file or a folder of them)
// and export (a folder of them).
//
// Shapes with the same label and a non-null `group_id` are parts of one instance
// (their masks are merged); a shape without group_id is an instance of its own.
// Polygons, rectangles, circles and LabelMe 5 masks have area; lines and points
// are skipped and reported.
#pragma once

#include <filesystem>
#include <string>

#include "engine/data/dataset.h"
#include "engine/data/formats/category_table.h"
#include "engine/data/formats/conversion_report.h"
#include "engine/data/formats/json_fields.h"
#include "engine/util/status.h"

namespace distillery {

struct LabelmeReadOptions {
  // Where the images live; every imagePath (relative to its JSON file) must resolve
  // inside it. Default: the input folder, or the file's folder for one file.
  std::filesystem::path imageRoot;
  bool requireImages = true;  // a JSON whose image file is missing is skipped
};

// `input` is one .json file or a folder searched recursively for *.json (sorted).
// A file that is not usable (malformed, not LabelMe, missing image) is skipped and
// reported, and so is a bad shape; an input with no usable file is an error.
Result<Dataset> readLabelme(const std::filesystem::path& input,
                            const LabelmeReadOptions& options = {},
                            ConversionReport* report = nullptr);

// Reads one parsed LabelMe document living in `jsonDir` into `d` (images get the next
// id). Returns an error naming `name` when the whole file is unusable.
Status labelmeInto(const json_fields::Json& doc, const std::string& name,
                   const std::filesystem::path& jsonDir, const LabelmeReadOptions& options,
                   CategoryTable& categories, Dataset& d, ConversionReport& report);

struct LabelmeWriteOptions {
  // Where the dataset's images are; imagePath is written relative to each JSON
  // file so LabelMe finds them. Empty: imagePath is the image's file name, for
  // JSON files that will sit next to their images.
  std::filesystem::path imageRoot;
};

// Writes outDir/<image file with .json>. Crowd masks are written as polygons with
// shape flag "iscrowd": true (read back as crowd).
Status writeLabelme(const Dataset& d, const std::filesystem::path& outDir,
                    const LabelmeWriteOptions& options = {}, ConversionReport* report = nullptr);

}  // namespace distillery
