// SAM's input frame: the image resized so its long side is 1024, normalised with
// SAM's pixel mean and std, zero-padded at the bottom and right to 1024 x 1024.
// Prompts (points, boxes) are given in image pixels and scaled into this frame
// (docs/foundation.md). Internal (torch).
#pragma once

#include <torch/torch.h>

#include <opencv2/core.hpp>

namespace distillery {

struct SamFrame {
  static constexpr int kSide = 1024;
  int originalHeight = 0;
  int originalWidth = 0;
  int height = 0;  // the resized image inside the padded frame
  int width = 0;

  static SamFrame of(int height, int width);
  // Image pixels -> the 1024 frame.
  float scaleX() const { return static_cast<float>(width) / originalWidth; }
  float scaleY() const { return static_cast<float>(height) / originalHeight; }
};

// BGR (or gray) 8-bit image -> [1,3,1024,1024] float, SAM-normalised and padded.
torch::Tensor samInput(const cv::Mat& image, const SamFrame& frame);

// Mask logits at 256 x 256 (the decoder's low-res output, [N,1,256,256]) -> logits
// at the original size [N,H,W]: SAM's postprocessing (upscale to the frame, crop the
// padding, resize to the original), bilinear throughout.
torch::Tensor samMasksAtOriginalSize(const torch::Tensor& lowRes, const SamFrame& frame);

}  // namespace distillery
