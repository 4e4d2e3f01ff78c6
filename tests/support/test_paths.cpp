#include "tests/support/test_paths.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace distillery::test {

std::filesystem::path sharedData() {
  if (const char* env = std::getenv("DISTILLERY_DATA")) return env;
  const std::filesystem::path dir = DISTILLERY_DATA_DIR;
  if (!dir.empty() && std::filesystem::exists(dir / "coco128" / "instances.json")) return dir;
  return {};
}

namespace {

// The folders this process made, removed when it exits (DISTILLERY_KEEP_TEST_DIRS=1 keeps them
// for a look after a failure).
struct TempDirs {
  std::mutex mutex;
  std::vector<std::filesystem::path> dirs;
  ~TempDirs() {
    if (const char* keep = std::getenv("DISTILLERY_KEEP_TEST_DIRS"); keep && *keep == '1') return;
    std::error_code ec;
    for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
  }
};
TempDirs& tempDirs() {
  static TempDirs dirs;
  return dirs;
}

}  // namespace

std::filesystem::path freshTempDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto& registry = tempDirs();
  const auto dir = std::filesystem::temp_directory_path() /
                   ("distillery-test-" + tag + "-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.dirs.push_back(dir);
  return dir;
}

std::string cliPath() { return DISTILLERY_CLI; }

CommandOutput runCommand(const std::string& commandLine) {
  CommandOutput result;
  FILE* pipe = ::popen((commandLine + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace distillery::test
