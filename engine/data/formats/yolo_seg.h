// YOLO segmentation labels (Ultralytics "YOLO-seg"), export only:
//   outDir/classes.txt             one category name per line; line i is class index i
//   outDir/labels/<image>.txt      one instance per line: "<class> x1 y1 x2 y2 ..." with
//                                  coordinates divided by the image width and height
// <image> is the image path without its extension and without a leading "images/".
// An instance with several parts becomes one polygon joined by zero-width bridges
// (it still rasterises to the same parts). Crowd regions have no YOLO form and are
// skipped and reported, as are masks too small for a polygon.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/formats/conversion_report.h"
#include "engine/util/status.h"

namespace distillery {

Status writeYoloSeg(const Dataset& d, const std::filesystem::path& outDir,
                    ConversionReport* report = nullptr);

// The label-file path of an image, relative to outDir ("labels/a/b.txt").
std::string yoloLabelPath(const std::string& imageFile);
// Joins polygon parts into one outline: part 0, bridge to part 1, ..., then back.
std::vector<double> joinParts(const std::vector<std::vector<double>>& parts);

}  // namespace distillery
