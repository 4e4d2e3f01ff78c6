#include "widgets/tools/select_tool.h"

#include "widgets/canvas/image_canvas.h"

namespace distillery {

SelectTool::SelectTool(ImageCanvas* canvas) : AbstractTool(tr("Select"), canvas) {}

void SelectTool::mousePressed(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton) return;
  canvas()->selectInstance(canvas()->overlays().topmostAt(event.imagePos));
}

}  // namespace distillery
