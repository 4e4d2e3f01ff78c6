#include <set>

#include "engine/recipes/recipes.h"

namespace distillery {

RecipeSettings defaultRecipeSettings(const std::string& scale) {
  RecipeSettings s;
  const bool smoke = scale == "smoke";
  const bool demo = scale == "demo";
  auto preset = presetConfig(smoke ? "tiny" : "student-m", 1);
  s.student = preset.ok() ? *preset : SegmenterConfig{};
  const int size = smoke ? 64 : 128;
  for (StageConfig* c : {&s.adapt, &s.distill, &s.refine, &s.supervised}) {
    c->views.size = size;
    c->labelledBatch = c->unlabelledBatch = smoke ? 4 : 8;
    c->evalPeriod = smoke ? 0 : 250;
    c->schedule.warmupSteps = smoke ? 10 : 50;
    // The demo is a newcomer's first click-through: half the anchors keep L_pxl's share of a
    // distillation step down (64 anchors: 1.0-1.4 s/step, 16: 0.7 s, L_pxl off: 0.4 s, measured
    // at demo scale on 2 cores); the loss and its negatives are unchanged.
    if (demo) c->contrast.anchorsPerImage = 32;
  }
  // The teacher is pretrained: a gentler LR, a slower backbone (Mask2Former fine-tuning practice).
  s.adapt.lr = 3e-4;
  s.adapt.backboneLrMultiplier = 0.5;
  s.adapt.labelledBatch = s.adapt.unlabelledBatch = 4;
  s.adapt.lambdaPxl = 0.1;
  s.distill.lambdaSemi = 1.0;
  s.distill.lambdaPxl = 0.1;
  s.refine.lr = 5e-5;  // gentle: on 40 labelled images refinement drifts from stage 2 (docs/methods.md)
  // One pseudo-label per object: the adapted teacher's extra queries on an object were most
  // of its false positives (default scale, dusk: precision 0.71 -> 0.87, recall 0.76 -> 0.74
  // at mask NMS 0.5; docs/methods.md). GD keeps its paper's filter (gdFilter).
  s.filter.duplicateIou = 0.5;
  s.adapt.steps = smoke ? 30 : demo ? 150 : 400;
  s.distill.steps = smoke ? 120 : demo ? 600 : 2000;
  s.refine.steps = smoke ? 30 : demo ? 150 : 300;
  s.supervised.steps = s.distill.steps + s.refine.steps;  // the same budget as CAST's student
  s.gdBurnInSteps = s.distill.steps / 3;
  s.adapt.seed = 11;
  s.distill.seed = 12;
  s.refine.seed = 13;
  s.supervised.seed = 14;
  return s;
}

Result<RecipeSettings> recipeSettingsFromJson(const nlohmann::json& j, RecipeSettings s) {
  if (!j.is_object()) return Status::error("config: expected a JSON object");
  static const std::set<std::string> stageKeys = {"adapt", "distill", "refine", "supervised"};
  nlohmann::json common = nlohmann::json::object();
  for (const auto& [key, value] : j.items()) {
    auto number = [&](double lo, double hi) -> Result<double> {
      if (!value.is_number() || value.get<double>() < lo || value.get<double>() > hi)
        return Status::error("config: '" + key + "': expected a number in [" + std::to_string(lo) + ", " +
                             std::to_string(hi) + "]");
      return value.get<double>();
    };
    if (key == "recipe" || key == "stage") {
      if (!value.is_string()) return Status::error("config: '" + key + "': expected a string");
      (key == "recipe" ? s.recipe : s.stage) = value.get<std::string>();
    } else if (key == "class_threshold") {
      auto v = number(0, 1);
      if (!v.ok()) return v.status();
      s.filter.classThreshold = *v;
    } else if (key == "mask_threshold") {
      auto v = number(0, 1);
      if (!v.ok()) return v.status();
      s.filter.maskThreshold = s.gdFilter.maskThreshold = *v;
    } else if (key == "duplicate_iou") {
      auto v = number(0, 1);
      if (!v.ok()) return v.status();
      s.filter.duplicateIou = *v;
    } else if (key == "min_mask_pixels") {
      auto v = number(0, 1e6);
      if (!v.ok()) return v.status();
      s.filter.minMaskPixels = static_cast<int64_t>(*v);
    } else if (key == "gd_burn_in") {
      auto v = number(0, 1e9);
      if (!v.ok()) return v.status();
      s.gdBurnInSteps = static_cast<int64_t>(*v);
    } else if (key == "gd_ema_decay") {
      auto v = number(0, 1);
      if (!v.ok()) return v.status();
      s.gdEmaDecay = *v;
    } else if (key == "student_arch") {
      if (!value.is_string()) return Status::error("config: 'student_arch': expected a preset name");
      auto p = presetConfig(value.get<std::string>(), 1);
      if (!p.ok()) return Status::error("config: 'student_arch': " + p.status().message());
      s.student = *p;
    } else if (key == "student_init") {
      if (!value.is_string()) return Status::error("config: 'student_init': expected a checkpoint path");
      s.studentInit = value.get<std::string>();
    } else if (stageKeys.count(key) == 0) {
      common[key] = value;  // a stage setting for every stage, e.g. "lambda_pxl" or "image_size"
    }
  }
  for (auto [name, stage] : {std::pair{"adapt", &s.adapt}, std::pair{"distill", &s.distill},
                             std::pair{"refine", &s.refine}, std::pair{"supervised", &s.supervised}}) {
    auto merged = stageConfigFromJson(common, *stage, "config");
    if (!merged.ok()) return merged.status();
    *stage = *merged;
    if (j.contains(name)) {
      auto own = stageConfigFromJson(j[name], *stage, std::string("config: '") + name + "'");
      if (!own.ok()) return own.status();
      *stage = *own;
    }
  }
  bool known = false;
  for (const auto& r : recipeNames()) known |= r == s.recipe;
  if (!known) return Status::error("config: unknown recipe '" + s.recipe + "' (expected cast, guided-distillation, supervised or pseudo-label)");
  if (s.stage != "all" && s.stage != "adapt" && s.stage != "distill" && s.stage != "refine")
    return Status::error("config: 'stage': expected adapt, distill, refine or all, got '" + s.stage + "'");
  return s;
}

nlohmann::json toJson(const RecipeSettings& s) {
  auto filter = [](const PseudoLabelFilterConfig& f) {
    return nlohmann::json{{"class_threshold", f.classThreshold}, {"mask_threshold", f.maskThreshold},
                           {"min_mask_pixels", f.minMaskPixels}, {"min_mask_sigmoid_sum", f.minMaskSigmoidSum},
                           {"duplicate_iou", f.duplicateIou}};
  };
  return {{"recipe", s.recipe},           {"stage", s.stage},
          {"student", toJson(s.student)}, {"student_init", s.studentInit.string()},
          {"adapt", toJson(s.adapt)},
          {"distill", toJson(s.distill)}, {"refine", toJson(s.refine)},
          {"supervised", toJson(s.supervised)}, {"filter", filter(s.filter)},
          {"gd_filter", filter(s.gdFilter)},     {"gd_burn_in", s.gdBurnInSteps},
          {"gd_ema_decay", s.gdEmaDecay},        {"gd_unsupervised_weight", s.gdUnsupervisedWeight}};
}

}  // namespace distillery
