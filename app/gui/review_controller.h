// The review queue dock over the session: builds the queue on a worker, turns
// Enter / Esc / "accept all above threshold" into ReviewCommands (one undo step
// each; accept-all is one command and one transaction), keeps the rows' states
// in step with the database (also after undo), and asks the window to show the
// current pseudo-label.
#pragma once

#include <QList>
#include <QObject>
#include <QThreadPool>
#include <memory>

#include "widgets/review/review_types.h"

class QUndoStack;

namespace distillery {

class ProjectSession;
class ReviewQueuePanel;
class ReviewQueueSnapshot;

class ReviewController : public QObject {
  Q_OBJECT

 public:
  ReviewController(ReviewQueuePanel* panel, QUndoStack* undoStack, QObject* parent = nullptr);
  ~ReviewController() override;

  void setSession(ProjectSession* session);
  // Re-reads the queue on a worker (after opening, an import, a teacher run).
  void reload();
  bool loading() const { return loading_; }

 public Q_SLOTS:
  // Enter / Esc on the canvas: decide the selected pseudo-label if it is pending,
  // else the queue's current one; then move on.
  void decideFromCanvas(qint64 selectedAnnotation, distillery::LabelReview decision);

 Q_SIGNALS:
  void showRequested(qint64 imageId, qint64 annotationId);
  void reloaded(int pending);
  void message(const QString& text);
  void errorOccurred(const QString& text);

 private:
  void decide(const QList<qint64>& ids, LabelReview decision);
  void refreshQuietly();
  void onAnnotationsChanged(qint64 imageId, const QList<qint64>& ids);

  ReviewQueuePanel* panel_;
  QUndoStack* undo_;
  ProjectSession* session_ = nullptr;
  std::shared_ptr<ReviewQueueSnapshot> snapshot_;
  QThreadPool workers_;
  quint64 generation_ = 0;
  bool loading_ = false;
  bool reloadAgain_ = false;
  bool quiet_ = false;
};

}  // namespace distillery
