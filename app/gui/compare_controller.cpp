#include "app/gui/compare_controller.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>
#include <filesystem>

#include "app/gui/compare_worker.h"
#include "app/gui/project_session.h"
#include "engine/store/project.h"
#include "widgets/compare/compare_view.h"

namespace distillery {

CompareController::CompareController(QObject* parent)
    : QObject(parent), renders_(jobs_.executing()) {
  widget_ = new QWidget;
  widget_->setObjectName("compareDockContent");
  auto* layout = new QVBoxLayout(widget_);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* top = new QHBoxLayout;
  status_ = new QLabel(widget_);
  status_->setObjectName("compareStatus");
  status_->setWordWrap(true);
  evaluate_ = new QPushButton(tr("Evaluate"), widget_);
  evaluate_->setObjectName("compareEvaluate");
  evaluate_->setToolTip(tr("Score the models again on the project's val images"));
  top->addWidget(status_, 1);
  top->addWidget(evaluate_, 0, Qt::AlignTop);
  layout->addLayout(top);
  view_ = new CompareView(widget_);
  layout->addWidget(view_, 1);
  connect(evaluate_, &QPushButton::clicked, this, &CompareController::refresh);
  connect(view_, &CompareView::predictionsRequested, this, &CompareController::requestPredictions);

  thread_ = new QThread(this);
  thread_->setObjectName("compareWorker");
  worker_ = new CompareWorker;
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_->start();
  connect(worker_, &CompareWorker::progress, this, [this](const QString& text) {
    if (!closing_) setStatus(text);
  });
  connect(worker_, &CompareWorker::evaluated, this, &CompareController::onEvaluated);
  connect(worker_, &CompareWorker::renderFinished, this,
          [this] { renders_.answered(); });
  connect(worker_, &CompareWorker::rendered, this,
          [this](const QString& image, const QString& model, const QImage& picture) {
            if (!closing_) view_->setPrediction(image, model, picture);
          });
  setStatus(tr("Open a project to compare its models."));
}

CompareController::~CompareController() {
  jobs_.waitUntilStopped();
  thread_->quit();
  thread_->wait();
  if (!widget_->parent()) delete widget_;
}

QString CompareController::statusText() const {
  return status_->text();
}

void CompareController::setStatus(const QString& text, bool error) {
  status_->setStyleSheet(error ? "color: #c62828;" : QString());
  status_->setText(text);
}

void CompareController::setSession(ProjectSession* session) {
  if (session == session_) return;
  closing_ = true;  // the old session's answers are counted, not shown
  jobs_.waitUntilStopped();
  QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
  closing_ = false;
  if (session_) disconnect(session_, nullptr, this, nullptr);
  session_ = session;
  teacherModel_.clear();  // the Teacher dock reports the new session's own
  teacherMapping_.clear();
  scoredSignature_.clear();
  images_.clear();
  imageIds_.clear();
  view_->setScores({}, {});
  view_->setImages({});
  setStatus(session_ ? tr("Not evaluated yet: press Evaluate.")
                     : tr("Open a project to compare its models."));
  if (session_)
    connect(session_, &ProjectSession::teacherModelChanged, this, [this] {
      if (widget_->isVisible()) refreshIfStale();
    });
}

void CompareController::setTeacherMapping(const QString& model,
                                          const QVector<qint64>& categoryForClass) {
  teacherModel_ = model;
  teacherMapping_ = categoryForClass;
}

QString CompareController::zeroShotTeacher() const {
  // The one the Teacher dock loaded for this session, else the one the session remembers.
  return !teacherModel_.isEmpty() ? teacherModel_ : session_->teacherModel();
}

bool CompareController::waitForIdle(int msecs) {
  return processEventsUntil([this] { return !busy(); }, msecs);
}

// The models to compare and their files' times: equal signatures need no new scoring.
QString CompareController::modelsSignature(QString* error) const {
  if (!session_) return {};
  const QString teacher = zeroShotTeacher();
  std::vector<int64_t> mapping;
  if (teacher == teacherModel_) mapping.assign(teacherMapping_.begin(), teacherMapping_.end());
  auto models = projectModels(session_->project(), teacher.toStdString(), mapping);
  if (!models.ok()) {
    *error = QString::fromStdString(models.status().message());
    return {};
  }
  QStringList parts;
  for (const ComparedModel& m : *models) {
    const QFileInfo info(QString::fromStdString(m.file.string()));
    parts << QStringLiteral("%1=%2@%3")
                 .arg(QString::fromStdString(m.name), info.absoluteFilePath())
                 .arg(info.lastModified().toMSecsSinceEpoch());
    for (int64_t id : m.categoryForClass) parts << QString::number(id);
  }
  return parts.join('|');
}

void CompareController::refreshIfStale() {
  if (!session_) return;
  QString error;
  const QString signature = modelsSignature(&error);
  if (error.isEmpty() && !scoredSignature_.isEmpty() && signature == scoredSignature_) return;
  refresh();
}

void CompareController::refresh() {
  if (!session_) return;
  if (jobs_.pending() > 0) {
    again_ = true;
    return;
  }
  const QString teacher = zeroShotTeacher();
  std::vector<int64_t> mapping;
  if (teacher == teacherModel_) mapping.assign(teacherMapping_.begin(), teacherMapping_.end());
  std::optional<int64_t> runId;
  auto models = projectModels(session_->project(), teacher.toStdString(), mapping, &runId);
  if (!models.ok()) {
    setStatus(QString::fromStdString(models.status().message()), true);
    return;
  }
  QString ignored;
  scoredSignature_ = modelsSignature(&ignored);
  if (models->empty()) {
    view_->setScores({}, {});
    setStatus(
        tr("Nothing to compare yet: load or pretrain a teacher in the Teacher dock, "
           "and run the pipeline for an adapted teacher and a student."));
    return;
  }
  auto connection = session_->project().connect();
  if (!connection.ok()) {
    setStatus(QString::fromStdString(connection.status().message()), true);
    return;
  }
  auto project = std::make_shared<Project>(std::move(*connection));
  setStatus(tr("Scoring %n models on the val images...", nullptr, int(models->size())));
  CompareWorker* worker = worker_;
  const qint64 run = runId ? *runId : -1;
  evaluate_->setEnabled(false);
  jobs_.post(worker_, [worker, project, models = *models, run] { worker->evaluate(project, models, run); });
}

void CompareController::onEvaluated(const CompareOutcome& o) {
  jobs_.answered();
  evaluate_->setEnabled(jobs_.pending() == 0);
  if (closing_) return;
  if (!o.error.isEmpty()) {
    setStatus(o.error, true);
    Q_EMIT errorOccurred(tr("Compare"), o.error);
  } else if (o.valImages == 0) {
    view_->setScores({}, {});
    setStatus(tr("The project has no val images: set some labelled images to split 'val' to "
                 "score models on them."),
              true);
  } else {
    QString text = tr("%n val images", nullptr, o.valImages) +
                   tr(", %n labels", nullptr, o.valInstances) +
                   (o.runId >= 0 ? tr("; models of run %1").arg(o.runId)
                                 : tr("; no finished run yet (no adapted teacher or student)"));
    for (const QString& f : o.failures) {
      text += '\n' + tr("not scored: %1").arg(f);
      Q_EMIT message(tr("Compare: not scored: %1").arg(f));
    }
    setStatus(text, !o.failures.isEmpty() && o.scores.empty());
    // Images first: setScores then asks for the current image's predictions.
    const QString current = view_->currentImage();
    images_ = o.images;
    imageIds_.clear();
    for (int i = 0; i < o.images.size(); ++i) imageIds_.insert(o.images[i], o.imageIds[i]);
    view_->setImages(images_);
    if (!current.isEmpty() && imageIds_.contains(current)) view_->setCurrentImage(current);
    view_->setScores(o.classes, o.scores);
  }
  if (again_ && jobs_.pending() == 0) {
    again_ = false;
    refresh();
  }
}

void CompareController::showImage(qint64 imageId) {
  if (!session_ || imageId <= 0 || images_.isEmpty()) return;
  auto info = session_->image(imageId);
  if (!info.ok()) return;
  if (!imageIds_.contains(info->path)) {  // not a val image: offered as well
    images_ << info->path;
    imageIds_.insert(info->path, imageId);
    view_->setImages(images_);
  }
  view_->setCurrentImage(info->path);
}

void CompareController::requestPredictions(const QString& image, const QString& left,
                                           const QString& right) {
  if (!session_ || !imageIds_.contains(image)) return;
  QStringList models{left};
  if (right != left && !right.isEmpty()) models << right;
  CompareWorker* worker = worker_;
  const qint64 id = imageIds_.value(image);
  renders_.post(worker_, [worker, image, id, models] { worker->render(image, id, models); });
}

}  // namespace distillery
