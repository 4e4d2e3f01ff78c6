// Helpers shared by the project store tests: tiny projects, masks, image
// files and forked children (for crash, lock and disk-full tests).
#pragma once

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/data/rle.h"
#include "engine/store/project.h"
#include "tests/support/test_paths.h"

namespace distillery::test {
// An inline namespace of its own: same-named helpers of other suites link into the
// same test binary, and inline functions with one name must not differ (ODR).
inline namespace store_fixtures {

// Unwraps a Result in tests, failing loudly with its message.
template <class T>
T take(Result<T> r) {
  if (!r.ok()) throw std::runtime_error("unexpected error: " + r.status().message());
  return std::move(r).value();
}

struct ChildOutcome {
  int exitCode = -1;   // exit status, or -1 when killed
  int signal = 0;      // the signal that ended it, if any
  std::string output;  // what the child wrote to its pipe
};

// A width x height mask with a filled w x h rectangle at (x, y).
inline Rle boxMask(int width, int height, int x, int y, int w, int h) {
  cv::Mat m = cv::Mat::zeros(height, width, CV_8U);
  m(cv::Rect(x, y, w, h)).setTo(1);
  return rle::encode(m);
}

// A png of the given size whose pixels depend on seed (distinct seeds, distinct bytes).
inline void writePng(const std::filesystem::path& file, int width, int height, int seed) {
  cv::Mat image(height, width, CV_8UC3);
  cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
  image.at<cv::Vec3b>(0, 0) = cv::Vec3b(static_cast<uchar>(seed), static_cast<uchar>(seed >> 8), 7);
  std::filesystem::create_directories(file.parent_path());
  if (!cv::imwrite(file.string(), image)) throw std::runtime_error("cannot write " + file.string());
}

// A fresh project in a temporary folder with `classes` and `images` bulk
// records (64x48, paths img_00000.png ...); throws on failure.
inline Project makeProject(const std::string& tag, int images = 0,
                           const std::vector<std::string>& classes = {"cat", "dog"}) {
  ProjectOptions options;
  options.classes = classes;
  Project project = take(Project::create(freshTempDir(tag) / "project", options));
  std::vector<NewImage> records;
  for (int i = 0; i < images; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "img_%05d.png", i);
    std::ostringstream hash;
    hash << std::hex << (0x1000000 + i);
    records.push_back({name, 64, 48, hash.str(), Split::Unlabelled});
  }
  if (!records.empty()) take(project.images().addRecords(records));
  return project;
}

// Writes a whole string to a pipe.
inline void writeAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// Forks; the child runs body(writeFd) and _exits with its return value.
// Returns the pid and the read end of the pipe (the caller waits or kills).
inline pid_t startChild(const std::function<int(int writeFd)>& body, int& readFd) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    int code = 100;
    try {
      code = body(fds[1]);
    } catch (const std::exception& e) {
      writeAll(fds[1], std::string("child exception: ") + e.what());
    }
    ::close(fds[1]);
    ::_exit(code);  // no atexit handlers, no gtest teardown in the child
  }
  ::close(fds[1]);
  readFd = fds[0];
  return pid;
}

// startChild, then reads the pipe to its end and waits.
inline ChildOutcome runChild(const std::function<int(int writeFd)>& body) {
  int readFd = -1;
  const pid_t pid = startChild(body, readFd);
  ChildOutcome out;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(readFd, buffer, sizeof buffer)) > 0)
    out.output.append(buffer, static_cast<size_t>(n));
  ::close(readFd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) out.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
  return out;
}

// The bytes of a file (for "nothing changed" checks).
inline std::string fileBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace store_fixtures
}  // namespace distillery::test
