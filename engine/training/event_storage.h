// Per-step scalars of a run (losses, learning rate, AP...), after detectron2's
// EventStorage. The trainer and its hooks put values; writers read what is new.
// Loss curves and AP curves flow through the same storage.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace distillery {

struct ScalarEvent {
  int64_t step = 0;
  std::string name;
  double value = 0;
};

class EventStorage {
 public:
  void setStep(int64_t step) { step_ = step; }
  int64_t step() const { return step_; }

  // Records name=value at the current step.
  void put(const std::string& name, double value);

  // Every event in the order it was put; writers keep their own cursor into it.
  const std::vector<ScalarEvent>& events() const { return events_; }
  // Events from `cursor` on; advances the cursor past them.
  std::vector<ScalarEvent> eventsSince(size_t& cursor) const;

  std::optional<double> latest(const std::string& name) const;
  // Median of the last `window` values of name (smooths noisy losses for display).
  std::optional<double> median(const std::string& name, size_t window) const;
  // (step, value) pairs of one scalar.
  std::vector<std::pair<int64_t, double>> history(const std::string& name) const;

 private:
  int64_t step_ = 0;
  std::vector<ScalarEvent> events_;
  std::map<std::string, std::vector<size_t>> byName_;  // indices into events_
};

}  // namespace distillery
