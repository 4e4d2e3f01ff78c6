// The project database schema and its migrations.
//
// The schema version lives in PRAGMA user_version; PRAGMA application_id marks
// the file as a Distillery project. Each migration moves the schema one
// version up; all pending ones run in one transaction, so an interrupted
// upgrade leaves the file at its old version.
#pragma once

#include <vector>

namespace SQLite {
class Database;
}

namespace distillery {

struct Migration {
  int version;      // user_version after this migration
  const char* sql;  // statements that move the schema from version-1 to version
};

// 'DSTY': identifies project.sqlite files written by Distillery.
constexpr int kProjectApplicationId = 0x44535459;

// The migrations of this build, in order; the last one's version is current.
const std::vector<Migration>& projectMigrations();
int currentSchemaVersion();

// Applies every migration newer than the file's user_version, in one
// transaction (throws SQLite::Exception; the file is then unchanged).
// Returns the number applied.
int applyMigrations(SQLite::Database& db, const std::vector<Migration>& migrations);

}  // namespace distillery
