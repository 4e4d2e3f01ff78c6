#include "engine/training/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace distillery {

Result<LrScheduleConfig::Kind> lrScheduleKind(const std::string& name) {
  if (name == "constant") return LrScheduleConfig::Kind::Constant;
  if (name == "poly") return LrScheduleConfig::Kind::Poly;
  if (name == "cosine") return LrScheduleConfig::Kind::Cosine;
  return Status::error("unknown LR schedule '" + name + "' (expected constant, poly or cosine)");
}

double lrFactor(const LrScheduleConfig& c, int64_t step, int64_t maxSteps) {
  const double progress =
      maxSteps > 0 ? std::clamp(static_cast<double>(step) / static_cast<double>(maxSteps), 0.0, 1.0) : 0.0;
  double decay = 1.0;
  switch (c.kind) {
    case LrScheduleConfig::Kind::Constant: break;
    case LrScheduleConfig::Kind::Poly: decay = std::pow(1.0 - progress, c.power); break;
    case LrScheduleConfig::Kind::Cosine:
      decay = c.endFactor + (1.0 - c.endFactor) * 0.5 * (1.0 + std::cos(M_PI * progress));
      break;
  }
  if (step < c.warmupSteps && c.warmupSteps > 0) {
    const double alpha = static_cast<double>(step) / static_cast<double>(c.warmupSteps);
    decay *= c.warmupFactor * (1.0 - alpha) + alpha;
  }
  return decay;
}

}  // namespace distillery
