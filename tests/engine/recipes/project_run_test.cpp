// runOnProject: a recipe on a real project store, with the teacher's classes mapped
// onto the project's, pseudo-labels stored as pending teacher annotations, and the
// human labels untouched.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/api/demo_project.h"
#include "engine/api/distillation.h"
#include "engine/export/segmenter_trace.h"
#include "engine/modeling/segmenter_config.h"
#include "engine/store/project.h"
#include "engine/training/class_mapping.h"
#include "engine/training/segmentation_model.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace project_run_test {

const std::vector<std::string> kWorldClasses = {"disc", "square", "triangle", "star",
                                                "ring", "cross",  "crescent", "heart"};

struct TinyProject {
  std::filesystem::path root = test::freshTempDir("project-run");
  std::filesystem::path project;

  TinyProject() {
    DemoOptions o;
    o.cacheDir = root / "cache";
    o.images = 14;
    o.seeds = 3;
    o.val = 3;
    o.size = 64;
    project = *ensureDemoProject(o);
  }

  // A tiny untrained teacher saved as Distillery saves one: FILE.pt + FILE.ckpt.
  std::filesystem::path teacher(const std::vector<std::string>& classes, const std::string& name) {
    auto config = *presetConfig("tiny", static_cast<int>(classes.size()));
    NativeSegmentationModel model(config);
    const auto pt = root / (name + ".pt");
    EXPECT_TRUE(saveNativeModel(model, std::filesystem::path(pt).replace_extension(".ckpt"), classes).ok());
    std::vector<int64_t> ids;
    for (size_t i = 0; i < classes.size(); ++i) ids.push_back(static_cast<int64_t>(i + 1));
    EXPECT_TRUE(exportSegmenter(model.segmenter(), segmenterSidecar(config, classes, ids, 64), pt, 64).ok());
    return pt;
  }

  ProjectRunOptions options(const std::filesystem::path& teacherFile) const {
    ProjectRunOptions r;
    r.project = project;
    r.teacher = teacherFile;
    r.scale = "smoke";
    r.configJson = R"({"steps": 3, "batch": 2, "labelled_batch": 2, "unlabelled_batch": 2,
                       "image_size": 64, "eval_period": 0, "class_threshold": 0.0})";
    return r;
  }

  std::map<std::string, int64_t> counts() const {
    auto p = Project::open(project, OpenMode::ReadOnly);
    std::map<std::string, int64_t> out;
    GalleryQuery q;
    q.limit = 1000;
    const auto images = p->images().page(q);
    for (const auto& e : *images) {
      const auto annotations = p->annotations().forImage(e.id);
      for (const auto& a : *annotations) {
        const bool human = a.source == Source::Human;
        out[human ? "human" : (e.split == Split::Unlabelled ? "teacher-in-pool" : "teacher-elsewhere")]++;
        if (!human && a.review != ReviewStatus::Pending) out["teacher-not-pending"]++;
      }
    }
    return out;
  }
};

TEST(ClassMappingTest, ResolvesByNameAndParsesExplicitMaps) {
  const std::vector<std::string> teacher = {"Disc", "ring", "star"}, project = {"star", "disc", "ring"};
  auto byName = resolveClassMapping("", teacher, project);
  ASSERT_TRUE(byName.ok()) << byName.status().message();
  EXPECT_EQ(*byName, (ClassMapping{1, 2, 0}));
  auto differ = resolveClassMapping("", teacher, {"balloon"});
  ASSERT_FALSE(differ.ok());
  EXPECT_NE(differ.status().message().find("[Disc, ring, star]"), std::string::npos) << differ.status().message();
  EXPECT_NE(differ.status().message().find("[balloon]"), std::string::npos);
  EXPECT_NE(differ.status().message().find("--class-map"), std::string::npos);
  auto explicitMap = resolveClassMapping("disc=balloon, ring = balloon", teacher, {"balloon"});
  ASSERT_TRUE(explicitMap.ok()) << explicitMap.status().message();
  EXPECT_EQ(*explicitMap, (ClassMapping{0, 0, -1}));
  auto unknown = parseClassMapping("disk=balloon", teacher, {"balloon"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("'disk' is not a teacher class"), std::string::npos);
  EXPECT_FALSE(parseClassMapping("disc", teacher, {"balloon"}).ok());
}

TEST(ClassMappingTest, ReHeadedModelKeepsTheMappedClassLogits) {
  torch::manual_seed(3);
  auto config = *presetConfig("tiny", 3);
  NativeSegmentationModel teacher(config);
  teacher.train(false);
  auto remapped = remapClasses(teacher, ClassMapping{-1, 0, -1}, 1);  // teacher class 1 -> project class 0
  ASSERT_TRUE(remapped.ok()) << remapped.status().message();
  (*remapped)->train(false);
  EXPECT_EQ((*remapped)->numClasses(), 1);
  torch::NoGradGuard noGrad;
  const auto x = torch::rand({1, 3, 64, 64});
  const auto a = teacher.forward(x), b = (*remapped)->forward(x);
  EXPECT_TRUE(torch::allclose(a.masks, b.masks));
  EXPECT_TRUE(torch::allclose(a.logits.select(-1, 1), b.logits.select(-1, 0), 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(a.logits.select(-1, 3), b.logits.select(-1, 1), 1e-5, 1e-6));  // no object
}

TEST(ProjectRunTest, TeacherClassesThatDifferNeedAMapAndThenRun) {
  TinyProject p;
  const auto before = p.counts();
  ASSERT_GT(before.at("human"), 0);
  const auto foreign = p.teacher({"ball", "box"}, "foreign");
  auto refused = runOnProject(p.options(foreign), RunCallbacks{nullptr, nullptr, nullptr,
                                                               std::make_shared<TrainControl>(), false});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("[ball, box]"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("--class-map"), std::string::npos);
  EXPECT_EQ(p.counts(), before);  // nothing written

  auto options = p.options(foreign);
  options.classMap = "ball=disc,box=square";
  options.stage = "adapt";
  RunCallbacks cb;
  cb.console = false;
  int64_t stored = -1;
  cb.pseudoLabelsStored = [&](int64_t n, const std::string&) { stored = std::max(stored, n); };
  auto run = runOnProject(options, cb);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->status, "finished") << run->message;
  EXPECT_GE(stored, 0);
  EXPECT_TRUE(std::filesystem::exists(run->adaptedTeacher)) << run->adaptedTeacher;
  const auto after = p.counts();
  EXPECT_EQ(after.at("human"), before.at("human"));   // human labels untouched
  EXPECT_EQ(after.count("teacher-elsewhere"), 0u);    // pseudo-labels only in the pool
  EXPECT_EQ(after.count("teacher-not-pending"), 0u);  // all pending review
  EXPECT_EQ(after.count("teacher-in-pool") ? after.at("teacher-in-pool") : 0, stored);
}

TEST(ProjectRunTest, SameClassesInAnotherOrderMapByName) {
  TinyProject p;
  std::vector<std::string> shuffled(kWorldClasses.rbegin(), kWorldClasses.rend());
  auto options = p.options(p.teacher(shuffled, "reversed"));
  options.recipe = "pseudo-label";
  RunCallbacks cb;
  cb.console = false;
  auto run = runOnProject(options, cb);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->status, "finished") << run->message;
  EXPECT_TRUE(std::filesystem::exists(run->student));
}

// A wrong student start is refused before a run is stored, naming the file; a right one
// runs from it.
TEST(ProjectRunTest, AStudentStartIsCheckedBeforeTheRunIsStored) {
  TinyProject p;
  auto runsStored = [&] { return Project::open(p.project, OpenMode::ReadOnly)->runs().list()->size(); };
  auto options = p.options(p.teacher(kWorldClasses, "teacher"));
  options.recipe = "supervised";
  RunCallbacks cb;
  cb.console = false;
  const auto twoClasses = p.teacher({"ball", "box"}, "two-classes");
  for (const auto& [start, expected] :
       {std::pair{p.root / "missing.ckpt", std::string("missing.ckpt: checkpoint not found")},
        std::pair{std::filesystem::path(twoClasses).replace_extension(".ckpt"),
                  std::string("two-classes.ckpt has 2 classes, the training data has 8")}}) {
    options.configJson = nlohmann::json{{"student_init", start.string()}, {"steps", 2}, {"image_size", 64},
                                        {"eval_period", 0}}.dump();
    auto refused = runOnProject(options, cb);
    ASSERT_FALSE(refused.ok()) << start;
    EXPECT_NE(refused.status().message().find(expected), std::string::npos) << refused.status().message();
    EXPECT_EQ(runsStored(), 0u);
  }
  options.configJson = nlohmann::json{{"student_init", (p.root / "teacher.ckpt").string()}, {"steps", 2},
                                      {"image_size", 64}, {"eval_period", 0}}.dump();
  auto run = runOnProject(options, cb);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->status, "finished") << run->message;
  EXPECT_EQ(runsStored(), 1u);
}

}  // namespace project_run_test
}  // namespace distillery
