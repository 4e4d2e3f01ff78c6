// Mask2Former's instance inference: from one image's set prediction to scored
// instance masks at the original image size. Internal (torch).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "engine/data/dataset.h"
#include "engine/modeling/image_tensor.h"

namespace distillery {

struct PostprocessOptions {
  int topK = 100;               // instances kept per image (top-k over Q*K class scores)
  double scoreThreshold = 0.0;  // drop instances scoring at or below this
  bool dropEmpty = true;        // drop masks with no pixel (they can only be false positives)
};

// Mask logits [n,h,w] (at any stride of the padded input paddedHeight x paddedWidth) as
// logits [n,H,W] at the original image size: upsampled bilinearly to the padded input,
// cropped to the placement, resized to the original. Threshold them there.
torch::Tensor masksAtOriginalSize(const torch::Tensor& maskLogits, int paddedHeight, int paddedWidth,
                                  const ImagePlacement& placement);

// logits [Q,K+1], masks [Q,h,w] (logits at any stride of the padded input
// paddedHeight x paddedWidth). score = softmax class probability (no-object
// excluded) x mask quality (mean sigmoid inside the mask binarised at 0.5). Masks
// are upsampled bilinearly to the padded input, cropped to the placement and
// resized to the original image. categoryIds[k] is class k's category id.
std::vector<Instance> instanceInference(const torch::Tensor& logits, const torch::Tensor& masks,
                                        int paddedHeight, int paddedWidth,
                                        const ImagePlacement& placement,
                                        const std::vector<int64_t>& categoryIds, int64_t imageId,
                                        Source source, const PostprocessOptions& options = {});

}  // namespace distillery
