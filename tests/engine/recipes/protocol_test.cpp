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

}  // namespace protocol_test
}  // namespace distillery
