// A made-up project of any size for the gallery's benchmark, its screenshot and
// its tests: rows and thumbnails are derived from the image id, so 100k images
// cost a few MB and no files. Not used by the workbench itself.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "widgets/gallery/gallery_providers.h"

namespace distillery {

class SyntheticGallery : public GalleryPageProvider, public ThumbnailProvider {
 public:
  // Image ids are 1..imageCount, named img_0000001.jpg and so on.
  explicit SyntheticGallery(int64_t imageCount, uint32_t seed = 7);

  int64_t count(const GalleryFilter& filter) override;
  std::vector<GalleryRow> page(const GalleryFilter& filter, GalleryOrder order, int64_t offset,
                               int limit) override;
  int64_t indexOf(const GalleryFilter& filter, GalleryOrder order, int64_t imageId) override;
  GalleryCounts counts() override;

  // Thread-safe: depends on the id only. Sleeps `thumbnailDelayUs` first to act
  // like a slow disk.
  QImage thumbnail(int64_t imageId, QSize size) override;
  void setThumbnailDelayUs(int us) { thumbnailDelayUs_ = us; }

  // The row as stored (tests compare pages with it).
  const GalleryRow& row(int64_t imageId) const {
    return rows_.at(static_cast<size_t>(imageId - 1));
  }
  // A review changed an image (GUI thread only).
  void setStatus(int64_t imageId, GalleryStatus status);

 private:
  const std::vector<int64_t>& ordered(const GalleryFilter& filter, GalleryOrder order);

  std::vector<GalleryRow> rows_;
  std::map<std::pair<int, int>, std::vector<int64_t>> orders_;  // (status or -1, order) -> ids
  int thumbnailDelayUs_ = 0;
};

}  // namespace distillery
