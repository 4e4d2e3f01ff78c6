// Writers read new events from the storage and send them somewhere: a JSONL file
// in the run folder, the console (a progress line with ETA), or a callback that the
// GUI worker turns into queued signals. The project-database writer lives with the store.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

#include "engine/training/trainer_base.h"

namespace distillery {

// Base: every `period` steps and after training, hands the new events to write().
class EventWriterHook : public HookBase {
 public:
  explicit EventWriterHook(int64_t period) : period_(period) {}
  void afterStep() override;
  void afterTrain() override;

 protected:
  virtual void write(const std::vector<ScalarEvent>& events, bool final) = 0;

 private:
  void flush(bool final);
  int64_t period_;
  size_t cursor_ = 0;
};

// One JSON object per step: {"step": 12, "loss/total": 1.3, "lr": 0.0001, ...}.
class JsonlWriterHook : public EventWriterHook {
 public:
  JsonlWriterHook(const std::filesystem::path& file, int64_t period = 1);

 protected:
  void write(const std::vector<ScalarEvent>& events, bool final) override;

 private:
  std::ofstream out_;
};

// "step 120/1500  8%  loss/total 1.234  lr 1.0e-04  0.21 s/step  eta 0:04:50"
class ConsoleWriterHook : public EventWriterHook {
 public:
  explicit ConsoleWriterHook(int64_t period = 20) : EventWriterHook(period) {}

 protected:
  void write(const std::vector<ScalarEvent>& events, bool final) override;
};

class CallbackWriterHook : public EventWriterHook {
 public:
  using Callback = std::function<void(const std::vector<ScalarEvent>&)>;
  CallbackWriterHook(Callback cb, int64_t period = 1) : EventWriterHook(period), cb_(std::move(cb)) {}

 protected:
  void write(const std::vector<ScalarEvent>& events, bool) override {
    if (!events.empty()) cb_(events);
  }

 private:
  Callback cb_;
};

std::string formatDuration(double seconds);  // "1:02:03" or "4:05"

}  // namespace distillery
