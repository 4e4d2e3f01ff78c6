#include "widgets/tools/abstract_tool.h"

#include "widgets/canvas/image_canvas.h"

namespace distillery {

AbstractTool::AbstractTool(QString name, ImageCanvas* canvas)
    : QObject(canvas), name_(std::move(name)), canvas_(canvas) {}

void AbstractTool::activate() {
  active_ = true;
}

void AbstractTool::deactivate() {
  cancel();
  active_ = false;
}

double AbstractTool::imageDistance(double viewPixels) const {
  return viewPixels / canvas_->view().scale();
}

void AbstractTool::repaint() const {
  canvas_->update();
}

}  // namespace distillery
