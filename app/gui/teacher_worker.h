// The teacher panel's engine work, on its own QThread (ARCHITECTURE.md, Threading):
// checking a TorchScript file against the teacher contract, pretraining the reference
// teacher, and the pass over the unlabelled pool. Each job is started with
// QMetaObject::invokeMethod on this object's thread; the engine's callbacks become
// signals, which reach the controller queued on the GUI thread. Nothing here touches
// a widget. Cancel is an atomic flag the jobs read between steps or batches.
#pragma once

#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>

#include "app/gui/pseudo_label_pool.h"
#include "engine/api/distillation.h"

namespace distillery {

class Project;

// The contract check of one file, in the panel's terms.
struct TeacherCheck {
  QString path;
  bool ok = false;
  QStringList errors;      // one line per contract violation, as the engine wrote it
  QStringList classNames;  // the teacher's classes (sidecar names, else class_<k>)
  qint64 params = 0;
  int queries = 0;
  int embedDim = 0;  // 0: no pixel_embed
  QString sidecar;   // empty: none (defaults assumed)
};

struct PoolOutcome {
  QString error;  // non-empty: the pass stopped, and why (what was written stays)
  bool cancelled = false;
  qint64 images = 0;
  qint64 imagesTotal = 0;
  qint64 labels = 0;
  qint64 repeats = 0;
  qint64 duplicates = 0;
  QStringList skipped;
};

class TeacherWorker : public QObject {
  Q_OBJECT

 public:
  explicit TeacherWorker(std::shared_ptr<std::atomic<bool>> cancel) : cancel_(std::move(cancel)) {}

  // Jobs: run them on this object's thread.
  void check(const QString& path);
  void pretrain(PretrainOptions options);
  void labelPool(std::shared_ptr<Project> project, const PoolLabelling& request);

 Q_SIGNALS:
  void checked(const distillery::TeacherCheck& result);
  void pretrainProgress(qint64 step, qint64 total, double etaSeconds);
  // model: the TorchScript file; error non-empty when it failed or was cancelled.
  void pretrainFinished(const QString& model, bool cached, bool cancelled, const QString& error);
  void poolProgress(qint64 images, qint64 total, qint64 labels, double etaSeconds);
  // One batch is in the database: per image, the annotation ids removed or added.
  void poolBatchStored(const QList<QPair<qint64, QList<qint64>>>& changed);
  void poolFinished(const distillery::PoolOutcome& outcome);

 private:
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace distillery
