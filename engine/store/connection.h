// One SQLite connection of a project, used by one thread at a time.
//
// Every write goes through write(): BEGIN IMMEDIATE (so waiting for another
// writer happens up front, bounded by busy_timeout), the work, COMMIT. Any
// failure rolls back and becomes a Status naming the database, the action and
// the reason, so a failed user edit changes nothing. Engine-internal: app/
// uses Project and its stores.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "engine/util/status.h"

namespace distillery {

// How long a writer waits for another connection's transaction (the metrics
// writer's batches take milliseconds, so this is never reached in practice).
constexpr int kBusyTimeoutMs = 5000;

// Milliseconds since the Unix epoch: the unit of every *_at column.
int64_t nowMs();

class Connection {
 public:
  Connection(std::unique_ptr<SQLite::Database> db, std::filesystem::path file, bool readOnly,
             std::string readOnlyReason);

  SQLite::Database& db() { return *db_; }
  const std::filesystem::path& file() const { return file_; }
  bool readOnly() const { return readOnly_; }
  const std::string& readOnlyReason() const { return readOnlyReason_; }

  // Runs `work` in one write transaction. `what` completes "cannot ...", e.g.
  // "add the annotation". UserError thrown by `work` rolls back too.
  Status write(const std::string& what, const std::function<void(SQLite::Database&)>& work);

  // Runs `work` in one read transaction (a consistent snapshot).
  template <class T>
  Result<T> read(const std::string& what, const std::function<T(SQLite::Database&)>& work) {
    T value{};
    Status status = readImpl(what, [&](SQLite::Database& db) { value = work(db); });
    if (!status.ok()) return status;
    return value;
  }

  // "<file>: cannot <what>: <reason>" for an SQLite failure; a failed write
  // adds that nothing was changed (the transaction was rolled back).
  Status failure(const std::string& what, const SQLite::Exception& e, bool writing = false) const;

 private:
  Status readImpl(const std::string& what, const std::function<void(SQLite::Database&)>& work);

  std::unique_ptr<SQLite::Database> db_;
  std::filesystem::path file_;
  bool readOnly_ = false;
  std::string readOnlyReason_;
};

}  // namespace distillery
