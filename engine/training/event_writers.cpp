#include "engine/training/event_writers.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/util/status.h"

namespace distillery {

void EventWriterHook::flush(bool final) {
  write(trainer_->storage().eventsSince(cursor_), final);
}

void EventWriterHook::afterStep() {
  if (period_ > 0 && (trainer_->step() + 1) % period_ == 0) flush(false);
}

void EventWriterHook::afterTrain() { flush(true); }

JsonlWriterHook::JsonlWriterHook(const std::filesystem::path& file, int64_t period)
    : EventWriterHook(period), out_(file, std::ios::app) {
  if (!out_) throw UserError(file.string() + ": cannot open the metrics file for writing");
}

void JsonlWriterHook::write(const std::vector<ScalarEvent>& events, bool) {
  std::map<int64_t, nlohmann::json> bySteps;
  for (const ScalarEvent& e : events) {
    auto& row = bySteps[e.step];
    row["step"] = e.step;
    row[e.name] = std::isfinite(e.value) ? nlohmann::json(e.value) : nlohmann::json(nullptr);
  }
  for (const auto& [step, row] : bySteps) out_ << row.dump() << '\n';
  out_.flush();
}

std::string formatDuration(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  const long h = total / 3600, m = (total % 3600) / 60, s = total % 60;
  char buf[32];
  if (h > 0) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", h, m, s);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", m, s);
  return buf;
}

void ConsoleWriterHook::write(const std::vector<ScalarEvent>&, bool final) {
  const EventStorage& s = trainer_->storage();
  const int64_t done = std::min(trainer_->step() + (final ? 0 : 1), trainer_->maxSteps());
  const int64_t total = trainer_->maxSteps();
  std::string line = "step " + std::to_string(done) + "/" + std::to_string(total);
  line += "  " + std::to_string(total > 0 ? done * 100 / total : 100) + "%";
  // Print the losses (smoothed) and the latest of everything else worth a glance.
  for (const char* name : {"loss/total", "loss/sup", "loss/semi", "loss/pxl"}) {
    if (auto v = s.median(name, 20)) line += fmt::format("  {} {:.4f}", name, *v);
  }
  if (auto lr = s.latest("lr")) line += fmt::format("  lr {:.2e}", *lr);
  if (auto t = s.latest("time/step")) line += fmt::format("  {:.3f} s/step", *t);
  if (auto eta = s.latest("eta_seconds"); eta && !final) line += "  eta " + formatDuration(*eta);
  spdlog::info("{}", line);
}

}  // namespace distillery
