#include "widgets/canvas/image_canvas.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QRegion>
#include <QWheelEvent>
#include <cmath>

#include "widgets/canvas/background_task.h"
#include "widgets/canvas/canvas_badge.h"
#include "widgets/canvas/image_source.h"
#include "widgets/canvas/pyramid_painter.h"
#include "widgets/tools/brush_tool.h"
#include "widgets/tools/click_segment_tool.h"
#include "widgets/tools/eraser_tool.h"
#include "widgets/tools/grabcut_tool.h"
#include "widgets/tools/polygon_tool.h"
#include "widgets/tools/select_tool.h"

namespace distillery {
namespace {

constexpr double kWheelStep = 1.25;  // zoom factor per wheel notch
const QColor kBackground(48, 48, 52);

ToolMouseEvent toolEvent(const QMouseEvent* e, const ViewTransform& view) {
  ToolMouseEvent t;
  t.viewPos = e->position();
  t.imagePos = view.toImage(e->position());
  t.button = e->button();
  t.buttons = e->buttons();
  t.modifiers = e->modifiers();
  return t;
}

}  // namespace

ImageCanvas::ImageCanvas(QWidget* parent) : QWidget(parent) {
  qRegisterMetaType<cv::Mat>();
  qRegisterMetaType<distillery::MaskPatch>();
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);  // hover feedback: brush circle, polygon rubber band
  setAttribute(Qt::WA_OpaquePaintEvent);
  workers_.setMaxThreadCount(2);
  createTools();
  setTool(ToolId::Select);
  badge_ = new CanvasBadge(this);
}

ImageCanvas::~ImageCanvas() {
  // Jobs post their results to this canvas and its tools: let them finish first.
  if (cancelLoad_) cancelLoad_->store(true);
  workers_.clear();
  workers_.waitForDone();
}

void ImageCanvas::createTools() {
  selectTool_ = new SelectTool(this);
  polygonTool_ = new PolygonTool(this);
  grabCutTool_ = new GrabCutTool(this);
  brushTool_ = new BrushTool(this);
  eraserTool_ = new EraserTool(this);
  clickSegmentTool_ = new ClickSegmentTool(this);
  connect(polygonTool_, &PolygonTool::polygonCommitted, this, &ImageCanvas::polygonCommitted);
  connect(polygonTool_, &PolygonTool::polygonEdited, this, &ImageCanvas::polygonEdited);
  connect(grabCutTool_, &GrabCutTool::maskCommitted, this, &ImageCanvas::maskCommitted);
  connect(clickSegmentTool_, &ClickSegmentTool::maskCommitted, this, &ImageCanvas::maskCommitted);
  for (MaskPaintTool* paint :
       {static_cast<MaskPaintTool*>(brushTool_), static_cast<MaskPaintTool*>(eraserTool_)}) {
    connect(paint, &MaskPaintTool::strokeCommitted, this, &ImageCanvas::strokeCommitted);
    connect(paint, &MaskPaintTool::maskCommitted, this, &ImageCanvas::maskCommitted);
  }
  for (AbstractTool* t :
       {toolFor(ToolId::Select), toolFor(ToolId::Polygon), toolFor(ToolId::Rectangle),
        toolFor(ToolId::Brush), toolFor(ToolId::Eraser), toolFor(ToolId::ClickSegment)})
    connect(t, &AbstractTool::message, this, &ImageCanvas::message);
}

AbstractTool* ImageCanvas::toolFor(ToolId id) const {
  switch (id) {
    case ToolId::Select:
      return selectTool_;
    case ToolId::Polygon:
      return polygonTool_;
    case ToolId::Rectangle:
      return grabCutTool_;
    case ToolId::Brush:
      return brushTool_;
    case ToolId::Eraser:
      return eraserTool_;
    case ToolId::ClickSegment:
      return clickSegmentTool_;
  }
  return selectTool_;
}

// ---- image -----------------------------------------------------------------

void ImageCanvas::setImage(const cv::Mat& image) {
  ImageSource source;
  source.mat = image;
  startLoad(std::move(source), QSize(image.cols, image.rows));
}

void ImageCanvas::setImage(const QImage& image) {
  ImageSource source;
  source.qimage = image;
  startLoad(std::move(source), image.size());
}

void ImageCanvas::loadImage(const QString& path) {
  ImageSource source;
  source.path = path;
  startLoad(std::move(source), QSize());
}

void ImageCanvas::clearImage() {
  resetForNewImage(QSize());
  update();
}

void ImageCanvas::resetForNewImage(QSize knownSize) {
  if (cancelLoad_) cancelLoad_->store(true);
  cancelLoad_.reset();
  ++generation_;
  if (tool_) tool_->cancel();
  image_ = cv::Mat();
  pyramid_.reset();
  displayTiles_.setPyramid(nullptr);
  loadError_.clear();
  imageSize_ = knownSize;
  overlays_.clear();
  overlays_.setImageSize(knownSize);
  if (!knownSize.isEmpty()) fitToWindow();
}

void ImageCanvas::startLoad(ImageSource source, QSize knownSize) {
  resetForNewImage(knownSize);
  cancelLoad_ = std::make_shared<std::atomic<bool>>(false);
  const quint64 generation = generation_;
  auto cancel = cancelLoad_;
  runInBackground<LoadedImage>(
      workers_, this,
      [source = std::move(source), cancel]() {
        return distillery::loadImage(source, cancel.get());
      },
      [this, generation](LoadedImage loaded) { finishLoad(generation, std::move(loaded)); });
  update();
}

void ImageCanvas::finishLoad(quint64 generation, LoadedImage loaded) {
  if (generation != generation_) return;  // a newer image replaced this one
  cancelLoad_.reset();
  if (!loaded.error.isEmpty() || !loaded.pyramid) {
    loadError_ =
        loaded.error.isEmpty() ? QStringLiteral("image loading was cancelled") : loaded.error;
    update();
    emit imageFailed(loadError_);
    return;
  }
  image_ = std::move(loaded.bgr);
  pyramid_ = std::move(loaded.pyramid);
  displayTiles_.setPyramid(pyramid_);
  const bool sizeChanged = imageSize_ != pyramid_->imageSize();
  imageSize_ = pyramid_->imageSize();
  overlays_.setImageSize(imageSize_);
  if (sizeChanged || fitMode_) fitToWindow();
  update();
  emit imageReady();
}

// ---- view ------------------------------------------------------------------

void ImageCanvas::zoomAt(QPointF viewPoint, double factor) {
  view_.zoomAt(viewPoint, factor);
  viewWasChanged(true);
}

void ImageCanvas::setView(double scale, QPointF offset) {
  view_.set(scale, offset);
  viewWasChanged(true);
}

void ImageCanvas::panBy(QPointF viewDelta) {
  view_.panBy(viewDelta);
  viewWasChanged(true);
}

void ImageCanvas::fitToWindow() {
  if (imageSize_.isEmpty()) return;
  view_.fit(imageSize_, size());
  viewWasChanged(false);
  fitMode_ = true;
}

void ImageCanvas::viewWasChanged(bool byUser) {
  if (byUser) fitMode_ = false;
  update();
  emit zoomChanged(view_.scale());
  emit viewChanged();
}

// ---- instances ---------------------------------------------------------------

// The canvas owns the selection: refreshing instances keeps it, an instance handed over with
// `selected` set takes it, and it is cleared (with a signal) when its instance disappears.
void ImageCanvas::setInstances(std::vector<OverlayInstance> instances) {
  const qint64 previous = overlays_.selectedId();
  qint64 wanted = previous;
  for (const auto& i : instances)
    if (i.selected) wanted = i.id;
  for (auto& i : instances) i.selected = i.id == wanted;
  overlays_.setInstances(std::move(instances));
  update();
  if (overlays_.selectedId() != previous) emit instanceSelected(overlays_.selectedId());
}

void ImageCanvas::upsertInstance(const OverlayInstance& instance) {
  const qint64 previous = overlays_.selectedId();
  OverlayInstance copy = instance;
  copy.selected = copy.selected || copy.id == previous;
  if (copy.selected) overlays_.setSelected(OverlayInstance::kNone);
  overlays_.upsert(std::move(copy));
  update();
  if (overlays_.selectedId() != previous) emit instanceSelected(overlays_.selectedId());
}

void ImageCanvas::removeInstance(qint64 id) {
  const bool wasSelected = id == overlays_.selectedId();
  overlays_.remove(id);
  if (wasSelected) emit instanceSelected(OverlayInstance::kNone);
  update();
}

void ImageCanvas::applyMaskPatch(qint64 id, QPoint origin, const cv::Mat& patch) {
  overlays_.applyMaskPatch(id, origin, patch);
  update();
}

void ImageCanvas::selectInstance(qint64 id) {
  if (id == overlays_.selectedId()) return;
  if (!overlays_.setSelected(id)) return;
  update();
  emit instanceSelected(id);
}

void ImageCanvas::setOverlayOpacity(double opacity) {
  style_.opacity = std::clamp(opacity, 0.0, 1.0);
  displayTiles_.invalidateAll();
  update();
}

void ImageCanvas::setOutlineOnly(bool outlineOnly) {
  style_.outlineOnly = outlineOnly;
  displayTiles_.invalidateAll();
  update();
}

void ImageCanvas::setShowScores(bool show) {
  style_.showScores = show;
  update();
}

// ---- tools -------------------------------------------------------------------

void ImageCanvas::setTool(ToolId id) {
  AbstractTool* next = toolFor(id);
  if (next == tool_) return;
  if (tool_) tool_->deactivate();
  tool_ = next;
  toolId_ = id;
  tool_->activate();
  updateCursor();
  update();
  emit toolChanged(id);
}

void ImageCanvas::setSegmentProvider(SegmentProvider provider) {
  clickSegmentTool_->setProvider(std::move(provider));
}

void ImageCanvas::setCornerStatus(const QString& text, bool busy) {
  badge_->setStatus(text, busy);
}

void ImageCanvas::updateCursor() {
  if (panning_) {
    setCursor(Qt::ClosedHandCursor);
  } else if (spaceHeld_) {
    setCursor(Qt::OpenHandCursor);
  } else {
    setCursor(tool_->cursor());
  }
}

// ---- painting ----------------------------------------------------------------

void ImageCanvas::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const QRectF imageRect(QPointF(0, 0), QSizeF(imageSize_));
  // Background only around the image: zoomed in, the tiles cover every pixel anyway.
  const QRect covered =
      pyramid_ ? view_.toView(imageRect).toAlignedRect().adjusted(1, 1, -1, -1) : QRect();
  for (const QRect& r : QRegion(rect()).subtracted(QRegion(covered)))
    painter.fillRect(r, kBackground);
  const QRectF visible = view_.toImage(QRectF(rect())).intersected(imageRect);
  for (const QRect& changed : overlays_.takeDirtyRects()) displayTiles_.invalidate(changed);
  if (pyramid_) {
    paintPyramid(painter, *pyramid_, view_, visible, [this](int level, int column, int row) {
      return displayTiles_.tile(level, column, row, overlays_, style_);
    });
  }
  paintOverlays(painter, overlays_, view_, visible, style_, pyramid_ != nullptr);
  tool_->paintOverlay(painter, view_);
  QString status = loadError_;
  if (status.isEmpty() && !pyramid_ && cancelLoad_) status = tr("Loading image…");
  if (!status.isEmpty()) {
    painter.setPen(Qt::white);
    painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, status);
  }
}

void ImageCanvas::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  if (badge_) badge_->place();
  if (fitMode_) fitToWindow();
}

// ---- mouse -------------------------------------------------------------------

void ImageCanvas::mousePressEvent(QMouseEvent* event) {
  setFocus(Qt::MouseFocusReason);
  const bool pan =
      event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && spaceHeld_);
  if (pan) {
    panning_ = true;
    lastPan_ = event->position();
    updateCursor();
    return;
  }
  tool_->mousePressed(toolEvent(event, view_));
}

void ImageCanvas::mouseMoveEvent(QMouseEvent* event) {
  if (panning_) {
    panBy(event->position() - lastPan_);
    lastPan_ = event->position();
    return;
  }
  tool_->mouseMoved(toolEvent(event, view_));
}

void ImageCanvas::mouseReleaseEvent(QMouseEvent* event) {
  if (panning_) {
    if (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton) panning_ = false;
    updateCursor();
    return;
  }
  tool_->mouseReleased(toolEvent(event, view_));
}

void ImageCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
  if (panning_ || spaceHeld_ || event->button() == Qt::MiddleButton) return;
  tool_->mouseDoubleClicked(toolEvent(event, view_));
}

void ImageCanvas::wheelEvent(QWheelEvent* event) {
  if ((event->modifiers() & Qt::ControlModifier) && tool_->controlWheel(event)) {
    event->accept();
    return;
  }
  const double notches = event->angleDelta().y() / 120.0;
  if (notches != 0.0) zoomAt(event->position(), std::pow(kWheelStep, notches));
  event->accept();
}

void ImageCanvas::leaveEvent(QEvent* event) {
  tool_->hoverLeft();
  QWidget::leaveEvent(event);
}

void ImageCanvas::focusOutEvent(QFocusEvent* event) {
  spaceHeld_ = false;  // the release may go to another widget
  updateCursor();
  QWidget::focusOutEvent(event);
}

// ---- keys --------------------------------------------------------------------

void ImageCanvas::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !(event->modifiers() & ~Qt::KeypadModifier)) {
    if (!event->isAutoRepeat()) {
      spaceHeld_ = true;
      updateCursor();
    }
    return;
  }
  if (event->matches(QKeySequence::ZoomIn)) {
    zoomAt(rect().center(), kWheelStep);
    return;
  }
  if (event->matches(QKeySequence::ZoomOut)) {
    zoomAt(rect().center(), 1.0 / kWheelStep);
    return;
  }
  if (event->key() == Qt::Key_0 && (event->modifiers() & Qt::ControlModifier)) {
    fitToWindow();
    return;
  }
  if (tool_->keyPressed(event)) return;
  if (!handleCanvasKey(event)) QWidget::keyPressEvent(event);
}

bool ImageCanvas::handleCanvasKey(QKeyEvent* event) {
  const Qt::KeyboardModifiers mods = event->modifiers() & ~Qt::KeypadModifier;
  const int key = event->key();
  const bool enterOrEsc = key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Escape;
  if (enterOrEsc && tool_->isBusy()) return true;  // mid-edit: never accept or reject
  if (key == Qt::Key_Return || key == Qt::Key_Enter) {
    emit acceptRequested();
    return true;
  }
  if (key == Qt::Key_Escape) {
    // Esc first returns to the Select tool; with Select active it rejects.
    if (toolId_ != ToolId::Select) {
      setTool(ToolId::Select);
    } else {
      emit rejectRequested();
    }
    return true;
  }
  if (key == Qt::Key_Delete || key == Qt::Key_Backspace) {
    if (selectedInstance() != OverlayInstance::kNone) emit deleteRequested(selectedInstance());
    return true;
  }
  if (mods != Qt::NoModifier) return false;
  if (key >= Qt::Key_1 && key <= Qt::Key_9) {
    emit classRequested(selectedInstance(), key - Qt::Key_0);
    return true;
  }
  if (!toolShortcuts_) return false;
  switch (key) {
    case Qt::Key_V:
      setTool(ToolId::Select);
      return true;
    case Qt::Key_P:
      setTool(ToolId::Polygon);
      return true;
    case Qt::Key_R:
      setTool(ToolId::Rectangle);
      return true;
    case Qt::Key_B:
      setTool(ToolId::Brush);
      return true;
    case Qt::Key_E:
      setTool(ToolId::Eraser);
      return true;
    case Qt::Key_S:
      setTool(ToolId::ClickSegment);
      return true;
    default:
      return false;
  }
}

void ImageCanvas::keyReleaseEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    spaceHeld_ = false;
    updateCursor();
    return;
  }
  QWidget::keyReleaseEvent(event);
}

}  // namespace distillery
