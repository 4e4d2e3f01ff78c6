#include "widgets/pipeline/pipeline_config.h"

namespace distillery {

QStringList recipeNames() {
  return {"cast", "guided-distillation", "supervised", "pseudo-label"};
}

QStringList negativeSamplingNames() {
  return {"fused", "mask-only", "class-only", "uniform"};
}

bool recipeHasStages(const QString& recipe) {
  return recipe == "cast";
}

QJsonObject defaultPipelineConfig(const QString& recipe) {
  namespace k = pipeline_keys;
  QJsonObject c;
  c[k::kRecipe] = recipe;
  c[k::kLabelledFraction] = 0.1;
  c[k::kStepsPerStage] = 2000;
  c[k::kBatchSize] = 4;
  c[k::kLr] = 1e-4;
  c[k::kLambdaPxl] = 0.1;
  c[k::kLambdaSemi] = 1.0;
  c[k::kClassThreshold] = 0.7;
  c[k::kMaskThreshold] = 0.5;
  c[k::kNegatives] = 200;
  c[k::kNegativeSampling] = "fused";
  c[k::kEvalPeriod] = 200;
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
