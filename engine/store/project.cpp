#include "engine/store/project.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>

#include "engine/store/connection.h"
#include "engine/store/image_root.h"
#include "engine/store/project_lock.h"
#include "engine/store/schema.h"

namespace distillery {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDatabaseName = "project.sqlite";

bool writable(const fs::path& p) {
  return ::access(p.c_str(), W_OK) == 0;
}

// SQLite URI for an immutable read-only open: needed when the folder is
// read-only and no -shm file exists, since WAL readers otherwise create one.
std::string immutableUri(const fs::path& file) {
  std::string uri = "file:";
  for (unsigned char ch : fs::absolute(file).string()) {
    if (std::isalnum(ch) || ch == '/' || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      uri += static_cast<char>(ch);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", ch);
      uri += hex;
    }
  }
  return uri + "?immutable=1";
}

struct ConnectionSpec {
  fs::path file;
  bool readOnly = false;
  bool immutable = false;
  std::string readOnlyReason;
};

std::unique_ptr<Connection> openConnection(const ConnectionSpec& spec) {
  std::unique_ptr<SQLite::Database> db;
  if (spec.immutable) {
    db = std::make_unique<SQLite::Database>(immutableUri(spec.file),
                                            SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, kBusyTimeoutMs);
  } else {
    db = std::make_unique<SQLite::Database>(
        spec.file.string(), spec.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE,
        kBusyTimeoutMs);
  }
  db->exec("PRAGMA foreign_keys = ON");
  if (!spec.readOnly) {
    // FULL: a commit is on disk (WAL fsynced) before the call returns, so an
    // acknowledged edit survives a power cut, not only a process crash.
    db->exec("PRAGMA synchronous = FULL");
  }
  return std::make_unique<Connection>(std::move(db), spec.file, spec.readOnly, spec.readOnlyReason);
}

// Checks that the file is a Distillery project this build can read.
// Returns its schema version.
int checkDatabase(SQLite::Database& db, const fs::path& file) {
  const int appId = db.execAndGet("PRAGMA application_id").getInt();
  const int version = db.execAndGet("PRAGMA user_version").getInt();
  if (appId != kProjectApplicationId) {
    std::ostringstream id;
    id << std::hex << appId;
    throw UserError(file.string() + ": not a Distillery project database (application_id 0x" +
                    id.str() + ", expected 0x" +
                    [] {
                      std::ostringstream s;
                      s << std::hex << kProjectApplicationId;
                      return s.str();
                    }() +
                    ")");
  }
  if (version > currentSchemaVersion()) {
    throw UserError(file.string() + ": written by a newer Distillery (schema version " +
                    std::to_string(version) + "; this build reads up to version " +
                    std::to_string(currentSchemaVersion()) +
                    "); update Distillery to open it. The project was not changed");
  }
  return version;
}

void syncFolder(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Status makeFolders(const fs::path& dir) {
  for (const char* sub : {"models", "runs", "thumbs"}) {
    std::error_code ec;
    fs::create_directories(dir / sub, ec);
    if (ec)
      return Status::error((dir / sub).string() + ": cannot create the folder (" + ec.message() +
                           ")");
  }
  return Status();
}

}  // namespace

struct Project::State {
  State(fs::path d, std::shared_ptr<ProjectLock> l, ConnectionSpec s, std::unique_ptr<Connection> c,
        int version)
      : dir(std::move(d)),
        lock(std::move(l)),
        spec(std::move(s)),
        connection(std::move(c)),
        categories(*connection),
        images(*connection, dir),
        annotations(*connection),
        runs(*connection),
        schemaVersion(version) {}

  fs::path dir;
  std::shared_ptr<ProjectLock> lock;  // held by every read-write handle of this process
  ConnectionSpec spec;
  std::unique_ptr<Connection> connection;
  CategoryStore categories;
  ImageStore images;
  AnnotationStore annotations;
  RunStore runs;
  int schemaVersion;
};

Project::Project(std::unique_ptr<State> state) : s_(std::move(state)) {}
Project::Project(Project&&) noexcept = default;
Project& Project::operator=(Project&&) noexcept = default;
Project::~Project() = default;

bool Project::isProject(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / kDatabaseName, ec);
}

Result<Project> Project::create(const fs::path& dir, const ProjectOptions& options) {
  std::error_code ec;
  if (isProject(dir))
    return Status::error(dir.string() + ": already a Distillery project (project.sqlite exists)");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    return Status::error(dir.string() + ": exists and is not a folder");
  std::set<std::string> names;
  for (const std::string& c : options.classes) {
    if (c.empty()) return Status::error("class list: empty class name");
    if (!names.insert(c).second) return Status::error("class list: '" + c + "' appears twice");
  }
  fs::create_directories(dir, ec);
  if (ec)
    return Status::error(dir.string() + ": cannot create the project folder (" + ec.message() +
                         ")");
  if (!writable(dir))
    return Status::error(dir.string() + ": the folder is read-only; cannot create a project in it");
  auto lock = ProjectLock::acquire(dir);
  if (!lock) return lock.status();
  if (Status s = makeFolders(dir); !s.ok()) return s;

  // Built under a temporary name and renamed: a crash never leaves half a project.
  const fs::path temp = dir / (".project.sqlite.creating-" + std::to_string(::getpid()));
  auto removeTemp = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      fs::remove(temp.string() + suffix, ec);
  };
  removeTemp();
  try {
    SQLite::Database db(temp.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, kBusyTimeoutMs);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    applyMigrations(db, projectMigrations());
    SQLite::Transaction t(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement meta(db, "INSERT INTO meta(key, value) VALUES (?, ?)");
    const std::vector<std::pair<std::string, std::string>> entries = {
        {"created_at", std::to_string(nowMs())},
        {"created_by", std::string("Distillery ") + DISTILLERY_VERSION},
        {"hash_algorithm", "xxh64"}};
    for (const auto& [key, value] : entries) {
      meta.reset();
      meta.bind(1, key);
      meta.bind(2, value);
      meta.exec();
    }
    if (!options.imageRoot.empty()) storeImageRoot(db, dir, options.imageRoot);
    SQLite::Statement cat(db, "INSERT INTO categories(id, name, colour) VALUES (?, ?, ?)");
    for (size_t i = 0; i < options.classes.size(); ++i) {
      cat.reset();
      cat.bind(1, static_cast<int64_t>(i + 1));
      cat.bind(2, options.classes[i]);
      cat.bind(3, CategoryStore::paletteColour(static_cast<int64_t>(i)));
      cat.exec();
    }
    t.commit();
  } catch (const SQLite::Exception& e) {
    removeTemp();
    return Status::error((dir / kDatabaseName).string() +
                         ": cannot create the database: " + e.what());
  }
  fs::rename(temp, dir / kDatabaseName, ec);
  if (ec) {
    const std::string reason = ec.message();
    removeTemp();
    return Status::error((dir / kDatabaseName).string() + ": cannot create the database (" +
                         reason + ")");
  }
  syncFolder(dir);
  return openLocked(dir, std::move(*lock));
}

Result<Project> Project::open(const fs::path& dir, OpenMode mode) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::error(dir.string() + ": no such folder");
  if (!isProject(dir)) {
    return Status::error(dir.string() +
                         ": not a Distillery project (no project.sqlite in it); "
                         "create one with `distillery-cli project create`");
  }
  if (mode == OpenMode::ReadOnly) return openLocked(dir, nullptr, "opened read-only");

  std::string reason;
  if (!writable(dir) || !writable(dir / kDatabaseName)) {
    reason = dir.string() + ": the project folder or its database is read-only";
  } else {
    auto lock = ProjectLock::acquire(dir);
    if (lock) return openLocked(dir, std::move(*lock));
    reason = lock.status().message();
  }
  if (mode == OpenMode::ReadWrite) return Status::error(reason);
  return openLocked(dir, nullptr, reason);
}

Result<Project> Project::openLocked(const fs::path& dir, std::shared_ptr<ProjectLock> lock,
                                    const std::string& readOnlyReason) {
  ConnectionSpec spec;
  spec.file = dir / kDatabaseName;
  spec.readOnly = lock == nullptr;
  spec.readOnlyReason = spec.readOnly ? readOnlyReason : "";
  std::error_code ec;
  spec.immutable = spec.readOnly && !writable(dir) && !fs::exists(spec.file.string() + "-shm", ec);
  try {
    auto connection = openConnection(spec);
    int version = checkDatabase(connection->db(), spec.file);  // before anything could write
    if (!spec.readOnly)
      connection->db().exec("PRAGMA journal_mode = WAL");  // a no-op for project files
    if (version < currentSchemaVersion()) {
      if (spec.readOnly) {
        throw UserError(spec.file.string() + ": schema version " + std::to_string(version) +
                        " needs an upgrade to " + std::to_string(currentSchemaVersion()) +
                        "; open the project read-write once");
      }
      applyMigrations(connection->db(), projectMigrations());
      version = currentSchemaVersion();
    }
    auto state =
        std::make_unique<State>(dir, std::move(lock), spec, std::move(connection), version);
    Project project(std::move(state));
    if (!spec.readOnly) {
      if (Status s = makeFolders(dir); !s.ok()) return s;
      if (Status s = project.runs().failInterrupted(); !s.ok()) return s;
    }
    return project;
  } catch (const UserError& e) {
    return Status::error(e.what());
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode() & 0xFF;
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
      return Status::error(spec.file.string() + ": not a readable SQLite database (" + e.what() +
                           ")");
    return Status::error(spec.file.string() + ": cannot open the project: " + e.what());
  }
}

Result<Project> Project::connect() const {
  try {
    auto connection = openConnection(s_->spec);
    return Project(std::make_unique<State>(s_->dir, s_->lock, s_->spec, std::move(connection),
                                           s_->schemaVersion));
  } catch (const SQLite::Exception& e) {
    return Status::error(s_->spec.file.string() + ": cannot open another connection: " + e.what());
  }
}

const fs::path& Project::dir() const {
  return s_->dir;
}
fs::path Project::databaseFile() const {
  return s_->dir / kDatabaseName;
}
fs::path Project::modelsDir() const {
  return s_->dir / "models";
}
fs::path Project::runsDir() const {
  return s_->dir / "runs";
}
fs::path Project::thumbsDir() const {
  return s_->dir / "thumbs";
}
bool Project::readOnly() const {
  return s_->spec.readOnly;
}
const std::string& Project::readOnlyReason() const {
  return s_->spec.readOnlyReason;
}
int Project::schemaVersion() const {
  return s_->schemaVersion;
}
Connection& Project::connection() const {
  return *s_->connection;
}

CategoryStore& Project::categories() {
  return s_->categories;
}
const CategoryStore& Project::categories() const {
  return s_->categories;
}
ImageStore& Project::images() {
  return s_->images;
}
const ImageStore& Project::images() const {
  return s_->images;
}
AnnotationStore& Project::annotations() {
  return s_->annotations;
}
const AnnotationStore& Project::annotations() const {
  return s_->annotations;
}
RunStore& Project::runs() {
  return s_->runs;
}
const RunStore& Project::runs() const {
  return s_->runs;
}

Result<fs::path> Project::imageRoot() const {
  return s_->connection->read<fs::path>("read the image root", [&](SQLite::Database& db) {
    return loadImageRoot(db, s_->dir).value_or(fs::path());
  });
}

Status Project::setImageRoot(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    return Status::error(root.string() + ": image root is not a folder");
  return s_->connection->write("set the image root",
                               [&](SQLite::Database& db) { storeImageRoot(db, s_->dir, root); });
}

Result<fs::path> Project::imageFile(int64_t imageId) const {
  auto image = images().get(imageId);
  if (!image) return image.status();
  auto root = imageRoot();
  if (!root) return root.status();
  return *root / image->path;
}

ThumbnailCache Project::thumbnails() const {
  return ThumbnailCache(thumbsDir());
}

Result<fs::path> Project::thumbnailPath(int64_t imageId, int maxSide) const {
  auto image = images().get(imageId);
  if (!image) return image.status();
  return thumbnails().path(image->hash, maxSide);
}

Result<fs::path> Project::ensureThumbnail(int64_t imageId, int maxSide) const {
  auto image = images().get(imageId);
  if (!image) return image.status();
  auto root = imageRoot();
  if (!root) return root.status();
  return thumbnails().ensure(*root / image->path, image->hash, maxSide);
}

Status Project::checkIntegrity() const {
  auto problems = s_->connection->read<std::string>("check integrity", [](SQLite::Database& db) {
    std::string out;
    SQLite::Statement check(db, "PRAGMA integrity_check");
    while (check.executeStep()) {
      const std::string line = check.getColumn(0).getString();
      if (line != "ok") out += line + "\n";
    }
    SQLite::Statement fk(db, "PRAGMA foreign_key_check");
    while (fk.executeStep())
      out += "foreign key violation in table " + fk.getColumn(0).getString() + "\n";
    const int64_t wrong =
        db.execAndGet(
              "SELECT count(*) FROM images i WHERE "
              "n_human <> (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND a.source "
              "= 'human') OR "
              "n_pending <> (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND "
              "a.source <> 'human' AND a.review = 'pending') OR "
              "n_accepted <> (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND "
              "a.source <> 'human' AND a.review IN ('accepted','edited')) OR "
              "n_rejected <> (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND "
              "a.source <> 'human' AND a.review = 'rejected')")
            .getInt64();
    if (wrong > 0)
      out += std::to_string(wrong) +
             " images have annotation counters that do not match their annotations\n";
    return out;
  });
  if (!problems) return problems.status();
  if (!problems->empty())
    return Status::error(databaseFile().string() + ": integrity check failed:\n" + *problems);
  return Status();
}

}  // namespace distillery
