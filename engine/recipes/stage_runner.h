// Runs one stage with the standard hooks, in the order that matters: timer, LR
// schedule, checkpoint (before evaluation, so a failing evaluation never costs a
// checkpoint), evaluation, then the writers (JSONL, console, observer callback).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/training_set.h"
#include "engine/training/event_storage.h"
#include "engine/training/segmentation_trainer.h"

namespace distillery {

// The data every recipe reads: D_l, D_u (images only) and the evaluation split.
struct RecipeData {
  const TrainingSet* labelled = nullptr;
  const TrainingSet* unlabelled = nullptr;  // may be empty or null
  const TrainingSet* val = nullptr;          // may be null: no evaluation
  const Dataset* valGroundTruth = nullptr;
  std::vector<Category> categories;
  std::vector<int64_t> categoryIds;          // class index -> category id
  std::vector<std::string> classNames() const;
};

// How a run reports to the outside (console, GUI worker, project database).
struct RunObserver {
  std::function<void(const std::string& stage, int index, int count)> stageStarted;
  // Scalars with steps counted across the whole run (stage offsets added).
  std::function<void(const std::vector<ScalarEvent>&)> scalars;
  // May drop labels (e.g. ones a reviewer rejected) before they are used.
  std::function<void(Dataset& pseudoLabels, const std::string& madeBy)> pseudoLabels;
  std::shared_ptr<TrainControl> control = std::make_shared<TrainControl>();
  std::filesystem::path runDir;  // metrics.jsonl and checkpoints; empty = none
  bool console = true;
  int64_t consolePeriod = 25;
  int64_t stepOffset = 0;        // advanced by each stage
};

struct StageResult {
  TrainOutcome outcome = TrainOutcome::Completed;
  std::string failure;
  double finalAp = -1, finalAp50 = -1;
};

StageResult runStage(SegmentationModel& model, const StageConfig& config, const RecipeData& data,
                     const TrainingSet* unlabelled, RunObserver& observer,
                     SegmentationTrainer::OnlineLabeler online = nullptr,
                     std::vector<std::shared_ptr<HookBase>> extraHooks = {});

}  // namespace distillery
