// Running a TorchScript model that meets the teacher contract over images, to
// scored instances (pseudo-labels or predictions). Torch-free; used by
// `distillery-cli predict` and the GUI.
#pragma once

#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/util/status.h"

namespace distillery {

struct PredictOptions {
  int maxSide = -1;  // longer image side fed to the model: -1 = the sidecar's input_size (else
                     // keep), 0 = keep
  int topK = 100;    // instances per image
  double scoreThreshold = 0.0;  // drop instances scoring at or below this
  Source source = Source::Student;
  std::vector<std::string> expectedClasses;  // optional check of the class count
};

class ModelPredictor {
 public:
  static Result<ModelPredictor> load(const std::filesystem::path& model,
                                     const PredictOptions& options = {});
  ModelPredictor(ModelPredictor&&) noexcept;
  ModelPredictor& operator=(ModelPredictor&&) noexcept;
  ~ModelPredictor();

  // image: as cv::imread gives it (BGR). Instances have imageId set, ids 0.
  Result<std::vector<Instance>> predict(const cv::Mat& image, int64_t imageId) const;
  // Several images in one forward pass (padded to a common size); one list per image.
  Result<std::vector<std::vector<Instance>>> predict(const std::vector<cv::Mat>& images,
                                                     const std::vector<int64_t>& imageIds) const;

  const std::vector<std::string>& classNames() const;
  std::vector<int64_t> categoryIds() const;
  // Categories as the sidecar names them, for a results or dataset file.
  std::vector<Category> categories() const;

 private:
  ModelPredictor();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace distillery
