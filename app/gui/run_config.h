// The pipeline dock's flat config (widgets/pipeline/pipeline_config.h) as the JSON the
// engine's recipes read (engine/recipes/recipe_settings.cpp, via runOnProject's configJson).
#pragma once

#include <QJsonObject>
#include <QString>

namespace distillery {

// Per-stage keys ("distill_lr") move into their stage ({"distill": {"lr": ...}}); every
// other key passes through unchanged (so "student_init" or "anchors_per_image" typed into
// a saved config reach the engine). Like the engine's own defaults, the supervised
// baseline and Guided Distillation's burn-in teacher get the student's budget
// (distill + refine steps, distill's batch and LR), and the burn-in is a third of the
// distillation unless "gd_burn_in" is given. `stage` is "adapt", "distill", "refine" or "all".
QJsonObject engineRunConfig(const QJsonObject& form, const QString& stage);

}  // namespace distillery
