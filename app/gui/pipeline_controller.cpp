#include "app/gui/pipeline_controller.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <cmath>

#include "app/gui/engine_log.h"
#include "app/gui/project_session.h"
#include "app/gui/run_config.h"
#include "app/gui/stored_runs.h"
#include "engine/store/project.h"
#include "widgets/pipeline/pipeline_config.h"
#include "widgets/pipeline/pipeline_config_form.h"
#include "widgets/pipeline/pipeline_dock.h"
#include "widgets/pipeline/stage_progress.h"
#include "widgets/pipeline/training_charts.h"

namespace distillery {
namespace {

// Recipes that start from the teacher (the others train from the labelled seeds).
bool needsTeacher(const QString& recipe) {
  return recipe == "cast" || recipe == "pseudo-label";
}

}  // namespace

PipelineController::PipelineController(PipelineDock* dock, QObject* parent)
    : QObject(parent), dock_(dock), control_(std::make_shared<TrainControl>()) {
  registerTrainingMetaTypes();
  engineLog_ = new EngineLog(this);
  connect(engineLog_, &EngineLog::message, this, [this](const QString& text, bool isWarning) {
    Q_EMIT(isWarning ? warning(text) : message(text));
  });

  thread_.setObjectName("training");
  worker_ = new TrainingWorker(control_);
  worker_->moveToThread(&thread_);
  connect(worker_, &TrainingWorker::stageStarted, this, &PipelineController::onStageStarted);
  connect(worker_, &TrainingWorker::scalarsReady, this, &PipelineController::onScalars);
  connect(worker_, &TrainingWorker::pseudoLabelsStored, this, &PipelineController::onPseudoLabels);
  connect(worker_, &TrainingWorker::finished, this, &PipelineController::onFinished);
  thread_.start();

  connect(dock_, &PipelineDock::runRequested, this, &PipelineController::startWith);
  connect(dock_, &PipelineDock::pauseRequested, this, &PipelineController::pause);
  connect(dock_, &PipelineDock::resumeRequested, this, &PipelineController::resume);
  connect(dock_, &PipelineDock::cancelRequested, this, &PipelineController::cancel);
  connect(dock_->form(), &PipelineConfigForm::recipeChanged, this, &PipelineController::updateActions);
  connect(dock_->history(), &RunsHistory::runSelected, this, &PipelineController::showRun);
  dock_->history()->setProvider([this] {
    return session_ ? storedRuns(session_->project(), QDir(session_->dir())) : std::vector<RunSummary>{};
  });
}

PipelineController::~PipelineController() {
  stopAndWait();
  thread_.quit();
  thread_.wait();
  delete worker_;  // its thread has ended
}

void PipelineController::stopAndWait() {
  if (!running_) return;
  control_->pause = false;
  control_->cancel = true;  // the trainer stops after the current step and saves a checkpoint
  worker_->waitUntilIdle();
}

void PipelineController::setSession(ProjectSession* session) {
  if (session_ == session) return;
  if (running_) {
    Q_EMIT message(tr("The project is closing: cancelling the training run (its checkpoint is kept)"));
    stopAndWait();
    orphaned_ = true;  // its last queued reports belong to the old project
  }
  session_ = session;
  liveRun_ = 0;
  dock_->charts()->clear();
  dock_->progress()->reset();
  dock_->history()->refresh();
  updateActions();
}

void PipelineController::setActions(const QList<QAction*>& stageActions, QAction* pause,
                                    QAction* resume, QAction* cancel) {
  stageActions_ = stageActions;
  pauseAction_ = pause;
  resumeAction_ = resume;
  cancelAction_ = cancel;
  updateActions();
}

void PipelineController::updateActions() {
  const RunControls c = runControls(dock_->runState());
  const bool staged = recipeHasStages(dock_->form()->recipe());
  for (int i = 0; i < stageActions_.size(); ++i) {
    const bool isRunAll = i == stageActions_.size() - 1;
    stageActions_[i]->setEnabled(c.start && (staged || isRunAll));
  }
  if (pauseAction_) pauseAction_->setEnabled(c.pause);
  if (resumeAction_) resumeAction_->setEnabled(c.resume);
  if (cancelAction_) cancelAction_->setEnabled(c.cancel);
}

void PipelineController::setState(RunState state) {
  dock_->setRunState(state);
  updateActions();
}

// ---- starting a run -----------------------------------------------------------------

bool PipelineController::start(const QString& stage) {
  return startWith(stage, dock_->config());
}

bool PipelineController::startWith(const QString& stage, const QJsonObject& config) {
  if (running_ || orphaned_) return false;
  const QString title = tr("Training not started");
  if (!session_) {
    Q_EMIT errorOccurred(title, tr("Open or create a project first: training reads its labelled images"));
    return false;
  }
  if (session_->readOnly()) {
    Q_EMIT errorOccurred(title, tr("%1 is open read-only (%2); training writes its runs and "
                                   "pseudo-labels into the project")
                                    .arg(session_->name(), session_->readOnlyReason()));
    return false;
  }
  const QString recipe = config.value(pipeline_keys::kRecipe).toString("cast");
  if (recipe == "cast" && stage == "refine") {
    // The engine refines the student that Distill trained in the same run; it cannot
    // start from a stored student yet (it would stop on an internal check).
    Q_EMIT errorOccurred(title, tr("Refine continues the student that Distill trains in the same run, and a "
                                   "stored student cannot be refined yet: use Run all"));
    return false;
  }
  QString teacher;
  if (needsTeacher(recipe)) {
    teacher = session_->teacherModel();
    if (teacher.isEmpty()) {
      Q_EMIT errorOccurred(title, tr("Choose or pretrain a teacher in the Teacher panel first"));
      return false;
    }
    if (!QFileInfo::exists(teacher)) {
      Q_EMIT errorOccurred(title, tr("%1: the teacher file is gone; choose the teacher again in the "
                                     "Teacher panel")
                                      .arg(teacher));
      return false;
    }
  }

  TrainingJob job;
  job.projectDir = session_->dir();
  job.recipe = recipe;
  job.stage = stage;
  job.teacher = teacher;
  job.classMap = classMap_;
  job.config = engineRunConfig(config, stage);
  // The run gets its own connection that shares the session's write lock.
  auto connection = std::make_shared<Result<Project>>(session_->project().connect());
  job.openProject = [connection]() { return std::move(*connection); };

  auto runs = session_->project().runs().list();
  lastRunBefore_ = 0;
  if (runs.ok())
    for (const RunRecord& r : *runs) lastRunBefore_ = std::max<qint64>(lastRunBefore_, r.id);

  control_->cancel = false;
  control_->pause = false;
  running_ = true;
  liveRun_ = 0;
  followLive_ = true;
  stage_ = Stage{};
  nextOffset_ = 0;
  dock_->charts()->clear();
  setState(RunState::Running);
  dock_->progress()->setProgress(tr("reading the project"), 0, 0);
  Q_EMIT message(tr("Training: %1, stage %2 (teacher: %3)")
                     .arg(recipe, stage, teacher.isEmpty() ? tr("none") : QFileInfo(teacher).fileName()));
  if (recipe == "cast" && stage == "distill")
    Q_EMIT message(tr("Distill starts from the teacher chosen in the Teacher panel: a teacher adapted by an "
                      "earlier run is not kept yet"));
  worker_->submit(job);
  return true;
}

void PipelineController::pause() {
  if (!running_ || dock_->runState() != RunState::Running) return;
  control_->pause = true;
  setState(RunState::Paused);
  dock_->progress()->setMessage(tr("Paused after the current step (%1)").arg(stage_.name));
}

void PipelineController::resume() {
  if (!running_ || dock_->runState() != RunState::Paused) return;
  control_->pause = false;
  setState(RunState::Running);
}

void PipelineController::cancel() {
  if (!running_ || (dock_->runState() != RunState::Running && dock_->runState() != RunState::Paused))
    return;
  control_->cancel = true;  // checked between steps, also while paused
  control_->pause = false;
  setState(RunState::Cancelling);
  dock_->progress()->setMessage(tr("Cancelling: finishing the step and saving a checkpoint..."));
}

// ---- what the worker reports ---------------------------------------------------------

void PipelineController::onStageStarted(const QString& stage, int index, int count) {
  if (orphaned_) return;
  stage_.name = stage;
  stage_.index = index;
  stage_.count = count;
  stage_.offset = nextOffset_;
  if (liveRun_ == 0) findLiveRun();
  if (dock_->runState() == RunState::Running)
    dock_->progress()->setProgress(QString("%1 (%2/%3)").arg(stage).arg(index).arg(count), 0, 0);
  // The engine logs the stage itself ("== stage 1/5: ..."), through EngineLog.
}

void PipelineController::findLiveRun() {
  if (!session_) return;
  auto runs = session_->project().runs().list();
  if (!runs.ok()) return;
  for (const RunRecord& r : *runs)
    if (r.id > lastRunBefore_ && r.status == RunStatus::Running) liveRun_ = std::max<qint64>(liveRun_, r.id);
  if (liveRun_ == 0) return;
  dock_->history()->refresh();
  if (!followLive_) return;  // the user is looking at another run
  selecting_ = true;  // the charts already show the live run: no reload
  dock_->history()->selectRun(QString::number(liveRun_));
  selecting_ = false;
}

void PipelineController::onScalars(const std::vector<ScalarEvent>& events) {
  if (orphaned_) return;
  if (followLive_) dock_->charts()->addScalars(chartScalars(events));
  // The trainer puts the smoothed step time and the stage's ETA after every step:
  // their ratio is the number of steps left in the stage.
  int64_t etaStep = -1, timeStep = -1;
  double eta = -1, perStep = -1;
  for (const ScalarEvent& e : events) {
    if (e.name == "eta_seconds" && e.step >= etaStep) {
      etaStep = e.step;
      eta = e.value;
    } else if (e.name == "time/step" && e.step >= timeStep) {
      timeStep = e.step;
      perStep = e.value;
    }
  }
  if (etaStep < 0 || etaStep != timeStep || !(perStep > 0)) return;
  const qint64 done = etaStep - stage_.offset + 1;
  const qint64 total = done + static_cast<qint64>(std::llround(eta / perStep));
  nextOffset_ = stage_.offset + total;
  if (dock_->runState() != RunState::Running) return;  // keep "paused" / "cancelling" visible
  const QString name = stage_.name.isEmpty() ? tr("training")
                                             : QString("%1 (%2/%3)").arg(stage_.name).arg(stage_.index).arg(stage_.count);
  dock_->setProgress(name, done, total, eta);
}

void PipelineController::onPseudoLabels(qint64 count, const QString& madeBy) {
  if (orphaned_) return;
  Q_EMIT message(tr("%1: %2 pseudo-labels stored as pending teacher labels (see the Review Queue)")
                     .arg(madeBy)
                     .arg(count));
  Q_EMIT pseudoLabelsStored(count);
}

void PipelineController::onFinished(const TrainingOutcome& outcome) {
  running_ = false;
  last_ = outcome;
  if (orphaned_) {  // the run of a project that was closed meanwhile
    orphaned_ = false;
    setState(RunState::Idle);
    Q_EMIT message(tr("The run of the closed project ended: %1").arg(outcome.status));
    Q_EMIT runFinished(outcome);
    return;
  }
  if (liveRun_ == 0) liveRun_ = outcome.runId;
  setState(RunState::Idle);
  const QString text = outcomeText(outcome);
  dock_->progress()->setMessage(text);
  if (session_) {
    dock_->history()->refresh();
    if (outcome.runId > 0) {
      selecting_ = true;
      dock_->history()->selectRun(QString::number(outcome.runId));
      selecting_ = false;
      showRun(QString::number(outcome.runId));  // every stored point, also the last ones
    }
  }
  if (outcome.status == "failed")
    Q_EMIT errorOccurred(tr("Training failed"), text);
  else
    Q_EMIT message(text);
  Q_EMIT runFinished(outcome);
}

QString PipelineController::outcomeText(const TrainingOutcome& o) const {
  const QString run = o.runId > 0 ? tr("Run %1").arg(o.runId) : tr("The run");
  const QDir dir(session_ ? session_->dir() : QString());
  if (o.status == "failed") return tr("%1 failed: %2").arg(run, o.message);
  QStringList parts;
  // The student's last AP (the stages' scores are in [0, 1]).
  for (const char* key : {"student-cast-refined/ap", "student-cast-stage2/ap", "student-supervised/ap",
                          "student-guided-distillation/ap", "student-pseudo-label/ap"}) {
    if (!o.scores.contains(key)) continue;
    parts << tr("student AP %1").arg(100.0 * o.scores[key], 0, 'f', 1);
    break;
  }
  if (!o.student.isEmpty()) parts << tr("student saved to %1").arg(dir.relativeFilePath(o.student));
  if (o.status == "cancelled") {
    const QStringList kept =
        session_ && o.runId > 0 ? keptCheckpoints(session_->project(), dir, o.runId) : QStringList();
    return tr("%1 cancelled; checkpoint kept: %2%3")
        .arg(run, kept.isEmpty() ? tr("none (cancelled before the first step)") : kept.join(", "),
             parts.isEmpty() ? QString() : "; " + parts.join("; "));
  }
  return tr("%1 finished%2").arg(run, parts.isEmpty() ? QString() : ": " + parts.join("; "));
}

// ---- the runs history ----------------------------------------------------------------

void PipelineController::showRun(const QString& runId) {
  if (selecting_ || !session_) return;
  const qint64 id = runId.toLongLong();
  // Live points keep coming into the charts only while they show the live run.
  followLive_ = running_ && id == liveRun_;
  auto curves = storedCurves(session_->project(), id);
  if (!curves.ok()) {
    Q_EMIT warning(tr("Run %1: cannot read its metrics: %2")
                       .arg(runId, QString::fromStdString(curves.status().message())));
    return;
  }
  dock_->charts()->loadRun(*curves);
}

}  // namespace distillery
