// Where tests find real data and outside references; each may be absent.
#pragma once

#include <filesystem>
#include <string>

namespace distillery::test {

// ../shared/data (COCO128, balloon), or empty when it is not on this machine.
std::filesystem::path sharedData();
// A fresh, empty temporary folder, unique per call; removed when the test process exits
// (DISTILLERY_KEEP_TEST_DIRS=1 keeps it).
std::filesystem::path freshTempDir(const std::string& tag);
// The built distillery-cli.
std::string cliPath();

struct CommandOutput {
  int exitCode = -1;
  std::string output;  // stdout and stderr together
};
// Runs a shell command line and captures its output.
CommandOutput runCommand(const std::string& commandLine);

}  // namespace distillery::test

// Skips the current test when the shared data is not present.
#define DST_REQUIRE_SHARED_DATA()                                                  \
  do {                                                                             \
    if (::distillery::test::sharedData().empty())                                  \
      GTEST_SKIP() << "shared data (coco128, balloon) not found on this machine"; \
  } while (0)
