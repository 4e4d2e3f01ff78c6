#include "widgets/tools/grabcut_tool.h"

#include <QKeyEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "widgets/canvas/background_task.h"
#include "widgets/canvas/image_canvas.h"

namespace distillery {

GrabCutTool::GrabCutTool(ImageCanvas* canvas) : AbstractTool(tr("Rectangle (GrabCut)"), canvas) {}

void GrabCutTool::mousePressed(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton) return;
  if (canvas()->image().empty()) {
    emit message(tr("The image is still loading"));
    return;
  }
  start_ = end_ = event.imagePos;
  dragging_ = true;
  repaint();
}

void GrabCutTool::mouseMoved(const ToolMouseEvent& event) {
  if (!dragging_) return;
  end_ = event.imagePos;
  repaint();
}

void GrabCutTool::mouseReleased(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton || !dragging_) return;
  end_ = event.imagePos;
  dragging_ = false;
  const QRectF b = box();
  const cv::Rect pixels(int(std::floor(b.left())), int(std::floor(b.top())),
                        int(std::ceil(b.right()) - std::floor(b.left())),
                        int(std::ceil(b.bottom()) - std::floor(b.top())));
  if (pixels.width < 4 || pixels.height < 4) {
    repaint();
    return;  // a click, not a box
  }
  runningBox_ = b;
  run(pixels);
}

void GrabCutTool::run(const cv::Rect& box) {
  running_ = true;
  const quint64 generation = ++generation_;
  const cv::Mat image = canvas()->image();
  const GrabCutOptions options = options_;
  runInBackground<Result<cv::Mat>>(
      canvas()->workers(), this,
      [image, box, options]() { return grabCutInBox(image, box, options); },
      [this, generation](Result<cv::Mat> result) {
        if (generation != generation_) return;  // cancelled or superseded
        running_ = false;
        repaint();
        if (!result.ok()) {
          emit message(QString::fromStdString(result.status().message()));
          return;
        }
        emit maskCommitted(*result);
      });
  repaint();
}

bool GrabCutTool::keyPressed(QKeyEvent* event) {
  if (event->key() == Qt::Key_Escape && isBusy()) {
    cancel();
    return true;
  }
  return false;
}

void GrabCutTool::cancel() {
  dragging_ = false;
  if (running_) ++generation_;  // the pending result will be dropped
  running_ = false;
  repaint();
}

void GrabCutTool::paintOverlay(QPainter& painter, const ViewTransform& view) const {
  if (!dragging_ && !running_) return;
  painter.save();
  const QRectF r = view.toView(dragging_ ? box() : runningBox_);
  painter.setBrush(Qt::NoBrush);
  painter.setPen(QPen(Qt::black, 3.0));
  painter.drawRect(r);
  painter.setPen(QPen(QColor(255, 230, 0), 1.5, Qt::DashLine));
  painter.drawRect(r);
  if (running_) {
    painter.setPen(Qt::white);
    painter.drawText(r.adjusted(4, 4, -4, -4), Qt::AlignLeft | Qt::AlignTop, tr("GrabCut…"));
  }
  painter.restore();
}

}  // namespace distillery
