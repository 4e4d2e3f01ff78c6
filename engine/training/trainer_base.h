// A plain training loop with hooks, after detectron2's TrainerBase: the loop runs
// steps; checkpoints, schedules, evaluation, metric writers and GUI progress are hooks.
// afterTrain() always runs, also when a step throws or the run is cancelled, so a
// cancelled or failed run still leaves its last checkpoint and flushed metrics.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/training/event_storage.h"

namespace distillery {

class TrainerBase;

class HookBase {
 public:
  virtual ~HookBase() = default;
  virtual void beforeTrain() {}
  virtual void afterTrain() {}
  virtual void beforeStep() {}
  virtual void afterStep() {}

 protected:
  friend class TrainerBase;
  TrainerBase* trainer_ = nullptr;  // set by registerHooks
};

// Shared with the thread that controls the run (the GUI worker, a signal handler).
// The trainer checks it between steps only, so a step is never torn.
struct TrainControl {
  std::atomic<bool> cancel{false};
  std::atomic<bool> pause{false};
};

enum class TrainOutcome { Completed, Cancelled, Failed };
const char* toString(TrainOutcome o);

class TrainerBase {
 public:
  virtual ~TrainerBase() = default;

  // Hooks run in registration order; order matters (checkpoint before evaluation).
  void registerHook(std::shared_ptr<HookBase> hook);

  // Runs steps startStep .. maxSteps-1. Never throws: a failing step ends the run
  // with TrainOutcome::Failed and failure() says why.
  TrainOutcome train(int64_t startStep, int64_t maxSteps);

  // One optimisation step at step(); throws on failure (e.g. NonFiniteLoss).
  virtual void runStep() = 0;

  int64_t step() const { return step_; }
  int64_t startStep() const { return startStep_; }
  int64_t maxSteps() const { return maxSteps_; }
  EventStorage& storage() { return storage_; }
  const EventStorage& storage() const { return storage_; }
  const std::string& failure() const { return failure_; }
  TrainOutcome outcome() const { return outcome_; }

  void setControl(std::shared_ptr<TrainControl> control) { control_ = std::move(control); }
  TrainControl& control() { return *control_; }

 private:
  bool waitWhilePaused();  // false when cancelled during the pause

  std::vector<std::shared_ptr<HookBase>> hooks_;
  std::shared_ptr<TrainControl> control_ = std::make_shared<TrainControl>();
  EventStorage storage_;
  int64_t step_ = 0;
  int64_t startStep_ = 0;
  int64_t maxSteps_ = 0;
  std::string failure_;
  TrainOutcome outcome_ = TrainOutcome::Completed;
};

}  // namespace distillery
