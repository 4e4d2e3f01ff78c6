// General-purpose hooks. Order matters when registering: timer first, then
// schedules, then checkpointing before evaluation (so an evaluation failure never
// costs a checkpoint), then writers last so they see everything of the step.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "engine/training/trainer_base.h"

namespace distillery {

// Puts "time/step" (seconds, smoothed) and "eta_seconds" into the storage.
class IterationTimerHook : public HookBase {
 public:
  void beforeTrain() override;
  void beforeStep() override;
  void afterStep() override;

 private:
  std::chrono::steady_clock::time_point stepStart_;
  double smoothed_ = 0;
  int64_t measured_ = 0;
};

// Calls `fn(step)` every `period` steps (after the step) and once after training.
class PeriodicHook : public HookBase {
 public:
  using Fn = std::function<void(int64_t completedSteps, bool final)>;
  PeriodicHook(int64_t period, Fn fn) : period_(period), fn_(std::move(fn)) {}
  void afterStep() override;
  void afterTrain() override;

 private:
  int64_t period_;
  Fn fn_;
  int64_t lastRun_ = -1;
};

// Runs an evaluation every `period` steps and at the end, and writes its results
// (e.g. {"student/ap": .31, "student/ap50": .52}) into the storage at that step, so
// AP curves flow like loss curves.
class EvalHook : public PeriodicHook {
 public:
  using EvalFn = std::function<std::map<std::string, double>()>;
  EvalHook(int64_t period, EvalFn eval);
};

}  // namespace distillery
