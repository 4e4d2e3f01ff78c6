#include "app/gui/sam_worker.h"

#include <QElapsedTimer>
#include <QThread>
#include <algorithm>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "app/gui/pending_labels.h"
#include "engine/store/project.h"
#include "engine/zoo/model_cache.h"

namespace distillery {
namespace {

constexpr int64_t kQuietBeforeAheadMs = 3000;  // after the last click

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

}  // namespace

void SamWorker::lowerThreadPriority() {
#ifdef __linux__
  // Per thread on Linux: a thread is a task with its own nice value.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
#endif
}

void SamWorker::checkModels() {
  QList<FoundationModelRow> rows;
  const QString unavailable = qs(PromptableModel::unavailableReason());
  auto cache = ModelCache::fromEnvironment();
  if (cache.ok()) {
    for (const ModelStatus& status : cache->list()) {
      FoundationModelRow row;
      row.name = qs(status.model->name);
      row.version = qs(status.model->version);
      row.format = QStringLiteral("ONNX");
      row.ready = status.cached();
      row.state = row.ready          ? tr("ready")
                  : status.damaged() ? tr("damaged: fetch again")
                                     : tr("not fetched");
      row.detail = row.ready ? qs(status.folder.string())
                             : qs(status.problem()) + tr("\nFetch it with `distillery-cli model "
                                                         "fetch %1`")
                                                          .arg(row.name);
      row.usedFor = row.name == QLatin1String(PromptableModel::kModel)
                        ? tr("click-to-segment, segment everything")
                        : tr("not used by the workbench yet");
      rows << row;
    }
  }
  Q_EMIT modelsChecked(rows, unavailable);
}

void SamWorker::embed(std::shared_ptr<PromptableModel> model, const PromptImage& image,
                      quint64 generation, std::shared_ptr<std::atomic<quint64>> wanted, int index,
                      int count, bool warm) {
  if (wanted->load() != generation) {
    Q_EMIT embedFinished(image.imageId, true, false, 0, {});
    return;
  }
  // Embedding ahead yields to a user who is clicking: the two would share the cores.
  if (index > 0) {
    while (model->msSinceLastClick() < kQuietBeforeAheadMs && wanted->load() == generation)
      QThread::msleep(100);
    if (wanted->load() != generation) {
      Q_EMIT embedFinished(image.imageId, true, false, 0, {});
      return;
    }
  }
  Q_EMIT embedStarted(image.imageId, index, count);
  QElapsedTimer clock;
  clock.start();
  auto computed = model->embed(image);
  const qint64 ms = clock.elapsed();
  if (computed.ok() && warm && wanted->load() == generation) {
    if (Status s = model->warmInteractive(image); !s.ok()) computed = s;
  }
  Q_EMIT embedFinished(image.imageId, false, computed.ok() && *computed, ms,
                       computed.ok() ? QString() : qs(computed.status().message()));
}

void SamWorker::segmentEverything(std::shared_ptr<PromptableModel> model, const PromptImage& image,
                                  qint64 categoryId, std::shared_ptr<Project> project,
                                  const EverythingOptions& options) {
  EverythingOutcome out;
  out.imageId = image.imageId;
  QElapsedTimer clock;
  clock.start();
  auto masks = model->segmentEverything(image, options);
  if (!masks.ok()) {
    out.error = qs(masks.status().message());
    Q_EMIT everythingFinished(out);
    return;
  }
  out.proposals = qint64(masks->size());
  ImageCandidates candidates;
  candidates.imageId = image.imageId;
  for (const PromptMask& m : *masks) {  // best first (segment everything's NMS order)
    NewAnnotation a;
    a.categoryId = categoryId;
    a.mask = rle::encode(m.mask);
    a.score = std::clamp(double(m.predictedIou), 0.0, 1.0);
    candidates.candidates.push_back(std::move(a));
  }
  auto written = writePendingLabels(*project, {std::move(candidates)});
  out.seconds = clock.elapsed() / 1000.0;
  if (!written.ok()) {
    out.error = qs(written.status().message());
    Q_EMIT everythingFinished(out);
    return;
  }
  out.labels = written->labels;
  out.repeats = written->repeats;
  out.duplicates = written->duplicates;
  for (const auto& [imageId, ids] : written->changed) {
    QList<qint64> list;
    for (int64_t id : ids) list << id;
    out.changed << qMakePair(qint64(imageId), list);
  }
  Q_EMIT everythingFinished(out);
}

}  // namespace distillery
