// The built-in demo: a small synthetic target-domain project with a few labelled
// seed images, a validation split and an unlabelled pool. Torch-free.
#pragma once

#include <filesystem>

#include "engine/api/distillation.h"
#include "engine/util/status.h"

namespace distillery {

struct DemoOptions {
  std::filesystem::path cacheDir;  // empty: defaultCacheDir()
  std::string domain = "dusk";
  int images = 80;
  int seeds = 8;    // labelled seed images
  int val = 16;     // validation images (labelled, split val)
  int size = 128;
};

// Creates the demo project on first use (cache/demo/project) and returns its folder;
// later calls return the existing project untouched, with the user's edits.
Result<std::filesystem::path> ensureDemoProject(const DemoOptions& options = {});

// Pretraining the reference teacher at demo scale: the large preset on the source
// worlds, sized to finish within about 6 minutes on a loaded 2-core CPU (measured in
// docs/workbench.md), against about an hour for pretrainTeacher's defaults. Cached like
// any pretraining: the second call with these options returns at once.
PretrainOptions demoPretrainOptions();

}  // namespace distillery
