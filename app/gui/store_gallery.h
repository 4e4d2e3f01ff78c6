// The gallery dock's providers over the project store (docs/gallery.md):
// pages and counts from the GUI thread's handle (indexed queries of a few ms),
// thumbnails from worker threads, each borrowing its own read-only connection.
#pragma once

#include <QString>
#include <memory>
#include <mutex>
#include <vector>

#include "widgets/gallery/gallery_providers.h"

namespace distillery {

class Project;

class StoreGalleryPages : public GalleryPageProvider {
 public:
  // `project` must outlive the provider (the main window swaps providers first).
  explicit StoreGalleryPages(Project& project) : project_(project) {}

  int64_t count(const GalleryFilter& filter) override;
  std::vector<GalleryRow> page(const GalleryFilter& filter, GalleryOrder order, int64_t offset,
                               int limit) override;
  int64_t indexOf(const GalleryFilter& filter, GalleryOrder order, int64_t imageId) override;
  GalleryCounts counts() override;

  // The first image after row `fromRow` of the list (wrapping around) that still
  // has pseudo-labels waiting for review, or -1. Walks pages of 200 rows.
  int64_t nextNeedingReview(const GalleryFilter& filter, GalleryOrder order, int64_t fromRow);

 private:
  Project& project_;
};

class StoreThumbnails : public ThumbnailProvider {
 public:
  explicit StoreThumbnails(QString projectDir);
  ~StoreThumbnails() override;

  // Thread-safe: each call borrows a read-only connection nobody else is using.
  QImage thumbnail(int64_t imageId, QSize size) override;
  int connectionCount() const;

 private:
  std::unique_ptr<Project> acquire();
  void release(std::unique_ptr<Project> connection);

  QString dir_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Project>> idle_;
  int opened_ = 0;
};

}  // namespace distillery
