#include "app/gui/teacher_controller.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QThread>
#include <algorithm>
#include <filesystem>

#include "app/gui/project_session.h"
#include "app/gui/teacher_worker.h"
#include "engine/api/demo_project.h"
#include "engine/store/project.h"
#include "widgets/compare/compare_view.h"
#include "widgets/pipeline/stage_progress.h"
#include "widgets/teacher/contract_status.h"
#include "widgets/teacher/teacher_class_mapping.h"
#include "widgets/teacher/teacher_panel.h"

namespace distillery {
namespace {

constexpr int kMaxSkippedLines = 50;

// The mapping's combo boxes sit in a scrolled dock: a wheel turn meant to scroll the
// dock must not silently remap a class. They take the wheel only once clicked.
class WheelGuard : public QObject {
 public:
  using QObject::QObject;
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() != QEvent::Wheel) return false;
    auto* combo = qobject_cast<QComboBox*>(watched);
    if (combo == nullptr || combo->hasFocus()) return false;
    event->ignore();  // the scroll area gets it
    return true;
  }
};

}  // namespace

TeacherController::TeacherController(TeacherPanel* panel, QObject* parent)
    : QObject(parent),
      panel_(panel),
      cancel_(std::make_shared<std::atomic<bool>>(false)),
      pretrainOptions_(demoPretrainOptions()) {
  wheelGuard_ = new WheelGuard(this);
  thread_ = new QThread(this);
  thread_->setObjectName("teacherWorker");
  worker_ = new TeacherWorker(cancel_);
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_->start();

  connect(worker_, &TeacherWorker::checked, this, &TeacherController::onChecked);
  connect(worker_, &TeacherWorker::pretrainProgress, this,
          [this](qint64 step, qint64 total, double eta) {
            if (!closing_) panel_->setPretrainProgress(step, total, eta);
          });
  connect(worker_, &TeacherWorker::pretrainFinished, this, &TeacherController::onPretrainFinished);
  connect(worker_, &TeacherWorker::poolProgress, this,
          [this](qint64 images, qint64 total, qint64 labels, double eta) {
            if (!closing_) panel_->setPoolProgress(images, total, labels, eta);
          });
  connect(worker_, &TeacherWorker::poolBatchStored, this, &TeacherController::onPoolBatch);
  connect(worker_, &TeacherWorker::poolFinished, this, &TeacherController::onPoolFinished);

  connect(panel_, &TeacherPanel::loadRequested, this, &TeacherController::load);
  connect(panel_, &TeacherPanel::pretrainRequested, this, &TeacherController::pretrain);
  connect(panel_, &TeacherPanel::runOverPoolRequested, this, [this] { runOverPool(); });
  connect(panel_, &TeacherPanel::cancelRequested, this, &TeacherController::cancel);
  connect(panel_, &TeacherPanel::classMappingChanged, this, [this] {
    if (restoringMapping_) return;
    saveMapping();
    Q_EMIT teacherMappingChanged(teacherPath_, categoryMapping());
  });
  // What the button does here: the widget's own tooltip predates the engine's pretraining.
  if (auto* button = panel_->findChild<QPushButton*>("pretrainTeacher"))
    button->setToolTip(
        tr("Without a foundation model: pretrain Distillery's reference teacher "
           "(the large preset) on the synthetic source worlds, at demo scale. "
           "Cached: the second time it is ready at once."));
}

TeacherController::~TeacherController() {
  closing_ = true;
  cancelAndWait();
  thread_->quit();
  thread_->wait();
}

void TeacherController::setSession(ProjectSession* session) {
  if (session == session_) return;
  // Finish with the old session first: stop its job and deliver what it reported.
  closing_ = true;
  cancelAndWait();
  QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
  closing_ = false;
  if (session_) disconnect(session_, nullptr, this, nullptr);
  session_ = session;
  teacherPath_.clear();
  teacherClasses_.clear();
  loadPath_.clear();
  panel_->contractStatus()->clear();
  panel_->pretrainProgress()->reset();
  panel_->poolProgress()->reset();
  panel_->setClasses({}, {});
  panel_->setModelPath({});
  panel_->setBusy(false);
  if (!session_) return;
  connect(session_, &ProjectSession::classesChanged, this, &TeacherController::showClasses);
  const QString saved = session_->teacherModel();
  if (!saved.isEmpty()) {
    panel_->setModelPath(saved);
    load(saved);
  }
}

void TeacherController::startJob(const std::function<void()>& job) {
  panel_->setBusy(true);
  jobs_.post(worker_, job);
}

void TeacherController::endJob() {
  jobs_.answered();
  panel_->setBusy(busy());
}

void TeacherController::cancelAndWait() {
  cancel_->store(true);
  jobs_.waitUntilStopped();
}

bool TeacherController::refuseWhileBusy(const QString& what) {
  if (!busy()) return false;
  Q_EMIT message(tr("%1: a teacher job is still running; wait for it or press Cancel").arg(what));
  return true;
}

void TeacherController::cancel() {
  if (!busy()) return;
  cancel_->store(true);
  Q_EMIT message(tr("Cancelling the teacher job: it stops after the current step or batch"));
}

bool TeacherController::waitForIdle(int msecs) {
  return processEventsUntil([this] { return !busy(); }, msecs);
}

// ---- load: the contract check -------------------------------------------------------

void TeacherController::load(const QString& path) {
  const QString file = path.trimmed();
  if (file.isEmpty()) return;
  loadPath_ = file;
  panel_->contractStatus()->setChecking(file);
  TeacherWorker* worker = worker_;
  startJob([worker, file] { worker->check(file); });
}

void TeacherController::onChecked(const TeacherCheck& result) {
  endJob();
  if (closing_ || result.path != loadPath_) return;  // a later load superseded this one
  if (!result.ok) {
    teacherPath_.clear();
    teacherClasses_.clear();
    panel_->setClasses({}, {});
    panel_->setContractResult(false, {}, result.errors);
    QString text =
        tr("%1 does not meet the teacher contract:\n%2").arg(result.path, result.errors.join('\n'));
    if (session_ && !session_->teacherModel().isEmpty() && session_->teacherModel() != result.path)
      text += tr("\nThe project keeps its teacher %1.").arg(session_->teacherModel());
    Q_EMIT errorOccurred(tr("Teacher"), text);
    return;
  }
  teacherPath_ = result.path;
  teacherClasses_ = result.classNames;
  if (auto* field = panel_->findChild<QLineEdit*>("teacherPath"))
    field->setToolTip(result.path);  // the field is narrow in the dock
  showClasses();
  const int mapped = panel_->mappingTable()->mappedCount();
  QStringList parts;
  if (result.path == pretrainedPath_) parts << tr("reference teacher");
  parts << tr("%1 parameters").arg(CompareView::formatParams(double(result.params)));
  parts << tr("%n classes", nullptr, int(result.classNames.size()));
  parts << tr("%1 queries").arg(result.queries);
  parts << (result.embedDim > 0 ? tr("pixel_embed %1 channels").arg(result.embedDim)
                                : tr("no pixel_embed"));
  parts << (result.sidecar.isEmpty() ? tr("no sidecar (defaults assumed)")
                                     : tr("sidecar %1").arg(QFileInfo(result.sidecar).fileName()));
  QString summary = parts.join(QStringLiteral(", "));
  const int projectClasses = session_ ? int(session_->classes().size()) : 0;
  summary += tr("; %1 of %2 teacher classes mapped onto the project's")
                 .arg(mapped)
                 .arg(result.classNames.size());
  if (session_ && projectClasses != result.classNames.size())
    summary +=
        tr(" (the project has %n classes: pseudo-labels follow the mapping; training "
           "needs a teacher with the project's classes)",
           nullptr, projectClasses);
  panel_->setContractResult(true, summary, {});
  if (session_) session_->setTeacherModel(result.path);
  Q_EMIT message(tr("Teacher %1 meets the contract").arg(result.path));
  Q_EMIT teacherMappingChanged(teacherPath_, categoryMapping());
}

// ---- the class mapping ---------------------------------------------------------------

QString TeacherController::mappingKey() const {
  const QString dir = session_ ? session_->dir() : QString();
  return QStringLiteral("teacherMappings/%1").arg(qHash(dir + '\n' + teacherPath_), 0, 16);
}

void TeacherController::showClasses() {
  if (teacherClasses_.isEmpty()) return;
  QStringList project;
  if (session_)
    for (const ClassEntry& c : session_->classes()) project << c.name;
  restoringMapping_ = true;
  panel_->setClasses(teacherClasses_, project);  // default: equal names
  for (QComboBox* combo : panel_->mappingTable()->findChildren<QComboBox*>()) {
    combo->setFocusPolicy(Qt::StrongFocus);
    combo->installEventFilter(wheelGuard_);
  }
  // The user's own choice for this teacher in this project, by class name.
  const QStringList saved = QSettings().value(mappingKey()).toStringList();
  if (saved.size() == teacherClasses_.size()) {
    QVector<int> mapping;
    for (const QString& name : saved) mapping << (name.isEmpty() ? -1 : int(project.indexOf(name)));
    panel_->mappingTable()->setMapping(mapping);
  }
  restoringMapping_ = false;
  Q_EMIT teacherMappingChanged(teacherPath_, categoryMapping());
}

void TeacherController::saveMapping() {
  if (teacherPath_.isEmpty()) return;
  const QStringList project = panel_->mappingTable()->projectClasses();
  QStringList names;
  for (int index : panel_->classMapping())
    names << (index >= 0 && index < project.size() ? project[index] : QString());
  QSettings().setValue(mappingKey(), names);
}

QVector<qint64> TeacherController::categoryMapping() const {
  QVector<qint64> out;
  if (!session_) return out;
  const QList<ClassEntry> classes = session_->classes();
  const QStringList shown = panel_->mappingTable()->projectClasses();
  for (int index : panel_->classMapping()) {
    qint64 id = 0;
    if (index >= 0 && index < shown.size())
      for (const ClassEntry& c : classes)
        if (c.name == shown[index]) id = c.id;
    out << id;
  }
  return out;
}

QString TeacherController::classMapSpec() const {
  const QStringList project = panel_->mappingTable()->projectClasses();
  const QVector<int> mapping = panel_->classMapping();
  QStringList pairs;
  for (int t = 0; t < mapping.size() && t < teacherClasses_.size(); ++t)
    if (mapping[t] >= 0 && mapping[t] < project.size()) pairs << teacherClasses_[t] + '=' + project[mapping[t]];
  return pairs.join(',');
}

// ---- pretraining the reference teacher -----------------------------------------------

void TeacherController::pretrain() {
  if (refuseWhileBusy(tr("Pretrain"))) return;
  PretrainOptions options = pretrainOptions_;
  // Beside the project when it can be written: the project then keeps its teacher.
  if (session_ && !session_->readOnly()) {
    const QString models = QDir(session_->dir()).filePath("models");
    QDir().mkpath(models);
    options.out =
        std::filesystem::path(QDir(models).filePath("reference-teacher.pt").toStdString());
  }
  cancel_->store(false);
  panel_->pretrainProgress()->reset();
  panel_->setPretrainProgress(0, options.steps);
  Q_EMIT message(tr("Pretraining the reference teacher (%1, %2 steps on the source worlds)...")
                     .arg(QString::fromStdString(options.arch))
                     .arg(options.steps));
  TeacherWorker* worker = worker_;
  startJob([worker, options] { worker->pretrain(options); });
}

void TeacherController::onPretrainFinished(const QString& model, bool cached, bool cancelled,
                                           const QString& error) {
  endJob();
  if (closing_) return;
  if (cancelled) {
    panel_->pretrainProgress()->setMessage(tr("Cancelled. Pretrain again to resume."));
    Q_EMIT message(tr("Pretraining cancelled"));
    return;
  }
  if (!error.isEmpty()) {
    panel_->pretrainProgress()->setMessage(tr("Failed"));
    Q_EMIT errorOccurred(tr("Pretraining failed"), error);
    return;
  }
  const qint64 total = pretrainOptions_.steps;
  panel_->setPretrainProgress(total, total, 0);
  if (cached) panel_->pretrainProgress()->setMessage(tr("Ready (pretrained earlier)"));
  Q_EMIT message(cached ? tr("Reference teacher ready (pretrained earlier): %1").arg(model)
                        : tr("Reference teacher pretrained: %1").arg(model));
  pretrainedPath_ = model;
  panel_->setModelPath(model);
  if (model == teacherPath_ && cached) return;  // the same file, checked already
  load(model);
}

// ---- the pass over the unlabelled pool -----------------------------------------------

void TeacherController::runOverPool() {
  if (refuseWhileBusy(tr("Run over pool"))) return;
  if (!session_) {
    Q_EMIT errorOccurred(tr("Run over pool"), tr("Open a project first."));
    return;
  }
  if (session_->readOnly()) {
    Q_EMIT errorOccurred(tr("Run over pool"),
                         tr("The project is open read-only: %1").arg(session_->readOnlyReason()));
    return;
  }
  if (teacherPath_.isEmpty()) {
    Q_EMIT errorOccurred(tr("Run over pool"), tr("Load a teacher that meets the contract first."));
    return;
  }
  PoolLabelling request;
  request.model = teacherPath_.toStdString();
  for (qint64 id : categoryMapping()) request.categoryForClass.push_back(id);
  if (std::none_of(request.categoryForClass.begin(), request.categoryForClass.end(),
                   [](int64_t id) { return id > 0; })) {
    Q_EMIT errorOccurred(tr("Run over pool"),
                         tr("No teacher class is mapped onto a project class: choose at least one "
                            "in the mapping table."));
    return;
  }
  auto connection = session_->project().connect();  // the worker's own handle
  if (!connection.ok()) {
    Q_EMIT errorOccurred(tr("Run over pool"),
                         QString::fromStdString(connection.status().message()));
    return;
  }
  auto project = std::make_shared<Project>(std::move(*connection));
  cancel_->store(false);
  panel_->poolProgress()->reset();
  panel_->setPoolProgress(0, 0, 0);
  Q_EMIT message(tr("Running the teacher over the unlabelled pool..."));
  TeacherWorker* worker = worker_;
  startJob([worker, project, request] { worker->labelPool(project, request); });
}

void TeacherController::onPoolBatch(const QList<QPair<qint64, QList<qint64>>>& changed) {
  if (!session_ || changed.isEmpty()) return;
  // The worker wrote through its own connection: tell the views what to re-read, with
  // the session's own change signals (canvas, review queue, gallery badges and counts).
  QList<qint64> images;
  for (const auto& [image, ids] : changed) {
    Q_EMIT session_->annotationsChanged(image, ids);
    images << image;
  }
  Q_EMIT session_->imagesChanged(images);
}

void TeacherController::onPoolFinished(const PoolOutcome& o) {
  endJob();
  if (closing_) return;
  int shown = 0;
  for (const QString& s : o.skipped)
    if (shown++ < kMaxSkippedLines) Q_EMIT message(tr("skipped: %1").arg(s));
  if (o.skipped.size() > kMaxSkippedLines)
    Q_EMIT message(tr("... and %1 more images skipped").arg(o.skipped.size() - kMaxSkippedLines));
  if (!o.error.isEmpty()) {
    panel_->poolProgress()->setMessage(tr("Failed"));
    Q_EMIT errorOccurred(tr("Run over pool"),
                         tr("%1\nThe pseudo-labels written before the failure stay.").arg(o.error));
    return;
  }
  const QString counts = tr("%1 pseudo-labels on %2 of %3 unlabelled images")
                             .arg(o.labels)
                             .arg(o.images)
                             .arg(o.imagesTotal);
  QString text = o.cancelled ? tr("Teacher pass cancelled: %1 written so far stay").arg(counts)
                             : tr("Teacher pass finished: %1").arg(counts);
  if (o.duplicates > 0)
    text += tr("; %1 duplicates of a better label on the same object dropped").arg(o.duplicates);
  if (o.repeats > 0)
    text += tr("; %1 dropped that repeated a human or reviewed label").arg(o.repeats);
  if (!o.skipped.isEmpty()) text += tr("; %1 images skipped (see the log)").arg(o.skipped.size());
  if (o.imagesTotal == 0)
    text = tr("The unlabelled pool is empty: every image is labelled, val or test");
  if (o.cancelled) panel_->poolProgress()->setMessage(tr("Cancelled"));
  Q_EMIT message(text);
  Q_EMIT poolPassFinished(o.labels);
}

}  // namespace distillery
