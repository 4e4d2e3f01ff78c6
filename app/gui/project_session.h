// The open project as the workbench edits it: the GUI thread's store handle, the
// annotation handles undo commands hold, and change notifications for the views.
//
// Every write is one store call (one transaction), on disk when it returns; there
// is no Save. After each successful write the session emits annotationsChanged /
// classesChanged, and the views re-read what they show: the database stays the
// only truth. This header stays free of engine/store (see annotation_types.h);
// store-side code reaches the Project through project().
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <memory>
#include <unordered_map>
#include <vector>

#include "app/gui/annotation_types.h"
#include "engine/util/status.h"
#include "widgets/panels/classes_panel.h"

class QUndoCommand;

namespace distillery {

class Project;

class ProjectSession : public QObject {
  Q_OBJECT

 public:
  // Opens read-write, or read-only when another process writes it (readOnlyReason says why).
  static Result<std::unique_ptr<ProjectSession>> open(const QString& dir);
  // Creates the project folder with its classes, then opens it.
  static Result<std::unique_ptr<ProjectSession>> create(const QString& dir,
                                                        const QString& imageRoot,
                                                        const QStringList& classes);
  ~ProjectSession() override;

  Project& project() { return *project_; }
  QString dir() const { return dir_; }
  QString name() const;  // the folder's name
  bool readOnly() const;
  QString readOnlyReason() const;

  // The teacher (a TorchScript FILE.pt meeting the contract) the teacher panel chose
  // and the pipeline trains from; remembered per project folder in QSettings.
  QString teacherModel() const;
  void setTeacherModel(const QString& path);

  // ---- reads (GUI thread) ----
  Result<ImageInfo> image(int64_t imageId) const;
  Result<std::vector<AnnotationView>> annotations(int64_t imageId, bool withMasks = true) const;
  Result<AnnotationView> annotation(int64_t id, bool withMask = true) const;
  Result<AnnotationState> state(int64_t id) const;
  QList<ClassEntry> classes() const;

  // ---- annotation writes: each one transaction (two where noted) ----
  // Adds an annotation. Human ones start accepted; model output with another
  // review state is set to it afterwards (second transaction).
  Result<int64_t> addAnnotation(const AnnotationState& state);
  Status removeAnnotation(int64_t id);
  // Category and/or mask, as a human edit (model output becomes Edited); when
  // `review` differs from the result (an undo) it is set back (second transaction).
  Status editAnnotation(int64_t id, std::optional<int64_t> categoryId, const Rle* mask,
                        std::optional<LabelReview> review);
  // Writes `patch` (CV_8U 0/255 at `origin`) into the mask.
  Status patchMask(int64_t id, QPoint origin, const cv::Mat& patch,
                   std::optional<LabelReview> review);
  // One transaction per distinct status.
  Status setReview(const std::vector<std::pair<int64_t, LabelReview>>& decisions);

  // The image is in the unlabelled pool (not labelled, val or test).
  bool inUnlabelledPool(int64_t imageId) const;
  // Puts an image back into the unlabelled pool if it has no human label left: the
  // undo of a first label (the store moves an image out of the pool on a human add).
  Status returnToUnlabelledPool(int64_t imageId);

  // ---- class writes ----
  Result<int64_t> addClass(const QString& name, const QColor& colour, int64_t id = 0);
  Status removeClass(int64_t id);
  Status renameClass(int64_t id, const QString& name);
  Status recolourClass(int64_t id, const QColor& colour);

  // ---- handles for undo commands ----
  AnnotationRef ref(int64_t id);
  // The annotation behind `ref` was added again under `newId`.
  void rebind(const AnnotationRef& ref, int64_t newId);
  // The polygon an annotation was drawn as (kept for vertex editing, not stored).
  void setOutline(int64_t id, const QPolygonF& outline);
  QPolygonF outline(int64_t id) const;

  // Reports a failed write (log panel + message box, by whoever listens).
  void reportError(const QString& what, const Status& status);
  // For undo commands: true when `status` is ok; otherwise reports it and marks the
  // command obsolete, so QUndoStack drops it instead of recording an edit that failed.
  bool keepOrDrop(QUndoCommand* command, const Status& status);

 Q_SIGNALS:
  void annotationsChanged(qint64 imageId, const QList<qint64>& annotationIds);
  // Once per write, with every image it touched (the gallery's badges and counts).
  void imagesChanged(const QList<qint64>& imageIds);
  void classesChanged();
  void writeFailed(const QString& message);
  void teacherModelChanged(const QString& path);

 private:
  ProjectSession(std::unique_ptr<Project> project, QString dir);
  void changed(int64_t imageId, int64_t annotationId);

  std::unique_ptr<Project> project_;
  QString dir_;
  std::unordered_map<int64_t, std::weak_ptr<AnnotationHandle>> handles_;
  std::unordered_map<int64_t, QPolygonF> outlines_;
};

}  // namespace distillery
