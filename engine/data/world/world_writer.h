// Writes a synthetic world to disk as a COCO dataset:
//   outDir/images/000000.png ...  and  outDir/instances.json (RLE masks).
#pragma once

#include <cstdint>
#include <filesystem>

#include "engine/data/dataset.h"
#include "engine/data/world/domain_spec.h"

namespace distillery {

// Generates samples 0..count-1 of (spec, seed, size) and writes them. Image ids are
// index + 1, instance ids count from 1 in order. Returns the dataset as written
// (image files relative to outDir/images). Fails with a message naming the path
// when outDir cannot be created or written.
Result<Dataset> generateWorld(const DomainSpec& spec, int count, uint64_t seed, int size,
                              const std::filesystem::path& outDir);

// The image file name of sample `index`, e.g. "000042.png".
std::string worldImageName(int64_t index);

}  // namespace distillery
