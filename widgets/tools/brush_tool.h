// Brush (B): paints into the selected instance's mask, or a new mask when none is selected.
#pragma once

#include "widgets/tools/mask_paint_tool.h"

namespace distillery {

class BrushTool : public MaskPaintTool {
  Q_OBJECT

 public:
  explicit BrushTool(ImageCanvas* canvas) : MaskPaintTool(tr("Brush"), Mode::Paint, canvas) {}
};

}  // namespace distillery
