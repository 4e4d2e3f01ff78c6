// The training configuration the pipeline dock edits, as a flat JSON object the app
// hands to the engine's recipes. Keys and defaults (docs/pipeline.md, METHODS.md §1):
//
//   recipe             "cast" | "guided-distillation" | "supervised" | "pseudo-label"
//   labelled_fraction  0.1    share of the project's images used as D_l
//   steps_per_stage    2000   optimiser steps of each stage
//   batch_size         4
//   lr                 1e-4   AdamW base learning rate
//   lambda_pxl         0.1    weight of L_pxl
//   lambda_semi        1.0    weight of L_semi
//   class_threshold    0.7    pseudo-label class probability threshold
//   mask_threshold     0.5    pseudo-label mask sigmoid threshold
//   negatives          200    R, contrastive negatives per anchor
//   negative_sampling  "fused" | "mask-only" | "class-only" | "uniform"
//   eval_period        200    steps between evaluations (AP curves)
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace distillery {

namespace pipeline_keys {
inline constexpr const char* kRecipe = "recipe";
inline constexpr const char* kLabelledFraction = "labelled_fraction";
inline constexpr const char* kStepsPerStage = "steps_per_stage";
inline constexpr const char* kBatchSize = "batch_size";
inline constexpr const char* kLr = "lr";
inline constexpr const char* kLambdaPxl = "lambda_pxl";
inline constexpr const char* kLambdaSemi = "lambda_semi";
inline constexpr const char* kClassThreshold = "class_threshold";
inline constexpr const char* kMaskThreshold = "mask_threshold";
inline constexpr const char* kNegatives = "negatives";
inline constexpr const char* kNegativeSampling = "negative_sampling";
inline constexpr const char* kEvalPeriod = "eval_period";
}  // namespace pipeline_keys

// The four recipes, default first.
QStringList recipeNames();
// The negative-sampling modes of L_pxl (the paper's ablation), default first.
QStringList negativeSamplingNames();
// Whether the recipe is run stage by stage (Adapt teacher, Distill, Refine): only CAST.
bool recipeHasStages(const QString& recipe);

// Every key with its default for `recipe`. The recipe fixes the loss weights it
// implies: Guided Distillation uses lambda_semi 2 and no L_pxl, supervised neither
// L_semi nor L_pxl, pseudo-label no L_pxl.
QJsonObject defaultPipelineConfig(const QString& recipe = "cast");

}  // namespace distillery
