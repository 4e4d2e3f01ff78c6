// The training configuration the pipeline dock edits, as a flat JSON object. The app
// turns it into the engine's recipe settings (app/gui/run_config.h); the keys are the
// engine's own (engine/recipes/recipe_settings.cpp), except the per-stage ones, which
// carry their stage as a prefix ("distill_lr" is the engine's {"distill": {"lr": ...}}).
// Defaults are the engine's "demo" scale (docs/pipeline.md, METHODS.md §1):
//
//   recipe             "cast" | "guided-distillation" | "supervised" | "pseudo-label"
//   image_size         128    training and evaluation side (a multiple of 32)
//   adapt_steps        150    optimiser steps of each adaptation round (stage 1 runs two)
//   adapt_batch        4      labelled (and unlabelled) images per step
//   adapt_lr           3e-4   AdamW base learning rate (a gentler one: the teacher is pretrained)
//   distill_steps      600    stage 2; also the student's budget in the other recipes
//   distill_batch      8
//   distill_lr         1e-3
//   refine_steps       150    stage 3
//   refine_batch       8
//   refine_lr          5e-5
//   lambda_pxl         0.1    weight of L_pxl
//   lambda_semi        1.0    weight of L_semi
//   student_arch       "student-m" | "student-s" | "tiny"   the student's preset (1.10M / 0.68M /
//                             0.10M parameters: tiny is for a quick trial of the pipeline)
//   student_init       ""     a Distillery checkpoint with the project's classes the student
//                             starts from (its architecture wins over student_arch); empty:
//                             the preset's random weights
//   class_threshold    0.7    pseudo-label class probability threshold
//   mask_threshold     0.5    pseudo-label mask sigmoid threshold
//   duplicate_iou      0.5    one pseudo-label per object: mask NMS at this IoU (0: keep all)
//   negatives          200    R, contrastive negatives per anchor
//   negative_sampling  "fused" | "mask-only" | "class-only" | "uniform"
//   eval_period        250    steps between evaluations (AP curves); 0: at the end only
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace distillery {

namespace pipeline_keys {
inline constexpr const char* kRecipe = "recipe";
inline constexpr const char* kImageSize = "image_size";
inline constexpr const char* kLambdaPxl = "lambda_pxl";
inline constexpr const char* kLambdaSemi = "lambda_semi";
inline constexpr const char* kClassThreshold = "class_threshold";
inline constexpr const char* kMaskThreshold = "mask_threshold";
inline constexpr const char* kDuplicateIou = "duplicate_iou";
inline constexpr const char* kStudentArch = "student_arch";
inline constexpr const char* kStudentInit = "student_init";
inline constexpr const char* kNegatives = "negatives";
inline constexpr const char* kNegativeSampling = "negative_sampling";
inline constexpr const char* kEvalPeriod = "eval_period";
// Per stage: "<stage>_<setting>", stage one of stageSettingStages(), setting one of
// stageSettingNames().
inline constexpr const char* kSteps = "steps";
inline constexpr const char* kBatch = "batch";
inline constexpr const char* kLr = "lr";
}  // namespace pipeline_keys

// The four recipes, default first.
QStringList recipeNames();
// The engine's student presets (engine/modeling/segmenter_config.h), default first.
QStringList studentArchNames();
// The negative-sampling modes of L_pxl (the paper's ablation), default first.
QStringList negativeSamplingNames();
// Whether the recipe is run stage by stage (Adapt teacher, Distill, Refine): only CAST.
bool recipeHasStages(const QString& recipe);
// "adapt", "distill", "refine" and "steps", "batch", "lr": the per-stage keys.
QStringList stageSettingStages();
QStringList stageSettingNames();
// "distill_lr".
QString stageKey(const QString& stage, const QString& setting);

// Every key with its default for `recipe`. The recipe fixes the loss weights it
// implies: Guided Distillation uses lambda_semi 2 and no L_pxl, supervised neither
// L_semi nor L_pxl, pseudo-label no L_pxl.
QJsonObject defaultPipelineConfig(const QString& recipe = "cast");

}  // namespace distillery
