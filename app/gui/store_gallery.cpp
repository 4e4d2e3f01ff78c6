#include "app/gui/store_gallery.h"

#include <QFileInfo>
#include <QImageReader>

#include "engine/store/project.h"

namespace distillery {
namespace {

GalleryQuery toQuery(const GalleryFilter& filter, GalleryOrder order, int64_t offset, int limit) {
  GalleryQuery q;
  if (filter.status) q.status = static_cast<ImageStatus>(static_cast<int>(*filter.status));
  // Review order: most uncertain first, unscored last (SQLite sorts NULLs last descending).
  q.sort = order == GalleryOrder::Uncertainty ? GallerySort::Uncertainty : GallerySort::Name;
  q.descending = order == GalleryOrder::Uncertainty;
  q.offset = offset;
  q.limit = limit;
  return q;
}

GalleryRow toRow(const ImageEntry& e) {
  GalleryRow row;
  row.imageId = e.id;
  row.fileName = QFileInfo(QString::fromStdString(e.path)).fileName();
  row.width = e.width;
  row.height = e.height;
  row.status = static_cast<GalleryStatus>(static_cast<int>(e.status));
  row.humanCount = e.humanCount;
  row.teacherCount = e.pendingCount + e.acceptedCount + e.rejectedCount;
  row.uncertainty = e.uncertainty;
  return row;
}

}  // namespace

int64_t StoreGalleryPages::count(const GalleryFilter& filter) {
  std::optional<ImageStatus> status;
  if (filter.status) status = static_cast<ImageStatus>(static_cast<int>(*filter.status));
  auto n = project_.images().count(status);
  return n ? *n : 0;
}

std::vector<GalleryRow> StoreGalleryPages::page(const GalleryFilter& filter, GalleryOrder order,
                                                int64_t offset, int limit) {
  std::vector<GalleryRow> rows;
  auto entries = project_.images().page(toQuery(filter, order, offset, limit));
  if (!entries) return rows;
  rows.reserve(entries->size());
  for (const ImageEntry& e : *entries) rows.push_back(toRow(e));
  return rows;
}

int64_t StoreGalleryPages::indexOf(const GalleryFilter& filter, GalleryOrder order,
                                   int64_t imageId) {
  auto index = project_.images().indexOf(toQuery(filter, order, 0, 1), imageId);
  return index ? *index : -1;
}

GalleryCounts StoreGalleryPages::counts() {
  GalleryCounts c;
  auto counts = project_.images().counts();
  if (!counts) return c;
  c.total = counts->total;
  for (int s = 0; s < kGalleryStatusCount; ++s) c.byStatus[size_t(s)] = counts->byStatus[size_t(s)];
  return c;
}

int64_t StoreGalleryPages::nextNeedingReview(const GalleryFilter& filter, GalleryOrder order,
                                             int64_t fromRow) {
  constexpr int kPage = 200;
  const int64_t total = count(filter);
  // Rows after fromRow, then from the top up to fromRow: the whole list once.
  for (int64_t scanned = 0, row = fromRow + 1; scanned < total;) {
    if (row >= total) row = 0;
    auto entries = project_.images().page(toQuery(filter, order, row, kPage));
    if (!entries || entries->empty()) return -1;
    for (const ImageEntry& e : *entries) {
      if (scanned++ >= total) return -1;
      if (e.pendingCount > 0 && row != fromRow) return e.id;
      ++row;
    }
  }
  return -1;
}

// ---- thumbnails ----------------------------------------------------------------

StoreThumbnails::StoreThumbnails(QString projectDir) : dir_(std::move(projectDir)) {}
StoreThumbnails::~StoreThumbnails() = default;

int StoreThumbnails::connectionCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return opened_;
}

std::unique_ptr<Project> StoreThumbnails::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  auto opened = Project::open(dir_.toStdString(), OpenMode::ReadOnly);
  if (!opened) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  ++opened_;
  return std::make_unique<Project>(std::move(*opened));
}

void StoreThumbnails::release(std::unique_ptr<Project> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(connection));
}

QImage StoreThumbnails::thumbnail(int64_t imageId, QSize size) {
  std::unique_ptr<Project> c = acquire();
  if (!c) return {};
  // The project's cache (thumbs/<hash>-256.jpg) first; if it cannot be written
  // (read-only folder), decode the file scaled.
  QString file;
  if (auto cached = c->ensureThumbnail(imageId)) {
    file = QString::fromStdString(cached->string());
  } else if (auto original = c->imageFile(imageId)) {
    file = QString::fromStdString(original->string());
  }
  release(std::move(c));
  if (file.isEmpty()) return {};
  QImageReader reader(file);
  reader.setAutoTransform(false);  // stored pixels, as the annotations are
  const QSize full = reader.size();
  if (full.isValid()) reader.setScaledSize(full.scaled(size, Qt::KeepAspectRatio));
  return reader.read();
}

}  // namespace distillery
