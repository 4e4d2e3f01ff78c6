// The Teacher dock (WORKBENCH.md flow 3) over the session: loading a TorchScript
// teacher and showing its contract check, mapping its classes onto the project's,
// pretraining the reference teacher, and running the teacher over the unlabelled pool
// so pending pseudo-labels appear in the gallery and the review queue batch by batch.
// The engine work runs on a TeacherWorker on this controller's QThread; the panel is
// only touched here, on the GUI thread.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <atomic>
#include <functional>
#include <memory>

#include "app/gui/worker_jobs.h"
#include "engine/api/distillation.h"

class QThread;

namespace distillery {

class ProjectSession;
class TeacherPanel;
class TeacherWorker;
struct PoolOutcome;
struct TeacherCheck;

class TeacherController : public QObject {
  Q_OBJECT

 public:
  explicit TeacherController(TeacherPanel* panel, QObject* parent = nullptr);
  ~TeacherController() override;

  // Cancels and waits for a running job first; a new session's teacher (if it has
  // one) is checked again in the background.
  void setSession(ProjectSession* session);

  bool busy() const { return jobs_.pending() > 0; }
  // The teacher that passed the contract ("" when none).
  QString teacherPath() const { return teacherPath_; }
  // Per teacher class, the project category id it maps to (0: ignored).
  QVector<qint64> categoryMapping() const;
  // The same as the engine's class map, "teacher=project,..." by name (unmapped classes
  // left out); what a training run re-heads the teacher with.
  QString classMapSpec() const;
  // What "Pretrain reference teacher" trains: demoPretrainOptions() unless set (tests).
  void setPretrainOptions(const PretrainOptions& options) { pretrainOptions_ = options; }
  // Tests: runs the event loop until every job has finished and reported.
  bool waitForIdle(int msecs = 600000);

 public Q_SLOTS:
  void load(const QString& path);
  void pretrain();
  void runOverPool();
  void cancel();

 Q_SIGNALS:
  void message(const QString& text);  // status bar and log
  void errorOccurred(const QString& title, const QString& text);
  // The teacher or its class mapping changed (compare view, click-to-segment).
  void teacherMappingChanged(const QString& model, const QVector<qint64>& categoryForClass);
  void poolPassFinished(qint64 labels);

 private:
  void startJob(const std::function<void()>& job);
  void endJob();
  bool refuseWhileBusy(const QString& what);
  void onChecked(const TeacherCheck& result);
  void onPretrainFinished(const QString& model, bool cached, bool cancelled, const QString& error);
  void onPoolBatch(const QList<QPair<qint64, QList<qint64>>>& changed);
  void onPoolFinished(const PoolOutcome& outcome);
  void showClasses();
  void saveMapping();
  QString mappingKey() const;
  void cancelAndWait();

  TeacherPanel* panel_;
  ProjectSession* session_ = nullptr;
  QThread* thread_ = nullptr;
  TeacherWorker* worker_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
  WorkerJobs jobs_;
  bool closing_ = false;                       // the session goes: answers are only counted
  QString loadPath_;                           // the file the latest load asked about
  QString teacherPath_;
  QString pretrainedPath_;
  QStringList teacherClasses_;
  bool restoringMapping_ = false;
  PretrainOptions pretrainOptions_;
  QObject* wheelGuard_ = nullptr;  // keeps the wheel off the mapping's combo boxes
};

}  // namespace distillery
