// The two tools under the model zoo: SHA-256 of files and running a program without a
// shell while capturing what it writes.
#include <gtest/gtest.h>

#include <cerrno>

#include "engine/zoo/sha256.h"
#include "engine/zoo/subprocess.h"
#include "tests/engine/zoo/zoo_test_util.h"

namespace distillery {
namespace {

TEST(ZooProcessTest, Sha256MatchesTheStandardVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const auto dir = test::freshTempDir("zoo-sha");
  // Larger than the 1 MiB read buffer, so the file is hashed in several updates.
  std::string big(3 * 1024 * 1024 + 17, 'x');
  for (size_t i = 0; i < big.size(); i += 4099) big[i] = static_cast<char>(i % 251);
  test::writeFile(dir / "big.bin", big);
  EXPECT_EQ(sha256File(dir / "big.bin").value(), sha256Hex(big));
  auto missing = sha256File(dir / "absent.bin");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("absent.bin"), std::string::npos);
}

TEST(ZooProcessTest, RunProcessCapturesBothStreamsAndTheExitCode) {
  const auto r = runProcess({"sh", "-c", "echo out; echo err1 >&2; echo err2 >&2; exit 3"});
  EXPECT_TRUE(r.started());
  EXPECT_FALSE(r.succeeded());
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_EQ(r.stdoutText, "out\n");
  EXPECT_EQ(r.stderrText, "err1\nerr2\n");
  EXPECT_EQ(r.outcome(), "exit code 3");
  EXPECT_EQ(lastLines(r.stderrText, 1), "err2");
  EXPECT_EQ(lastLines("a\n\nb\nc\n", 2), "b\nc");
}

TEST(ZooProcessTest, ArgumentsAreNotInterpretedByAShell) {
  const auto r = runProcess({"printf", "%s|", "$HOME", "a b", ";", "*"});
  ASSERT_TRUE(r.succeeded()) << r.outcome();
  EXPECT_EQ(r.stdoutText, "$HOME|a b|;|*|");
}

TEST(ZooProcessTest, RunsInTheGivenFolderAndReportsAMissingProgram) {
  const auto dir = test::freshTempDir("zoo-cwd");
  const auto r = runProcess({"pwd"}, dir);
  ASSERT_TRUE(r.succeeded());
  EXPECT_EQ(std::filesystem::path(r.stdoutText.substr(0, r.stdoutText.size() - 1)),
            std::filesystem::canonical(dir));
  const auto absent = runProcess({"distillery-no-such-program"});
  EXPECT_FALSE(absent.started());
  EXPECT_EQ(absent.spawnError, ENOENT);
}

}  // namespace
}  // namespace distillery
