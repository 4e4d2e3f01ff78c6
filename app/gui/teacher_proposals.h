// Click-to-segment without a promptable model: the loaded teacher's own instances under
// the click. The teacher predicts the shown image once (lazily, on the click tool's
// worker); each prompt then picks its best-scoring instance that contains every positive
// point and no negative one (and, with a box, overlaps the box most). Coarser than SAM,
// but it lets a user with only a TorchScript teacher click objects. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "widgets/tools/segment_provider.h"

namespace distillery {

class ModelPredictor;

class TeacherProposals {
 public:
  explicit TeacherProposals(std::string teacherModel);
  ~TeacherProposals();

  const std::string& model() const { return model_; }
  // The best teacher instance for the prompt, or why there is none.
  Result<SegmentProposal> propose(int64_t imageId, const cv::Mat& pixels,
                                  const SegmentPrompt& prompt);

 private:
  std::string model_;
  std::mutex mutex_;
  std::unique_ptr<ModelPredictor> predictor_;
  std::string loadError_;
  int64_t imageId_ = -1;             // whose instances are below
  std::vector<Instance> instances_;  // best first
  std::vector<cv::Mat> masks_;       // decoded, same order
};

}  // namespace distillery
