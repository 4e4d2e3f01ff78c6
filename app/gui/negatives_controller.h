// The Negatives dock (WORKBENCH.md flow 5): the contrastive-negatives inspector over a
// batch of the current image plus the next few project images. The user clicks a
// pixel on any batch image in the dock to make it the anchor; the engine's
// NegativesInspectionSession answers on a worker thread (the model runs once per
// batch, queries reuse it) and the dock shows the weight heat, the R negatives and the
// anchor's own instance. Mode, R, "own image too", the model and "draw again"
// re-query the same anchor. See docs/inspector.md.
#pragma once

#include <QImage>
#include <QObject>
#include <QPoint>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <QVector>
#include <atomic>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QWidget;

namespace distillery {

class NegativesInspector;
class ProjectSession;
struct NegativesWorker;
struct PreviewGeometry;

class NegativesController : public QObject {
  Q_OBJECT

 public:
  explicit NegativesController(QObject* parent = nullptr);
  ~NegativesController() override;

  QWidget* widget() const { return widget_; }  // the dock's content
  NegativesInspector* inspector() const { return inspector_; }

  // nullptr when the project closes.
  void setSession(ProjectSession* session);
  // The models offered: the session's teacher, the latest run's student and the files
  // the user chose with "Other model file...".
  void refreshModels();
  QString modelFile() const;

  // The batch's image ids (the current image first) once loaded.
  const QVector<qint64>& batchIds() const { return batchIds_; }
  int batchSize() const { return batchSize_; }
  void setBatchSize(int images) { batchSize_ = images; }
  QString statusText() const;

 public Q_SLOTS:
  // The canvas' current image becomes the batch's first image (loaded when the dock is shown).
  void showImage(qint64 imageId);
  // Query an anchor in image pixels of batch image `image` (as a click in the dock does).
  void inspect(int image, int x, int y);

 Q_SIGNALS:
  void batchShown(int images);  // the previews are on screen
  void resultShown(int negatives, double milliseconds);
  void message(const QString& text);
  void errorOccurred(const QString& text);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void loadBatchIfShown();
  void loadBatch();
  void requery();
  void runQuery(int image, QPoint previewPixel, const QString& mode);
  void setStatus(const QString& text);
  void chooseModelFile();
  QVector<qint64> pickBatch(qint64 current) const;

  QPointer<QWidget> widget_;
  NegativesInspector* inspector_ = nullptr;
  QComboBox* model_ = nullptr;
  QSpinBox* negatives_ = nullptr;
  QCheckBox* ownImage_ = nullptr;
  QCheckBox* labelsAsPredictions_ = nullptr;
  QPushButton* drawAgain_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* details_ = nullptr;

  ProjectSession* session_ = nullptr;
  qint64 currentImage_ = -1;
  int batchSize_ = 4;
  bool batchStale_ = true;
  int labelsVersion_ = 0;
  QVector<qint64> batchIds_;
  std::vector<PreviewGeometry> previews_;
  int anchorImage_ = -1;
  QPoint anchorPreview_;
  uint64_t seed_ = 1;
  QStringList chosenModels_;
  QString lastError_;  // the batch error last reported (not repeated per image)
  quint64 batchGeneration_ = 0;
  std::shared_ptr<std::atomic<quint64>> latestQuery_;
  std::shared_ptr<NegativesWorker> worker_;  // touched only on pool_'s thread
  QThreadPool pool_;                         // one thread: jobs run in order
};

}  // namespace distillery
