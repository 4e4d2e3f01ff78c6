#include "app/gui/canvas_controller.h"

#include <QFileInfo>
#include <QUndoStack>
#include <opencv2/imgcodecs.hpp>

#include "app/gui/annotation_commands.h"
#include "app/gui/project_session.h"
#include "widgets/canvas/background_task.h"
#include "widgets/canvas/image_canvas.h"
#include "widgets/canvas/mask_polygon.h"
#include "widgets/panels/classes_panel.h"
#include "widgets/panels/instances_panel.h"

namespace distillery {
namespace {

// The canvas draws model output by review state; Edited is reviewed and kept.
OverlayReview overlayReview(const AnnotationView& v) {
  if (v.source == Source::Human) return OverlayReview::None;
  switch (v.review) {
    case LabelReview::Pending:
      return OverlayReview::Pending;
    case LabelReview::Rejected:
      return OverlayReview::Rejected;
    default:
      return OverlayReview::Accepted;
  }
}

struct Decoded {
  cv::Mat pixels;
  QString error;
};

}  // namespace

CanvasController::CanvasController(ImageCanvas* canvas, InstancesPanel* instances,
                                   ClassesPanel* classes, QUndoStack* undoStack, QObject* parent)
    : QObject(parent), canvas_(canvas), instances_(instances), classes_(classes), undo_(undoStack) {
  decoder_.setMaxThreadCount(1);
  // The main window binds the tool letters as actions (rebindable, shown in menus).
  canvas_->setToolShortcutsEnabled(false);
  // Click-to-segment's provider is the SAM controller's (sam_controller.h).
  connect(canvas_, &ImageCanvas::polygonCommitted, this, &CanvasController::addPolygon);
  connect(canvas_, &ImageCanvas::maskCommitted, this, &CanvasController::addMask);
  connect(canvas_, &ImageCanvas::polygonEdited, this, &CanvasController::editPolygon);
  connect(canvas_, &ImageCanvas::strokeCommitted, this, &CanvasController::strokeDone);
  connect(canvas_, &ImageCanvas::deleteRequested, this, &CanvasController::requestDelete);
  connect(canvas_, &ImageCanvas::classRequested, this,
          [this](qint64, int digit) { assignClassByDigit(digit); });
  connect(canvas_, &ImageCanvas::instanceSelected, instances_,
          &InstancesPanel::setSelectedInstance);
  connect(canvas_, &ImageCanvas::message, this, &CanvasController::message);
  connect(canvas_, &ImageCanvas::imageFailed, this, &CanvasController::errorOccurred);
  connect(instances_, &InstancesPanel::instanceSelected, this,
          [this](qint64 id) { canvas_->selectInstance(id < 0 ? OverlayInstance::kNone : id); });
}

CanvasController::~CanvasController() {
  decoder_.waitForDone();
}

QWidget* CanvasController::canvasWidget() const {
  return canvas_;
}
bool CanvasController::imageReady() const {
  return pixelsShown_ && canvas_->isImageReady();
}
qint64 CanvasController::selectedAnnotation() const {
  const qint64 id = canvas_->selectedInstance();
  return id == OverlayInstance::kNone ? -1 : id;
}

void CanvasController::setSession(ProjectSession* session) {
  if (session_) disconnect(session_, nullptr, this, nullptr);
  session_ = session;
  showImage(-1);
  if (!session_) return;
  connect(session_, &ProjectSession::annotationsChanged, this,
          &CanvasController::onAnnotationsChanged);
  connect(session_, &ProjectSession::classesChanged, this, &CanvasController::onClassesChanged);
}

// ---- showing an image ------------------------------------------------------------------

void CanvasController::showImage(qint64 imageId) {
  ++generation_;
  image_ = ImageInfo();
  shown_.clear();
  pixelsShown_ = false;
  pendingSelection_ = -1;
  canvas_->clearImage();
  if (!session_ || imageId < 0) {
    instances_->setInstances({});
    emit imageShown(-1, QString());
    return;
  }
  auto info = session_->image(imageId);
  if (!info) {
    instances_->setInstances({});
    emit errorOccurred(QString::fromStdString(info.status().message()));
    emit imageShown(-1, QString());
    return;
  }
  image_ = *info;
  emit imageShown(imageId, QFileInfo(image_.path).fileName());
  refreshInstanceRows();
  // Decoded here, not by canvas->loadImage(), to ignore EXIF orientation: the project
  // records (and annotations use) the stored pixels, as COCO does.
  const quint64 generation = generation_;
  const QString file = image_.file;
  runInBackground<Decoded>(
      decoder_, this,
      [file]() {
        Decoded d;
        d.pixels = cv::imread(file.toStdString(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
        if (d.pixels.empty()) d.error = file + QStringLiteral(": cannot read or decode the image");
        return d;
      },
      [this, generation](Decoded d) { onDecoded(generation, d.pixels, d.error); });
}

void CanvasController::onDecoded(quint64 generation, const cv::Mat& pixels, const QString& error) {
  if (generation != generation_) return;  // another image was chosen meanwhile
  if (!error.isEmpty()) {
    emit errorOccurred(error);
    return;
  }
  if (pixels.cols != image_.width || pixels.rows != image_.height)
    emit errorOccurred(tr("%1: the file is %2x%3 but the project recorded %4x%5; its labels "
                          "cannot be edited until it is re-imported")
                           .arg(image_.path)
                           .arg(pixels.cols)
                           .arg(pixels.rows)
                           .arg(image_.width)
                           .arg(image_.height));
  canvas_->setImage(pixels);  // the pyramid is built on the canvas' workers
  pixelsShown_ = true;
  reloadOverlays();
}

namespace {

OverlayInstance toOverlay(const AnnotationView& v, const QColor& colour, bool selected) {
  OverlayInstance o;
  o.id = v.id;
  o.classId = int(v.categoryId);
  o.classColor = colour;
  o.mask = v.mask;
  o.maskOrigin = v.origin;
  o.outline = v.outline;
  o.source = v.source;
  o.score = v.source == Source::Human ? -1.0 : v.score;
  o.review = overlayReview(v);
  o.selected = selected;
  return o;
}

}  // namespace

void CanvasController::reloadOverlays() {
  if (!session_ || !pixelsShown_) return;
  auto views = session_->annotations(image_.id);
  if (!views) {
    emit errorOccurred(QString::fromStdString(views.status().message()));
    return;
  }
  QHash<qint64, QColor> colours;
  for (const ClassEntry& c : classes_->classes()) colours.insert(c.id, c.colour);
  const qint64 selected = canvas_->selectedInstance();
  std::vector<OverlayInstance> overlays;
  shown_.clear();
  for (AnnotationView& v : *views) {
    overlays.push_back(toOverlay(v, colours.value(v.categoryId), v.id == selected));
    v.mask.release();
    shown_[v.id] = std::move(v);
  }
  canvas_->setInstances(std::move(overlays));
  refreshInstanceRows();
  applyPendingSelection();
}

void CanvasController::onAnnotationsChanged(qint64 imageId, const QList<qint64>& ids) {
  if (!session_ || imageId != image_.id) return;
  if (pixelsShown_) {
    QHash<qint64, QColor> colours;
    for (const ClassEntry& c : classes_->classes()) colours.insert(c.id, c.colour);
    for (qint64 id : ids) {
      auto v = session_->annotation(id);
      if (!v || v->imageId != imageId) {
        shown_.erase(id);
        canvas_->removeInstance(id);
        continue;
      }
      canvas_->upsertInstance(
          toOverlay(*v, colours.value(v->categoryId), id == canvas_->selectedInstance()));
      v->mask.release();
      shown_[id] = std::move(*v);
    }
  }
  refreshInstanceRows();
  applyPendingSelection();
}

void CanvasController::onClassesChanged() {
  if (pixelsShown_)
    reloadOverlays();  // colours and names
  else
    refreshInstanceRows();
}

void CanvasController::refreshInstanceRows() {
  QList<InstanceRow> rows;
  if (session_ && image_.id > 0) {
    QHash<qint64, ClassEntry> classes;
    for (const ClassEntry& c : classes_->classes()) classes.insert(c.id, c);
    if (auto views = session_->annotations(image_.id, false)) {
      for (const AnnotationView& v : *views) {
        InstanceRow row;
        row.id = v.id;
        row.classId = v.categoryId;
        const ClassEntry c = classes.value(v.categoryId);
        row.className = c.name.isEmpty() ? tr("class %1").arg(v.categoryId) : c.name;
        row.colour = c.colour;
        row.source = v.source;
        row.score = v.score;
        row.review = v.review;
        rows.push_back(row);
      }
    }
  }
  instances_->setInstances(rows);
  instances_->setSelectedInstance(selectedAnnotation());
}

void CanvasController::selectAnnotation(qint64 annotationId) {
  pendingSelection_ = annotationId;
  applyPendingSelection();
}

void CanvasController::applyPendingSelection() {
  if (pendingSelection_ < 0 || !pixelsShown_) return;
  if (!canvas_->overlays().find(pendingSelection_)) return;
  canvas_->selectInstance(pendingSelection_);
  pendingSelection_ = -1;
}

// ---- edits ---------------------------------------------------------------------

bool CanvasController::editable() {
  if (!session_ || image_.id <= 0) return false;
  if (session_->readOnly()) {
    emit message(tr("The project is open read-only (%1); the edit was not saved")
                     .arg(session_->readOnlyReason()));
    return false;
  }
  return true;
}

void CanvasController::addHuman(AnnotationState state) {
  const qint64 classId = classes_->currentClassId();
  if (classId < 0) {
    emit message(tr("Add a class in the Classes panel first; new labels get the current class"));
    return;
  }
  if (rle::area(state.mask) == 0) {
    emit message(tr("The shape covers no pixel; nothing was added"));
    return;
  }
  state.imageId = image_.id;
  state.categoryId = classId;
  state.source = Source::Human;
  state.score = 1.0;
  state.review = LabelReview::Accepted;
  AnnotationPresenceCommand* command = AnnotationPresenceCommand::add(session_, std::move(state));
  const AnnotationRef ref = command->ref();
  undo_->push(command);
  if (ref->id > 0) selectAnnotation(ref->id);  // the next brush strokes go to it
}

void CanvasController::addPolygon(const QPolygonF& polygon) {
  if (!editable()) return;
  AnnotationState state;
  state.mask = rle::fromPolygon(toXy(polygon), image_.height, image_.width);
  state.outline = polygon;
  addHuman(std::move(state));
}

void CanvasController::addMask(const cv::Mat& mask) {
  if (!editable()) return;
  AnnotationState state;
  state.mask = rle::encode(mask);
  addHuman(std::move(state));
}

void CanvasController::editPolygon(qint64 id, const QPolygonF& polygon) {
  if (!editable()) {
    reloadOverlays();  // the canvas moved the vertex already: put it back
    return;
  }
  undo_->push(new ReplaceMaskCommand(
      session_, id, rle::fromPolygon(toXy(polygon), image_.height, image_.width), polygon));
}

void CanvasController::strokeDone(qint64 id, const MaskPatch& patch) {
  if (!editable()) {
    canvas_->applyMaskPatch(id, patch.origin, patch.before);  // undo what the canvas showed
    return;
  }
  auto it = shown_.find(id);
  const LabelReview before = it == shown_.end() ? LabelReview::Accepted : it->second.review;
  undo_->push(new StrokeCommand(session_, id, patch, before));
}

void CanvasController::requestDelete(qint64 id) {
  if (id < 0 || !editable()) return;
  if (QUndoCommand* command = AnnotationPresenceCommand::remove(session_, id)) undo_->push(command);
}

void CanvasController::deleteSelected() {
  requestDelete(selectedAnnotation());
}

void CanvasController::assignClassByDigit(int digit) {
  if (!classes_->selectByShortcut(digit)) {
    emit message(tr("No class has the key %1").arg(digit));
    return;
  }
  const qint64 classId = classes_->currentClassId();
  const qint64 selected = selectedAnnotation();
  if (selected < 0) return;  // the class for the next label
  auto it = shown_.find(selected);
  if (it != shown_.end() && it->second.categoryId == classId) return;
  if (!editable()) return;
  undo_->push(new ChangeClassCommand(session_, selected, classId));
}

}  // namespace distillery
