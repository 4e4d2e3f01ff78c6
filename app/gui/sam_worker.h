// The promptable model's background work, on the SAM controller's QThread (STYLE.md):
// checking which foundation models are fetched, embedding the shown image and the next
// ones into the project's embedding cache, and Segment Everything with its proposals
// stored as pending labels. Jobs are posted with QMetaObject::invokeMethod; answers are
// signals, which reach the controller queued on the GUI thread. Nothing here touches a
// widget. An embedding cannot be interrupted; a queued one whose image is no longer
// wanted (the user moved on) is skipped, and one of an image ahead starts only once the
// user has not clicked for 3 s (clicks and embeddings would share the cores).
#pragma once

#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <atomic>
#include <memory>

#include "app/gui/promptable_model.h"
#include "widgets/teacher/foundation_models_view.h"

namespace distillery {

class Project;

struct EverythingOutcome {
  qint64 imageId = 0;
  QString error;          // non-empty: nothing was stored, and why
  qint64 proposals = 0;   // masks the model returned
  qint64 labels = 0;      // pending labels now on the image
  qint64 repeats = 0;     // dropped: they repeat a human or reviewed label
  qint64 duplicates = 0;  // dropped: another proposal covers the same object
  double seconds = 0;
  QList<QPair<qint64, QList<qint64>>> changed;  // per image, the annotation ids to re-read
};

class SamWorker : public QObject {
  Q_OBJECT

 public:
  // Jobs: run them on this object's thread.
  // Nice +5 for this thread (Linux; a no-op elsewhere): the background embeddings then
  // yield the cores to a click's decoder run and to the GUI thread. Threads it starts
  // (OpenMP) inherit it.
  void lowerThreadPriority();
  void checkModels();
  // Skipped (answered at once) unless `generation` is still `*wanted`. `warm`: the shown
  // image, also set on the interactive instance afterwards (the first click is quick).
  void embed(std::shared_ptr<PromptableModel> model, const PromptImage& image, quint64 generation,
             std::shared_ptr<std::atomic<quint64>> wanted, int index, int count, bool warm);
  // Proposals become pending labels of `categoryId`, scored by their predicted IoU.
  void segmentEverything(std::shared_ptr<PromptableModel> model, const PromptImage& image,
                         qint64 categoryId, std::shared_ptr<Project> project,
                         const EverythingOptions& options);

 Q_SIGNALS:
  // Every catalog model with its state; samUnavailable is "" when miniSAM can be used.
  void modelsChecked(const QList<distillery::FoundationModelRow>& rows,
                     const QString& samUnavailable);
  void embedStarted(qint64 imageId, int index, int count);
  // skipped: no longer wanted; computed: not read from the cache.
  void embedFinished(qint64 imageId, bool skipped, bool computed, qint64 ms, const QString& error);
  void everythingFinished(const distillery::EverythingOutcome& outcome);
};

}  // namespace distillery
