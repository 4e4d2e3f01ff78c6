#include "engine/store/project_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace distillery {
namespace {

// "pid 1234 on host" as written by the holder, or empty.
std::string readHolder(int fd) {
  std::array<char, 256> buffer{};
  const ssize_t n = ::pread(fd, buffer.data(), buffer.size() - 1, 0);
  std::string text(buffer.data(), n > 0 ? static_cast<size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

std::filesystem::path ProjectLock::lockFile(const std::filesystem::path& projectDir) {
  return projectDir / "project.lock";
}

Result<std::shared_ptr<ProjectLock>> ProjectLock::acquire(const std::filesystem::path& projectDir) {
  const std::string file = lockFile(projectDir).string();
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::error(file + ": cannot open the project lock for writing (" +
                         std::strerror(errno) + "); the project can only be opened read-only");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string holder = readHolder(fd);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::error(projectDir.string() +
                           ": the project is already open for writing by another process" +
                           (holder.empty() ? "" : " (" + holder + ")") +
                           "; close it there, or open this project read-only");
    }
    return Status::error(file + ": cannot lock the project (" + std::strerror(err) + ")");
  }
  std::array<char, 128> host{};
  ::gethostname(host.data(), host.size() - 1);
  const std::string text = "pid " + std::to_string(::getpid()) + " on " + host.data() + "\n";
  // Informational only (the flock is the lock), so a failed write is harmless.
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd, text.data(), text.size(), 0);
  }
  return std::shared_ptr<ProjectLock>(new ProjectLock(fd));
}

ProjectLock::~ProjectLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace distillery
