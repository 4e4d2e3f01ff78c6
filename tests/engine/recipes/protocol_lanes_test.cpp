// The protocol in parallel lanes: the task plan, a tiny real two-lane call whose child
// processes' kept runs make the table, and a failed lane named with its log.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include "engine/api/distillation.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

const ProtocolTask* find(const std::vector<ProtocolTask>& tasks, const std::string& name) {
  for (const auto& t : tasks)
    if (t.name == name) return &t;
  return nullptr;
}

TEST(ProtocolLanesTest, CastAndTheAblationsWaitForTheTeacherAdaptation) {
  const auto tasks = protocolTasks({"ablation-uniform", "cast", "pseudo-label", "supervised"});
  ASSERT_EQ(tasks.size(), 5u);
  const ProtocolTask* adapt = find(tasks, "cast-adaptation");
  ASSERT_NE(adapt, nullptr);
  EXPECT_TRUE(adapt->adaptOnly);
  EXPECT_EQ(adapt->recipes, std::vector<std::string>{"cast"});
  EXPECT_TRUE(adapt->after.empty());
  for (const char* name : {"cast", "ablation-uniform"}) {
    ASSERT_NE(find(tasks, name), nullptr) << name;
    EXPECT_EQ(find(tasks, name)->after, std::vector<std::string>{"cast-adaptation"}) << name;
    EXPECT_FALSE(find(tasks, name)->adaptOnly) << name;
  }
  for (const char* name : {"pseudo-label", "supervised"}) EXPECT_TRUE(find(tasks, name)->after.empty()) << name;
  // The longest way to the end first: the adaptation (which cast and the ablations wait
  // for) before any baseline, then the longer baseline; once it is done, cast.
  std::vector<ProtocolTask> pending = tasks;
  std::set<std::string> done;
  auto start = [&] {
    const size_t i = nextProtocolTask(pending, done);
    if (i == pending.size()) return std::string("none ready");
    const std::string name = pending[i].name;
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
    return name;
  };
  EXPECT_EQ(start(), "cast-adaptation");
  EXPECT_EQ(start(), "pseudo-label");
  EXPECT_EQ(start(), "supervised");
  EXPECT_EQ(start(), "none ready");  // cast and the ablations wait for the adaptation
  done.insert("cast-adaptation");
  EXPECT_EQ(start(), "cast");

  EXPECT_EQ(find(protocolTasks({"supervised", "guided-distillation"}), "cast-adaptation"), nullptr);
}

TEST(ProtocolLanesTest, ALaneIsOneProcessWithThisCallsOptions) {
  ProtocolOptions o;
  o.scale = "default";
  o.cacheDir = "/tmp/cache";
  o.config = "/tmp/config.json";
  o.classMap = "disc=balloon";
  o.student = "student-m";
  o.fresh = true;
  o.labelledFraction = 0.123456789;
  const auto tasks = protocolTasks({"cast"});
  const auto args = protocolTaskArguments(o, tasks.at(0), 1, "/bin/distillery-cli", "/tmp/R.cast-adaptation.json");
  auto after = [&](const std::string& flag) {
    auto it = std::find(args.begin(), args.end(), flag);
    return it == args.end() || it + 1 == args.end() ? std::string("(missing)") : *(it + 1);
  };
  EXPECT_EQ(args.at(0), "/bin/distillery-cli");
  EXPECT_EQ(after("--jobs"), "1");  // a lane never starts lanes of its own
  EXPECT_EQ(after("--threads"), "1");
  EXPECT_EQ(after("--recipes"), "cast");
  EXPECT_EQ(after("--config"), "/tmp/config.json");
  EXPECT_EQ(after("--class-map"), "disc=balloon");
  EXPECT_EQ(after("--student"), "student-m");
  EXPECT_EQ(std::stod(after("--labelled")), 0.123456789);  // exactly: it keys the kept runs
  EXPECT_EQ(after("--out"), "/tmp/R.cast-adaptation.json");
  EXPECT_NE(std::find(args.begin(), args.end(), "--adapted-teacher-only"), args.end());
  // --fresh clears kept runs once, in the parent, before any lane starts.
  EXPECT_EQ(std::find(args.begin(), args.end(), "--fresh"), args.end());
  // but a lane of a fresh call takes no stage over from other kept runs.
  EXPECT_NE(std::find(args.begin(), args.end(), "--no-stage-takeover"), args.end());
  const auto cast = protocolTaskArguments(o, tasks.at(1), 1, "/bin/distillery-cli", "/tmp/R.cast.json");
  EXPECT_EQ(std::find(cast.begin(), cast.end(), "--adapted-teacher-only"), cast.end());
}

ProtocolOptions tinyOptions(const std::filesystem::path& root) {
  ProtocolOptions o;
  o.scale = "smoke";
  o.cacheDir = root / "cache";
  o.out = root / "report" / "REPORT.json";  // a folder the call makes
  o.recipes = {"supervised", "guided-distillation"};
  o.config = root / "config.json";
  std::ofstream(o.config) << R"({"supervised": {"steps": 4, "eval_period": 0},
                                 "distill": {"steps": 4, "eval_period": 0}, "gd_burn_in": 2})";
  return o;
}

TEST(ProtocolLanesTest, TwoLanesOfChildProcessesAddUpToTheTable) {
  const auto root = test::freshTempDir("protocol-lanes");
  const ProtocolOptions o = tinyOptions(root);
  auto lanes = runProtocolInLanes(o, 2, DISTILLERY_CLI);
  ASSERT_TRUE(lanes.ok()) << lanes.status().message();
  ASSERT_EQ(lanes->rows.size(), 2u);
  EXPECT_EQ(lanes->rows[0].name, "student-supervised");
  EXPECT_EQ(lanes->rows[1].name, "student-guided-distillation");
  for (const char* task : {"supervised", "guided-distillation"}) {
    const auto log = root / "report" / (std::string("REPORT.") + task + ".log");
    ASSERT_TRUE(std::filesystem::exists(log)) << log;
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("student-" + std::string(task)), std::string::npos) << text;  // the child trained it
  }
  EXPECT_TRUE(std::filesystem::exists(o.out));
  {  // the lanes' wall time, beside the table
    std::ifstream in(o.out);
    const auto report = nlohmann::json::parse(in);
    ASSERT_TRUE(report.contains("wall")) << report.dump();
    EXPECT_GT(report["wall"]["minutes"].get<double>(), 0.0);
    EXPECT_EQ(report["wall"]["lanes"], 2);
    for (const char* task : {"supervised", "guided-distillation"})
      EXPECT_GT(report["wall"]["task_minutes"][task].get<double>(), 0.0) << task;
    EXPECT_EQ(report["rows"].size(), 2u);  // the table is still there
    std::ifstream md(std::filesystem::path(o.out).replace_extension(".md"));
    const std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("| student-supervised |"), std::string::npos) << text;
    EXPECT_NE(text.find("Wall time: "), std::string::npos) << text;
  }

  // The children kept their runs: one call in this process reads them, training nothing.
  auto again = runProtocol(o);
  ASSERT_TRUE(again.ok()) << again.status().message();
  ASSERT_EQ(again->rows.size(), 2u);
  for (size_t i = 0; i < 2; ++i) EXPECT_EQ(again->rows[i].ap, lanes->rows[i].ap) << again->rows[i].name;
}

TEST(ProtocolLanesTest, AFailedLaneIsNamedWithItsLog) {
  const auto root = test::freshTempDir("protocol-lanes-failed");
  auto r = runProtocolInLanes(tinyOptions(root), 2, "/bin/false");  // every lane exits 1
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("failed (exit code 1)"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find((root / "report" / "REPORT.").string()), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find(".log"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace distillery
