// Eraser (E): removes pixels from the selected instance's mask.
#pragma once

#include "widgets/tools/mask_paint_tool.h"

namespace distillery {

class EraserTool : public MaskPaintTool {
  Q_OBJECT

 public:
  explicit EraserTool(ImageCanvas* canvas) : MaskPaintTool(tr("Eraser"), Mode::Erase, canvas) {}
};

}  // namespace distillery
