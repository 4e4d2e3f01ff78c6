// The benchmark protocol's input checks: a bad target fails at once, before the
// (long) teacher pretraining, with a message naming the file and the expectation.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/api/distillation.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace protocol_test {

// A smoke-scale call whose cache and report live under `root`.
ProtocolOptions smokeOptions(const std::filesystem::path& root) {
  ProtocolOptions o;
  o.scale = "smoke";
  o.cacheDir = root / "cache";
  o.out = root / "REPORT.json";
  return o;
}

TEST(ProtocolTest, ADatasetWithoutViaFilesFailsBeforeTraining) {
  const auto root = test::freshTempDir("protocol");
  ProtocolOptions o = smokeOptions(root);
  o.dataset = root / "balloon";
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
  ProtocolOptions o = smokeOptions(root);
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

  o.config.clear();
  o.student = "student-xl";
  r = runProtocol(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown architecture 'student-xl'"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("student-m"), std::string::npos) << r.status().message();
  EXPECT_FALSE(std::filesystem::exists(o.cacheDir / "teachers"));
  EXPECT_FALSE(std::filesystem::exists(o.cacheDir / "worlds"));
}

int keptRuns(const std::filesystem::path& cache, const std::string& prefix) {
  int n = 0;
  for (const auto& root : std::filesystem::directory_iterator(cache / "protocol-runs"))
    for (const auto& d : std::filesystem::directory_iterator(root.path()))
      n += d.path().filename().string().rfind(prefix, 0) == 0 && std::filesystem::exists(d.path() / "outcome.json");
  return n;
}

// A tiny real protocol call (the teacher-free baseline, so no pretraining): a second call
// reuses the finished recipe, a setting it does not read keeps it, one it reads retrains.
TEST(ProtocolTest, FinishedRecipesAreKeptPerTheirOwnSettings) {
  const auto root = test::freshTempDir("protocol-kept");
  ProtocolOptions o = smokeOptions(root);
  o.recipes = {"supervised"};
  o.config = root / "config.json";
  std::ofstream(o.config) << R"({"supervised": {"steps": 12, "eval_period": 0}})";
  auto first = runProtocol(o);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->rows.size(), 1u);  // no teacher row: the baseline needs no teacher
  EXPECT_EQ(first->rows[0].name, "student-supervised");
  EXPECT_FALSE(std::filesystem::exists(o.cacheDir / "teachers"));
  EXPECT_EQ(keptRuns(o.cacheDir, "supervised-"), 1);

  std::ofstream(o.config) << R"({"supervised": {"steps": 12, "eval_period": 0}, "distill": {"steps": 7}})";
  auto second = runProtocol(o);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->rows[0].ap, first->rows[0].ap);
  EXPECT_EQ(keptRuns(o.cacheDir, "supervised-"), 1);  // distillation settings are not its key

  std::ofstream(o.config) << R"({"supervised": {"steps": 13, "eval_period": 0}})";
  ASSERT_TRUE(runProtocol(o).ok());
  EXPECT_EQ(keptRuns(o.cacheDir, "supervised-"), 2);
}

std::filesystem::path keptRun(const std::filesystem::path& cache, const std::string& prefix) {
  for (const auto& root : std::filesystem::directory_iterator(cache / "protocol-runs"))
    for (const auto& d : std::filesystem::directory_iterator(root.path()))
      if (d.path().filename().string().rfind(prefix, 0) == 0) return d.path();
  return {};
}

// --fresh retrains the call's recipes, and only them.
TEST(ProtocolTest, FreshClearsOnlyTheCallsRecipes) {
  const auto root = test::freshTempDir("protocol-fresh");
  ProtocolOptions o = smokeOptions(root);
  o.recipes = {"supervised"};
  o.config = root / "config.json";
  std::ofstream(o.config) << R"({"supervised": {"steps": 4, "eval_period": 0},
                                 "distill": {"steps": 4, "eval_period": 0}, "gd_burn_in": 2})";
  ASSERT_TRUE(runProtocol(o).ok());
  const auto kept = keptRun(o.cacheDir, "supervised-");
  ASSERT_FALSE(kept.empty());
  std::ofstream(kept / "marker") << "from the first call";

  o.recipes = {"guided-distillation"};
  o.fresh = true;
  ASSERT_TRUE(runProtocol(o).ok());
  EXPECT_TRUE(std::filesystem::exists(kept / "marker"));  // not this call's recipe

  o.recipes = {"supervised"};
  ASSERT_TRUE(runProtocol(o).ok());
  EXPECT_FALSE(std::filesystem::exists(kept / "marker"));  // cleared, then trained again
  EXPECT_TRUE(std::filesystem::exists(kept / "outcome.json"));
}

int64_t lastLoggedStep(const std::filesystem::path& metrics) {
  int64_t last = -1;
  std::ifstream in(metrics);
  for (std::string line; std::getline(in, line);)
    last = std::max<int64_t>(last, nlohmann::json::parse(line).value("step", int64_t{-1}));
  return last;
}

// A run whose settings agree with a kept run's up to a stage takes that stage over (GD's
// supervised teacher when only its student's settings change), and no further.
TEST(ProtocolTest, AStageWithTheSameSettingsIsTakenOverFromAKeptRun) {
  const auto root = test::freshTempDir("protocol-stages");
  ProtocolOptions o = smokeOptions(root);
  o.recipes = {"guided-distillation"};
  o.config = root / "config.json";
  std::ofstream(o.config) << R"({"supervised": {"steps": 30, "eval_period": 0},
                                 "distill": {"steps": 6, "eval_period": 0}, "gd_burn_in": 2})";
  auto first = runProtocol(o);
  ASSERT_TRUE(first.ok()) << first.status().message();
  const auto firstRun = keptRun(o.cacheDir, "guided-distillation-");
  EXPECT_GE(lastLoggedStep(firstRun / "metrics.jsonl"), 20);  // the teacher's 30 steps were trained

  std::ofstream(o.config) << R"({"supervised": {"steps": 30, "eval_period": 0},
                                 "distill": {"steps": 7, "eval_period": 0}, "gd_burn_in": 2})";
  ASSERT_TRUE(runProtocol(o).ok());
  EXPECT_EQ(keptRuns(o.cacheDir, "guided-distillation-"), 2);
  std::filesystem::path second;
  for (const auto& d : std::filesystem::directory_iterator(firstRun.parent_path()))
    if (d.path().filename().string().rfind("guided-distillation-", 0) == 0 && d.path() != firstRun) second = d.path();
  ASSERT_FALSE(second.empty());
  EXPECT_TRUE(std::filesystem::exists(second / "gd-teacher.ckpt"));
  const int64_t secondLast = lastLoggedStep(second / "metrics.jsonl");
  EXPECT_GE(secondLast, 0);  // the student trained
  EXPECT_LT(secondLast, 7);  // and only the student: the teacher's stage was taken over

  std::ofstream(o.config) << R"({"supervised": {"steps": 31, "eval_period": 0},
                                 "distill": {"steps": 7, "eval_period": 0}, "gd_burn_in": 2})";
  ASSERT_TRUE(runProtocol(o).ok());  // the teacher's own settings changed: trained again
  EXPECT_EQ(keptRuns(o.cacheDir, "guided-distillation-"), 3);

  std::ofstream(o.config) << R"({"supervised": {"steps": 30, "eval_period": 0},
                                 "distill": {"steps": 8, "eval_period": 0}, "gd_burn_in": 2})";
  o.fresh = true;  // retraining takes nothing over: the teacher's 30 steps are trained again
  ASSERT_TRUE(runProtocol(o).ok());
  EXPECT_EQ(keptRuns(o.cacheDir, "guided-distillation-"), 4);
  o.fresh = false;
  int trainedTeachers = 0;
  for (const auto& d : std::filesystem::directory_iterator(firstRun.parent_path())) {
    std::ifstream in(d.path() / "settings.json");
    const auto key = nlohmann::json::parse(in, nullptr, false);
    if (key.is_discarded() || !key.contains("supervised") || !key.contains("distill")) continue;
    const bool otherTeacher = key["supervised"].value("steps", 0) == 31;
    const bool fresh = key["distill"].value("steps", 0) == 8;
    if (otherTeacher || fresh) {
      ++trainedTeachers;
      EXPECT_GE(lastLoggedStep(d.path() / "metrics.jsonl"), 20) << d.path();
    }
  }
  EXPECT_EQ(trainedTeachers, 2);
}

// The students start from a source-pretrained student when asked: it is pretrained once
// (cached like the teacher), named in the report, and part of each recipe's key.
TEST(ProtocolTest, StudentsStartFromASourcePretrainedStudent) {
  const auto root = test::freshTempDir("protocol-student-init");
  ProtocolOptions o = smokeOptions(root);
  o.recipes = {"supervised"};
  o.studentPretrainSteps = 6;
  o.config = root / "config.json";
  std::ofstream(o.config) << R"({"supervised": {"steps": 4, "eval_period": 0}})";
  auto first = runProtocol(o);
  ASSERT_TRUE(first.ok()) << first.status().message();
  std::ifstream in(o.out);
  const auto report = nlohmann::json::parse(in);
  const std::filesystem::path init = report.at("student_init").get<std::string>();
  EXPECT_TRUE(std::filesystem::exists(init)) << init;
  EXPECT_EQ(init.lexically_relative(o.cacheDir / "teachers").string().rfind("..", 0), std::string::npos) << init;
  EXPECT_EQ(keptRuns(o.cacheDir, "supervised-"), 1);

  o.studentPretrainSteps = 0;  // random weights: another recipe key, so another run
  auto scratch = runProtocol(o);
  ASSERT_TRUE(scratch.ok()) << scratch.status().message();
  std::ifstream in2(o.out);
  EXPECT_EQ(nlohmann::json::parse(in2).at("student_init"), "");
  EXPECT_EQ(keptRuns(o.cacheDir, "supervised-"), 2);
}

}  // namespace protocol_test
}  // namespace distillery
