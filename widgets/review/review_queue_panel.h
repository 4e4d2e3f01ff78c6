// The review queue: teacher pseudo-labels waiting for a decision, walked one
// by one. Enter accepts and Esc rejects the current label; the panel emits the
// request and moves to the next pending label, and the app applies the request
// as an undoable command and reports the new state with setItemStatus().
// Two sliders set the class-score and mask-score thresholds, with a live count
// of the pending labels that pass; "Accept all above threshold" emits one
// request with their ids (the app makes it one undo macro).
#pragma once

#include <memory>

#include <QList>
#include <QWidget>

#include "widgets/review/review_queue_model.h"

class QLabel;
class QPushButton;
class QSlider;
class QTableView;
class QToolButton;

namespace distillery {

class ReviewQueuePanel : public QWidget {
  Q_OBJECT

 public:
  explicit ReviewQueuePanel(QWidget* parent = nullptr);

  void setProvider(std::shared_ptr<ReviewQueueProvider> provider);

  // Thresholds in [0, 1] (slider steps of 0.01).
  void setThresholds(double classScore, double maskScore);
  double classThreshold() const;
  double maskThreshold() const;
  int pendingCount() const { return model_->pendingCount(); }
  int passingCount() const { return static_cast<int>(model_->passingPendingIds().size()); }

  // -1 when the queue is empty.
  qint64 currentAnnotationId() const;
  void setCurrentAnnotation(qint64 annotationId);

  // Whether the current image has both teacher and student output to compare.
  void setSideBySideAvailable(bool available);

  ReviewQueueModel* model() const { return model_; }
  QTableView* view() const { return view_; }

 public Q_SLOTS:
  // Re-reads the queue (new teacher run, undo of a bulk accept).
  void refresh();
  // The app applied (or undid) a decision.
  void setItemStatus(qint64 annotationId, distillery::LabelReview status);
  void acceptCurrent();
  void rejectCurrent();
  void acceptAllAboveThreshold();
  // Moves to the next pending label after the current one (wrapping around).
  void advance();

 Q_SIGNALS:
  void acceptRequested(qint64 annotationId);
  void rejectRequested(qint64 annotationId);
  void acceptAllRequested(const QList<qint64>& annotationIds);
  void currentItemChanged(qint64 annotationId, qint64 imageId);
  void thresholdsChanged(double classScore, double maskScore);
  void sideBySideToggled(bool on);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void buildUi();
  bool handleKey(int key);
  void onThresholdMoved();
  void updateCounts();
  void selectRow(int row);
  void emitCurrentIfChanged();

  std::shared_ptr<ReviewQueueProvider> provider_;
  ReviewQueueModel* model_ = nullptr;
  QTableView* view_ = nullptr;
  QSlider* classSlider_ = nullptr;
  QSlider* maskSlider_ = nullptr;
  QLabel* classValue_ = nullptr;
  QLabel* maskValue_ = nullptr;
  QLabel* counts_ = nullptr;
  QPushButton* acceptAll_ = nullptr;
  QPushButton* accept_ = nullptr;
  QPushButton* reject_ = nullptr;
  QToolButton* sideBySide_ = nullptr;
  qint64 emitted_ = -1;
};

}  // namespace distillery
