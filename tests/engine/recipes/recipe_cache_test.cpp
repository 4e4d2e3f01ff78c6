// A finished recipe kept on disk comes back with the same weights and scores; a folder
// without the outcome file is not finished; a damaged one is an error naming the file.
#include "engine/recipes/recipe_cache.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_paths.h"

namespace distillery {
namespace {

std::unique_ptr<SegmentationModel> tinyModel(uint64_t seed) {
  torch::manual_seed(seed);
  return std::make_unique<NativeSegmentationModel>(*presetConfig("tiny", 2));
}

TEST(RecipeCacheTest, OutcomeRoundTripsWeightsAndScores) {
  const auto dir = test::freshTempDir("recipe-cache") / "cast";
  EXPECT_FALSE(loadRecipeOutcome(dir).has_value());
  RecipeOutcome out;
  out.student = tinyModel(1);
  out.adaptedTeacher = tinyModel(2);
  out.scores = {{"student-cast-stage2/ap", 0.25}, {"student-cast-refined/ap50", 0.5}};
  ASSERT_TRUE(saveRecipeOutcome(out, dir, {"a", "b"}).ok());
  auto kept = loadRecipeOutcome(dir);
  ASSERT_TRUE(kept.has_value());
  ASSERT_TRUE(kept->ok()) << kept->status().message();
  EXPECT_EQ((*kept)->scores, out.scores);
  ASSERT_TRUE((*kept)->student && (*kept)->adaptedTeacher);
  auto same = [](SegmentationModel& a, SegmentationModel& b) {
    auto pa = a.module()->parameters(), pb = b.module()->parameters();
    if (pa.size() != pb.size()) return false;
    for (size_t i = 0; i < pa.size(); ++i)
      if (!torch::equal(pa[i], pb[i])) return false;
    return true;
  };
  EXPECT_TRUE(same(*(*kept)->student, *out.student));
  EXPECT_TRUE(same(*(*kept)->adaptedTeacher, *out.adaptedTeacher));
  EXPECT_FALSE(same(*(*kept)->student, *out.adaptedTeacher));  // the check can tell models apart
}

TEST(RecipeCacheTest, StudentOnlyOutcomeAndDamagedFiles) {
  const auto dir = test::freshTempDir("recipe-cache-damaged") / "supervised";
  RecipeOutcome out;
  out.student = tinyModel(3);
  ASSERT_TRUE(saveRecipeOutcome(out, dir, {"a", "b"}).ok());
  auto kept = loadRecipeOutcome(dir);
  ASSERT_TRUE(kept && kept->ok());
  EXPECT_TRUE((*kept)->student);
  EXPECT_FALSE((*kept)->adaptedTeacher);

  std::filesystem::remove(dir / "student.ckpt");
  kept = loadRecipeOutcome(dir);
  ASSERT_TRUE(kept.has_value());
  ASSERT_FALSE(kept->ok());
  EXPECT_NE(kept->status().message().find("student.ckpt"), std::string::npos) << kept->status().message();

  std::ofstream(dir / "outcome.json") << "{\"scores\": [1, 2]}";
  kept = loadRecipeOutcome(dir);
  ASSERT_TRUE(kept && !kept->ok());
  EXPECT_NE(kept->status().message().find("outcome.json"), std::string::npos) << kept->status().message();
}

TEST(RecipeCacheTest, FingerprintFollowsEverySetting) {
  auto s = defaultRecipeSettings("default");
  const auto a = settingsFingerprint(toJson(s));
  EXPECT_EQ(a, settingsFingerprint(toJson(defaultRecipeSettings("default"))));
  EXPECT_EQ(a.size(), 16u);
  s.filter.classThreshold = 0.5;
  EXPECT_NE(settingsFingerprint(toJson(s)), a);
  s = defaultRecipeSettings("default");
  s.distill.contrast.anchorsPerImage = 16;
  EXPECT_NE(settingsFingerprint(toJson(s)), a);
}

}  // namespace
}  // namespace distillery
