// The pipeline dock: recipe and settings, the stage buttons (Adapt teacher, Distill,
// Refine, Run all), the progress of the running stage, Pause / Resume / Cancel, and
// tabs with the live curves and the runs history. It only emits requests; the app
// runs them on the engine's worker and reports back with setRunState/setProgress.
#pragma once

#include <QJsonObject>
#include <QWidget>

#include "widgets/pipeline/run_state.h"

class QLabel;
class QPushButton;
class QTabWidget;

namespace distillery {

class PipelineConfigForm;
class RunsHistory;
class StageProgress;
class TrainingCharts;

class PipelineDock : public QWidget {
  Q_OBJECT

 public:
  // The stage a request names: "adapt", "distill", "refine" or "all".
  static QStringList stageNames();

  explicit PipelineDock(QWidget* parent = nullptr);

  QJsonObject config() const;
  QStringList setConfig(const QJsonObject& config);  // problems, see PipelineConfigForm

  RunState runState() const { return state_; }
  // Refuses transitions the state machine does not have (returns false, state kept).
  bool setRunState(RunState state);
  void setProgress(const QString& stage, qint64 done, qint64 total, double etaSeconds = -1);

  PipelineConfigForm* form() const { return form_; }
  TrainingCharts* charts() const { return charts_; }
  RunsHistory* history() const { return history_; }
  StageProgress* progress() const { return progress_; }

 Q_SIGNALS:
  void runRequested(const QString& stage, const QJsonObject& config);
  void pauseRequested();
  void resumeRequested();
  void cancelRequested();

 private:
  QPushButton* addButton(const QString& text, const QString& objectName, const QString& tip);
  void updateControls();

  RunState state_ = RunState::Idle;
  PipelineConfigForm* form_ = nullptr;
  TrainingCharts* charts_ = nullptr;
  RunsHistory* history_ = nullptr;
  StageProgress* progress_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  QLabel* stateLabel_ = nullptr;
  QList<QPushButton*> stageButtons_;  // in stageNames() order
  QPushButton* pause_ = nullptr;
  QPushButton* resume_ = nullptr;
  QPushButton* cancel_ = nullptr;
};

}  // namespace distillery
