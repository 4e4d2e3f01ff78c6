#include "engine/store/connection.h"

#include <sqlite3.h>

namespace distillery {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Connection::Connection(std::unique_ptr<SQLite::Database> db, std::filesystem::path file,
                       bool readOnly, std::string readOnlyReason)
    : db_(std::move(db)),
      file_(std::move(file)),
      readOnly_(readOnly),
      readOnlyReason_(std::move(readOnlyReason)) {}

Status Connection::failure(const std::string& what, const SQLite::Exception& e,
                           bool writing) const {
  const int code = e.getErrorCode() & 0xFF;
  std::string reason;
  switch (code) {
    case SQLITE_FULL:
      reason = "the disk is full (or the file size limit was reached)";
      break;
    case SQLITE_IOERR:
      reason = std::string("input/output error (") + e.what() +
               "): the disk may be full, a file size limit reached, or the disk failing";
      break;
    case SQLITE_READONLY:
      reason = "the project is read-only";
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      reason = "another connection kept the project busy for more than " +
               std::to_string(kBusyTimeoutMs / 1000) + " s";
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      reason = std::string("the database file is damaged (") + e.what() + ")";
      break;
    case SQLITE_CANTOPEN:
      reason = std::string("cannot open a database file (") + e.what() + ")";
      break;
    default:
      reason = e.what();
  }
  return Status::error(file_.string() + ": cannot " + what + ": " + reason +
                       (writing ? "; nothing was changed" : ""));
}

Status Connection::write(const std::string& what,
                         const std::function<void(SQLite::Database&)>& work) {
  if (readOnly_) {
    return Status::error(file_.string() + ": cannot " + what + ": the project is open read-only" +
                         (readOnlyReason_.empty() ? "" : " (" + readOnlyReason_ + ")"));
  }
  DST_CHECK(sqlite3_get_autocommit(db_->getHandle()) !=
            0);  // one edit, one transaction: no nesting
  try {
    db_->exec("BEGIN IMMEDIATE");
  } catch (const SQLite::Exception& e) {
    return failure(what, e, true);
  }
  try {
    work(*db_);
    db_->exec("COMMIT");
    return Status();
  } catch (const SQLite::Exception& e) {
    db_->tryExec("ROLLBACK");  // SQLite may already have rolled back (e.g. after SQLITE_FULL)
    return failure(what, e, true);
  } catch (const UserError& e) {
    db_->tryExec("ROLLBACK");
    return Status::error(e.what());
  } catch (...) {
    db_->tryExec("ROLLBACK");
    throw;
  }
}

Status Connection::readImpl(const std::string& what,
                            const std::function<void(SQLite::Database&)>& work) {
  const bool outer = sqlite3_get_autocommit(db_->getHandle()) != 0;
  try {
    if (outer) db_->exec("BEGIN");
    work(*db_);
    if (outer) db_->exec("COMMIT");
    return Status();
  } catch (const SQLite::Exception& e) {
    if (outer) db_->tryExec("ROLLBACK");
    return failure(what, e);
  } catch (const UserError& e) {
    if (outer) db_->tryExec("ROLLBACK");
    return Status::error(e.what());
  } catch (...) {
    if (outer) db_->tryExec("ROLLBACK");
    throw;
  }
}

}  // namespace distillery
