#include "engine/recipes/stage_runner.h"

#include <spdlog/spdlog.h>

#include "engine/training/checkpoint.h"
#include "engine/training/event_writers.h"
#include "engine/training/hooks.h"
#include "engine/training/model_inference.h"

namespace distillery {

std::vector<std::string> RecipeData::classNames() const {
  std::vector<std::string> names;
  for (int64_t id : categoryIds) {
    std::string name = std::to_string(id);
    for (const auto& c : categories)
      if (c.id == id) name = c.name;
    names.push_back(name);
  }
  return names;
}

StageResult runStage(SegmentationModel& model, const StageConfig& config, const RecipeData& data,
                     const TrainingSet* unlabelled, RunObserver& observer, SegmentationTrainer::OnlineLabeler online,
                     std::vector<std::shared_ptr<HookBase>> extraHooks) {
  SegmentationTrainer trainer(model, config, *data.labelled, unlabelled, std::move(online));
  trainer.setControl(observer.control);
  trainer.registerHook(std::make_shared<IterationTimerHook>());
  trainer.registerHook(std::make_shared<LrSchedulerHook>(trainer));
  for (auto& h : extraHooks) trainer.registerHook(h);

  std::filesystem::path checkpoint;
  int64_t start = 0;
  if (!observer.runDir.empty()) {
    std::filesystem::create_directories(observer.runDir);
    checkpoint = observer.runDir / (config.name + ".ckpt");
    if (std::filesystem::exists(checkpoint)) {  // an interrupted run resumes where it stopped
      TrainingState state;
      if (Status s = loadCheckpoint(checkpoint, trainer.trainables(), &trainer.optimizer(), state); s.ok()) {
        start = state.step;
        spdlog::info("{}: resuming from {} at step {}", config.name, checkpoint.string(), start);
      } else {
        spdlog::warn("{}: ignoring unreadable checkpoint: {}", config.name, s.message());
      }
    }
    trainer.registerHook(std::make_shared<PeriodicHook>(config.checkpointPeriod, [&](int64_t done, bool) {
      if (done == start) return;  // resumed at its end: nothing new, and another lane may be reading it
      TrainingState state;
      state.step = done;
      state.meta["stage"] = config.name;
      if (Status s = saveCheckpoint(checkpoint, trainer.trainables(), &trainer.optimizer(), state); !s.ok())
        spdlog::error("{}", s.message());
    }));
  }
  StageResult result;
  auto evaluate = [&]() {
    std::map<std::string, double> out;
    auto score = evaluateModel(model, *data.val, *data.valGroundTruth, data.categoryIds, config.views.size);
    model.train(true);
    if (!score.ok()) {
      spdlog::error("{}: evaluation failed: {}", config.name, score.status().message());
      return out;
    }
    out[config.metricPrefix + "/ap"] = result.finalAp = score->ap;
    out[config.metricPrefix + "/ap50"] = result.finalAp50 = score->ap50;
    return out;
  };
  const bool evaluates = data.val != nullptr && data.valGroundTruth != nullptr;
  if (evaluates) trainer.registerHook(std::make_shared<EvalHook>(config.evalPeriod, evaluate));
  if (!observer.runDir.empty())
    trainer.registerHook(std::make_shared<JsonlWriterHook>(observer.runDir / "metrics.jsonl", 10));
  if (observer.console) trainer.registerHook(std::make_shared<ConsoleWriterHook>(observer.consolePeriod));
  if (observer.scalars) {
    const int64_t offset = observer.stepOffset;
    trainer.registerHook(std::make_shared<CallbackWriterHook>(
        [&observer, offset, name = config.name](std::vector<ScalarEvent> events) {
          for (auto& e : events) e.step += offset;
          observer.scalars(events);
        },
        5));
  }
  if (start >= config.steps) {  // finished before: only its final score is wanted
    result.outcome = TrainOutcome::Completed;
    if (evaluates) evaluate();
  } else {
    result.outcome = trainer.train(start, config.steps);
  }
  result.failure = trainer.failure();
  observer.stepOffset += config.steps;
  return result;
}

}  // namespace distillery
