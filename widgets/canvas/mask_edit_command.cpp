#include "widgets/canvas/mask_edit_command.h"

namespace distillery {

MaskEditCommand::MaskEditCommand(qint64 instanceId, MaskPatch patch, const QString& text,
                                 bool mergeable, QUndoCommand* parent)
    : QUndoCommand(text, parent), instanceId_(instanceId), mergeable_(mergeable) {
  patches_.push_back(std::move(patch));
}

void MaskEditCommand::redo() {
  for (const MaskPatch& p : patches_) applyPatch(instanceId_, p.origin, p.after);
}

void MaskEditCommand::undo() {
  // Reverse order: overlapping patches restore the oldest state last.
  for (auto it = patches_.rbegin(); it != patches_.rend(); ++it)
    applyPatch(instanceId_, it->origin, it->before);
}

bool MaskEditCommand::mergeWith(const QUndoCommand* other) {
  const auto* edit = dynamic_cast<const MaskEditCommand*>(other);
  if (!edit || edit->instanceId_ != instanceId_ || !edit->mergeable_) return false;
  patches_.insert(patches_.end(), edit->patches_.begin(), edit->patches_.end());
  return true;
}

}  // namespace distillery
