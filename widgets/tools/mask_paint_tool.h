// The base of the brush (B) and the eraser (E): paint a round stroke into or out of the
// selected instance's mask. A stroke (press..release) is one edit: on release the tool
// applies it to the canvas and emits the changed rectangle before/after (strokeCommitted),
// for the app's undo command. The brush with no instance selected makes a new mask
// (maskCommitted). Size in image pixels: [ and ], or Ctrl+wheel; a circle shows it.
#pragma once

#include <QRect>
#include <vector>

#include "widgets/canvas/mask_patch.h"
#include "widgets/tools/abstract_tool.h"

namespace distillery {

class MaskPaintTool : public AbstractTool {
  Q_OBJECT

 public:
  enum class Mode { Paint, Erase };
  static constexpr int kMinSize = 1;
  static constexpr int kMaxSize = 1000;

  MaskPaintTool(QString name, Mode mode, ImageCanvas* canvas);

  Mode mode() const { return mode_; }
  // Diameter in image pixels.
  int brushSize() const { return size_; }
  void setBrushSize(int pixels);
  void growBrush();
  void shrinkBrush();

  void mousePressed(const ToolMouseEvent& event) override;
  void mouseMoved(const ToolMouseEvent& event) override;
  void mouseReleased(const ToolMouseEvent& event) override;
  void hoverLeft() override;
  bool keyPressed(QKeyEvent* event) override;
  bool controlWheel(QWheelEvent* event) override;
  void paintOverlay(QPainter& painter, const ViewTransform& view) const override;
  bool isBusy() const override { return stroking_; }
  void cancel() override;
  QCursor cursor() const override { return QCursor(Qt::CrossCursor); }

 Q_SIGNALS:
  void strokeCommitted(qint64 id, const distillery::MaskPatch& patch);
  void maskCommitted(const cv::Mat& mask);
  void brushSizeChanged(int pixels);

 private:
  void finishStroke();
  QRect strokeRect() const;
  cv::Mat rasterise(const QRect& rect) const;

  Mode mode_;
  int size_ = 15;
  bool stroking_ = false;
  std::vector<QPointF> stroke_;  // image coordinates
  qint64 target_ = -1;
  QPointF hover_;
  bool hovering_ = false;
};

}  // namespace distillery
