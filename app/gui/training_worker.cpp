#include "app/gui/training_worker.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <QJsonDocument>

#include "app/gui/engine_log.h"
#include "engine/api/distillation.h"

namespace distillery {

void registerTrainingMetaTypes() {
  qRegisterMetaType<std::vector<ScalarEvent>>();
  qRegisterMetaType<TrainingOutcome>();
}

TrainingWorker::TrainingWorker(std::shared_ptr<TrainControl> control) : control_(std::move(control)) {}

void TrainingWorker::submit(const TrainingJob& job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++pending_;
  }
  QMetaObject::invokeMethod(this, [this, job] { run(job); }, Qt::QueuedConnection);
}

void TrainingWorker::waitUntilIdle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return pending_ == 0; });
}

void TrainingWorker::run(const TrainingJob& job) {
  EngineLog::forwardInfoFromThisThread(true);  // this thread runs nothing but training
  // On a busy machine the GUI thread must win the CPU: on Linux the nice value is per
  // thread and inherited by the threads this one starts (data loading, torch's pool).
  static thread_local bool niced = [] {
    return setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5) == 0;
  }();
  (void)niced;
  ProjectRunOptions o;
  o.project = job.projectDir.toStdString();
  o.recipe = job.recipe.toStdString();
  o.stage = job.stage.toStdString();
  o.teacher = job.teacher.toStdString();
  o.classMap = job.classMap.toStdString();
  o.configJson = QJsonDocument(job.config).toJson(QJsonDocument::Compact).toStdString();
  o.scale = job.scale.toStdString();
  o.openProject = job.openProject;

  RunCallbacks cb;
  cb.console = false;  // the GUI shows the curves; the log gets the engine's messages
  cb.control = control_;
  cb.stageStarted = [this](const std::string& stage, int index, int count) {
    Q_EMIT stageStarted(QString::fromStdString(stage), index, count);
  };
  cb.scalars = [this](const std::vector<ScalarEvent>& events) { Q_EMIT scalarsReady(events); };
  cb.pseudoLabelsStored = [this](int64_t count, const std::string& madeBy) {
    Q_EMIT pseudoLabelsStored(count, QString::fromStdString(madeBy));
  };

  TrainingOutcome out;
  try {
    auto result = runOnProject(o, std::move(cb));
    if (!result.ok()) {
      out.status = "failed";
      out.message = QString::fromStdString(result.status().message());
    } else {
      out.runId = result->runId;
      out.status = QString::fromStdString(result->status);
      out.message = QString::fromStdString(result->message);
      out.student = QString::fromStdString(result->student.string());
      for (const auto& [name, value] : result->scores) out.scores[QString::fromStdString(name)] = value;
    }
  } catch (const std::exception& e) {  // the engine returns errors as values; this is a last guard
    out.status = "failed";
    out.message = QString::fromUtf8(e.what());
  }
  Q_EMIT finished(out);  // queued before waitUntilIdle() returns
  std::lock_guard<std::mutex> lock(mutex_);
  if (pending_ > 0) --pending_;
  idle_.notify_all();
}

}  // namespace distillery
