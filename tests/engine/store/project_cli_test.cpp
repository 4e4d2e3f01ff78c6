// distillery-cli project: the commands end to end, through the real binary.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/engine/store/store_test_util.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

std::string cli(const std::string& args) {
  return test::cliPath() + " project " + args;
}

nlohmann::json info(const fs::path& dir) {
  const auto r = test::runCommand(cli("info " + dir.string() + " --json") + " 2>/dev/null");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  return nlohmann::json::parse(r.output);
}

TEST(ProjectCliTest, CreateImportAndInfo) {
  const fs::path root = test::freshTempDir("cli-basic");
  test::writePng(root / "images" / "a.png", 16, 12, 1);
  test::writePng(root / "images" / "more" / "b.png", 16, 12, 2);
  std::ofstream(root / "images" / "bad.png") << "garbage";
  const fs::path dir = root / "p";
  auto r = test::runCommand(cli("create " + dir.string() + " --classes cat,dog,bird"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  r = test::runCommand(cli("import " + dir.string() + " --images " + (root / "images").string()));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("added 2 images"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad.png: "), std::string::npos) << r.output;
  const nlohmann::json j = info(dir);
  EXPECT_EQ(j["images"], 2);
  EXPECT_EQ(j["categories"], 3);
  EXPECT_EQ(j["annotations"]["human"], 0);
  EXPECT_EQ(j["annotations"]["teacher"], 0);
  EXPECT_EQ(j["annotations"]["student"], 0);
  EXPECT_EQ(j["image_status"]["unlabelled"], 2);
}

TEST(ProjectCliTest, BadInputGivesAClearErrorAndExitCode) {
  const fs::path root = test::freshTempDir("cli-bad");
  auto r = test::runCommand(cli("info " + root.string() + " --json"));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.output.find("not a Distillery project"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(root));
  ASSERT_EQ(test::runCommand(cli("create " + (root / "p").string())).exitCode, 0);
  r = test::runCommand(cli("import-coco " + (root / "p").string() + " --coco " +
                           (root / "none.json").string() + " --images " + root.string()));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.output.find("none.json"), std::string::npos) << r.output;
  r = test::runCommand(cli("export-coco " + (root / "p").string() + " --out " +
                           (root / "o.json").string() + " --source robots"));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.output.find("unknown source 'robots'"), std::string::npos) << r.output;
}

TEST(ProjectCliTest, ImportCocoIsIdempotentAndExportFilters) {
  DST_REQUIRE_SHARED_DATA();
  const fs::path root = test::freshTempDir("cli-coco");
  const fs::path dir = root / "p";
  const fs::path coco = test::sharedData() / "coco128";
  ASSERT_EQ(test::runCommand(cli("create " + dir.string())).exitCode, 0);
  const std::string import =
      cli("import-coco " + dir.string() + " --coco " + (coco / "instances.json").string() +
          " --images " + (coco / "images").string());
  auto r = test::runCommand(import);
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("annotations: 939 added"), std::string::npos) << r.output;
  r = test::runCommand(import);  // again: adds nothing
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("annotations: 0 added, 939 already present"), std::string::npos)
      << r.output;
  const nlohmann::json j = info(dir);
  EXPECT_EQ(j["images"], 128);
  EXPECT_EQ(j["annotations"]["human"], 939);
  EXPECT_EQ(j["categories"], 80);
  r = test::runCommand(cli("export-coco " + dir.string() + " --out " +
                           (root / "human.json").string() + " --source human --status accepted"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  std::ifstream in(root / "human.json");
  const nlohmann::json out = nlohmann::json::parse(in);
  EXPECT_EQ(out["annotations"].size(), 939u);
  EXPECT_EQ(out["images"].size(), 128u);
  r = test::runCommand(cli("export-coco " + dir.string() + " --out " +
                           (root / "teacher.json").string() + " --source teacher"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  std::ifstream teacherIn(root / "teacher.json");
  EXPECT_TRUE(nlohmann::json::parse(teacherIn)["annotations"].empty());
}

}  // namespace
}  // namespace distillery
