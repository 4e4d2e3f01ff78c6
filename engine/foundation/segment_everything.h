// Segment everything: a regular grid of single-point prompts batched through the
// decoder, kept when the predicted IoU and the stability score (IoU of the mask
// thresholded at logit +offset and -offset) pass, then de-duplicated by mask NMS
// in order of predicted IoU. Defaults are SAM's automatic mask generator's
// (32 x 32 points, IoU 0.88, stability 0.95 at offset 1, NMS 0.7);
// SAM's NMS is on boxes, ours on masks (FOUNDATION.md). Internal (torch).
#pragma once

#include <torch/torch.h>

#include <opencv2/core.hpp>
#include <vector>

#include "engine/foundation/promptable_segmenter.h"

namespace distillery {

struct SegmentEverythingConfig {
  int pointsPerSide = 32;
  // Prompts per decoder call. On a CPU one at a time is fastest (16 prompts on a
  // 2048x1365 photo: 7.7 s one by one, 8.4 s in 4s, 12.8 s in 16s: the batch repeats
  // the 64x64x256 embedding per prompt); a GPU wants SAM's 64.
  int pointsPerBatch = 1;
  float predIouThresh = 0.88f;
  float stabilityThresh = 0.95f;
  float stabilityOffset = 1.0f;
  float nmsThresh = 0.7f;
  int minArea = 0;  // pixels at the original size
};

struct EverythingMask {
  torch::Tensor mask;  // [H,W] bool at the original size
  float predictedIou = 0;
  float stability = 0;
  cv::Point2f point;  // the prompt, image pixels
  cv::Rect box;
  int64_t area = 0;
};

std::vector<EverythingMask> segmentEverything(PromptableSegmenter& segmenter,
                                              const torch::Tensor& embedding,
                                              const SamFrame& frame,
                                              const SegmentEverythingConfig& config = {});

// The greedy mask NMS alone (masks in order of preference; kept indices).
std::vector<int> maskNms(const std::vector<EverythingMask>& masks, float iouThresh);

}  // namespace distillery
