// What the compare view shows (WORKBENCH.md flow 7): the project's models -- the
// zero-shot teacher, and the adapted teacher and student of the latest finished run --
// scored on the project's `val` split with COCO mask AP, plus one model's prediction
// drawn on one image. Store-side and Qt-free; the compare worker calls these.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/util/status.h"

namespace distillery {

class ModelPredictor;
class Project;

struct ComparedModel {
  std::string name;  // "zero-shot teacher", "adapted teacher", "student"
  std::filesystem::path file;
  // Per model class index, the project category id (0 drops it); empty: classes are
  // matched to the project's by name (case, spaces and underscores aside).
  std::vector<int64_t> categoryForClass;
};

// The models of the project that exist on disk: `teacher` (the session's, may be empty)
// and the latest finished run's adapted teacher and student. `runId` gets that run.
Result<std::vector<ComparedModel>> projectModels(const Project& project,
                                                 const std::filesystem::path& teacher,
                                                 const std::vector<int64_t>& teacherMapping,
                                                 std::optional<int64_t>* runId = nullptr);

// Ground truth of split val: human labels and accepted or edited pseudo-labels.
struct ValSet {
  Dataset groundTruth;  // image files relative to root
  std::filesystem::path root;
  std::map<int64_t, std::string> colours;  // category id -> "#rrggbb"
};
Result<ValSet> readValSet(const Project& project);

struct ModelEvaluation {
  std::string name;
  double ap = 0, ap50 = 0;  // percent
  long long params = 0;
  double msPerImage = 0;           // mean of single-image predictions, after one warm-up
  std::vector<double> perClassAp;  // per ground-truth category (id order), NaN = no instances
  std::string error;               // non-empty: not scored, and why
};

// Loads, times and scores one model on the val set.
ModelEvaluation evaluateOnVal(const ValSet& val, const ComparedModel& model);

// The model's output on one image with project category ids (unmapped classes dropped).
class MappedPredictor {
 public:
  static Result<MappedPredictor> load(const ComparedModel& model,
                                      const std::vector<Category>& projectCategories);
  MappedPredictor(MappedPredictor&&) noexcept;
  MappedPredictor& operator=(MappedPredictor&&) noexcept;
  ~MappedPredictor();
  Result<std::vector<Instance>> predict(const cv::Mat& bgr, int64_t imageId) const;

 private:
  MappedPredictor();
  std::unique_ptr<ModelPredictor> predictor_;
  std::map<int64_t, int64_t> category_;  // model category id -> project category id
};

// The image with each instance's mask tinted in its class colour, outlined, and
// labelled "class 0.87"; instances scoring below minScore are left out.
cv::Mat renderPrediction(const cv::Mat& bgr, const std::vector<Instance>& instances,
                         const std::vector<Category>& categories,
                         const std::map<int64_t, std::string>& colours, double minScore = 0.3);

}  // namespace distillery
