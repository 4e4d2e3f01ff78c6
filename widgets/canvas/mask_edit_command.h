// The undo pattern for mask edits (after mapeditor/tiled's undo commands): the command
// holds the changed rectangles before and after, redo() writes the afters, undo() the
// befores in reverse order. The app subclasses it and implements applyPatch() to write the
// database and refresh the canvas. Consecutive strokes on one instance merge into one undo
// step when the newer command is marked mergeable (mergeWith by id()).
//
//   class DbMaskEdit : public MaskEditCommand {
//     void applyPatch(qint64 id, QPoint origin, const cv::Mat& mask) override {
//       store_.writeMaskPatch(id, origin, mask);     // every committed edit is on disk
//       if (canvas_) canvas_->applyMaskPatch(id, origin, mask);
//     }
//   };
//   connect(canvas, &ImageCanvas::strokeCommitted, [&](qint64 id, const MaskPatch& p) {
//     undoStack->push(new DbMaskEdit(id, p, ...));  // push() calls redo(): harmless, the
//   });                                               // canvas already shows the stroke
#pragma once

#include <QString>
#include <QUndoCommand>
#include <vector>

#include "widgets/canvas/mask_patch.h"

namespace distillery {

class MaskEditCommand : public QUndoCommand {
 public:
  static constexpr int kCommandId = 0x4d41534b;  // "MASK"

  MaskEditCommand(qint64 instanceId, MaskPatch patch, const QString& text, bool mergeable = false,
                  QUndoCommand* parent = nullptr);

  void redo() override;
  void undo() override;
  int id() const override { return kCommandId; }
  // Takes in `other` when it edits the same instance and is mergeable.
  bool mergeWith(const QUndoCommand* other) override;

  qint64 instanceId() const { return instanceId_; }
  bool isMergeable() const { return mergeable_; }
  int patchCount() const { return int(patches_.size()); }

 protected:
  // Writes `mask` (CV_8U 0/255) into the instance's mask at `origin` (image pixels).
  virtual void applyPatch(qint64 instanceId, QPoint origin, const cv::Mat& mask) = 0;

 private:
  qint64 instanceId_;
  std::vector<MaskPatch> patches_;  // in the order they were made
  bool mergeable_;
};

}  // namespace distillery
