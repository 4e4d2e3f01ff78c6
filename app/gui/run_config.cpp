#include "app/gui/run_config.h"

#include "widgets/pipeline/pipeline_config.h"

namespace distillery {

QJsonObject engineRunConfig(const QJsonObject& form, const QString& stage) {
  namespace k = pipeline_keys;
  QJsonObject out;
  QJsonObject stages[3];
  const QStringList stageNames = stageSettingStages();
  for (auto it = form.begin(); it != form.end(); ++it) {
    bool perStage = false;
    for (int s = 0; s < stageNames.size() && !perStage; ++s) {
      for (const QString& setting : stageSettingNames()) {
        if (it.key() != stageKey(stageNames[s], setting)) continue;
        stages[s][setting] = it.value();
        perStage = true;
        break;
      }
    }
    if (!perStage) out[it.key()] = it.value();
  }
  for (int s = 0; s < stageNames.size(); ++s)
    if (!stages[s].isEmpty()) out[stageNames[s]] = stages[s];

  // The student's budget (engine: defaultRecipeSettings, supervised = distill + refine).
  const QJsonObject& distill = stages[1];
  const QJsonObject& refine = stages[2];
  if (distill.contains(k::kSteps) && refine.contains(k::kSteps) && !out.contains("supervised")) {
    const qint64 distillSteps = distill[k::kSteps].toInteger();
    QJsonObject supervised;
    supervised[k::kSteps] = distillSteps + refine[k::kSteps].toInteger();
    if (distill.contains(k::kBatch)) supervised[k::kBatch] = distill[k::kBatch];
    if (distill.contains(k::kLr)) supervised[k::kLr] = distill[k::kLr];
    out["supervised"] = supervised;
    if (!out.contains("gd_burn_in")) out["gd_burn_in"] = distillSteps / 3;
  }
  out["stage"] = stage;
  return out;
}

}  // namespace distillery
