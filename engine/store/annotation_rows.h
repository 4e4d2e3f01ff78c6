// Engine-internal: inserting and reading annotation rows inside a transaction
// (shared by AnnotationStore and the dataset import/export).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <unordered_map>
#include <utility>

#include "engine/store/store_types.h"

namespace distillery {

// Column list matching readAnnotation().
extern const char* const kAnnotationColumns;
AnnotationRecord readAnnotation(SQLite::Statement& q);

class AnnotationWriter {
 public:
  explicit AnnotationWriter(SQLite::Database& db);
  // Validates (image exists, category exists, mask has the image's size) and
  // inserts. Returns the new id, or 0 when externalKey is already present.
  // Throws UserError starting with `label` (e.g. "annotation 17").
  int64_t insert(const NewAnnotation& a, const std::string& label);

 private:
  SQLite::Database& db_;
  SQLite::Statement imageSize_;
  SQLite::Statement category_;
  SQLite::Statement byKey_;
  SQLite::Statement insert_;
  std::unordered_map<int64_t, std::pair<int, int>> sizes_;  // image id -> (width, height)
  std::unordered_map<int64_t, bool> categories_;
  int64_t now_;
};

}  // namespace distillery
