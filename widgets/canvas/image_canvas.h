// The annotation canvas: one image drawn from a tile pyramid, the instance overlays, and
// the active tool. Zoom at the cursor (wheel), pan (Space+drag, middle-drag), fit (Ctrl+0).
// Decoding and the pyramid are built on the canvas' worker pool, never on the GUI thread.
//
// The canvas shows data the app owns: tools emit what the user made (signals below) and
// the app turns each into an undo command that writes the database, then calls
// upsertInstance/removeInstance/applyMaskPatch. Edits of an instance already on the canvas
// (brush strokes, vertex drags) are also applied here at once, so they show without waiting
// for the app; applying them again from the command's redo() is harmless. See docs/canvas.md.
#pragma once

#include <QImage>
#include <QPolygonF>
#include <QThreadPool>
#include <QWidget>
#include <atomic>
#include <memory>
#include <opencv2/core.hpp>
#include <vector>

#include "widgets/canvas/display_tile_cache.h"
#include "widgets/canvas/image_pyramid.h"
#include "widgets/canvas/mask_patch.h"
#include "widgets/canvas/overlay_layer.h"
#include "widgets/canvas/overlay_painter.h"
#include "widgets/canvas/view_transform.h"
#include "widgets/tools/segment_provider.h"

namespace distillery {

class AbstractTool;
class BrushTool;
class CanvasBadge;
class ClickSegmentTool;
class EraserTool;
class GrabCutTool;
class PolygonTool;
class SelectTool;
struct ImageSource;
struct LoadedImage;

class ImageCanvas : public QWidget {
  Q_OBJECT

 public:
  enum class ToolId { Select, Polygon, Rectangle, Brush, Eraser, ClickSegment };
  Q_ENUM(ToolId)

  explicit ImageCanvas(QWidget* parent = nullptr);
  ~ImageCanvas() override;

  // ---- image (each call clears the instances and cancels unfinished tool edits) ----
  // The canvas keeps a reference to `image`: do not modify it in place afterwards.
  void setImage(const cv::Mat& image);
  void setImage(const QImage& image);
  // Decoded on a worker; imageReady() or imageFailed(reason) follows.
  void loadImage(const QString& path);
  void clearImage();
  bool isImageReady() const { return pyramid_ != nullptr; }
  QSize imageSize() const { return imageSize_; }
  // The 8-bit BGR pixels (empty until ready).
  const cv::Mat& image() const { return image_; }
  std::shared_ptr<const ImagePyramid> pyramid() const { return pyramid_; }

  // ---- view ----
  const ViewTransform& view() const { return view_; }
  double zoom() const { return view_.scale(); }
  QPointF mapToImage(QPointF viewPoint) const { return view_.toImage(viewPoint); }
  QPointF mapFromImage(QPointF imagePoint) const { return view_.toView(imagePoint); }
  void zoomAt(QPointF viewPoint, double factor);
  void setView(double scale, QPointF offset);
  void panBy(QPointF viewDelta);
  // The whole image, centred; stays fitted on resize until the user zooms or pans.
  void fitToWindow();

  // ---- instances ----
  void setInstances(std::vector<OverlayInstance> instances);
  void upsertInstance(const OverlayInstance& instance);
  void removeInstance(qint64 id);
  void applyMaskPatch(qint64 id, QPoint origin, const cv::Mat& patch);
  const OverlayLayer& overlays() const { return overlays_; }
  qint64 selectedInstance() const { return overlays_.selectedId(); }
  // Selects (kNone: clears) and emits instanceSelected when the selection changed.
  void selectInstance(qint64 id);
  const OverlayStyle& overlayStyle() const { return style_; }
  void setOverlayOpacity(double opacity);
  void setOutlineOnly(bool outlineOnly);
  void setShowScores(bool show);

  // ---- tools ----
  ToolId toolId() const { return toolId_; }
  AbstractTool* tool() const { return tool_; }
  void setTool(ToolId id);
  SelectTool* selectTool() const { return selectTool_; }
  PolygonTool* polygonTool() const { return polygonTool_; }
  GrabCutTool* grabCutTool() const { return grabCutTool_; }
  BrushTool* brushTool() const { return brushTool_; }
  EraserTool* eraserTool() const { return eraserTool_; }
  ClickSegmentTool* clickSegmentTool() const { return clickSegmentTool_; }
  // What click-to-segment asks for proposals (runs on a worker thread).
  void setSegmentProvider(SegmentProvider provider);
  // Tool letters (V P R B E S) on the canvas itself; the app may bind them to actions instead.
  void setToolShortcutsEnabled(bool enabled) { toolShortcuts_ = enabled; }
  // Background work of the canvas and its tools (pyramids, GrabCut, proposals).
  QThreadPool& workers() { return workers_; }
  // A status in the top-right corner for background work on this image (e.g. an
  // embedding in progress); empty text hides it, `busy` shows a spinner.
  void setCornerStatus(const QString& text, bool busy = false);
  CanvasBadge* cornerBadge() const { return badge_; }
  // Image tiles with fills composited in (exposed for tests and the benchmark).
  const DisplayTileCache& displayTiles() const { return displayTiles_; }

 Q_SIGNALS:
  void imageReady();
  void imageFailed(const QString& reason);
  void zoomChanged(double scale);
  void viewChanged();
  void toolChanged(distillery::ImageCanvas::ToolId tool);
  // A closed polygon in image coordinates (a new instance).
  void polygonCommitted(const QPolygonF& polygon);
  // New vertices for an existing polygon instance (a vertex drag or a Shift+click removal).
  void polygonEdited(qint64 id, const QPolygonF& polygon);
  // A mask for a new instance: CV_8U 0/255, image-sized (GrabCut, click-to-segment, brush
  // strokes made with no instance selected).
  void maskCommitted(const cv::Mat& mask);
  // One brush or eraser stroke on an existing instance: the changed rectangle before/after.
  void strokeCommitted(qint64 id, const distillery::MaskPatch& patch);
  void instanceSelected(qint64 id);  // kNone when the selection was cleared
  void deleteRequested(qint64 id);
  // Digit k (1-9): the class for the selected instance, or for the next one (id kNone).
  void classRequested(qint64 id, int classIndex);
  // Enter / Esc while no tool is mid-edit: accept / reject (the review queue).
  void acceptRequested();
  void rejectRequested();
  // Messages for the status bar / log (a tool could not do what was asked, and why).
  void message(const QString& text);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void focusOutEvent(QFocusEvent* event) override;

 private:
  void startLoad(ImageSource source, QSize knownSize);
  void finishLoad(quint64 generation, LoadedImage loaded);
  void resetForNewImage(QSize knownSize);
  bool handleCanvasKey(QKeyEvent* event);
  void viewWasChanged(bool byUser);
  void updateCursor();
  void createTools();
  AbstractTool* toolFor(ToolId id) const;

  QThreadPool workers_;
  cv::Mat image_;
  std::shared_ptr<const ImagePyramid> pyramid_;
  QSize imageSize_;
  quint64 generation_ = 0;
  std::shared_ptr<std::atomic<bool>> cancelLoad_;
  QString loadError_;

  ViewTransform view_;
  bool fitMode_ = true;
  bool spaceHeld_ = false;
  bool panning_ = false;
  QPointF lastPan_;

  OverlayLayer overlays_;
  OverlayStyle style_;
  DisplayTileCache displayTiles_;

  ToolId toolId_ = ToolId::Select;
  AbstractTool* tool_ = nullptr;
  SelectTool* selectTool_ = nullptr;
  PolygonTool* polygonTool_ = nullptr;
  GrabCutTool* grabCutTool_ = nullptr;
  BrushTool* brushTool_ = nullptr;
  EraserTool* eraserTool_ = nullptr;
  ClickSegmentTool* clickSegmentTool_ = nullptr;
  bool toolShortcuts_ = true;
  CanvasBadge* badge_ = nullptr;
};

}  // namespace distillery
