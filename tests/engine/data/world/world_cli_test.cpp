// distillery-cli world: the commands a benchmark script runs.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/data/world/domain_spec.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

std::string cli(const std::string& args) { return test::cliPath() + " world " + args; }

TEST(WorldCliTest, DomainsListsEveryDomainWithItsParameters) {
  const auto r = test::runCommand(cli("domains"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  for (const DomainSpec& d : worldDomains()) EXPECT_NE(r.output.find(d.name), std::string::npos);
  EXPECT_NE(r.output.find("noiseSigma"), std::string::npos);
  EXPECT_NE(r.output.find("crescent"), std::string::npos);  // the classes too
}

TEST(WorldCliTest, DomainsJsonParsesAndMatchesTheEngine) {
  const auto r = test::runCommand(test::cliPath() + " world domains --json");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j.size(), worldDomains().size());
  EXPECT_EQ(j[0]["name"], worldDomains()[0].name);
  EXPECT_EQ(j[0].size(), domainToJson(worldDomains()[0]).size());
}

TEST(WorldCliTest, GenerateWritesADataset) {
  const fs::path dir = test::freshTempDir("world-cli");
  const auto r = test::runCommand(
      cli("generate --domain dusk --count 3 --seed 5 --size 48 --out " + (dir / "d").string()));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir / "d" / "images" / "000002.png"));
  std::ifstream in(dir / "d" / "instances.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["images"].size(), 3u);
  EXPECT_EQ(j["categories"].size(), 8u);
}

TEST(WorldCliTest, UnknownDomainFailsListingTheValidNames) {
  const fs::path dir = test::freshTempDir("world-cli-bad");
  const auto r = test::runCommand(
      cli("generate --domain moon --count 1 --seed 1 --out " + dir.string()));
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_NE(r.output.find("unknown world domain 'moon'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("studio"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("wild"), std::string::npos) << r.output;
}

TEST(WorldCliTest, UnwritableOutputFailsClearly) {
  const fs::path dir = test::freshTempDir("world-cli-ro");
  std::ofstream(dir / "file") << "x";
  const auto r = test::runCommand(
      cli("generate --domain studio --count 1 --seed 1 --out " + (dir / "file").string()));
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_NE(r.output.find("cannot create the output folder"), std::string::npos) << r.output;
}

TEST(WorldCliTest, DomainFileOverridesABase) {
  const fs::path dir = test::freshTempDir("world-cli-file");
  std::ofstream(dir / "grainy.json") << R"({"base": "fog", "name": "grainy", "noiseSigma": 20})";
  const auto ok = test::runCommand(cli("generate --domain-file " + (dir / "grainy.json").string() +
                                       " --count 1 --seed 1 --size 32 --out " + (dir / "o").string()));
  EXPECT_EQ(ok.exitCode, 0) << ok.output;
  EXPECT_NE(ok.output.find("grainy"), std::string::npos) << ok.output;

  std::ofstream(dir / "bad.json") << R"({"noise": 20})";
  const auto bad = test::runCommand(cli("generate --domain-file " + (dir / "bad.json").string() +
                                        " --count 1 --seed 1 --out " + (dir / "p").string()));
  EXPECT_EQ(bad.exitCode, 2) << bad.output;
  EXPECT_NE(bad.output.find("bad.json: unknown field 'noise'"), std::string::npos) << bad.output;
}

TEST(WorldCliTest, SheetWritesAPng) {
  const fs::path dir = test::freshTempDir("world-cli-sheet");
  const auto r = test::runCommand(cli("sheet --domain wild --rows 1 --cols 2 --size 32 --masks --out " +
                                      (dir / "s.png").string()));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_GT(fs::file_size(dir / "s.png"), 100u);
}

}  // namespace
}  // namespace distillery
