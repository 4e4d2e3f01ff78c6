// `distillery-cli model export`: a preset (optionally with a checkpoint's weights)
// to TorchScript meeting the teacher contract, plus its JSON sidecar. Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct ExportRequest {
  std::string arch;                  // preset; may be empty with a checkpoint
  std::filesystem::path checkpoint;  // optional: weights, config and class names
  std::filesystem::path out;         // FILE.pt; the sidecar goes to FILE.json
  int numClasses = 0;                // 0: from the checkpoint or class names, else 80
  std::vector<std::string> classNames;
  std::vector<int64_t> categoryIds;
  int exampleSize = 128;  // traced input side (any size works afterwards)
  uint64_t seed = 0;      // initialisation without a checkpoint
};

struct ExportSummary {
  std::filesystem::path model;
  std::filesystem::path sidecar;
  std::string arch;
  int numClasses = 0;
  long long params = 0;
};

Result<ExportSummary> exportModel(const ExportRequest& request);

}  // namespace distillery
