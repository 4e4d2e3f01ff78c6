#include "engine/zoo/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/util/status.h"

extern char** environ;

namespace distillery {
namespace {

constexpr size_t kKeepBytes = 256 * 1024;

void appendTail(std::string& text, const char* data, size_t n) {
  text.append(data, n);
  if (text.size() > 2 * kKeepBytes) text.erase(0, text.size() - kKeepBytes);
}

// Reads both pipes until the child closes them (poll, so neither pipe can fill up and
// block the child while we wait on the other).
void drain(int outFd, int errFd, ProcessResult& r) {
  pollfd fds[2] = {{outFd, POLLIN, 0}, {errFd, POLLIN, 0}};
  std::string* sinks[2] = {&r.stdoutText, &r.stderrText};
  int open = 2;
  char buffer[16384];
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        appendTail(*sinks[i], buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  for (auto* s : sinks)
    if (s->size() > kKeepBytes) s->erase(0, s->size() - kKeepBytes);
}

}  // namespace

std::string ProcessResult::outcome() const {
  if (!started()) return std::string("could not start: ") + std::strerror(spawnError);
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  return "exit code " + std::to_string(exitCode);
}

ProcessResult runProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
  DST_CHECK(!argv.empty());
  ProcessResult r;
  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0) {
    r.spawnError = errno;
    return r;
  }
  if (::pipe2(errPipe, O_CLOEXEC) != 0) {
    r.spawnError = errno;
    ::close(outPipe[0]);
    ::close(outPipe[1]);
    return r;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  // glibc reports a failed exec (program not found) as posix_spawnp's return value.
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(outPipe[1]);
  ::close(errPipe[1]);
  if (rc != 0) {
    r.spawnError = rc;
    ::close(outPipe[0]);
    ::close(errPipe[0]);
    return r;
  }
  drain(outPipe[0], errPipe[0], r);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) r.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

std::string lastLines(const std::string& text, int count) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  std::string joined;
  const size_t first = lines.size() > static_cast<size_t>(count) ? lines.size() - count : 0;
  for (size_t i = first; i < lines.size(); ++i) joined += (joined.empty() ? "" : "\n") + lines[i];
  return joined;
}

}  // namespace distillery
