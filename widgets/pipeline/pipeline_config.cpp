#include "widgets/pipeline/pipeline_config.h"

namespace distillery {

QStringList recipeNames() {
  return {"cast", "guided-distillation", "supervised", "pseudo-label"};
}

QStringList studentArchNames() {
  return {"student-m", "student-s", "tiny"};
}

QStringList negativeSamplingNames() {
  return {"fused", "mask-only", "class-only", "uniform"};
}

bool recipeHasStages(const QString& recipe) {
  return recipe == "cast";
}

QStringList stageSettingStages() {
  return {"adapt", "distill", "refine"};
}

QStringList stageSettingNames() {
  return {pipeline_keys::kSteps, pipeline_keys::kBatch, pipeline_keys::kLr};
}

QString stageKey(const QString& stage, const QString& setting) {
  return stage + "_" + setting;
}

QJsonObject defaultPipelineConfig(const QString& recipe) {
  namespace k = pipeline_keys;
  QJsonObject c;
  c[k::kRecipe] = recipe;
  c[k::kImageSize] = 128;
  // The engine's "demo" scale (defaultRecipeSettings("demo")).
  struct StageDefaults {
    const char* stage;
    int steps, batch;
    double lr;
  };
  for (const StageDefaults& s : {StageDefaults{"adapt", 150, 4, 3e-4}, StageDefaults{"distill", 600, 8, 1e-3},
                                 StageDefaults{"refine", 150, 8, 5e-5}}) {
    c[stageKey(s.stage, k::kSteps)] = s.steps;
    c[stageKey(s.stage, k::kBatch)] = s.batch;
    c[stageKey(s.stage, k::kLr)] = s.lr;
  }
  c[k::kLambdaPxl] = 0.1;
  c[k::kLambdaSemi] = 1.0;
  c[k::kClassThreshold] = 0.7;
  c[k::kMaskThreshold] = 0.5;
  c[k::kDuplicateIou] = 0.5;
  c[k::kStudentArch] = "student-m";
  c[k::kStudentInit] = "";
  c[k::kNegatives] = 200;
  c[k::kNegativeSampling] = "fused";
  c[k::kEvalPeriod] = 250;
  if (recipe == "guided-distillation") {
    c[k::kLambdaSemi] = 2.0;  // L_sup + 2.0 * L_unsup (METHODS.md §2)
    c[k::kLambdaPxl] = 0.0;
  } else if (recipe == "supervised") {
    c[k::kLambdaSemi] = 0.0;
    c[k::kLambdaPxl] = 0.0;
  } else if (recipe == "pseudo-label") {
    c[k::kLambdaPxl] = 0.0;
  }
  return c;
}

}  // namespace distillery
