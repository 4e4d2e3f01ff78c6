// Polygon tool (P). Click to place vertices; close by clicking the first vertex,
// double-clicking (which places a last vertex where it is), or Enter. A closed polygon is
// committed at once (polygonCommitted). While drawing: Shift+click removes a vertex,
// dragging a vertex moves it, Backspace removes the last one, Esc cancels.
// Editing an existing polygon: with an instance selected that has an outline polygon, its
// vertices show as handles; drag one to move it or Shift+click it to remove it
// (polygonEdited). Vertices are clamped to the image.
#pragma once

#include <QPolygonF>

#include "widgets/tools/abstract_tool.h"

namespace distillery {

class PolygonTool : public AbstractTool {
  Q_OBJECT

 public:
  static constexpr double kHandleRadius = 7.0;   // view pixels
  static constexpr double kDragThreshold = 3.0;  // view pixels before a press becomes a drag

  explicit PolygonTool(ImageCanvas* canvas);

  const QPolygonF& pendingPolygon() const { return points_; }

  void mousePressed(const ToolMouseEvent& event) override;
  void mouseMoved(const ToolMouseEvent& event) override;
  void mouseReleased(const ToolMouseEvent& event) override;
  void mouseDoubleClicked(const ToolMouseEvent& event) override;
  void hoverLeft() override;
  bool keyPressed(QKeyEvent* event) override;
  void paintOverlay(QPainter& painter, const ViewTransform& view) const override;
  bool isBusy() const override { return drawing_ || dragIndex_ >= 0; }
  void cancel() override;
  QCursor cursor() const override { return QCursor(Qt::CrossCursor); }

 Q_SIGNALS:
  void polygonCommitted(const QPolygonF& polygon);
  void polygonEdited(qint64 id, const QPolygonF& polygon);

 private:
  int vertexAt(const QPolygonF& polygon, QPointF viewPos) const;
  QPointF clamped(QPointF imagePos) const;
  const QPolygonF* selectedOutline(qint64* id) const;
  void pressWhileDrawing(const ToolMouseEvent& event);
  void pressOnSelected(const ToolMouseEvent& event);
  void close();
  void applyEdit(qint64 id, const QPolygonF& polygon);

  QPolygonF points_;
  bool drawing_ = false;
  QPointF hover_;
  bool hovering_ = false;
  int dragIndex_ = -1;  // vertex being dragged (in points_ or editPolygon_)
  bool dragMoved_ = false;
  QPointF pressView_;
  qint64 editId_ = -1;  // kNone: the drag is on the polygon being drawn
  QPolygonF editPolygon_;
};

}  // namespace distillery
