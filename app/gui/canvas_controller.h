// Connects the canvas, the instances dock and the class digit keys to the project
// session: shows an image with its annotations, turns what the tools emit into
// undo commands, and refreshes the overlays when the session reports a change.
// The header stays free of the canvas' headers (see annotation_types.h), so files
// that include the store can include it too.
#pragma once

#include <QObject>
#include <QPolygonF>
#include <QThreadPool>
#include <unordered_map>
#include <vector>

#include "app/gui/annotation_types.h"

class QUndoStack;
class QWidget;

namespace distillery {

class ClassesPanel;
class ImageCanvas;
class InstancesPanel;
class ProjectSession;
struct MaskPatch;

class CanvasController : public QObject {
  Q_OBJECT

 public:
  CanvasController(ImageCanvas* canvas, InstancesPanel* instances, ClassesPanel* classes,
                   QUndoStack* undoStack, QObject* parent = nullptr);
  ~CanvasController() override;

  // nullptr when the project closes.
  void setSession(ProjectSession* session);

  QWidget* canvasWidget() const;
  qint64 currentImage() const { return image_.id; }
  const ImageInfo& currentImageInfo() const { return image_; }
  // The pixels are decoded and the pyramid is built.
  bool imageReady() const;
  qint64 selectedAnnotation() const;
  // Selects the label once it is on the canvas (the image may still be loading).
  void selectAnnotation(qint64 annotationId);

 public Q_SLOTS:
  // Loads the image (decoded on a worker) and its annotations; -1 clears.
  void showImage(qint64 imageId);
  // Digit 1-9: makes that class current, and gives it to the selected label.
  void assignClassByDigit(int digit);
  void deleteSelected();

 Q_SIGNALS:
  void imageShown(qint64 imageId, const QString& name);
  void message(const QString& text);
  void errorOccurred(const QString& text);

 private:
  void onAnnotationsChanged(qint64 imageId, const QList<qint64>& ids);
  void onClassesChanged();
  void onDecoded(quint64 generation, const cv::Mat& pixels, const QString& error);
  void reloadOverlays();
  void refreshInstanceRows();
  void applyPendingSelection();

  void addPolygon(const QPolygonF& polygon);
  void addMask(const cv::Mat& mask);
  void editPolygon(qint64 id, const QPolygonF& polygon);
  void strokeDone(qint64 id, const MaskPatch& patch);
  void requestDelete(qint64 id);
  void addHuman(AnnotationState state);
  // False (and says why) when the project cannot take edits.
  bool editable();

  ImageCanvas* canvas_;
  InstancesPanel* instances_;
  ClassesPanel* classes_;
  QUndoStack* undo_;
  ProjectSession* session_ = nullptr;
  ImageInfo image_;
  quint64 generation_ = 0;
  bool pixelsShown_ = false;
  qint64 pendingSelection_ = -1;
  std::unordered_map<int64_t, AnnotationView> shown_;  // metadata of the labels on the canvas
  QThreadPool decoder_;
};

}  // namespace distillery
