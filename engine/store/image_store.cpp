#include "engine/store/image_store.h"

#include <cmath>
#include <unordered_map>

#include "engine/store/connection.h"
#include "engine/store/image_root.h"
#include "engine/store/image_scan.h"

namespace distillery {

namespace fs = std::filesystem;

namespace {

constexpr const char* kEntryColumns =
    "id, path, width, height, hash, split, uncertainty, status, n_human, n_pending, n_accepted, "
    "n_rejected";

ImageEntry readEntry(SQLite::Statement& q) {
  ImageEntry e;
  e.id = q.getColumn(0).getInt64();
  e.path = q.getColumn(1).getString();
  e.width = q.getColumn(2).getInt();
  e.height = q.getColumn(3).getInt();
  e.hash = q.getColumn(4).getString();
  e.split = splitFromString(q.getColumn(5).getString()).value();
  if (!q.isColumnNull(6)) e.uncertainty = q.getColumn(6).getDouble();
  e.status = imageStatusFromString(q.getColumn(7).getString()).value();
  e.humanCount = q.getColumn(8).getInt();
  e.pendingCount = q.getColumn(9).getInt();
  e.acceptedCount = q.getColumn(10).getInt();
  e.rejectedCount = q.getColumn(11).getInt();
  return e;
}

// Inserts inside an open transaction. `seen` maps hashes added by this import
// to their paths, so duplicates within one import are caught too.
void insertRecords(SQLite::Database& db, const std::vector<NewImage>& records,
                   bool allowDuplicateContent, ImportReport& report,
                   std::unordered_map<std::string, std::string>& seen) {
  SQLite::Statement byPath(db, "SELECT 1 FROM images WHERE path = ?");
  SQLite::Statement byHash(db, "SELECT path FROM images WHERE hash = ? LIMIT 1");
  SQLite::Statement insert(
      db,
      "INSERT INTO images(path, width, height, hash, split, added_at) VALUES (?, ?, ?, ?, ?, ?)");
  const int64_t now = nowMs();
  for (const NewImage& r : records) {
    byPath.reset();
    byPath.bind(1, r.path);
    if (byPath.executeStep()) {
      ++report.alreadyPresent;
      continue;
    }
    if (!allowDuplicateContent) {
      std::string other;
      if (auto it = seen.find(r.hash); it != seen.end()) other = it->second;
      if (other.empty()) {
        byHash.reset();
        byHash.bind(1, r.hash);
        if (byHash.executeStep()) other = byHash.getColumn(0).getString();
      }
      if (!other.empty()) {
        report.duplicates.push_back(
            {r.path, "same content as " + other + " (hash " + r.hash + "), skipped"});
        continue;
      }
    }
    insert.reset();
    insert.bind(1, r.path);
    insert.bind(2, r.width);
    insert.bind(3, r.height);
    insert.bind(4, r.hash);
    insert.bind(5, toString(r.split));
    insert.bind(6, now);
    insert.exec();
    seen.emplace(r.hash, r.path);
    ++report.added;
  }
}

std::string orderBy(const GalleryQuery& query) {
  const char* dir = query.descending ? " DESC" : " ASC";
  switch (query.sort) {
    case GallerySort::Name:
      return std::string(" ORDER BY path") + dir;
    case GallerySort::Id:
      return std::string(" ORDER BY id") + dir;
    // Descending: most uncertain first, unscored last, ties by name (the index
    // order); ascending is its exact reverse, so both walk the same index.
    case GallerySort::Uncertainty:
      return query.descending ? " ORDER BY uncertainty DESC, path ASC"
                              : " ORDER BY uncertainty ASC, path DESC";
  }
  return "";
}

// The ids of one page: the part whose cost grows with the offset. Selecting
// only ids lets SQLite step through the index alone (about 3x cheaper at
// 100k rows than stepping with every column requested).
std::string pageIdsSql(const GalleryQuery& query) {
  return std::string("SELECT id FROM images") + (query.forceTableScan ? " NOT INDEXED" : "") +
         (query.status ? " WHERE status = ?" : "") + orderBy(query) + " LIMIT ? OFFSET ?";
}

std::string pageSql(const GalleryQuery& query) {
  return std::string("SELECT ") + kEntryColumns + " FROM images WHERE id IN (" + pageIdsSql(query) +
         ")" + orderBy(query);
}

void bindPage(SQLite::Statement& q, const GalleryQuery& query) {
  int i = 1;
  if (query.status) q.bind(i++, toString(*query.status));
  q.bind(i++, query.limit);
  q.bind(i++, query.offset);
}

std::string idList(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace

Result<ImportReport> ImageStore::importFolder(const fs::path& folder, const ProgressFn& progress,
                                              int chunk) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    return Status::error(folder.string() + ": not a folder of images");
  fs::path root;
  Status s = c_->write("set the image root", [&](SQLite::Database& db) {
    root = rootForImport(db, projectDir_, folder);
  });
  if (!s.ok()) return s;

  const std::vector<fs::path> files = listImageFiles(folder, projectDir_);
  // Paths are taken lexically below the folder, so symlinked files keep their link name.
  const fs::path canonicalFolder = fs::weakly_canonical(fs::absolute(folder));
  auto relativePath = [&](const fs::path& file) {
    return relativeInside(root, canonicalFolder / file.lexically_relative(folder));
  };
  ImportReport report;
  std::unordered_map<std::string, std::string> seen;
  chunk = std::max(1, chunk);
  for (size_t begin = 0; begin < files.size(); begin += static_cast<size_t>(chunk)) {
    const size_t end = std::min(files.size(), begin + static_cast<size_t>(chunk));
    // Skip known paths before reading any file, so a re-run is cheap.
    std::vector<fs::path> fresh;
    std::vector<std::string> freshRel;
    auto known = c_->read<std::vector<bool>>("look up imported images", [&](SQLite::Database& db) {
      SQLite::Statement q(db, "SELECT 1 FROM images WHERE path = ?");
      std::vector<bool> out;
      for (size_t i = begin; i < end; ++i) {
        q.reset();
        q.bind(1, relativePath(files[i]));
        out.push_back(q.executeStep());
      }
      return out;
    });
    if (!known) return known.status();
    for (size_t i = begin; i < end; ++i) {
      if ((*known)[i - begin]) {
        ++report.alreadyPresent;
      } else {
        fresh.push_back(files[i]);
        freshRel.push_back(relativePath(files[i]));
      }
    }
    // Decoding happens outside the transaction: the write lock is held for inserts only.
    const auto probed = probeImages(fresh);
    std::vector<NewImage> records;
    for (size_t i = 0; i < fresh.size(); ++i) {
      if (!probed[i]) {
        report.failed.push_back({freshRel[i], probed[i].status().message()});
        continue;
      }
      records.push_back(
          {freshRel[i], probed[i]->width, probed[i]->height, probed[i]->hash, Split::Unlabelled});
    }
    s = c_->write("import images from " + folder.string(),
                  [&](SQLite::Database& db) { insertRecords(db, records, false, report, seen); });
    if (!s.ok()) return s;
    if (progress) progress(static_cast<int64_t>(end), static_cast<int64_t>(files.size()));
  }
  return report;
}

Result<ImportReport> ImageStore::addRecords(const std::vector<NewImage>& records,
                                            bool allowDuplicateContent) {
  for (size_t i = 0; i < records.size(); ++i) {
    const NewImage& r = records[i];
    Status valid = validateImagePath(r.path);
    if (valid.ok() && (r.width <= 0 || r.height <= 0))
      valid = Status::error("size " + std::to_string(r.width) + "x" + std::to_string(r.height) +
                            " is not positive");
    if (valid.ok() && r.hash.empty()) valid = Status::error("content hash is empty");
    if (!valid.ok())
      return Status::error("image record " + std::to_string(i) + ": " + valid.message());
  }
  ImportReport report;
  std::unordered_map<std::string, std::string> seen;
  Status s = c_->write("add image records", [&](SQLite::Database& db) {
    insertRecords(db, records, allowDuplicateContent, report, seen);
  });
  if (!s.ok()) return s;
  return report;
}

Result<ImageEntry> ImageStore::get(int64_t id) const {
  auto found = c_->read<std::vector<ImageEntry>>("read an image", [id](SQLite::Database& db) {
    SQLite::Statement q(db, std::string("SELECT ") + kEntryColumns + " FROM images WHERE id = ?");
    q.bind(1, id);
    std::vector<ImageEntry> out;
    if (q.executeStep()) out.push_back(readEntry(q));
    return out;
  });
  if (!found) return found.status();
  if (found->empty())
    return Status::error("image " + std::to_string(id) + " does not exist in the project");
  return found->front();
}

Result<std::optional<ImageEntry>> ImageStore::findByPath(const std::string& path) const {
  return c_->read<std::optional<ImageEntry>>("find an image", [&](SQLite::Database& db) {
    SQLite::Statement q(db, std::string("SELECT ") + kEntryColumns + " FROM images WHERE path = ?");
    q.bind(1, path);
    std::optional<ImageEntry> out;
    if (q.executeStep()) out = readEntry(q);
    return out;
  });
}

Result<int64_t> ImageStore::count(std::optional<ImageStatus> status) const {
  return c_->read<int64_t>("count images", [&](SQLite::Database& db) {
    SQLite::Statement q(db, status ? "SELECT count(*) FROM images WHERE status = ?"
                                   : "SELECT count(*) FROM images");
    if (status) q.bind(1, toString(*status));
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

Result<int64_t> ImageStore::indexOf(const GalleryQuery& query, int64_t imageId) const {
  auto image = get(imageId);
  if (!image) return image.status();
  if (query.status && image->status != *query.status) return int64_t{-1};
  // Rows that come before the image in the page order (see pageSql).
  std::string before;
  const bool desc = query.descending;
  switch (query.sort) {
    case GallerySort::Name:
      before = desc ? "path > :path" : "path < :path";
      break;
    case GallerySort::Id:
      before = desc ? "id > :id" : "id < :id";
      break;
    case GallerySort::Uncertainty:
      if (desc) {
        before = image->uncertainty ? "(uncertainty > :u OR (uncertainty = :u AND path < :path))"
                                    : "(uncertainty IS NOT NULL OR path < :path)";
      } else {
        before =
            image->uncertainty
                ? "(uncertainty IS NULL OR uncertainty < :u OR (uncertainty = :u AND path > :path))"
                : "(uncertainty IS NULL AND path > :path)";
      }
      break;
  }
  return c_->read<int64_t>("find an image's gallery position", [&](SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT count(*) FROM images WHERE " + before +
                                (query.status ? " AND status = :status" : ""));
    const auto bindIfUsed = [&q](const char* name, const auto& value) {
      if (q.getIndex(name) > 0) q.bind(name, value);
    };
    bindIfUsed(":path", image->path);
    bindIfUsed(":id", image->id);
    if (image->uncertainty) bindIfUsed(":u", *image->uncertainty);
    if (query.status) bindIfUsed(":status", std::string(toString(*query.status)));
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

Result<StatusCounts> ImageStore::counts() const {
  return c_->read<StatusCounts>("count images by status", [](SQLite::Database& db) {
    StatusCounts counts;
    SQLite::Statement q(db, "SELECT status, count(*) FROM images GROUP BY status");
    while (q.executeStep()) {
      const ImageStatus s = imageStatusFromString(q.getColumn(0).getString()).value();
      counts.byStatus[static_cast<int>(s)] = q.getColumn(1).getInt64();
      counts.total += q.getColumn(1).getInt64();
    }
    return counts;
  });
}

Result<std::vector<ImageEntry>> ImageStore::all() const {
  std::vector<ImageEntry> out;
  GalleryQuery q;
  q.sort = GallerySort::Id;
  q.limit = 10000;
  for (q.offset = 0;; q.offset += q.limit) {
    auto rows = page(q);
    if (!rows.ok()) return rows.status();
    out.insert(out.end(), rows->begin(), rows->end());
    if (static_cast<int64_t>(rows->size()) < q.limit) return out;
  }
}

Result<std::vector<ImageEntry>> ImageStore::page(const GalleryQuery& query) const {
  if (query.limit < 0 || query.offset < 0)
    return Status::error("gallery page: offset and limit must be >= 0");
  return c_->read<std::vector<ImageEntry>>("read a gallery page", [&](SQLite::Database& db) {
    SQLite::Statement q(db, pageSql(query));
    bindPage(q, query);
    std::vector<ImageEntry> out;
    out.reserve(static_cast<size_t>(query.limit));
    while (q.executeStep()) out.push_back(readEntry(q));
    return out;
  });
}

Result<std::string> ImageStore::explain(const GalleryQuery& query) const {
  return c_->read<std::string>("explain a gallery query", [&](SQLite::Database& db) {
    SQLite::Statement q(db, "EXPLAIN QUERY PLAN " + pageIdsSql(query));
    bindPage(q, query);
    std::string plan;
    while (q.executeStep()) plan += q.getColumn(3).getString() + "\n";
    return plan;
  });
}

Status ImageStore::setSplit(const std::vector<int64_t>& ids, Split split) {
  return c_->write("set the split of images", [&](SQLite::Database& db) {
    SQLite::Statement q(db, "UPDATE images SET split = ? WHERE id = ?");
    for (int64_t id : ids) {
      q.reset();
      q.bind(1, toString(split));
      q.bind(2, id);
      if (q.exec() == 0)
        throw UserError("image " + std::to_string(id) + " does not exist in the project");
    }
  });
}

Status ImageStore::setUncertainty(const std::vector<std::pair<int64_t, double>>& values) {
  return c_->write("store teacher uncertainty", [&](SQLite::Database& db) {
    SQLite::Statement q(db, "UPDATE images SET uncertainty = ? WHERE id = ?");
    for (const auto& [id, value] : values) {
      q.reset();
      if (std::isnan(value))
        q.bind(1);
      else
        q.bind(1, value);
      q.bind(2, id);
      if (q.exec() == 0)
        throw UserError("image " + std::to_string(id) + " does not exist in the project");
    }
  });
}

Status ImageStore::remove(const std::vector<int64_t>& ids) {
  if (ids.empty()) return Status();
  return c_->write("remove images " + idList(ids), [&](SQLite::Database& db) {
    SQLite::Statement q(db, "DELETE FROM images WHERE id = ?");
    for (int64_t id : ids) {
      q.reset();
      q.bind(1, id);
      if (q.exec() == 0)
        throw UserError("image " + std::to_string(id) + " does not exist in the project");
    }
  });
}

}  // namespace distillery
