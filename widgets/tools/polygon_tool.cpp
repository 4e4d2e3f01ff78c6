#include "widgets/tools/polygon_tool.h"

#include <QKeyEvent>
#include <QLineF>
#include <QPainter>
#include <algorithm>

#include "widgets/canvas/image_canvas.h"

namespace distillery {
namespace {

void drawHandles(QPainter& painter, const QPolygonF& viewPolygon, int highlighted) {
  for (int i = 0; i < viewPolygon.size(); ++i) {
    const double r = i == highlighted ? 6.0 : 4.0;
    painter.setPen(QPen(Qt::black, 1.0));
    painter.setBrush(i == highlighted ? QColor(80, 230, 120) : QColor(Qt::white));
    painter.drawRect(QRectF(viewPolygon[i] - QPointF(r, r), QSizeF(2 * r, 2 * r)));
  }
}

QPolygonF toView(const QPolygonF& image, const ViewTransform& view) {
  return view.imageToView().map(image);
}

}  // namespace

PolygonTool::PolygonTool(ImageCanvas* canvas) : AbstractTool(tr("Polygon"), canvas) {}

int PolygonTool::vertexAt(const QPolygonF& polygon, QPointF viewPos) const {
  const ViewTransform& view = canvas()->view();
  int best = -1;
  double bestDistance = kHandleRadius;
  for (int i = 0; i < polygon.size(); ++i) {
    const double d = QLineF(view.toView(polygon[i]), viewPos).length();
    if (d <= bestDistance) {
      best = i;
      bestDistance = d;
    }
  }
  return best;
}

QPointF PolygonTool::clamped(QPointF p) const {
  const QSize size = canvas()->imageSize();
  if (size.isEmpty()) return p;
  return QPointF(std::clamp(p.x(), 0.0, double(size.width())),
                 std::clamp(p.y(), 0.0, double(size.height())));
}

const QPolygonF* PolygonTool::selectedOutline(qint64* id) const {
  *id = canvas()->selectedInstance();
  const OverlayInstance* instance = canvas()->overlays().find(*id);
  if (!instance || instance->outline.size() < 3) return nullptr;
  return &instance->outline;
}

void PolygonTool::mousePressed(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton) return;
  pressView_ = event.viewPos;
  dragMoved_ = false;
  if (drawing_) {
    pressWhileDrawing(event);
  } else {
    pressOnSelected(event);
  }
  repaint();
}

void PolygonTool::pressWhileDrawing(const ToolMouseEvent& event) {
  const int hit = vertexAt(points_, event.viewPos);
  if (event.modifiers & Qt::ShiftModifier) {
    if (hit >= 0) points_.remove(hit);
    if (points_.isEmpty()) drawing_ = false;
    return;
  }
  if (hit == 0 && points_.size() >= 3) {
    close();
    return;
  }
  if (hit >= 0) {
    editId_ = OverlayInstance::kNone;
    dragIndex_ = hit;  // a click on a vertex adds nothing; a drag moves it
    return;
  }
  points_ << clamped(event.imagePos);
}

void PolygonTool::pressOnSelected(const ToolMouseEvent& event) {
  qint64 id = OverlayInstance::kNone;
  if (const QPolygonF* outline = selectedOutline(&id)) {
    const int hit = vertexAt(*outline, event.viewPos);
    if (hit >= 0 && (event.modifiers & Qt::ShiftModifier)) {
      if (outline->size() <= 3) {
        emit message(tr("A polygon needs at least three vertices"));
        return;
      }
      QPolygonF edited = *outline;
      edited.remove(hit);
      applyEdit(id, edited);
      return;
    }
    if (hit >= 0) {
      editId_ = id;
      editPolygon_ = *outline;
      dragIndex_ = hit;
      return;
    }
  }
  if (event.modifiers & Qt::ShiftModifier) return;
  points_ = QPolygonF() << clamped(event.imagePos);
  drawing_ = true;
}

void PolygonTool::mouseMoved(const ToolMouseEvent& event) {
  hover_ = clamped(event.imagePos);
  hovering_ = true;
  if (dragIndex_ >= 0 && (event.buttons & Qt::LeftButton)) {
    if (QLineF(pressView_, event.viewPos).length() >= kDragThreshold) dragMoved_ = true;
    if (dragMoved_) {
      QPolygonF& target = editId_ == OverlayInstance::kNone ? points_ : editPolygon_;
      if (dragIndex_ < target.size()) target[dragIndex_] = hover_;
    }
  }
  repaint();
}

void PolygonTool::mouseReleased(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton || dragIndex_ < 0) return;
  if (editId_ != OverlayInstance::kNone && dragMoved_) applyEdit(editId_, editPolygon_);
  dragIndex_ = -1;
  editId_ = OverlayInstance::kNone;
  editPolygon_.clear();
  repaint();
}

void PolygonTool::mouseDoubleClicked(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton) return;
  if (!drawing_) {
    mousePressed(event);
    return;
  }
  // A real double-click has already placed this vertex with its first press.
  const QPointF p = clamped(event.imagePos);
  if (points_.isEmpty() ||
      QLineF(canvas()->view().toView(points_.last()), event.viewPos).length() > kHandleRadius)
    points_ << p;
  if (points_.size() >= 3) close();
  repaint();
}

void PolygonTool::hoverLeft() {
  hovering_ = false;
  repaint();
}

bool PolygonTool::keyPressed(QKeyEvent* event) {
  if (!drawing_) return false;
  switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
      if (points_.size() >= 3) {
        close();
      } else {
        emit message(tr("A polygon needs at least three vertices"));
      }
      return true;
    case Qt::Key_Escape:
      cancel();
      return true;
    case Qt::Key_Backspace:
      points_.removeLast();
      if (points_.isEmpty()) drawing_ = false;
      repaint();
      return true;
    default:
      return false;
  }
}

void PolygonTool::close() {
  const QPolygonF polygon = points_;
  points_.clear();
  drawing_ = false;
  dragIndex_ = -1;
  repaint();
  emit polygonCommitted(polygon);
}

void PolygonTool::applyEdit(qint64 id, const QPolygonF& polygon) {
  const OverlayInstance* current = canvas()->overlays().find(id);
  if (!current) return;
  OverlayInstance edited = *current;
  edited.outline = polygon;
  edited.mask = cv::Mat();  // the mask follows the polygon
  edited.maskOrigin = QPoint();
  canvas()->upsertInstance(edited);
  emit polygonEdited(id, polygon);
}

void PolygonTool::cancel() {
  points_.clear();
  drawing_ = false;
  dragIndex_ = -1;
  editId_ = OverlayInstance::kNone;
  editPolygon_.clear();
  repaint();
}

void PolygonTool::paintOverlay(QPainter& painter, const ViewTransform& view) const {
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  if (drawing_) {
    const QPolygonF v = toView(points_, view);
    painter.setPen(QPen(QColor(255, 230, 0), 2.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawPolyline(v);
    if (hovering_ && !v.isEmpty()) {
      painter.setPen(QPen(QColor(255, 230, 0), 1.0, Qt::DashLine));
      painter.drawLine(v.last(), view.toView(hover_));
    }
    const bool closable =
        points_.size() >= 3 && hovering_ && vertexAt(points_, view.toView(hover_)) == 0;
    drawHandles(painter, v, closable ? 0 : -1);
  } else if (dragIndex_ >= 0 && editId_ != OverlayInstance::kNone) {
    const QPolygonF v = toView(editPolygon_, view);
    painter.setPen(QPen(QColor(255, 230, 0), 2.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawPolygon(v);
    drawHandles(painter, v, dragIndex_);
  } else {
    qint64 id = OverlayInstance::kNone;
    if (const QPolygonF* outline = selectedOutline(&id))
      drawHandles(painter, toView(*outline, view), -1);
  }
  painter.restore();
}

}  // namespace distillery
