// distillery-cli's shell: version, help, and the subcommand groups.
#include <gtest/gtest.h>

#include "tests/support/test_paths.h"

namespace distillery {
namespace {

TEST(CliTest, VersionPrintsNameAndVersion) {
  const auto r = test::runCommand(test::cliPath() + " --version");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.output.find(std::string("distillery-cli ") + DISTILLERY_VERSION), std::string::npos)
      << r.output;
}

TEST(CliTest, HelpListsEverySubcommand) {
  const auto r = test::runCommand(test::cliPath() + " --help");
  EXPECT_EQ(r.exitCode, 0);
  for (const char* sub : {"eval", "convert", "world", "project", "model", "teacher", "predict",
                          "run", "bench"}) {
    EXPECT_NE(r.output.find(std::string("  ") + sub + " "), std::string::npos)
        << "missing subcommand " << sub << " in:\n" << r.output;
  }
}

TEST(CliTest, UnknownSubcommandFails) {
  const auto r = test::runCommand(test::cliPath() + " frobnicate");
  EXPECT_NE(r.exitCode, 0);
}

TEST(CliTest, RunsWithoutADisplay) {
  const auto r = test::runCommand("env -u DISPLAY -u WAYLAND_DISPLAY " + test::cliPath() + " --help");
  EXPECT_EQ(r.exitCode, 0) << r.output;
}

}  // namespace
}  // namespace distillery
