// A Distillery project: a folder with project.sqlite, models/, runs/ and a
// thumbnail cache (thumbs/). Image files stay where they are; the project
// refers to them by path relative to its image root plus a content hash.
//
// Every mutating call is one transaction and is on disk when it returns
// (autosave: there is no unsaved state). A Project handle and its stores are
// used by one thread at a time; another thread takes its own handle with
// connect(). Only one process at a time may open a project read-write
// (docs/store.md, "Concurrency and locking").
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/store/annotation_store.h"
#include "engine/store/category_store.h"
#include "engine/store/image_store.h"
#include "engine/store/run_store.h"
#include "engine/store/store_types.h"
#include "engine/store/thumbnail_cache.h"
#include "engine/util/status.h"

namespace distillery {

class Connection;
class ProjectLock;

struct ProjectOptions {
  std::filesystem::path imageRoot;   // empty: set by the first image import
  std::vector<std::string> classes;  // initial categories, ids 1..n
};

enum class OpenMode {
  ReadWrite,            // fails if another process has it open for writing
  ReadOnly,             // always possible, also while another process writes
  ReadWriteOrReadOnly,  // read-write if possible, else read-only (see readOnlyReason)
};

class Project {
 public:
  static Result<Project> create(const std::filesystem::path& dir,
                                const ProjectOptions& options = {});
  static Result<Project> open(const std::filesystem::path& dir,
                              OpenMode mode = OpenMode::ReadWrite);
  // True when dir holds a project.sqlite (without opening it).
  static bool isProject(const std::filesystem::path& dir);

  Project(Project&&) noexcept;
  Project& operator=(Project&&) noexcept;
  ~Project();

  // A second handle with its own SQLite connection, for another thread
  // (e.g. the trainer's MetricsWriter). It shares this process's write lock.
  Result<Project> connect() const;

  const std::filesystem::path& dir() const;
  std::filesystem::path databaseFile() const;
  std::filesystem::path modelsDir() const;
  std::filesystem::path runsDir() const;
  std::filesystem::path thumbsDir() const;

  bool readOnly() const;
  const std::string& readOnlyReason() const;  // why a ReadWriteOrReadOnly open fell back
  int schemaVersion() const;

  // Absolute image root; empty until set (by create or the first import).
  Result<std::filesystem::path> imageRoot() const;
  // Points the project at its images after they moved; stored paths stay
  // relative, so the files must keep their layout below the new root.
  Status setImageRoot(const std::filesystem::path& root);
  // The absolute file of an image path stored in the project.
  Result<std::filesystem::path> imageFile(int64_t imageId) const;

  CategoryStore& categories();
  const CategoryStore& categories() const;
  ImageStore& images();
  const ImageStore& images() const;
  AnnotationStore& annotations();
  const AnnotationStore& annotations() const;
  RunStore& runs();
  const RunStore& runs() const;

  ThumbnailCache thumbnails() const;
  // Where the image's thumbnail is (or will be) cached; it may not exist yet.
  Result<std::filesystem::path> thumbnailPath(int64_t imageId, int maxSide = kThumbnailSide) const;
  // Looks the image up (this thread's connection) and makes its thumbnail.
  Result<std::filesystem::path> ensureThumbnail(int64_t imageId,
                                                int maxSide = kThumbnailSide) const;

  // PRAGMA integrity_check plus a recount of the per-image annotation counters.
  Status checkIntegrity() const;

  // Engine-internal: the connection of this handle (dataset import/export).
  Connection& connection() const;

 private:
  struct State;
  explicit Project(std::unique_ptr<State> state);
  // Opens with the lock already taken (read-write) or none (read-only).
  static Result<Project> openLocked(const std::filesystem::path& dir,
                                    std::shared_ptr<ProjectLock> lock,
                                    const std::string& readOnlyReason = "");
  std::unique_ptr<State> s_;
};

}  // namespace distillery
