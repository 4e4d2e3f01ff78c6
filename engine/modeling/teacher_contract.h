// Checking a TorchScript model against the teacher contract (ARCHITECTURE.md): the
// torch-free summary behind `distillery-cli teacher check` and the GUI's model page.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct TeacherSummary {
  std::string file;
  std::string sidecarFile;  // empty when there is none
  int probeBatch = 0;       // the dummy forward's input [B,3,S,S]
  int probeSize = 0;
  int numQueries = 0;
  int numClasses = 0;                   // K (pred_logits has K+1 columns)
  std::vector<std::string> classNames;  // from the sidecar, else class_<k>
  int maskHeight = 0;                   // pred_masks' h, w for the probe
  int maskWidth = 0;
  bool hasPixelEmbed = false;
  int embedDim = 0;
  long long params = 0;
  bool normalizationInside = true;
  int sizeDivisibility = 32;
};

// Loads the file, reads its sidecar and runs a dummy forward. Every contract
// violation is listed in the error, one line each, naming the key and what was
// expected. expectedClasses (optional) is the project's class list.
Result<TeacherSummary> checkTeacher(const std::filesystem::path& file,
                                    const std::vector<std::string>& expectedClasses = {});

}  // namespace distillery
