// The undo commands for annotation edits (after mapeditor/tiled's commands: one
// class per kind of edit, each holding the value to swap in; redo() and undo() are
// the same swap, so a command can be undone and redone any number of times).
// Every swap is a store write (one transaction), so the database always matches
// the undo stack's position: an undo is saved like any other edit. A write that
// fails is reported through the session and the command marks itself obsolete,
// which makes QUndoStack drop it instead of recording an edit that did not happen.
#pragma once

#include <QCoreApplication>
#include <QPolygonF>
#include <QUndoCommand>
#include <optional>
#include <vector>

#include "app/gui/annotation_types.h"
#include "widgets/canvas/mask_edit_command.h"

namespace distillery {

class ProjectSession;

// Adds or deletes one annotation: a human label drawn on the canvas, or the
// delete of any label (restored with its source, score and review state on undo).
class AnnotationPresenceCommand : public QUndoCommand {
  Q_DECLARE_TR_FUNCTIONS(AnnotationPresenceCommand)

 public:
  static AnnotationPresenceCommand* add(ProjectSession* session, AnnotationState state);
  // Null (and the reason reported) when the annotation cannot be read.
  static AnnotationPresenceCommand* remove(ProjectSession* session, int64_t id);

  void redo() override { swap(); }
  void undo() override { swap(); }
  // The annotation's current id (0 until added; valid while it exists). Hold the
  // ref, not the command: QUndoStack deletes a command whose write failed.
  const AnnotationRef& ref() const { return ref_; }

 private:
  AnnotationPresenceCommand(ProjectSession* session, AnnotationState state, AnnotationRef ref,
                            bool present, const QString& text);
  void swap();

  ProjectSession* session_;
  AnnotationState state_;
  AnnotationRef ref_;
  bool present_;
  bool returnToPool_ = false;  // a first human label on an unlabelled image: undo puts it back
};

// A new class for one label (digit keys); model output becomes Edited, and undo
// puts back both the class and the review state.
class ChangeClassCommand : public QUndoCommand {
  Q_DECLARE_TR_FUNCTIONS(ChangeClassCommand)

 public:
  ChangeClassCommand(ProjectSession* session, int64_t id, int64_t categoryId);
  void redo() override { swap(); }
  void undo() override { swap(); }

 private:
  void swap();
  ProjectSession* session_;
  AnnotationRef ref_;
  int64_t categoryId_;
  std::optional<LabelReview> review_;  // set once the first swap has read it
};

// A whole new mask for one label: a polygon whose vertices were moved.
class ReplaceMaskCommand : public QUndoCommand {
  Q_DECLARE_TR_FUNCTIONS(ReplaceMaskCommand)

 public:
  ReplaceMaskCommand(ProjectSession* session, int64_t id, Rle mask, QPolygonF outline);
  void redo() override { swap(); }
  void undo() override { swap(); }

 private:
  void swap();
  ProjectSession* session_;
  AnnotationRef ref_;
  Rle mask_;
  QPolygonF outline_;
  std::optional<LabelReview> review_;
};

// One brush or eraser stroke (the canvas' MaskEditCommand: patches before/after).
class StrokeCommand : public MaskEditCommand {
  Q_DECLARE_TR_FUNCTIONS(StrokeCommand)

 public:
  StrokeCommand(ProjectSession* session, int64_t id, MaskPatch patch, LabelReview reviewBefore);
  void undo() override;

 protected:
  void applyPatch(qint64 instanceId, QPoint origin, const cv::Mat& mask) override;

 private:
  ProjectSession* session_;
  AnnotationRef ref_;
  LabelReview reviewBefore_;
};

// Accept / reject (or any review state) for one or many pseudo-labels: one undo
// step, and for one target state one transaction ("accept all above threshold").
class ReviewCommand : public QUndoCommand {
  Q_DECLARE_TR_FUNCTIONS(ReviewCommand)

 public:
  ReviewCommand(ProjectSession* session, const std::vector<int64_t>& ids, LabelReview status);
  void redo() override { swap(); }
  void undo() override { swap(); }
  int count() const { return int(refs_.size()); }

 private:
  void swap();
  ProjectSession* session_;
  std::vector<AnnotationRef> refs_;
  std::vector<LabelReview> other_;  // the states to swap in next
};

}  // namespace distillery
