#include "app/gui/teacher_worker.h"

#include <QElapsedTimer>
#include <stdexcept>

#include "engine/modeling/teacher_contract.h"
#include "engine/store/project.h"

namespace distillery {
namespace {

// Thrown from the pretraining progress callback: the trainer ends the stage there
// (its after-train hooks still run) and pretrainTeacher reports it as stopped.
struct PretrainCancelled : std::runtime_error {
  PretrainCancelled() : std::runtime_error("cancelled by the user") {}
};

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

}  // namespace

void TeacherWorker::check(const QString& path) {
  TeacherCheck result;
  result.path = path;
  // The contract alone: a teacher with other classes than the project's is still a
  // teacher; the panel maps its classes onto the project's.
  auto summary = checkTeacher(path.toStdString());
  if (!summary.ok()) {
    result.errors = qs(summary.status().message()).split('\n', Qt::SkipEmptyParts);
  } else {
    result.ok = true;
    for (const std::string& name : summary->classNames) result.classNames << qs(name);
    result.params = summary->params;
    result.queries = summary->numQueries;
    result.embedDim = summary->hasPixelEmbed ? summary->embedDim : 0;
    result.sidecar = qs(summary->sidecarFile);
  }
  Q_EMIT checked(result);
}

void TeacherWorker::pretrain(PretrainOptions options) {
  auto cancel = cancel_;
  options.progress = [this, cancel](int64_t step, int64_t steps, double, double eta) {
    Q_EMIT pretrainProgress(step, steps, eta);
    if (cancel->load()) throw PretrainCancelled();
  };
  auto result = pretrainTeacher(options);
  if (!result.ok()) {
    const bool cancelled = cancel_->load();
    Q_EMIT pretrainFinished({}, false, cancelled, qs(result.status().message()));
    return;
  }
  Q_EMIT pretrainFinished(qs(result->model.string()), result->cached, false, {});
}

void TeacherWorker::labelPool(std::shared_ptr<Project> project, const PoolLabelling& request) {
  QElapsedTimer clock;
  clock.start();
  auto onBatch = [&](const PoolBatchDone& done) {
    QList<QPair<qint64, QList<qint64>>> changed;
    for (const auto& [image, ids] : done.changed)
      changed.append({image, QList<qint64>(ids.begin(), ids.end())});
    Q_EMIT poolBatchStored(changed);
    const double perImage = done.imagesDone > 0 ? clock.elapsed() / 1000.0 / done.imagesDone : 0;
    Q_EMIT poolProgress(done.imagesDone, done.imagesTotal, done.labels,
                        perImage * static_cast<double>(done.imagesTotal - done.imagesDone));
  };
  PoolOutcome outcome;
  auto report = pseudoLabelPool(*project, request, *cancel_, onBatch);
  if (!report.ok()) {
    outcome.error = qs(report.status().message());
  } else {
    outcome.cancelled = report->cancelled;
    outcome.images = report->images;
    outcome.imagesTotal = report->imagesTotal;
    outcome.labels = report->labels;
    outcome.repeats = report->repeats;
    outcome.duplicates = report->duplicates;
    for (const std::string& s : report->skipped) outcome.skipped << qs(s);
  }
  Q_EMIT poolFinished(outcome);
}

}  // namespace distillery
