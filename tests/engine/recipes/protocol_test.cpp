// The benchmark protocol's input checks: a bad target fails at once, before the
// (long) teacher pretraining, with a message naming the file and the expectation.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/api/distillation.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace protocol_test {

TEST(ProtocolTest, ADatasetWithoutViaFilesFailsBeforeTraining) {
  const auto root = test::freshTempDir("protocol");
  ProtocolOptions o;
  o.scale = "smoke";
  o.dataset = root / "balloon";
  o.cacheDir = root / "cache";
  o.out = root / "REPORT.json";
  std::filesystem::create_directories(o.dataset / "train");
  auto r = runProtocol(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("train/via_region_data.json: not found"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(std::filesystem::exists(o.cacheDir / "teachers"));  // nothing was pretrained

  std::ofstream(o.dataset / "train" / "via_region_data.json") << "{\"a.jpg1\": {\"filename\": ";
  r = runProtocol(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("via_region_data.json"), std::string::npos) << r.status().message();
  EXPECT_FALSE(std::filesystem::exists(o.cacheDir / "teachers"));
}

TEST(ProtocolTest, UnknownScaleIsRefused) {
  ProtocolOptions o;
  o.scale = "huge";
  auto r = runProtocol(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown scale 'huge'"), std::string::npos);
}

TEST(ProtocolTest, UnknownRecipeAndBadConfigFailBeforeTraining) {
  const auto root = test::freshTempDir("protocol-options");
  ProtocolOptions o;
  o.scale = "smoke";
  o.cacheDir = root / "cache";
  o.out = root / "REPORT.json";
  o.recipes = {"cast", "distill-harder"};
  auto r = runProtocol(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown recipe 'distill-harder'"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("guided-distillation"), std::string::npos);  // the list of known ones

  o.recipes = {"ablation"};
  o.config = root / "config.json";
  std::ofstream(o.config) << R"({"distill": {"stepz": 10}})";
  r = runProtocol(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("config.json"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("unknown setting 'stepz'"), std::string::npos) << r.status().message();

  std::ofstream(o.config) << "{\"distill\": ";
  r = runProtocol(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not valid JSON"), std::string::npos) << r.status().message();
  EXPECT_FALSE(std::filesystem::exists(o.cacheDir / "teachers"));
  EXPECT_FALSE(std::filesystem::exists(o.cacheDir / "worlds"));
}

}  // namespace protocol_test
}  // namespace distillery
