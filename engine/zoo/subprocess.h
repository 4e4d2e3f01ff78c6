// Runs a program directly (posix_spawnp, no shell, so no quoting and no injection)
// and captures what it writes. The model zoo runs `npm pack` and `tar` this way.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace distillery {

struct ProcessResult {
  int spawnError = 0;  // errno when the program could not be started (ENOENT: not on PATH)
  int exitCode = -1;   // its exit status, or -1 when a signal ended it
  int signal = 0;      // the signal that ended it, if any
  std::string stdoutText;
  std::string stderrText;

  bool started() const { return spawnError == 0; }
  bool succeeded() const { return started() && exitCode == 0; }
  // "exit code 1", "killed by signal 9" or "could not start: No such file or directory".
  std::string outcome() const;
};

// Runs argv[0] (looked up on PATH) with argv in the folder `cwd` (empty: the current
// folder), stdin from /dev/null, and waits for it. Each captured stream keeps at most its
// last 256 KiB: what matters for a message is how it ended.
ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::filesystem::path& cwd = {});

// The last `count` non-empty lines of `text`, joined with "\n".
std::string lastLines(const std::string& text, int count);

}  // namespace distillery
