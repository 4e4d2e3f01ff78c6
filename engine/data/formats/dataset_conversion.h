// One conversion between dataset formats, as `distillery-cli convert` (and the
// workbench's import dialog) run it: pick the reader and the writer by name and
// resolve where the images are.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/formats/conversion_report.h"
#include "engine/util/status.h"

namespace distillery {

const std::vector<std::string>& importFormats();  // coco, labelme, via, masks
const std::vector<std::string>& exportFormats();  // coco, labelme, yolo

struct ConvertRequest {
  std::string from, to;
  std::filesystem::path input, output;
  std::filesystem::path images;     // image root; empty: the format's default
  bool polygons = false;            // COCO output as polygons instead of RLE
  std::string category = "object";  // VIA and mask folders without class labels
  std::string labelAttribute;       // VIA region attribute holding the class
};

struct ConvertOutcome {
  enum class Stage { Done, ReadFailed, WriteFailed };
  Stage stage = Stage::Done;
  Status status;  // the error when stage is not Done
  ConversionReport report;
  std::filesystem::path imageRoot;  // what image paths in the output are relative to (may be empty)
};

// The image root a format uses for `input` when none is given.
std::filesystem::path defaultImageRoot(const std::string& from, const std::filesystem::path& input);

Result<Dataset> importDataset(const ConvertRequest& request, ConversionReport* report);
Status exportDataset(const Dataset& d, const ConvertRequest& request,
                     const std::filesystem::path& imageRoot, ConversionReport* report);
ConvertOutcome convertDataset(const ConvertRequest& request);

}  // namespace distillery
