#include "engine/store/schema.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace distillery {
namespace {

// Version 1. Strings stored in enum columns are those of store_types.cpp.
// images.n_* count annotations by kind (kept exact by the triggers below) so
// that the gallery status is a column with an index, not a join per row.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
  colour TEXT NOT NULL,
  supercategory TEXT NOT NULL DEFAULT ''
);

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  hash TEXT NOT NULL,
  split TEXT NOT NULL DEFAULT 'unlabelled' CHECK (split IN ('labelled','unlabelled','val','test')),
  uncertainty REAL,
  n_human INTEGER NOT NULL DEFAULT 0,
  n_pending INTEGER NOT NULL DEFAULT 0,
  n_accepted INTEGER NOT NULL DEFAULT 0,
  n_rejected INTEGER NOT NULL DEFAULT 0,
  status TEXT GENERATED ALWAYS AS (CASE
    WHEN n_human > 0 THEN 'human' WHEN n_pending > 0 THEN 'pending'
    WHEN n_accepted > 0 THEN 'accepted' WHEN n_rejected > 0 THEN 'rejected'
    ELSE 'unlabelled' END) VIRTUAL,
  added_at INTEGER NOT NULL
);
CREATE INDEX images_hash ON images(hash);
CREATE INDEX images_status ON images(status);
CREATE INDEX images_status_path ON images(status, path);
-- Review order: most uncertain first, unscored (NULL) last, ties by name.
CREATE INDEX images_status_uncertainty ON images(status, uncertainty DESC, path);
CREATE INDEX images_uncertainty ON images(uncertainty DESC, path);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  recipe TEXT NOT NULL,
  config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running','finished','failed','cancelled')),
  message TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  ended_at INTEGER
);

CREATE TABLE annotations (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories(id),
  rle TEXT NOT NULL,
  height INTEGER NOT NULL,
  width INTEGER NOT NULL,
  area REAL NOT NULL,
  iscrowd INTEGER NOT NULL DEFAULT 0 CHECK (iscrowd IN (0, 1)),
  source TEXT NOT NULL CHECK (source IN ('human','teacher','student')),
  score REAL NOT NULL DEFAULT 1,
  review TEXT NOT NULL CHECK (review IN ('pending','accepted','rejected','edited')),
  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  external_key TEXT UNIQUE,
  updated_by TEXT NOT NULL DEFAULT 'human' CHECK (updated_by IN ('human','teacher','student')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Per-image lookups, and replacing one model's pending output of an image.
CREATE INDEX annotations_image ON annotations(image_id, source, review);
CREATE INDEX annotations_source_review ON annotations(source, review);
CREATE INDEX annotations_category ON annotations(category_id);
CREATE INDEX annotations_run ON annotations(run_id);

CREATE TABLE review_log (
  id INTEGER PRIMARY KEY,
  annotation_id INTEGER NOT NULL,
  old_status TEXT NOT NULL,
  new_status TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX review_log_annotation ON review_log(annotation_id);

CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  step INTEGER NOT NULL,
  value REAL,
  PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;

CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  stage TEXT NOT NULL,
  step INTEGER NOT NULL DEFAULT 0,
  file TEXT NOT NULL,
  metrics TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metrics)),
  created_at INTEGER NOT NULL
);
CREATE INDEX checkpoints_run ON checkpoints(run_id);

-- Human annotations, and model annotations a human has reviewed, are never
-- overwritten by model output: every UPDATE names its author in updated_by.
CREATE TRIGGER annotations_protect_human BEFORE UPDATE ON annotations
WHEN NEW.updated_by <> 'human' AND (OLD.source = 'human' OR OLD.review <> 'pending')
BEGIN
  SELECT RAISE(ABORT, 'human and reviewed annotations cannot be overwritten by model output');
END;
CREATE TRIGGER annotations_keep_human_source BEFORE UPDATE OF source ON annotations
WHEN OLD.source = 'human' AND NEW.source <> 'human'
BEGIN
  SELECT RAISE(ABORT, 'a human annotation cannot become model output');
END;

-- Every review status change is logged, whichever code path made it.
CREATE TRIGGER annotations_log_review AFTER UPDATE OF review ON annotations
WHEN OLD.review <> NEW.review
BEGIN
  INSERT INTO review_log(annotation_id, old_status, new_status, at)
  VALUES (NEW.id, OLD.review, NEW.review, NEW.updated_at);
END;

-- Per-image counters behind images.status.
CREATE TRIGGER annotations_count_insert AFTER INSERT ON annotations
BEGIN
  UPDATE images SET
    n_human = n_human + (NEW.source = 'human'),
    n_pending = n_pending + (NEW.source <> 'human' AND NEW.review = 'pending'),
    n_accepted = n_accepted + (NEW.source <> 'human' AND NEW.review IN ('accepted','edited')),
    n_rejected = n_rejected + (NEW.source <> 'human' AND NEW.review = 'rejected'),
    split = CASE WHEN NEW.source = 'human' AND split = 'unlabelled' THEN 'labelled' ELSE split END
  WHERE id = NEW.image_id;
END;
CREATE TRIGGER annotations_count_delete AFTER DELETE ON annotations
BEGIN
  UPDATE images SET
    n_human = n_human - (OLD.source = 'human'),
    n_pending = n_pending - (OLD.source <> 'human' AND OLD.review = 'pending'),
    n_accepted = n_accepted - (OLD.source <> 'human' AND OLD.review IN ('accepted','edited')),
    n_rejected = n_rejected - (OLD.source <> 'human' AND OLD.review = 'rejected')
  WHERE id = OLD.image_id;
END;
CREATE TRIGGER annotations_count_update AFTER UPDATE OF image_id, source, review ON annotations
BEGIN
  UPDATE images SET
    n_human = n_human - (OLD.source = 'human'),
    n_pending = n_pending - (OLD.source <> 'human' AND OLD.review = 'pending'),
    n_accepted = n_accepted - (OLD.source <> 'human' AND OLD.review IN ('accepted','edited')),
    n_rejected = n_rejected - (OLD.source <> 'human' AND OLD.review = 'rejected')
  WHERE id = OLD.image_id;
  UPDATE images SET
    n_human = n_human + (NEW.source = 'human'),
    n_pending = n_pending + (NEW.source <> 'human' AND NEW.review = 'pending'),
    n_accepted = n_accepted + (NEW.source <> 'human' AND NEW.review IN ('accepted','edited')),
    n_rejected = n_rejected + (NEW.source <> 'human' AND NEW.review = 'rejected')
  WHERE id = NEW.image_id;
END;
)sql";

}  // namespace

const std::vector<Migration>& projectMigrations() {
  static const std::vector<Migration> kMigrations = {{1, kSchemaV1}};
  return kMigrations;
}

int currentSchemaVersion() {
  return projectMigrations().back().version;
}

int applyMigrations(SQLite::Database& db, const std::vector<Migration>& migrations) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  // Read inside the write transaction: another connection cannot migrate in between.
  const int from = db.execAndGet("PRAGMA user_version").getInt();
  int applied = 0;
  for (const Migration& m : migrations) {
    if (m.version <= from) continue;
    db.exec(m.sql);
    db.exec("PRAGMA user_version = " + std::to_string(m.version));
    ++applied;
  }
  if (applied > 0) db.exec("PRAGMA application_id = " + std::to_string(kProjectApplicationId));
  transaction.commit();
  return applied;
}

}  // namespace distillery
