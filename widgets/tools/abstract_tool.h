// The base of the canvas tools (after mapeditor/tiled's AbstractTool): the canvas forwards
// mouse and key events, already mapped to image coordinates, to the active tool, and paints
// the tool's overlay on top of the image and instances. Tools emit what they made; the app
// turns that into undo commands and database writes.
#pragma once

#include <QCursor>
#include <QObject>
#include <QPointF>
#include <QString>

class QKeyEvent;
class QPainter;
class QWheelEvent;

namespace distillery {

class ImageCanvas;
class ViewTransform;

struct ToolMouseEvent {
  QPointF viewPos;   // widget pixels
  QPointF imagePos;  // image pixels (continuous: pixel (x, y) covers [x, x+1) x [y, y+1))
  Qt::MouseButton button = Qt::NoButton;  // the button that changed (press/release)
  Qt::MouseButtons buttons;               // buttons held
  Qt::KeyboardModifiers modifiers;
};

class AbstractTool : public QObject {
  Q_OBJECT

 public:
  AbstractTool(QString name, ImageCanvas* canvas);

  const QString& name() const { return name_; }
  bool isActive() const { return active_; }

  virtual void activate();
  // Drops any unfinished edit.
  virtual void deactivate();

  virtual void mousePressed(const ToolMouseEvent& event) {}
  virtual void mouseMoved(const ToolMouseEvent& event) {}
  virtual void mouseReleased(const ToolMouseEvent& event) {}
  virtual void mouseDoubleClicked(const ToolMouseEvent& event) {}
  // The pointer left the canvas (hide hover feedback).
  virtual void hoverLeft() {}
  // Return true when the key was used; otherwise the canvas handles it.
  virtual bool keyPressed(QKeyEvent* event) { return false; }
  // Ctrl+wheel; return true when used (otherwise the canvas zooms).
  virtual bool controlWheel(QWheelEvent* event) { return false; }
  // Painted in view coordinates over the image and the instances.
  virtual void paintOverlay(QPainter& painter, const ViewTransform& view) const {}

  // Mid-edit (a polygon being drawn, a stroke, pending points): Enter and Esc go to the tool
  // instead of becoming the canvas' accept/reject requests.
  virtual bool isBusy() const { return false; }
  // Drops the unfinished edit, if any.
  virtual void cancel() {}
  virtual QCursor cursor() const { return QCursor(Qt::ArrowCursor); }

 Q_SIGNALS:
  // A short user-facing message (e.g. why a click did nothing).
  void message(const QString& text);

 protected:
  ImageCanvas* canvas() const { return canvas_; }
  // A distance of `viewPixels` screen pixels in image pixels at the current zoom.
  double imageDistance(double viewPixels) const;
  void repaint() const;

 private:
  QString name_;
  ImageCanvas* canvas_;
  bool active_ = false;
};

}  // namespace distillery
