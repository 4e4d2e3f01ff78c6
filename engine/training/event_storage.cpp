#include "engine/training/event_storage.h"

#include <algorithm>

namespace distillery {

void EventStorage::put(const std::string& name, double value) {
  byName_[name].push_back(events_.size());
  events_.push_back({step_, name, value});
}

std::vector<ScalarEvent> EventStorage::eventsSince(size_t& cursor) const {
  std::vector<ScalarEvent> out;
  if (cursor < events_.size()) out.assign(events_.begin() + static_cast<long>(cursor), events_.end());
  cursor = events_.size();
  return out;
}

std::optional<double> EventStorage::latest(const std::string& name) const {
  auto it = byName_.find(name);
  if (it == byName_.end() || it->second.empty()) return std::nullopt;
  return events_[it->second.back()].value;
}

std::optional<double> EventStorage::median(const std::string& name, size_t window) const {
  auto it = byName_.find(name);
  if (it == byName_.end() || it->second.empty() || window == 0) return std::nullopt;
  const auto& idx = it->second;
  std::vector<double> values;
  for (size_t i = idx.size() > window ? idx.size() - window : 0; i < idx.size(); ++i)
    values.push_back(events_[idx[i]].value);
  auto mid = values.begin() + static_cast<long>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

std::vector<std::pair<int64_t, double>> EventStorage::history(const std::string& name) const {
  std::vector<std::pair<int64_t, double>> out;
  auto it = byName_.find(name);
  if (it == byName_.end()) return out;
  for (size_t i : it->second) out.emplace_back(events_[i].step, events_[i].value);
  return out;
}

}  // namespace distillery
