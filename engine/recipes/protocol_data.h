// Synthetic-world data for pretraining and the benchmark protocol. Internal.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/util/status.h"

namespace distillery {

struct WorldSplit {
  Dataset dataset;
  std::filesystem::path root;        // image root of dataset.images[].file
  std::vector<int64_t> categoryIds;  // set by mergeWorlds
};

// A world from the cache (cache/worlds/<domain>-n<count>-s<seed>-<size>), generated on first use.
Result<WorldSplit> loadWorld(const std::filesystem::path& cache, const std::string& domain, int count,
                             uint64_t seed, int size);
Result<Dataset> readWorldDataset(const std::filesystem::path& dir);
// Several worlds as one dataset: image ids renumbered, files relative to a common root.
WorldSplit mergeWorlds(const std::vector<WorldSplit>& worlds);

}  // namespace distillery
