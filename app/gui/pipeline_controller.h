// Wires the pipeline dock (widgets/pipeline) to training on the engine's worker
// thread: the stage buttons and the Pipeline menu start a run of the open project,
// Pause / Resume / Cancel flip the shared TrainControl, and what the worker reports
// comes back as curves, stage progress with an ETA, pseudo-labels for review, the
// runs history and clear errors. See docs/pipeline.md.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <memory>
#include <vector>

#include "app/gui/training_worker.h"
#include "widgets/pipeline/run_state.h"
#include "widgets/pipeline/runs_history.h"

class QAction;

namespace distillery {

class EngineLog;
class PipelineDock;
class ProjectSession;

class PipelineController : public QObject {
  Q_OBJECT

 public:
  explicit PipelineController(PipelineDock* dock, QObject* parent = nullptr);
  // Cancels a run in progress and waits for the worker's thread.
  ~PipelineController() override;

  // The open project, or null. A run in progress is cancelled (its checkpoint is kept)
  // and waited for before the session changes.
  void setSession(ProjectSession* session);
  // The Pipeline menu's actions, enabled like the dock's buttons.
  void setActions(const QList<QAction*>& stageActions, QAction* pause, QAction* resume,
                  QAction* cancel);

  // The teacher panel's class map ("teacher=project,..."); empty: by equal names.
  void setClassMap(const QString& spec) { classMap_ = spec; }

  bool running() const { return running_; }
  qint64 liveRun() const { return liveRun_; }  // 0 until the engine has stored the run
  const TrainingOutcome& lastOutcome() const { return last_; }

 public Q_SLOTS:
  // Starts `stage` ("adapt", "distill", "refine" or "all") with the dock's settings.
  bool start(const QString& stage);
  bool startWith(const QString& stage, const QJsonObject& config);
  void pause();
  void resume();
  void cancel();
  // Loads a stored run's curves into the charts.
  void showRun(const QString& runId);

 Q_SIGNALS:
  // The store holds new pending teacher labels (gallery and review queue re-read).
  void pseudoLabelsStored(qint64 count);
  void runFinished(const distillery::TrainingOutcome& outcome);
  void message(const QString& text);          // log panel and status bar
  void warning(const QString& text);          // log panel
  void errorOccurred(const QString& title, const QString& message);

 private:
  void setState(RunState state);
  void updateActions();
  void onStageStarted(const QString& stage, int index, int count);
  void onScalars(const std::vector<ScalarEvent>& events);
  void onPseudoLabels(qint64 count, const QString& madeBy);
  void onFinished(const TrainingOutcome& outcome);
  void findLiveRun();
  void stopAndWait();
  QString outcomeText(const TrainingOutcome& outcome) const;

  PipelineDock* dock_;
  QPointer<ProjectSession> session_;
  EngineLog* engineLog_ = nullptr;
  std::shared_ptr<TrainControl> control_;
  QThread thread_;
  TrainingWorker* worker_ = nullptr;  // lives on thread_
  bool running_ = false;
  bool orphaned_ = false;  // a run stopped by a session change; its reports are dropped
  TrainingOutcome last_;

  // The running stage, for the progress line: steps arrive counted across the run.
  struct Stage {
    QString name;
    int index = 0, count = 0;
    qint64 offset = 0;  // the run step of this stage's first step
  } stage_;
  qint64 nextOffset_ = 0;
  qint64 liveRun_ = 0;
  qint64 lastRunBefore_ = 0;  // the newest stored run when this one started
  bool followLive_ = true;    // the charts show the live run (not another selected one)
  bool selecting_ = false;    // a selection made here, not by the user: no reload

  QList<QAction*> stageActions_;
  QAction* pauseAction_ = nullptr;
  QAction* resumeAction_ = nullptr;
  QAction* cancelAction_ = nullptr;
  QString classMap_;
};

}  // namespace distillery
