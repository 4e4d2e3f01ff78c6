// Thumbnails of project images, made lazily and cached in <project>/thumbs/
// under the image's content hash (so renaming or moving an image keeps its
// thumbnail, and an edited file gets a new one).
//
// ensure() touches no database and is safe to call from any thread, several
// at once: the GUI's gallery calls it from a worker with the path and hash of
// a gallery row. Files are written to a temporary name and renamed, so a
// reader never sees half a thumbnail.
#pragma once

#include <filesystem>
#include <string>

#include "engine/util/status.h"

namespace distillery {

constexpr int kThumbnailSide = 256;

class ThumbnailCache {
 public:
  explicit ThumbnailCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }
  // thumbs/<first two hex digits>/<hash>-<maxSide>.jpg (may not exist yet).
  std::filesystem::path path(const std::string& hash, int maxSide = kThumbnailSide) const;
  // The thumbnail file of imageFile, made if missing: longest side maxSide,
  // aspect kept, never upscaled. Fails naming the file when it cannot be read.
  Result<std::filesystem::path> ensure(const std::filesystem::path& imageFile,
                                       const std::string& hash, int maxSide = kThumbnailSide) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace distillery
