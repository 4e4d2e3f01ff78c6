// One writing process per project: an advisory flock on <project>/project.lock.
//
// SQLite's own locks protect single transactions, not a session: two GUIs
// editing the same project would silently interleave their edits. The flock
// is held for as long as a read-write Project is open (every connection of
// that process shares it) and released by the kernel when the process dies,
// so a crash never leaves a stale lock. Readers take no lock.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "engine/util/status.h"

namespace distillery {

class ProjectLock {
 public:
  // Takes the lock without waiting; fails with a message naming the holder.
  static Result<std::shared_ptr<ProjectLock>> acquire(const std::filesystem::path& projectDir);
  ~ProjectLock();
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;

  static std::filesystem::path lockFile(const std::filesystem::path& projectDir);

 private:
  explicit ProjectLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace distillery
