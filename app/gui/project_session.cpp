#include "app/gui/project_session.h"

#include <QColor>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QUndoCommand>
#include <map>

#include "app/gui/mask_crops.h"
#include "engine/store/project.h"

namespace distillery {
namespace {

ReviewStatus toStore(LabelReview r) {
  return static_cast<ReviewStatus>(static_cast<int>(r));
}
LabelReview fromStore(ReviewStatus r) {
  return static_cast<LabelReview>(static_cast<int>(r));
}
static_assert(static_cast<int>(LabelReview::Edited) == static_cast<int>(ReviewStatus::Edited),
              "LabelReview mirrors the store's ReviewStatus");

QString qstr(const std::string& s) {
  return QString::fromStdString(s);
}
std::filesystem::path fsPath(const QString& s) {
  return std::filesystem::path(s.toStdString());
}

}  // namespace

ProjectSession::ProjectSession(std::unique_ptr<Project> project, QString dir)
    : project_(std::move(project)), dir_(std::move(dir)) {}

ProjectSession::~ProjectSession() = default;

Result<std::unique_ptr<ProjectSession>> ProjectSession::open(const QString& dir) {
  auto project = Project::open(fsPath(dir), OpenMode::ReadWriteOrReadOnly);
  if (!project) return project.status();
  const QString abs = QFileInfo(dir).absoluteFilePath();
  return std::unique_ptr<ProjectSession>(
      new ProjectSession(std::make_unique<Project>(std::move(*project)), abs));
}

Result<std::unique_ptr<ProjectSession>> ProjectSession::create(const QString& dir,
                                                               const QString& imageRoot,
                                                               const QStringList& classes) {
  ProjectOptions options;
  if (!imageRoot.isEmpty()) options.imageRoot = fsPath(imageRoot);
  for (const QString& c : classes)
    if (!c.trimmed().isEmpty()) options.classes.push_back(c.trimmed().toStdString());
  auto project = Project::create(fsPath(dir), options);
  if (!project) return project.status();
  const QString abs = QFileInfo(dir).absoluteFilePath();
  return std::unique_ptr<ProjectSession>(
      new ProjectSession(std::make_unique<Project>(std::move(*project)), abs));
}

QString ProjectSession::name() const {
  return QFileInfo(dir_).fileName();
}
bool ProjectSession::readOnly() const {
  return project_->readOnly();
}
QString ProjectSession::readOnlyReason() const {
  return qstr(project_->readOnlyReason());
}

// ---- reads ---------------------------------------------------------------------

Result<ImageInfo> ProjectSession::image(int64_t imageId) const {
  auto entry = project_->images().get(imageId);
  if (!entry) return entry.status();
  auto file = project_->imageFile(imageId);
  if (!file) return file.status();
  ImageInfo info;
  info.id = entry->id;
  info.path = qstr(entry->path);
  info.file = QString::fromStdString(file->string());
  info.width = entry->width;
  info.height = entry->height;
  return info;
}

namespace {

AnnotationView toView(const AnnotationRecord& r, bool withMask) {
  AnnotationView v;
  v.id = r.id;
  v.imageId = r.imageId;
  v.categoryId = r.categoryId;
  if (withMask) v.mask = decodeCrop(r.mask, &v.origin);
  v.source = r.source;
  v.score = r.score;
  v.review = fromStore(r.review);
  return v;
}

}  // namespace

Result<std::vector<AnnotationView>> ProjectSession::annotations(int64_t imageId,
                                                                bool withMasks) const {
  auto records = project_->annotations().forImage(imageId);
  if (!records) return records.status();
  std::vector<AnnotationView> out;
  out.reserve(records->size());
  for (const AnnotationRecord& r : *records) {
    out.push_back(toView(r, withMasks));
    out.back().outline = outline(r.id);
  }
  return out;
}

Result<AnnotationView> ProjectSession::annotation(int64_t id, bool withMask) const {
  auto r = project_->annotations().get(id);
  if (!r) return r.status();
  AnnotationView v = toView(*r, withMask);
  v.outline = outline(id);
  return v;
}

Result<AnnotationState> ProjectSession::state(int64_t id) const {
  auto r = project_->annotations().get(id);
  if (!r) return r.status();
  AnnotationState s;
  s.imageId = r->imageId;
  s.categoryId = r->categoryId;
  s.mask = r->mask;
  s.source = r->source;
  s.score = r->score;
  s.iscrowd = r->iscrowd;
  s.review = fromStore(r->review);
  s.runId = r->runId;
  s.outline = outline(id);
  return s;
}

QList<ClassEntry> ProjectSession::classes() const {
  QList<ClassEntry> out;
  auto list = project_->categories().list();
  if (!list) return out;
  for (const CategoryInfo& c : *list) {
    ClassEntry e;
    e.id = c.id;
    e.name = qstr(c.name);
    e.colour = QColor(qstr(c.colour));
    out.push_back(e);
  }
  return out;
}

// ---- annotation writes -------------------------------------------------------------

Result<int64_t> ProjectSession::addAnnotation(const AnnotationState& s) {
  NewAnnotation a;
  a.imageId = s.imageId;
  a.categoryId = s.categoryId;
  a.mask = s.mask;
  a.source = s.source;
  a.score = s.score;
  a.iscrowd = s.iscrowd;
  a.runId = s.runId;
  auto id = project_->annotations().add(a);
  if (!id) return id.status();
  // The store starts model output Pending; an undone delete of a reviewed label restores it.
  if (s.source != Source::Human && s.review != LabelReview::Pending) {
    Status st = project_->annotations().setReviewStatus({*id}, toStore(s.review));
    if (!st.ok()) return st;
  }
  if (!s.outline.isEmpty()) outlines_[*id] = s.outline;
  changed(s.imageId, *id);
  return *id;
}

Status ProjectSession::removeAnnotation(int64_t id) {
  auto r = project_->annotations().get(id);
  if (!r) return r.status();
  Status st = project_->annotations().remove(id);
  if (!st.ok()) return st;
  outlines_.erase(id);
  handles_.erase(id);  // the id may be reused by SQLite for a new annotation
  changed(r->imageId, id);
  return st;
}

Status ProjectSession::editAnnotation(int64_t id, std::optional<int64_t> categoryId,
                                      const Rle* mask, std::optional<LabelReview> review) {
  auto r = project_->annotations().get(id);
  if (!r) return r.status();
  AnnotationEdit edit;
  edit.categoryId = categoryId;
  if (mask) edit.mask = *mask;
  Status st = project_->annotations().edit(id, edit);
  if (!st.ok()) return st;
  const LabelReview after = r->source == Source::Human ? fromStore(r->review) : LabelReview::Edited;
  if (review && *review != after && r->source != Source::Human)
    st = project_->annotations().setReviewStatus({id}, toStore(*review));
  changed(r->imageId, id);
  return st;
}

Status ProjectSession::patchMask(int64_t id, QPoint origin, const cv::Mat& patch,
                                 std::optional<LabelReview> review) {
  auto r = project_->annotations().get(id);
  if (!r) return r.status();
  const Rle mask = pasteIntoRle(r->mask, origin, patch);
  return editAnnotation(id, std::nullopt, &mask, review);
}

Status ProjectSession::setReview(const std::vector<std::pair<int64_t, LabelReview>>& decisions) {
  std::map<LabelReview, std::vector<int64_t>> byStatus;
  for (const auto& [id, review] : decisions) byStatus[review].push_back(id);
  std::map<int64_t, QList<qint64>> byImage;
  for (const auto& [id, review] : decisions) {
    auto r = project_->annotations().get(id);
    if (!r) return r.status();
    byImage[r->imageId].push_back(id);
  }
  Status result;
  for (const auto& [review, ids] : byStatus) {
    Status st = project_->annotations().setReviewStatus(ids, toStore(review));
    if (!st.ok()) {
      result = st;
      break;
    }
  }
  QList<qint64> images;
  for (const auto& [imageId, ids] : byImage) {
    emit annotationsChanged(imageId, ids);
    images.push_back(imageId);
  }
  emit imagesChanged(images);
  return result;
}

bool ProjectSession::inUnlabelledPool(int64_t imageId) const {
  auto entry = project_->images().get(imageId);
  return entry && entry->split == Split::Unlabelled;
}

Status ProjectSession::returnToUnlabelledPool(int64_t imageId) {
  auto entry = project_->images().get(imageId);
  if (!entry) return entry.status();
  if (entry->humanCount > 0 || entry->split != Split::Labelled) return {};
  return project_->images().setSplit({imageId}, Split::Unlabelled);
}

void ProjectSession::changed(int64_t imageId, int64_t annotationId) {
  emit annotationsChanged(imageId, {annotationId});
  emit imagesChanged({imageId});
}

// ---- class writes -----------------------------------------------------------------

Result<int64_t> ProjectSession::addClass(const QString& name, const QColor& colour, int64_t id) {
  auto added = project_->categories().add(
      name.toStdString(), colour.isValid() ? colour.name(QColor::HexRgb).toStdString() : "", id);
  if (added) emit classesChanged();
  return added;
}

Status ProjectSession::removeClass(int64_t id) {
  Status st = project_->categories().remove(id);
  if (st.ok()) emit classesChanged();
  return st;
}

Status ProjectSession::renameClass(int64_t id, const QString& name) {
  Status st = project_->categories().rename(id, name.toStdString());
  if (st.ok()) emit classesChanged();
  return st;
}

Status ProjectSession::recolourClass(int64_t id, const QColor& colour) {
  Status st = project_->categories().setColour(id, colour.name(QColor::HexRgb).toStdString());
  if (st.ok()) emit classesChanged();
  return st;
}

// ---- handles -----------------------------------------------------------------------

AnnotationRef ProjectSession::ref(int64_t id) {
  if (auto it = handles_.find(id); it != handles_.end())
    if (AnnotationRef existing = it->second.lock()) return existing;
  auto handle = std::make_shared<AnnotationHandle>();
  handle->id = id;
  handles_[id] = handle;
  return handle;
}

void ProjectSession::rebind(const AnnotationRef& ref, int64_t newId) {
  ref->id = newId;
  handles_[newId] = ref;
}

void ProjectSession::setOutline(int64_t id, const QPolygonF& outline) {
  if (outline.isEmpty())
    outlines_.erase(id);
  else
    outlines_[id] = outline;
}

QPolygonF ProjectSession::outline(int64_t id) const {
  auto it = outlines_.find(id);
  return it == outlines_.end() ? QPolygonF() : it->second;
}

void ProjectSession::reportError(const QString& what, const Status& status) {
  emit writeFailed(what + QStringLiteral(": ") + qstr(status.message()));
}

bool ProjectSession::keepOrDrop(QUndoCommand* command, const Status& status) {
  if (status.ok()) return true;
  reportError(command->text(), status);
  command->setObsolete(true);
  return false;
}

QString ProjectSession::teacherModel() const {
  return QSettings().value(QStringLiteral("teachers/") + QString(dir_).replace('/', '|')).toString();
}

void ProjectSession::setTeacherModel(const QString& path) {
  if (path == teacherModel()) return;
  QSettings().setValue(QStringLiteral("teachers/") + QString(dir_).replace('/', '|'), path);
  Q_EMIT teacherModelChanged(path);
}

}  // namespace distillery
