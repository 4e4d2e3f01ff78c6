// The one place where images and masks become tensors: OpenCV BGR images to float
// RGB in [0,1], resizing, padding to the size divisibility, batching, and instance
// masks to targets at the padded resolution. Internal (torch).
#pragma once

#include <torch/torch.h>

#include <opencv2/core.hpp>
#include <vector>

#include "engine/modeling/target_instances.h"

namespace distillery {

// Where an image sits in a padded batch: resized to (height, width) at the top left.
struct ImagePlacement {
  int originalHeight = 0;
  int originalWidth = 0;
  int height = 0;
  int width = 0;
};

struct ImageBatch {
  torch::Tensor images;  // [B,3,H,W] float RGB in [0,1]; zero padding bottom and right
  std::vector<ImagePlacement> placements;
};

// CV_8U or CV_16U with 1, 3 (BGR) or 4 (BGRA) channels, or CV_32F in [0,1] ->
// [3,H,W] float RGB in [0,1]. Throws UserError on other types.
torch::Tensor imageToTensor(const cv::Mat& image);

// Scale so that the longer side is maxSide (0 keeps the size).
ImagePlacement placeImage(int height, int width, int maxSide);

// Resizes each image (see placeImage), pads all to one size, a multiple of divisibility.
ImageBatch makeImageBatch(const std::vector<cv::Mat>& images, int maxSide, int divisibility);

// Instance masks (HxW, nonzero = inside, at the original image size) resized with
// nearest neighbour into the placement and zero-padded to paddedHeight x paddedWidth.
TargetInstances makeTargets(const std::vector<int64_t>& labels, const std::vector<cv::Mat>& masks,
                            const ImagePlacement& placement, int paddedHeight, int paddedWidth);

}  // namespace distillery
