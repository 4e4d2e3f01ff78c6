// Learning-rate multipliers: linear warm-up, then poly (Mask2Former, Guided
// Distillation) or cosine decay. Pure functions; the LR hook applies them.
#pragma once

#include <cstdint>
#include <string>

#include "engine/util/status.h"

namespace distillery {

struct LrScheduleConfig {
  enum class Kind { Constant, Poly, Cosine };
  Kind kind = Kind::Poly;
  int64_t warmupSteps = 0;
  double warmupFactor = 0.001;  // multiplier at step 0, rising linearly to 1
  double power = 0.9;           // poly exponent
  double endFactor = 0.0;       // cosine floor
};

Result<LrScheduleConfig::Kind> lrScheduleKind(const std::string& name);

// Multiplier of the base LR at `step` of a run of `maxSteps` steps.
double lrFactor(const LrScheduleConfig& c, int64_t step, int64_t maxSteps);

}  // namespace distillery
