// One training stage's settings: J = L_sup + lambdaSemi * L_semi + lambdaPxl * L_pxl
// (METHODS.md §1) plus the optimisation schedule. Recipes fill these from a JSON config.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/data/augment/views.h"
#include "engine/losses/pixel_contrast.h"
#include "engine/losses/set_criterion.h"
#include "engine/training/lr_schedule.h"
#include "engine/util/status.h"

namespace distillery {

struct StageConfig {
  std::string name = "stage";       // e.g. "adapt-1", "distill", "refine"
  std::string metricPrefix = "student";  // evaluation scalars go to "<prefix>/ap", "<prefix>/ap50"
  int64_t steps = 1000;
  int64_t labelledBatch = 4;
  int64_t unlabelledBatch = 4;      // used when the stage has unlabelled images
  double lr = 1e-3;
  double weightDecay = 0.05;
  double backboneLrMultiplier = 1.0;
  double gradClipNorm = 1.0;        // 0 disables clipping
  LrScheduleConfig schedule{LrScheduleConfig::Kind::Poly, 50, 0.01, 0.9, 0.0};
  double lambdaSemi = 0.0;
  double lambdaPxl = 0.0;
  ViewConfig views;
  PixelContrastConfig contrast;
  SetCriterionOptions criterion;
  int64_t evalPeriod = 0;           // 0: evaluate at the end only
  int64_t checkpointPeriod = 0;     // 0: checkpoint at the end only
  uint64_t seed = 0;
};

// Overrides fields of `base` from JSON keys (steps, batch, lr, lambda_pxl, ...); unknown
// keys and wrong types are errors naming the key and the expected type.
Result<StageConfig> stageConfigFromJson(const nlohmann::json& j, StageConfig base, const std::string& where);
nlohmann::json toJson(const StageConfig& c);

}  // namespace distillery
