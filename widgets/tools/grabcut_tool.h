// Rectangle tool (R): drag a box; GrabCut (on a worker thread) turns it into a mask for a
// new instance (maskCommitted). Esc cancels the drag or the pending result.
#pragma once

#include <QPointF>
#include <opencv2/core.hpp>

#include "widgets/tools/abstract_tool.h"
#include "widgets/tools/grabcut_segmenter.h"

namespace distillery {

class GrabCutTool : public AbstractTool {
  Q_OBJECT

 public:
  explicit GrabCutTool(ImageCanvas* canvas);

  GrabCutOptions& options() { return options_; }
  bool isRunning() const { return running_; }

  void mousePressed(const ToolMouseEvent& event) override;
  void mouseMoved(const ToolMouseEvent& event) override;
  void mouseReleased(const ToolMouseEvent& event) override;
  bool keyPressed(QKeyEvent* event) override;
  void paintOverlay(QPainter& painter, const ViewTransform& view) const override;
  bool isBusy() const override { return dragging_ || running_; }
  void cancel() override;
  QCursor cursor() const override { return QCursor(Qt::CrossCursor); }

 Q_SIGNALS:
  void maskCommitted(const cv::Mat& mask);

 private:
  void run(const cv::Rect& box);
  QRectF box() const { return QRectF(start_, end_).normalized(); }

  GrabCutOptions options_;
  QPointF start_, end_;
  bool dragging_ = false;
  bool running_ = false;
  QRectF runningBox_;
  quint64 generation_ = 0;
};

}  // namespace distillery
