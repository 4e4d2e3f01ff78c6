// Images of a project: import, the gallery's pages and counts, per-image
// fields set by training (split, teacher uncertainty).
//
// Gallery pages are indexed queries (status + sort key), so a page at any
// offset of a 100k-image project costs milliseconds (docs/store.md, figures).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/store/store_types.h"

namespace distillery {

class Connection;

class ImageStore {
 public:
  ImageStore(Connection& connection, std::filesystem::path projectDir)
      : c_(&connection), projectDir_(std::move(projectDir)) {}

  // Imports every image file under folder (recursively). The first import
  // sets the image root; later folders must lie inside it. Files already in
  // the project (same relative path) are counted, duplicates by content and
  // undecodable files are reported and skipped. Commits every `chunk` images,
  // so an interrupted import keeps what it committed and a re-run completes it.
  Result<ImportReport> importFolder(const std::filesystem::path& folder,
                                    const ProgressFn& progress = {}, int chunk = 256);

  // Adds records without reading files (bulk loads, benchmarks), in one transaction.
  // Duplicate content (same hash) is skipped and reported unless allowed.
  Result<ImportReport> addRecords(const std::vector<NewImage>& records,
                                  bool allowDuplicateContent = false);

  Result<ImageEntry> get(int64_t id) const;
  Result<std::optional<ImageEntry>> findByPath(const std::string& path) const;
  // Images with the given status (every image when empty).
  Result<int64_t> count(std::optional<ImageStatus> status = std::nullopt) const;
  Result<StatusCounts> counts() const;

  // One gallery page (see GalleryQuery).
  Result<std::vector<ImageEntry>> page(const GalleryQuery& query) const;
  // Every image, by id (paged through internally): for whole-project passes such as
  // picking a split.
  Result<std::vector<ImageEntry>> all() const;
  // Position of an image in the list the query pages through (offset and
  // limit ignored), -1 when the status filter excludes it: lets the gallery
  // jump to an image it has not paged in.
  Result<int64_t> indexOf(const GalleryQuery& query, int64_t imageId) const;
  // SQLite's plan for selecting the page's rows (tests check that it walks an
  // index and needs no sort).
  Result<std::string> explain(const GalleryQuery& query) const;

  Status setSplit(const std::vector<int64_t>& ids, Split split);
  // Teacher uncertainty per image, in one transaction; NaN clears it.
  Status setUncertainty(const std::vector<std::pair<int64_t, double>>& values);
  // Removes images and their annotations from the project (the files stay).
  Status remove(const std::vector<int64_t>& ids);

 private:
  Connection* c_;
  std::filesystem::path projectDir_;
};

}  // namespace distillery
