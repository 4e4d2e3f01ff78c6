// Runs the engine's training (runOnProject, engine/api/distillation.h) on its own
// thread. The worker is moved to a QThread owned by the PipelineController; the
// engine's callbacks become queued signals, so the GUI thread only ever sees copies.
// It never touches a widget. Pause / Resume / Cancel flip the shared TrainControl
// from the GUI thread; the trainer reads it between steps.
#pragma once

#include <QJsonObject>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/training/event_storage.h"
#include "engine/training/trainer_base.h"
#include "engine/util/status.h"

namespace distillery {

class Project;

struct TrainingJob {
  QString projectDir;
  QString recipe = "cast";
  QString stage = "all";     // adapt | distill | refine | all
  QString teacher;           // FILE.pt with its FILE.ckpt; may be empty for supervised
  QString classMap;          // teacher classes onto the project's, "teacher=project,..."
  QJsonObject config;        // the engine's settings JSON (app/gui/run_config.h)
  QString scale = "demo";    // the engine's defaults under the config
  // The run's own store handle, made on the GUI thread with Project::connect(): the
  // GUI holds the project's write lock, so the engine cannot open it again.
  std::function<Result<Project>()> openProject;
};

struct TrainingOutcome {
  qint64 runId = 0;    // 0: the run never started (message says why)
  QString status;      // finished | cancelled | failed
  QString message;     // why it failed or stopped
  QString student;     // the exported student (TorchScript + sidecar + .ckpt), if any
  QMap<QString, double> scores;  // e.g. "student-cast-refined/ap" (AP in [0, 1])
};

class TrainingWorker : public QObject {
  Q_OBJECT

 public:
  explicit TrainingWorker(std::shared_ptr<TrainControl> control);

  // From any thread: queues the job on the worker's thread.
  void submit(const TrainingJob& job);
  // From another thread: returns once no job is queued or running. Set the control's
  // cancel flag first, or this waits for the whole run.
  void waitUntilIdle();

  // On the worker's thread: blocks until the run ends; always emits finished().
  void run(const TrainingJob& job);

 Q_SIGNALS:
  void stageStarted(const QString& stage, int index, int count);
  void scalarsReady(const std::vector<distillery::ScalarEvent>& events);  // steps across the run
  void pseudoLabelsStored(qint64 count, const QString& madeBy);
  void finished(const distillery::TrainingOutcome& outcome);

 private:
  std::shared_ptr<TrainControl> control_;
  std::mutex mutex_;
  std::condition_variable idle_;
  int pending_ = 0;  // submitted and not yet finished
};

// Registers the queued signals' argument types (idempotent).
void registerTrainingMetaTypes();

}  // namespace distillery

Q_DECLARE_METATYPE(std::vector<distillery::ScalarEvent>)
Q_DECLARE_METATYPE(distillery::TrainingOutcome)
