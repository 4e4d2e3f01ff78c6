#include "engine/training/stage_config.h"

#include <functional>
#include <map>

namespace distillery {
namespace {

using Setter = std::function<Status(const nlohmann::json&, StageConfig&)>;

template <class T>
Setter number(T StageConfig::*field, double min, double max) {
  return [field, min, max](const nlohmann::json& v, StageConfig& c) -> Status {
    if (!v.is_number()) return Status::error("expected a number");
    const double x = v.get<double>();
    if (!(x >= min && x <= max))
      return Status::error("expected a value in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    c.*field = static_cast<T>(x);
    return {};
  };
}

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> s = {
      {"steps", number(&StageConfig::steps, 0, 1e9)},
      {"batch", [](const nlohmann::json& v, StageConfig& c) -> Status {
         if (!v.is_number_integer() || v.get<int64_t>() < 1) return Status::error("expected an integer >= 1");
         c.labelledBatch = c.unlabelledBatch = v.get<int64_t>();
         return {};
       }},
      {"labelled_batch", number(&StageConfig::labelledBatch, 1, 4096)},
      {"unlabelled_batch", number(&StageConfig::unlabelledBatch, 0, 4096)},
      {"lr", number(&StageConfig::lr, 0, 10)},
      {"weight_decay", number(&StageConfig::weightDecay, 0, 10)},
      {"backbone_lr_multiplier", number(&StageConfig::backboneLrMultiplier, 0, 100)},
      {"grad_clip", number(&StageConfig::gradClipNorm, 0, 1e6)},
      {"lambda_semi", number(&StageConfig::lambdaSemi, 0, 1e3)},
      {"lambda_pxl", number(&StageConfig::lambdaPxl, 0, 1e3)},
      {"eval_period", number(&StageConfig::evalPeriod, 0, 1e9)},
      {"checkpoint_period", number(&StageConfig::checkpointPeriod, 0, 1e9)},
      {"seed", number(&StageConfig::seed, 0, 1.8e19)},
      {"warmup_steps", [](const nlohmann::json& v, StageConfig& c) -> Status {
         if (!v.is_number_integer() || v.get<int64_t>() < 0) return Status::error("expected an integer >= 0");
         c.schedule.warmupSteps = v.get<int64_t>();
         return {};
       }},
      {"schedule", [](const nlohmann::json& v, StageConfig& c) -> Status {
         if (!v.is_string()) return Status::error("expected \"constant\", \"poly\" or \"cosine\"");
         auto k = lrScheduleKind(v.get<std::string>());
         if (!k.ok()) return k.status();
         c.schedule.kind = *k;
         return {};
       }},
      {"image_size", [](const nlohmann::json& v, StageConfig& c) -> Status {
         if (!v.is_number_integer() || v.get<int>() < 32 || v.get<int>() % 32 != 0)
           return Status::error("expected a multiple of 32, at least 32");
         c.views.size = v.get<int>();
         return {};
       }},
      {"negatives", [](const nlohmann::json& v, StageConfig& c) -> Status {
         if (!v.is_number_integer() || v.get<int64_t>() < 1) return Status::error("expected an integer >= 1");
         c.contrast.negatives = v.get<int64_t>();
         return {};
       }},
      {"anchors_per_image", [](const nlohmann::json& v, StageConfig& c) -> Status {
         if (!v.is_number_integer() || v.get<int64_t>() < 1) return Status::error("expected an integer >= 1");
         c.contrast.anchorsPerImage = v.get<int64_t>();
         return {};
       }},
      {"negative_sampling", [](const nlohmann::json& v, StageConfig& c) -> Status {
         if (!v.is_string()) return Status::error("expected fused, mask-only, class-only or uniform");
         auto m = negativeSamplingFromString(v.get<std::string>());
         if (!m.ok()) return m.status();
         c.contrast.sampling = *m;
         return {};
       }},
  };
  return s;
}

}  // namespace

Result<StageConfig> stageConfigFromJson(const nlohmann::json& j, StageConfig base, const std::string& where) {
  if (!j.is_object()) return Status::error(where + ": expected a JSON object of stage settings");
  for (const auto& [key, value] : j.items()) {
    auto it = setters().find(key);
    if (it == setters().end()) {
      std::string known;
      for (const auto& [k, _] : setters()) known += (known.empty() ? "" : ", ") + k;
      return Status::error(where + ": unknown setting '" + key + "' (known: " + known + ")");
    }
    if (Status s = it->second(value, base); !s.ok())
      return Status::error(where + ": setting '" + key + "': " + s.message());
  }
  return base;
}

nlohmann::json toJson(const StageConfig& c) {
  return {{"name", c.name}, {"steps", c.steps}, {"labelled_batch", c.labelledBatch},
          {"unlabelled_batch", c.unlabelledBatch}, {"lr", c.lr}, {"weight_decay", c.weightDecay},
          {"backbone_lr_multiplier", c.backboneLrMultiplier}, {"grad_clip", c.gradClipNorm},
          {"lambda_semi", c.lambdaSemi}, {"lambda_pxl", c.lambdaPxl}, {"image_size", c.views.size},
          {"negatives", c.contrast.negatives}, {"anchors_per_image", c.contrast.anchorsPerImage},
          {"negative_sampling", toString(c.contrast.sampling)}, {"warmup_steps", c.schedule.warmupSteps},
          {"eval_period", c.evalPeriod}, {"seed", c.seed}};
}

}  // namespace distillery
