// Test doubles for the gallery: a synthetic project that records what the
// widgets asked of it (page offsets, count calls, the threads of thumbnail calls).
#pragma once

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "widgets/gallery/synthetic_gallery.h"

namespace distillery::test {

class RecordingGallery : public SyntheticGallery {
 public:
  using SyntheticGallery::SyntheticGallery;

  int64_t count(const GalleryFilter& filter) override {
    ++countCalls;
    return SyntheticGallery::count(filter);
  }
  std::vector<GalleryRow> page(const GalleryFilter& filter, GalleryOrder order, int64_t offset,
                               int limit) override {
    pageOffsets.push_back(offset);
    return SyntheticGallery::page(filter, order, offset, limit);
  }
  QImage thumbnail(int64_t imageId, QSize size) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      thumbnailThreads.insert(std::this_thread::get_id());
      thumbnailIds.push_back(imageId);
    }
    if (imageId == failingId) return {};
    return SyntheticGallery::thumbnail(imageId, size);
  }

  std::set<std::thread::id> threads() {
    std::lock_guard<std::mutex> lock(mutex);
    return thumbnailThreads;
  }
  size_t thumbnailCalls() {
    std::lock_guard<std::mutex> lock(mutex);
    return thumbnailIds.size();
  }

  int countCalls = 0;
  std::vector<int64_t> pageOffsets;  // GUI thread only
  int64_t failingId = -1;            // this image "cannot be read"
  std::mutex mutex;
  std::set<std::thread::id> thumbnailThreads;
  std::vector<int64_t> thumbnailIds;
};

}  // namespace distillery::test
