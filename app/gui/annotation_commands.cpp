#include "app/gui/annotation_commands.h"

#include "app/gui/project_session.h"

namespace distillery {
namespace {

QString sourceLabel(Source s) {
  return s == Source::Human ? AnnotationPresenceCommand::tr("label")
                            : AnnotationPresenceCommand::tr("pseudo-label");
}

}  // namespace

// ---- add / delete ----------------------------------------------------------------

AnnotationPresenceCommand::AnnotationPresenceCommand(ProjectSession* session, AnnotationState state,
                                                     AnnotationRef ref, bool present,
                                                     const QString& text)
    : QUndoCommand(text),
      session_(session),
      state_(std::move(state)),
      ref_(std::move(ref)),
      present_(present) {}

AnnotationPresenceCommand* AnnotationPresenceCommand::add(ProjectSession* session,
                                                          AnnotationState state) {
  const QString text = tr("Add %1").arg(sourceLabel(state.source));
  const bool fromPool = state.source == Source::Human && session->inUnlabelledPool(state.imageId);
  auto* command = new AnnotationPresenceCommand(session, std::move(state),
                                                std::make_shared<AnnotationHandle>(), false, text);
  command->returnToPool_ = fromPool;
  return command;
}

AnnotationPresenceCommand* AnnotationPresenceCommand::remove(ProjectSession* session, int64_t id) {
  auto state = session->state(id);
  if (!state) {
    session->reportError(tr("Delete"), state.status());
    return nullptr;
  }
  const QString text = tr("Delete %1").arg(sourceLabel(state->source));
  return new AnnotationPresenceCommand(session, *state, session->ref(id), true, text);
}

void AnnotationPresenceCommand::swap() {
  if (present_) {
    // Capture what is there now (the label may have been edited since it was added).
    auto now = session_->state(ref_->id);
    if (!session_->keepOrDrop(this, now.status())) return;
    if (!session_->keepOrDrop(this, session_->removeAnnotation(ref_->id))) return;
    state_ = std::move(*now);
    // Undoing the label that took the image out of the unlabelled pool puts it back, so
    // an undo does not leave a "labelled negative" behind for the trainer.
    if (returnToPool_) session_->keepOrDrop(this, session_->returnToUnlabelledPool(state_.imageId));
  } else {
    auto id = session_->addAnnotation(state_);
    if (!session_->keepOrDrop(this, id.status())) return;
    session_->rebind(ref_, *id);
  }
  present_ = !present_;
}

// ---- class ------------------------------------------------------------------------

ChangeClassCommand::ChangeClassCommand(ProjectSession* session, int64_t id, int64_t categoryId)
    : QUndoCommand(tr("Change class")),
      session_(session),
      ref_(session->ref(id)),
      categoryId_(categoryId) {}

void ChangeClassCommand::swap() {
  auto now = session_->annotation(ref_->id, false);
  if (!session_->keepOrDrop(this, now.status())) return;
  if (!session_->keepOrDrop(this,
                            session_->editAnnotation(ref_->id, categoryId_, nullptr, review_)))
    return;
  categoryId_ = now->categoryId;
  review_ = now->review;
}

// ---- whole mask ---------------------------------------------------------------------

ReplaceMaskCommand::ReplaceMaskCommand(ProjectSession* session, int64_t id, Rle mask,
                                       QPolygonF outline)
    : QUndoCommand(tr("Edit polygon")),
      session_(session),
      ref_(session->ref(id)),
      mask_(std::move(mask)),
      outline_(std::move(outline)) {}

void ReplaceMaskCommand::swap() {
  auto now = session_->state(ref_->id);
  if (!session_->keepOrDrop(this, now.status())) return;
  session_->setOutline(ref_->id, outline_);
  if (!session_->keepOrDrop(this,
                            session_->editAnnotation(ref_->id, std::nullopt, &mask_, review_))) {
    session_->setOutline(ref_->id, now->outline);
    return;
  }
  mask_ = std::move(now->mask);
  outline_ = now->outline;
  review_ = now->review;
}

// ---- brush stroke -------------------------------------------------------------------

StrokeCommand::StrokeCommand(ProjectSession* session, int64_t id, MaskPatch patch,
                             LabelReview reviewBefore)
    : MaskEditCommand(id, std::move(patch), tr("Brush stroke")),
      session_(session),
      ref_(session->ref(id)),
      reviewBefore_(reviewBefore) {}

void StrokeCommand::applyPatch(qint64 /*instanceId: may be stale*/, QPoint origin,
                               const cv::Mat& mask) {
  // A brush stroke replaces the drawn polygon's pixels: the outline no longer describes it.
  session_->setOutline(ref_->id, {});
  session_->keepOrDrop(this, session_->patchMask(ref_->id, origin, mask, std::nullopt));
}

void StrokeCommand::undo() {
  MaskEditCommand::undo();
  // The store marked edited model output Edited; the undo returns it to its review state.
  if (!isObsolete()) session_->keepOrDrop(this, session_->setReview({{ref_->id, reviewBefore_}}));
}

// ---- review -------------------------------------------------------------------------

ReviewCommand::ReviewCommand(ProjectSession* session, const std::vector<int64_t>& ids,
                             LabelReview status)
    : session_(session), other_(ids.size(), status) {
  refs_.reserve(ids.size());
  for (int64_t id : ids) refs_.push_back(session->ref(id));
  const QString what = status == LabelReview::Accepted   ? tr("Accept")
                       : status == LabelReview::Rejected ? tr("Reject")
                                                         : tr("Mark");
  setText(ids.size() == 1 ? tr("%1 pseudo-label").arg(what)
                          : tr("%1 %2 pseudo-labels").arg(what).arg(ids.size()));
}

void ReviewCommand::swap() {
  std::vector<LabelReview> now;
  now.reserve(refs_.size());
  for (const AnnotationRef& r : refs_) {
    auto a = session_->annotation(r->id, false);
    if (!session_->keepOrDrop(this, a.status())) return;
    now.push_back(a->review);
  }
  std::vector<std::pair<int64_t, LabelReview>> decisions;
  decisions.reserve(refs_.size());
  for (size_t i = 0; i < refs_.size(); ++i) decisions.emplace_back(refs_[i]->id, other_[i]);
  if (!session_->keepOrDrop(this, session_->setReview(decisions))) return;
  other_ = std::move(now);
}

}  // namespace distillery
