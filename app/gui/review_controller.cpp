#include "app/gui/review_controller.h"

#include <QScopedValueRollback>
#include <QUndoStack>

#include "app/gui/annotation_commands.h"
#include "app/gui/project_session.h"
#include "app/gui/store_review_queue.h"
#include "widgets/canvas/background_task.h"
#include "widgets/review/review_queue_panel.h"

namespace distillery {

ReviewController::ReviewController(ReviewQueuePanel* panel, QUndoStack* undoStack, QObject* parent)
    : QObject(parent),
      panel_(panel),
      undo_(undoStack),
      snapshot_(std::make_shared<ReviewQueueSnapshot>()) {
  workers_.setMaxThreadCount(1);
  panel_->setProvider(snapshot_);
  connect(panel_, &ReviewQueuePanel::acceptRequested, this,
          [this](qint64 id) { decide({id}, LabelReview::Accepted); });
  connect(panel_, &ReviewQueuePanel::rejectRequested, this,
          [this](qint64 id) { decide({id}, LabelReview::Rejected); });
  connect(panel_, &ReviewQueuePanel::acceptAllRequested, this,
          [this](const QList<qint64>& ids) { decide(ids, LabelReview::Accepted); });
  connect(panel_, &ReviewQueuePanel::currentItemChanged, this,
          [this](qint64 annotationId, qint64 imageId) {
            // Follow the user through the queue, but a reload must not move the canvas.
            if (annotationId >= 0 && !quiet_) emit showRequested(imageId, annotationId);
          });
}

ReviewController::~ReviewController() {
  workers_.waitForDone();
}

void ReviewController::setSession(ProjectSession* session) {
  if (session_) disconnect(session_, nullptr, this, nullptr);
  session_ = session;
  ++generation_;
  loading_ = false;
  snapshot_->setItems({});
  refreshQuietly();
  if (!session_) return;
  connect(session_, &ProjectSession::annotationsChanged, this,
          &ReviewController::onAnnotationsChanged);
  connect(session_, &ProjectSession::classesChanged, this, &ReviewController::reload);
  reload();
}

void ReviewController::reload() {
  if (!session_) return;
  if (loading_) {  // one at a time; the newest request runs when this one lands
    reloadAgain_ = true;
    return;
  }
  loading_ = true;
  reloadAgain_ = false;
  const quint64 generation = generation_;
  const QString dir = session_->dir();
  using Items = Result<std::vector<ReviewItem>>;
  runInBackground<std::shared_ptr<Items>>(
      workers_, this, [dir]() { return std::make_shared<Items>(collectReviewQueue(dir)); },
      [this, generation](std::shared_ptr<Items> items) {
        if (generation != generation_) return;
        loading_ = false;
        if (!items->ok()) {
          emit errorOccurred(
              tr("Review queue: %1").arg(QString::fromStdString(items->status().message())));
        } else {
          snapshot_->setItems(std::move(items->value()));
          refreshQuietly();
          emit reloaded(panel_->pendingCount());
        }
        if (reloadAgain_) reload();
      });
}

void ReviewController::refreshQuietly() {
  const QScopedValueRollback<bool> quiet(quiet_, true);
  panel_->refresh();
}

void ReviewController::decide(const QList<qint64>& ids, LabelReview decision) {
  if (!session_ || ids.isEmpty()) return;
  if (session_->readOnly()) {
    emit message(tr("The project is open read-only (%1); the decision was not saved")
                     .arg(session_->readOnlyReason()));
    return;
  }
  undo_->push(new ReviewCommand(session_, std::vector<int64_t>(ids.begin(), ids.end()), decision));
}

void ReviewController::decideFromCanvas(qint64 selected, LabelReview decision) {
  if (!session_) return;
  if (selected >= 0) {
    auto a = session_->annotation(selected, false);
    if (a && a->source != Source::Human && a->review == LabelReview::Pending) {
      const bool isCurrent = panel_->currentAnnotationId() == selected;
      decide({selected}, decision);
      if (isCurrent) panel_->advance();
      return;
    }
  }
  if (panel_->currentAnnotationId() < 0) {
    emit message(tr("No pseudo-label is waiting for review"));
    return;
  }
  if (decision == LabelReview::Accepted)
    panel_->acceptCurrent();
  else
    panel_->rejectCurrent();
}

void ReviewController::onAnnotationsChanged(qint64 /*imageId*/, const QList<qint64>& ids) {
  bool needsReload = false;
  for (qint64 id : ids) {
    auto a = session_->annotation(id, false);
    const bool listed = panel_->model()->rowOf(id) >= 0;
    if (listed && a) {
      panel_->setItemStatus(id, a->review);
    } else if (listed || (a && a->source != Source::Human && a->review == LabelReview::Pending)) {
      needsReload = true;  // a pseudo-label was deleted, or came back (maybe under a new id)
    }
  }
  if (needsReload) reload();
}

}  // namespace distillery
