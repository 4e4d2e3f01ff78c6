// The SAM family as one promptable segmenter: an image encoder graph, a prompt
// decoder graph (SAM's ONNX export convention, FOUNDATION.md) and SAM's frame.
// embed() runs the encoder once per image; segment() runs the decoder per prompt
// (points, labels, a box, the previous low-res mask fed back); segmentPoints()
// runs a batch of single-point prompts in one decoder call. Internal (torch).
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <opencv2/core.hpp>
#include <vector>

#include "engine/foundation/sam_frame.h"
#include "engine/onnx/onnx_module.h"
#include "engine/util/status.h"

namespace distillery {

struct SamPrompt {
  std::vector<cv::Point2f> points;  // image pixels
  std::vector<int> labels;          // 1 include, 0 exclude
  std::optional<cv::Rect2f> box;    // image pixels, x y w h
  torch::Tensor previousLowRes;     // [1,1,256,256] logits, or undefined
};

struct SamMasks {
  torch::Tensor logits;  // [N,H,W] at the original size (threshold 0)
  torch::Tensor iou;     // [N] predicted IoU
  torch::Tensor lowRes;  // [N,1,256,256] logits: feed back as previousLowRes
};

class PromptableSegmenter {
 public:
  static Result<PromptableSegmenter> load(const std::filesystem::path& encoder,
                                          const std::filesystem::path& decoder);

  // [1,256,64,64] for a BGR or gray 8-bit image.
  torch::Tensor embed(const cv::Mat& image, const SamFrame& frame);
  SamMasks segment(const torch::Tensor& embedding, const SamFrame& frame, const SamPrompt& prompt);
  // points [B,2] in image pixels, one include point each; logits left undefined
  // when `fullSize` is false (only iou and lowRes are computed).
  SamMasks segmentPoints(const torch::Tensor& embedding, const SamFrame& frame,
                         const torch::Tensor& points, bool fullSize);

  int64_t parameterCount() const;

 private:
  OnnxModule encoder_{nullptr};
  OnnxModule decoder_{nullptr};
};

}  // namespace distillery
