#include "engine/training/trainer_base.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <thread>

namespace distillery {

const char* toString(TrainOutcome o) {
  switch (o) {
    case TrainOutcome::Completed: return "completed";
    case TrainOutcome::Cancelled: return "cancelled";
    case TrainOutcome::Failed: return "failed";
  }
  return "failed";
}

void TrainerBase::registerHook(std::shared_ptr<HookBase> hook) {
  hook->trainer_ = this;
  hooks_.push_back(std::move(hook));
}

bool TrainerBase::waitWhilePaused() {
  while (control_->pause.load() && !control_->cancel.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return !control_->cancel.load();
}

TrainOutcome TrainerBase::train(int64_t startStep, int64_t maxSteps) {
  startStep_ = step_ = startStep;
  maxSteps_ = maxSteps;
  failure_.clear();
  outcome_ = TrainOutcome::Completed;
  storage_.setStep(step_);
  try {
    for (auto& h : hooks_) h->beforeTrain();
    for (; step_ < maxSteps_; ++step_) {
      if (!waitWhilePaused()) {
        outcome_ = TrainOutcome::Cancelled;
        break;
      }
      storage_.setStep(step_);
      for (auto& h : hooks_) h->beforeStep();
      runStep();
      for (auto& h : hooks_) h->afterStep();
    }
  } catch (const std::exception& e) {
    outcome_ = TrainOutcome::Failed;
    failure_ = e.what();
    // LibTorch errors carry a C++ backtrace after their message; users need the message.
    if (auto cut = failure_.find("\nException raised from"); cut != std::string::npos) failure_.resize(cut);
    spdlog::error("training stopped at step {}: {}", step_, failure_);
  }
  // After-train hooks always run; step_ is the first step not completed.
  try {
    for (auto& h : hooks_) h->afterTrain();
  } catch (const std::exception& e) {
    if (outcome_ != TrainOutcome::Failed) failure_ = e.what();
    outcome_ = TrainOutcome::Failed;
    spdlog::error("after-train hook failed: {}", e.what());
  }
  return outcome_;
}

}  // namespace distillery
