// A window of gallery pages kept in memory: the pages the view touched most
// recently, up to a limit; the least recently used page is dropped first.
// Also maps image ids to rows for the pages it holds (thumbnail updates).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "widgets/gallery/gallery_types.h"

namespace distillery {

class GalleryPageCache {
 public:
  GalleryPageCache(int pageSize, int maxPages);

  int pageSize() const { return pageSize_; }
  int maxPages() const { return maxPages_; }
  int pageCount() const { return static_cast<int>(pages_.size()); }
  int pageOf(int64_t row) const { return static_cast<int>(row / pageSize_); }

  // The row if its page is held (and marks the page as used), else null.
  const GalleryRow* find(int64_t row);
  bool hasPage(int page) const { return pages_.count(page) != 0; }

  // Stores a page (replacing one with the same index), dropping the least
  // recently used pages beyond the limit.
  void insert(int page, std::vector<GalleryRow> rows);

  // Row of an image in a held page; -1 if none holds it.
  int64_t rowOf(int64_t imageId) const;

  // Indices of held pages, in no particular order.
  std::vector<int> heldPages() const;

  void clear();

 private:
  struct Page {
    std::vector<GalleryRow> rows;
    uint64_t lastUse = 0;
  };
  void evictBeyondLimit();

  int pageSize_;
  int maxPages_;
  uint64_t clock_ = 0;
  std::unordered_map<int, Page> pages_;
  std::unordered_map<int64_t, int64_t> rowOfImage_;
};

}  // namespace distillery
