// The recipes: short compositions of stages and losses (METHODS.md §1-2).
//   cast                 adapt teacher (two rounds) -> distil into the student -> refine
//   guided-distillation  guided burn-in against a frozen teacher, then an EMA teacher
//   supervised           the student on D_l only
//   pseudo-label         offline KD from the zero-shot teacher, no contrastive term
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/modeling/segmenter_config.h"
#include "engine/recipes/stage_runner.h"
#include "engine/training/pseudo_label_filter.h"

namespace distillery {

const std::vector<std::string>& recipeNames();

struct RecipeSettings {
  std::string recipe = "cast";
  std::string stage = "all";  // cast only: adapt | distill | refine | all
  SegmenterConfig student;    // numClasses is set from the data
  // A native checkpoint every student starts from (CAST's, the baselines', GD's teacher), like
  // the paper's pretrained DINOv2-S backbone; empty = random init. Its architecture wins over
  // `student`, and its classes must be the data's (the protocol maps a source model first).
  std::filesystem::path studentInit;
  StageConfig adapt;          // both adaptation rounds (teacher)
  StageConfig distill;        // stage 2 (student)
  StageConfig refine;         // stage 3 (student, D_l only)
  StageConfig supervised;     // the supervised baseline and GD's burn-in teacher
  PseudoLabelFilterConfig filter;
  PseudoLabelFilterConfig gdFilter{0.7, 0.5, 0, 5.0};
  int64_t gdBurnInSteps = 300;
  double gdEmaDecay = 0.9996;
  double gdUnsupervisedWeight = 2.0;
};

// Defaults for a scale ("smoke", "demo", "default"); steps and sizes differ, not the method.
RecipeSettings defaultRecipeSettings(const std::string& scale = "default");
// Applies a JSON config: {"recipe": "...", "stage": "...", "adapt": {...}, "distill": {...},
// "refine": {...}, "supervised": {...}, "class_threshold": .7, ...}; errors name the key.
Result<RecipeSettings> recipeSettingsFromJson(const nlohmann::json& j, RecipeSettings base);
// Whether `studentInit` can start a student on data with `classes` classes: a Distillery
// model checkpoint with that class count. The error names the file.
Status checkStudentInit(const std::filesystem::path& studentInit, size_t classes);
// Every setting, for run records and cache keys (stage objects as in stageConfigFromJson).
nlohmann::json toJson(const RecipeSettings& s);

struct RecipeOutcome {
  TrainOutcome outcome = TrainOutcome::Completed;
  std::string failure;
  std::unique_ptr<SegmentationModel> student;         // the trained student (if any)
  std::unique_ptr<SegmentationModel> adaptedTeacher;  // cast only
  std::map<std::string, double> scores;               // e.g. "student-cast-stage2/ap"
};

// teacher: the pretrained teacher (theta^0), untouched; may be null for "supervised".
RecipeOutcome runRecipe(const RecipeSettings& settings, SegmentationModel* teacher, const RecipeData& data,
                        RunObserver& observer);

}  // namespace distillery
