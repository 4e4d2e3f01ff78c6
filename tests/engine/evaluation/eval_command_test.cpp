// `distillery-cli eval` end to end: pycocotools' summary lines, the JSON it writes,
// loadRes's box-area rule, and errors that name the file and the record.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "engine/data/formats/coco_json.h"
#include "engine/data/formats/coco_results.h"
#include "tests/engine/evaluation/eval_fixtures.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class EvalCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::freshTempDir("eval-cli");
    c_.image(1);
    c_.truth(1, 0, 0, 10, 10);
    c_.detection(1, 2, 0, 10, 10, 0.5);  // IoU 2/3: AP .4, AP50 1
    ASSERT_TRUE(writeCocoJson(c_.gt, dir_ / "gt.json").ok());
  }
  test::CommandOutput eval(const json& results, const std::string& extra = "") {
    std::ofstream(dir_ / "dt.json") << results.dump();
    return test::runCommand(test::cliPath() + " eval --gt " + (dir_ / "gt.json").string() +
                            " --dt " + (dir_ / "dt.json").string() + " " + extra);
  }
  json results() const { return cocoResultsToJson(c_.dt.instances); }

  fs::path dir_;
  test::EvalCase c_;
};

TEST_F(EvalCommandTest, PrintsPycocotoolsSummaryAndWritesJson) {
  const auto out = eval(results(), "--json " + (dir_ / "out.json").string());
  ASSERT_EQ(out.exitCode, 0) << out.output;
  for (const char* line :
       {" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.400\n",
        " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 1.000\n",
        " Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.000\n",
        " Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = -1.000\n",
        " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.400\n",
        " Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000\n"}) {
    EXPECT_NE(out.output.find(line), std::string::npos) << "missing: " << line << out.output;
  }
  EXPECT_TRUE(std::regex_search(out.output, std::regex("\\n +1  cat +0\\.400 +1\\.000\\n")))
      << out.output;
  EXPECT_TRUE(std::regex_search(out.output, std::regex("\\n +2  dog +- +-\\n"))) << out.output;
  std::ifstream in(dir_ / "out.json");
  const json j = json::parse(in);
  ASSERT_EQ(j.at("stats").size(), 12u);
  EXPECT_NEAR(j["stats"][0].get<double>(), 0.4, 1e-12);
  EXPECT_EQ(j["stats"][4].get<double>(), -1);
  EXPECT_NEAR(j["per_category"]["cat"]["ap"].get<double>(), 0.4, 1e-12);
  EXPECT_NEAR(j["per_category"]["cat"]["ap50"].get<double>(), 1.0, 1e-12);
  EXPECT_EQ(j["per_category"]["dog"]["ap"].get<double>(), -1);
}

TEST_F(EvalCommandTest, BoxesInResultsSetDetectionAreasAsLoadResDoes) {
  // A small miss, ranked first: by its mask (100 px) it is a small false positive; with
  // a 100x100 "bbox" loadRes gives it area 10000, outside the small range: ignored.
  c_.detection(1, 50, 50, 10, 10, 0.9);
  json r = results();
  auto ap = [&](const json& res) {
    const auto out = eval(res, "--json " + (dir_ / "o.json").string());
    EXPECT_EQ(out.exitCode, 0) << out.output;
    std::ifstream in(dir_ / "o.json");
    return json::parse(in)["stats"][3].get<double>();  // APs
  };
  // Mask areas: miss then hit -> precision 0 .5, envelope .5 at every IoU reached.
  EXPECT_NEAR(ap(r), 0.5 * 0.4, 1e-12);
  for (json& rec : r) rec["bbox"] = {0, 0, 100, 100};
  r[0]["bbox"] = {2, 0, 10, 10};  // the hit keeps a small box (it is matched anyway)
  EXPECT_NEAR(ap(r), 0.4, 1e-12);
}

TEST_F(EvalCommandTest, BadInputsNameTheFileAndRecord) {
  auto expectError = [&](const test::CommandOutput& out, const std::string& text) {
    EXPECT_EQ(out.exitCode, 2) << out.output;
    EXPECT_NE(out.output.find(text), std::string::npos) << "expected '" << text << "' in:\n"
                                                        << out.output;
  };
  json r = results();
  r[0]["image_id"] = 42;
  expectError(eval(r), "dt.json: result 0: unknown image id 42");

  r = results();
  r[0]["category_id"] = 7;
  expectError(eval(r), "dt.json: result 0: unknown category id 7");

  r = results();
  r[0]["segmentation"] = {{"size", {50, 100}}, {"counts", "0"}};
  expectError(eval(r), "dt.json: result 0: mask is 100x50");

  std::ofstream(dir_ / "dt.json") << "[{\"image_id\": 1,";
  expectError(test::runCommand(test::cliPath() + " eval --gt " + (dir_ / "gt.json").string() +
                               " --dt " + (dir_ / "dt.json").string()),
              "dt.json: malformed JSON");

  expectError(test::runCommand(test::cliPath() + " eval --gt " + (dir_ / "nope.json").string() +
                               " --dt " + (dir_ / "dt.json").string()),
              "nope.json: cannot open file");

  r = results();
  r.push_back(r[0]);
  r[1].erase("bbox");
  r[0]["bbox"] = {0, 0, 5, 5};
  expectError(eval(r), "dt.json: result 1: 'bbox' is missing");
}

TEST(EvalCommandRealDataTest, GroundTruthAgainstItselfIsPerfect) {
  DST_REQUIRE_SHARED_DATA();
  const fs::path gt = test::sharedData() / "coco128" / "instances.json";
  Result<Dataset> d = readCocoJson(gt);
  ASSERT_TRUE(d.ok());
  std::vector<Instance> dets;
  for (const Instance& g : d->instances)
    if (!g.iscrowd) dets.push_back(g);
  const fs::path dir = test::freshTempDir("eval-cli-real");
  ASSERT_TRUE(writeCocoResults(dets, dir / "dt.json").ok());
  const auto out = test::runCommand(test::cliPath() + " eval --gt " + gt.string() + " --dt " +
                                    (dir / "dt.json").string() + " --json " +
                                    (dir / "o.json").string());
  ASSERT_EQ(out.exitCode, 0) << out.output;
  EXPECT_NE(out.output.find("| area=   all | maxDets=100 ] = 1.000"), std::string::npos);
  std::ifstream in(dir / "o.json");
  const json j = json::parse(in);
  EXPECT_NEAR(j["stats"][0].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(j["per_category"]["person"]["ap50"].get<double>(), 1.0, 1e-12);
}

}  // namespace
}  // namespace distillery
