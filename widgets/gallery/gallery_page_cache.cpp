#include "widgets/gallery/gallery_page_cache.h"

#include <algorithm>

namespace distillery {

GalleryPageCache::GalleryPageCache(int pageSize, int maxPages)
    : pageSize_(std::max(1, pageSize)), maxPages_(std::max(1, maxPages)) {}

const GalleryRow* GalleryPageCache::find(int64_t row) {
  if (row < 0) return nullptr;
  auto it = pages_.find(pageOf(row));
  if (it == pages_.end()) return nullptr;
  const auto within = static_cast<size_t>(row % pageSize_);
  if (within >= it->second.rows.size()) return nullptr;
  it->second.lastUse = ++clock_;
  return &it->second.rows[within];
}

void GalleryPageCache::insert(int page, std::vector<GalleryRow> rows) {
  auto old = pages_.find(page);
  if (old != pages_.end()) {
    for (const auto& r : old->second.rows) rowOfImage_.erase(r.imageId);
  }
  const int64_t first = static_cast<int64_t>(page) * pageSize_;
  for (size_t i = 0; i < rows.size(); ++i)
    rowOfImage_[rows[i].imageId] = first + static_cast<int64_t>(i);
  Page& p = pages_[page];
  p.rows = std::move(rows);
  p.lastUse = ++clock_;
  evictBeyondLimit();
}

void GalleryPageCache::evictBeyondLimit() {
  while (static_cast<int>(pages_.size()) > maxPages_) {
    auto oldest = std::min_element(pages_.begin(), pages_.end(), [](const auto& a, const auto& b) {
      return a.second.lastUse < b.second.lastUse;
    });
    for (const auto& r : oldest->second.rows) {
      auto it = rowOfImage_.find(r.imageId);
      // Only forget the mapping if it still points into this page.
      if (it != rowOfImage_.end() && pageOf(it->second) == oldest->first) rowOfImage_.erase(it);
    }
    pages_.erase(oldest);
  }
}

int64_t GalleryPageCache::rowOf(int64_t imageId) const {
  auto it = rowOfImage_.find(imageId);
  return it == rowOfImage_.end() ? -1 : it->second;
}

std::vector<int> GalleryPageCache::heldPages() const {
  std::vector<int> out;
  out.reserve(pages_.size());
  for (const auto& [index, page] : pages_) out.push_back(index);
  return out;
}

void GalleryPageCache::clear() {
  pages_.clear();
  rowOfImage_.clear();
}

}  // namespace distillery
