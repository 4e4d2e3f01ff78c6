#include "engine/training/hooks.h"

namespace distillery {

void IterationTimerHook::beforeTrain() {
  smoothed_ = 0;
  measured_ = 0;
}

void IterationTimerHook::beforeStep() { stepStart_ = std::chrono::steady_clock::now(); }

void IterationTimerHook::afterStep() {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stepStart_).count();
  // The first steps include allocator warm-up; an EMA settles quickly.
  smoothed_ = measured_ == 0 ? seconds : 0.9 * smoothed_ + 0.1 * seconds;
  ++measured_;
  EventStorage& s = trainer_->storage();
  s.put("time/step", smoothed_);
  const int64_t remaining = trainer_->maxSteps() - trainer_->step() - 1;
  s.put("eta_seconds", smoothed_ * static_cast<double>(remaining > 0 ? remaining : 0));
}

void PeriodicHook::afterStep() {
  const int64_t done = trainer_->step() + 1;
  if (period_ > 0 && done % period_ == 0 && done < trainer_->maxSteps()) {
    fn_(done, false);
    lastRun_ = done;
  }
}

void PeriodicHook::afterTrain() {
  // trainer_->step() is the first step not completed (see TrainerBase::train).
  const int64_t done = trainer_->step() >= trainer_->maxSteps() ? trainer_->maxSteps() : trainer_->step();
  if (done != lastRun_) fn_(done, true);
  lastRun_ = done;
}

EvalHook::EvalHook(int64_t period, EvalFn eval)
    : PeriodicHook(period, [this, eval = std::move(eval)](int64_t done, bool) {
        EventStorage& s = trainer_->storage();
        const int64_t saved = s.step();
        s.setStep(done > 0 ? done - 1 : 0);  // results belong to the last completed step
        for (const auto& [name, value] : eval()) s.put(name, value);
        s.setStep(saved);
      }) {}

}  // namespace distillery
