// Crash safety and multi-process rules, with real forked processes:
// a second writer process gets a clear message and read-only access, a
// read-only folder and a full disk give clear errors and change nothing, and
// SIGKILL at random moments never loses an acknowledged edit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>
#include <thread>

#include "engine/store/project.h"
#include "tests/engine/store/store_test_util.h"

namespace distillery {
namespace {

using test::take;
namespace fs = std::filesystem;

NewAnnotation humanBox(int64_t image, int x) {
  NewAnnotation a;
  a.imageId = image;
  a.categoryId = 1 + x % 2;
  a.mask = test::boxMask(64, 48, x % 50, x % 30, 10, 10);
  return a;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ProcessSafetyTest, SecondProcessGetsAClearMessageAndAtMostReadOnlyAccess) {
  Project project = test::makeProject("process-lock", 4);
  take(project.annotations().add(humanBox(1, 0)));
  const fs::path dir = project.dir();
  const test::ChildOutcome child = test::runChild([&](int out) {
    auto rw = Project::open(dir, OpenMode::ReadWrite);
    test::writeAll(out, "rw-ok=" + std::to_string(rw.ok()) + "\n");
    if (!rw.ok()) test::writeAll(out, "rw-error=" + rw.status().message() + "\n");
    auto fallback = Project::open(dir, OpenMode::ReadWriteOrReadOnly);
    if (!fallback.ok()) return 2;
    test::writeAll(out, "fallback-read-only=" + std::to_string(fallback->readOnly()) + "\n");
    test::writeAll(out, "images=" + std::to_string(take(fallback->images().count())) + "\n");
    test::writeAll(out,
                   "human=" + std::to_string(take(fallback->annotations().counts()).human) + "\n");
    auto write = fallback->annotations().add(humanBox(2, 1));
    test::writeAll(out, "write-error=" + write.status().message() + "\n");
    return 0;
  });
  ASSERT_EQ(child.exitCode, 0) << child.output;
  EXPECT_TRUE(contains(child.output, "rw-ok=0")) << child.output;
  EXPECT_TRUE(contains(child.output, "already open for writing by another process (pid " +
                                         std::to_string(::getpid())))
      << child.output;
  EXPECT_TRUE(contains(child.output, "fallback-read-only=1")) << child.output;
  EXPECT_TRUE(contains(child.output, "images=4")) << child.output;
  EXPECT_TRUE(contains(child.output, "human=1")) << child.output;
  EXPECT_TRUE(contains(child.output, "write-error=") && contains(child.output, "open read-only"))
      << child.output;
  EXPECT_EQ(take(project.annotations().counts()).human, 1);
  // Once the writer closes, another process may write.
  project = take(Project::open(dir, OpenMode::ReadOnly));
  const test::ChildOutcome second =
      test::runChild([&](int) { return Project::open(dir).ok() ? 0 : 1; });
  EXPECT_EQ(second.exitCode, 0);
}

TEST(ProcessSafetyTest, ReadOnlyFolderGivesClearErrorsAndReadOnlyAccess) {
  const fs::path base = test::freshTempDir("process-readonly");
  const fs::path dir = base / "p";
  {
    ProjectOptions options;
    options.classes = {"a"};
    Project project = take(Project::create(dir, options));
    take(project.images().addRecords({{"x.png", 8, 8, "01"}, {"y.png", 8, 8, "02"}}));
  }
  ::chmod(dir.c_str(), 0555);
  ::chmod((dir / "project.sqlite").c_str(), 0444);
  const std::string before = test::fileBytes(dir / "project.sqlite");
  // Root ignores permissions, so the child drops to an unprivileged user first.
  const test::ChildOutcome child = test::runChild([&](int out) {
    if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      test::writeAll(out, "skip");
      return 0;
    }
    auto rw = Project::open(dir, OpenMode::ReadWrite);
    test::writeAll(out,
                   "rw-error=" + (rw.ok() ? std::string("none") : rw.status().message()) + "\n");
    auto ro = Project::open(dir, OpenMode::ReadOnly);
    test::writeAll(
        out,
        "ro=" + (ro.ok() ? std::to_string(take(ro->images().count())) : ro.status().message()) +
            "\n");
    auto fallback = Project::open(dir, OpenMode::ReadWriteOrReadOnly);
    test::writeAll(
        out, "fallback-read-only=" + std::to_string(fallback.ok() && fallback->readOnly()) + "\n");
    auto created = Project::create(dir / "inner");
    test::writeAll(
        out,
        "create-error=" + (created.ok() ? std::string("none") : created.status().message()) + "\n");
    return 0;
  });
  ::chmod(dir.c_str(), 0755);
  ::chmod((dir / "project.sqlite").c_str(), 0644);
  if (child.output == "skip") GTEST_SKIP() << "cannot drop root privileges here";
  ASSERT_EQ(child.exitCode, 0) << child.output;
  EXPECT_TRUE(contains(child.output, "rw-error=" + dir.string() +
                                         ": the project folder or its database is read-only"))
      << child.output;
  EXPECT_TRUE(contains(child.output, "ro=2\n")) << child.output;
  EXPECT_TRUE(contains(child.output, "fallback-read-only=1")) << child.output;
  EXPECT_TRUE(contains(child.output, "create-error=") &&
              !contains(child.output, "create-error=none"))
      << child.output;
  EXPECT_TRUE(test::fileBytes(dir / "project.sqlite") == before) << "the database changed";
  EXPECT_FALSE(fs::exists(dir / "inner"));
}

TEST(ProcessSafetyTest, FullDiskFailsCleanlyAndKeepsEarlierCommits) {
  Project project = test::makeProject("process-full", 3);
  take(project.annotations().add(humanBox(1, 0)));
  const fs::path dir = project.dir();
  project = take(Project::open(dir, OpenMode::ReadOnly));  // the child writes
  const auto limit = static_cast<rlim_t>(fs::file_size(dir / "project.sqlite") + 64 * 1024);
  const test::ChildOutcome child = test::runChild([&](int out) {
    ::signal(SIGXFSZ, SIG_IGN);  // writes past the limit fail with EFBIG instead of killing us
    rlimit rl{limit, limit};
    if (::setrlimit(RLIMIT_FSIZE, &rl) != 0) return 3;
    Project writer = take(Project::open(dir));
    const bool small = writer.annotations().add(humanBox(2, 1)).ok();  // fits: acknowledged
    test::writeAll(out, "small-ok=" + std::to_string(small) + "\n");
    std::vector<NewImage> many;
    for (int i = 0; i < 20000; ++i)
      many.push_back({"bulk/" + std::to_string(i) + ".png", 640, 480, "h" + std::to_string(i)});
    auto big = writer.images().addRecords(many);
    test::writeAll(out,
                   "big-error=" + (big.ok() ? std::string("none") : big.status().message()) + "\n");
    return 0;
  });
  ASSERT_EQ(child.exitCode, 0) << child.output;
  EXPECT_TRUE(contains(child.output, "small-ok=1")) << child.output;
  EXPECT_TRUE(contains(child.output, "big-error=" + (dir / "project.sqlite").string() +
                                         ": cannot add image records"))
      << child.output;
  EXPECT_TRUE(contains(child.output, "nothing was changed")) << child.output;

  Project reopened = take(Project::open(dir));
  EXPECT_TRUE(reopened.checkIntegrity().ok()) << reopened.checkIntegrity().message();
  EXPECT_EQ(take(reopened.images().count()), 3);
  EXPECT_EQ(take(reopened.annotations().counts()).human, 2);
}

TEST(ProcessSafetyTest, SigkillAtRandomMomentsNeverLosesAnAcknowledgedEdit) {
  Project project = test::makeProject("process-crash", 8);
  const fs::path dir = project.dir();
  project = take(Project::open(dir, OpenMode::ReadOnly));
  std::mt19937 random(12345);  // fixed seed: the same kill moments on every run
  std::uniform_int_distribution<int> killAfterMs(5, 120);
  std::set<int64_t> acknowledged;
  constexpr int kRounds = 30;
  for (int round = 0; round < kRounds; ++round) {
    int readFd = -1;
    const pid_t child = test::startChild(
        [&](int out) {
          Project writer = take(Project::open(dir));
          for (int i = 0;; ++i) {
            auto id = writer.annotations().add(humanBox(1 + i % 8, round * 1000 + i));
            if (!id.ok()) return 1;
            const int64_t value = *id;
            if (::write(out, &value, sizeof value) != sizeof value) return 2;  // atomic: < PIPE_BUF
            if (i % 3 == 2 &&
                !writer.annotations().setReviewStatus({value}, ReviewStatus::Rejected).ok())
              return 3;
          }
        },
        readFd);
    std::this_thread::sleep_for(std::chrono::milliseconds(killAfterMs(random)));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round << ": the writer stopped by itself";
    int64_t value = 0;
    while (::read(readFd, &value, sizeof value) == sizeof value) acknowledged.insert(value);
    ::close(readFd);

    Project after = take(Project::open(dir));
    ASSERT_TRUE(after.checkIntegrity().ok())
        << "round " << round << ": " << after.checkIntegrity().message();
    for (int64_t id : acknowledged)
      ASSERT_TRUE(after.annotations().get(id).ok()) << "round " << round << ": lost " << id;
  }
  EXPECT_GT(acknowledged.size(), static_cast<size_t>(kRounds));  // the children did real work
}

}  // namespace
}  // namespace distillery
