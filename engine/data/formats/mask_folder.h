// Folders of mask PNGs (import only). Accepted layouts, under the input folder:
//
//   A  images/ + masks/  (or PNGImages/ + PedMasks/, as Penn-Fudan), and for each
//      image images/<stem>.<ext> one of
//        masks/<stem>.png or masks/<stem>_mask.png   instance-id PNG: 0 = background,
//                                                    each other value (or colour) = one instance
//        masks/<stem>/*.png                          one binary PNG per instance
//   B  <id>/images/<id>.<ext> + <id>/masks/*.png     one folder per image, one binary
//      PNG per instance (Data Science Bowl 2018); a folder with several images uses A.
//
// Image paths stay relative to the input folder; every instance gets one category.
#pragma once

#include <filesystem>
#include <string>

#include "engine/data/dataset.h"
#include "engine/data/formats/conversion_report.h"
#include "engine/util/status.h"

namespace distillery {

struct MaskFolderOptions {
  std::string categoryName = "object";
};

// A mask file whose size differs from its image, or that cannot be decoded, is
// skipped and reported; so is a mask with no image. An image with no mask is kept
// with no instances (and noted). A folder in neither layout is an error.
Result<Dataset> readMaskFolder(const std::filesystem::path& input,
                               const MaskFolderOptions& options = {},
                               ConversionReport* report = nullptr);

}  // namespace distillery
