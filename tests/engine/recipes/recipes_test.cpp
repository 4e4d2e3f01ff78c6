// A tiny end-to-end run of the recipes on the synthetic world: the stages run,
// losses fall, and a valid student TorchScript comes out.
#include "engine/recipes/recipes.h"

#include <gtest/gtest.h>

#include "engine/data/world/domain_spec.h"
#include "engine/data/world/world_writer.h"
#include "engine/export/segmenter_trace.h"
#include "engine/modeling/teacher_adapter.h"
#include "engine/training/model_inference.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

struct TinyWorlds {
  std::filesystem::path root = test::freshTempDir("recipes");
  Dataset source, target, val;
  TrainingSet sourceSet, labelled, pool, valSet;
  RecipeData data;

  TinyWorlds() {
    source = *generateWorld(*findDomain("studio"), 24, 1, 64, root / "source");
    target = *generateWorld(*findDomain("dusk"), 24, 2, 64, root / "target");
    val = *generateWorld(*findDomain("dusk"), 8, 3, 64, root / "val");
    std::vector<int64_t> ids;
    for (const auto& c : source.categories) ids.push_back(c.id);
    Dataset labelledPart = target, poolPart = target;
    labelledPart.images.resize(4);       // 4 labelled, 20 unlabelled
    poolPart.images.erase(poolPart.images.begin(), poolPart.images.begin() + 4);
    poolPart.instances.clear();
    sourceSet = *TrainingSet::load(source, root / "source" / "images", ids, 64);
    labelled = *TrainingSet::load(labelledPart, root / "target" / "images", ids, 64);
    pool = *TrainingSet::load(poolPart, root / "target" / "images", ids, 64);
    valSet = *TrainingSet::load(val, root / "val" / "images", ids, 64);
    data.categories = source.categories;
    data.categoryIds = ids;
    data.val = &valSet;
    data.valGroundTruth = &val;
  }
};

RecipeSettings tinySettings() {
  RecipeSettings s = defaultRecipeSettings("smoke");
  for (StageConfig* c : {&s.adapt, &s.distill, &s.refine, &s.supervised}) {
    c->steps = 16;
    c->labelledBatch = c->unlabelledBatch = 2;
    c->contrast.negatives = 32;
    c->contrast.anchorsPerImage = 16;
  }
  s.gdBurnInSteps = 6;
  s.filter.classThreshold = 0.2;  // a barely trained teacher is not confident
  return s;
}

double firstAndLast(const std::vector<ScalarEvent>& events, const std::string& name, bool last) {
  std::vector<double> v;
  for (const auto& e : events)
    if (e.name == name) v.push_back(e.value);
  if (v.size() < 8) return std::nan("");
  double sum = 0;
  for (size_t i = 0; i < 4; ++i) sum += last ? v[v.size() - 1 - i] : v[i];
  return sum / 4;
}

TEST(RecipesTest, CastRunsAllStagesLossesFallAndExportsAValidStudent) {
  TinyWorlds w;
  // A "pretrained" teacher: the tiny preset, supervised on the source world.
  auto teacherCfg = *presetConfig("tiny", static_cast<int>(w.data.categoryIds.size()));
  NativeSegmentationModel teacher(teacherCfg);
  RecipeData sourceData = w.data;
  sourceData.labelled = &w.sourceSet;
  RunObserver quiet;
  quiet.console = false;
  StageConfig pre = tinySettings().supervised;
  pre.name = "pretrain";
  pre.steps = 60;
  pre.labelledBatch = 4;
  std::vector<ScalarEvent> preEvents;
  quiet.scalars = [&](const std::vector<ScalarEvent>& e) { preEvents.insert(preEvents.end(), e.begin(), e.end()); };
  ASSERT_EQ(runStage(teacher, pre, sourceData, nullptr, quiet).outcome, TrainOutcome::Completed);
  EXPECT_LT(firstAndLast(preEvents, "loss/total", true), firstAndLast(preEvents, "loss/total", false));

  w.data.labelled = &w.labelled;
  w.data.unlabelled = &w.pool;
  RunObserver obs;
  obs.console = false;
  obs.runDir = w.root / "run";
  std::vector<ScalarEvent> events;
  std::vector<std::string> stages;
  int pseudoBatches = 0;
  obs.scalars = [&](const std::vector<ScalarEvent>& e) { events.insert(events.end(), e.begin(), e.end()); };
  obs.stageStarted = [&](const std::string& s, int, int) { stages.push_back(s); };
  obs.pseudoLabels = [&](Dataset& d, const std::string&) { pseudoBatches += d.images.empty() ? 0 : 1; };
  RecipeOutcome out = runRecipe(tinySettings(), &teacher, w.data, obs);
  ASSERT_EQ(out.outcome, TrainOutcome::Completed) << out.failure;
  EXPECT_EQ(stages.size(), 4u);  // adapt 1, adapt 2, distill, refine
  EXPECT_EQ(pseudoBatches, 2);   // after adapt round 1, and from the adapted teacher
  ASSERT_TRUE(out.student && out.adaptedTeacher);
  for (const char* term : {"loss/sup", "loss/pxl", "loss/total"}) {
    bool seen = false;
    for (const auto& e : events) seen |= e.name == term;
    EXPECT_TRUE(seen) << term;
  }
  EXPECT_TRUE(out.scores.count("student-cast-refined/ap"));
  // Steps are counted across the run: the last scalar is near the total step count.
  EXPECT_GE(events.back().step, 16 * 4 - 1);
  EXPECT_TRUE(std::filesystem::exists(obs.runDir / "distill.ckpt"));
  EXPECT_TRUE(std::filesystem::exists(obs.runDir / "metrics.jsonl"));

  // The student exports to the teacher contract and reloads as a teacher.
  auto* native = dynamic_cast<NativeSegmentationModel*>(out.student.get());
  ASSERT_NE(native, nullptr);
  const auto file = w.root / "student.pt";
  ASSERT_TRUE(exportSegmenter(native->segmenter(),
                              segmenterSidecar(native->config(), w.data.classNames(), w.data.categoryIds, 64), file, 64)
                  .ok());
  auto reloaded = TeacherAdapter::load(file);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().message();
  EXPECT_EQ(reloaded->numClasses(), static_cast<int>(w.data.categoryIds.size()));
}

TEST(RecipesTest, BaselinesRun) {
  TinyWorlds w;
  w.data.labelled = &w.labelled;
  w.data.unlabelled = &w.pool;
  auto teacherCfg = *presetConfig("tiny", static_cast<int>(w.data.categoryIds.size()));
  NativeSegmentationModel teacher(teacherCfg);
  for (const std::string recipe : {"supervised", "guided-distillation", "pseudo-label"}) {
    RecipeSettings s = tinySettings();
    s.recipe = recipe;
    RunObserver obs;
    obs.console = false;
    RecipeOutcome out = runRecipe(s, &teacher, w.data, obs);
    EXPECT_EQ(out.outcome, TrainOutcome::Completed) << recipe << ": " << out.failure;
    EXPECT_TRUE(out.student != nullptr) << recipe;
  }
}

bool sameParameters(SegmentationModel& a, SegmentationModel& b) {
  auto pa = a.module()->named_parameters(), pb = b.module()->named_parameters();
  if (pa.size() != pb.size()) return false;
  for (const auto& p : pa)
    if (!torch::allclose(p.value(), pb[p.key()], 1e-6, 1e-6)) return false;
  return true;
}

TEST(RecipesTest, StudentsStartFromTheInitCheckpoint) {
  TinyWorlds w;
  w.data.labelled = &w.labelled;
  const int classes = static_cast<int>(w.data.categoryIds.size());
  torch::manual_seed(99);
  NativeSegmentationModel init(*presetConfig("tiny", classes)), other(*presetConfig("tiny", classes + 1));
  std::vector<std::string> names(classes, "c");
  ASSERT_TRUE(saveNativeModel(init, w.root / "init.ckpt", names).ok());
  names.push_back("extra");
  ASSERT_TRUE(saveNativeModel(other, w.root / "other.ckpt", names).ok());

  // The config key sets it; the checkpoint's architecture wins over the preset.
  auto s = recipeSettingsFromJson(
      nlohmann::json{{"recipe", "supervised"}, {"student_arch", "student-s"},
                     {"student_init", (w.root / "init.ckpt").string()}, {"supervised", {{"lr", 1e-12}}}},
      tinySettings());
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(toJson(*s)["student_init"], (w.root / "init.ckpt").string());
  RunObserver obs;
  obs.console = false;
  RecipeOutcome started = runRecipe(*s, nullptr, w.data, obs);
  ASSERT_EQ(started.outcome, TrainOutcome::Completed) << started.failure;
  EXPECT_EQ(started.student->config().arch, "tiny");
  EXPECT_TRUE(sameParameters(*started.student, init));  // a vanishing LR: still the init's weights

  RecipeSettings scratch = *s;
  scratch.studentInit.clear();
  scratch.student = *presetConfig("tiny", 1);
  RecipeOutcome random = runRecipe(scratch, nullptr, w.data, obs);
  ASSERT_EQ(random.outcome, TrainOutcome::Completed) << random.failure;
  EXPECT_FALSE(sameParameters(*random.student, init));

  // Classes that differ, or a missing file, fail naming the file before any training.
  s->studentInit = w.root / "other.ckpt";
  RecipeOutcome wrong = runRecipe(*s, nullptr, w.data, obs);
  EXPECT_EQ(wrong.outcome, TrainOutcome::Failed);
  EXPECT_NE(wrong.failure.find("other.ckpt"), std::string::npos) << wrong.failure;
  EXPECT_NE(wrong.failure.find(std::to_string(classes + 1) + " classes"), std::string::npos) << wrong.failure;
  s->studentInit = w.root / "missing.ckpt";
  RecipeOutcome missing = runRecipe(*s, nullptr, w.data, obs);
  EXPECT_EQ(missing.outcome, TrainOutcome::Failed);
  EXPECT_NE(missing.failure.find("missing.ckpt"), std::string::npos) << missing.failure;
  EXPECT_FALSE(recipeSettingsFromJson(nlohmann::json{{"student_init", 3}}, tinySettings()).ok());
}

TEST(RecipesTest, BadInputIsAClearMessage) {
  TinyWorlds w;
  RunObserver obs;
  obs.console = false;
  RecipeSettings s = tinySettings();
  TrainingSet empty;
  w.data.labelled = &empty;
  RecipeOutcome none = runRecipe(s, nullptr, w.data, obs);
  EXPECT_EQ(none.outcome, TrainOutcome::Failed);
  EXPECT_NE(none.failure.find("no labelled images"), std::string::npos);

  w.data.labelled = &w.labelled;
  w.data.unlabelled = nullptr;
  s.recipe = "pseudo-label";
  auto teacherCfg = *presetConfig("tiny", static_cast<int>(w.data.categoryIds.size()));
  NativeSegmentationModel teacher(teacherCfg);
  RecipeOutcome noPool = runRecipe(s, &teacher, w.data, obs);
  EXPECT_NE(noPool.failure.find("pool is empty"), std::string::npos) << noPool.failure;

  auto bad = recipeSettingsFromJson(nlohmann::json{{"distill", {{"lamda_pxl", 0.1}}}}, s);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown setting 'lamda_pxl'"), std::string::npos) << bad.status().message();
  auto wrongType = recipeSettingsFromJson(nlohmann::json{{"steps", "many"}}, s);
  ASSERT_FALSE(wrongType.ok());
  EXPECT_NE(wrongType.status().message().find("'steps'"), std::string::npos);
}

TEST(RecipesTest, NonFiniteLossStopsTheRunNamingStepAndTerm) {
  TinyWorlds w;
  w.data.labelled = &w.labelled;
  auto cfg = *presetConfig("tiny", static_cast<int>(w.data.categoryIds.size()));
  NativeSegmentationModel model(cfg);
  StageConfig c = tinySettings().supervised;
  c.name = "nan-test";
  c.lr = 1e30;  // the first update overflows the weights; the next loss is not finite
  c.gradClipNorm = 0;
  RunObserver obs;
  obs.console = false;
  obs.runDir = w.root / "nan";
  const StageResult r = runStage(model, c, w.data, nullptr, obs);
  EXPECT_EQ(r.outcome, TrainOutcome::Failed);
  EXPECT_NE(r.failure.find("loss term"), std::string::npos) << r.failure;
  EXPECT_NE(r.failure.find("at step"), std::string::npos) << r.failure;
  EXPECT_TRUE(std::filesystem::exists(obs.runDir / "nan-test.ckpt"));  // the last good checkpoint
}

TEST(RecipesTest, CancelledStageKeepsACheckpointAndResumes) {
  TinyWorlds w;
  w.data.labelled = &w.labelled;
  auto cfg = *presetConfig("tiny", static_cast<int>(w.data.categoryIds.size()));
  NativeSegmentationModel model(cfg);
  StageConfig c = tinySettings().supervised;
  c.name = "cancel-test";
  RunObserver obs;
  obs.console = false;
  obs.runDir = w.root / "cancel";
  int64_t seen = 0;
  obs.scalars = [&](const std::vector<ScalarEvent>& e) {
    for (const auto& x : e) seen = std::max(seen, x.step);
    if (seen >= 5) obs.control->cancel = true;
  };
  EXPECT_EQ(runStage(model, c, w.data, nullptr, obs).outcome, TrainOutcome::Cancelled);
  ASSERT_TRUE(std::filesystem::exists(obs.runDir / "cancel-test.ckpt"));
  obs.control->cancel = false;
  obs.stepOffset = 0;
  std::vector<int64_t> steps;
  obs.scalars = [&](const std::vector<ScalarEvent>& e) {
    for (const auto& x : e) steps.push_back(x.step);
  };
  EXPECT_EQ(runStage(model, c, w.data, nullptr, obs).outcome, TrainOutcome::Completed);
  ASSERT_FALSE(steps.empty());
  EXPECT_GT(steps.front(), 5);  // resumed, not restarted
}

}  // namespace
}  // namespace distillery
