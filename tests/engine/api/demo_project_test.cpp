#include "engine/api/demo_project.h"

#include <gtest/gtest.h>

#include "engine/store/project.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

TEST(DemoProjectTest, CreatedOnceWithSeedsValAndPool) {
  DemoOptions o;
  o.cacheDir = test::freshTempDir("demo");
  o.images = 24;
  o.seeds = 4;
  o.val = 6;
  o.size = 64;
  auto dir = ensureDemoProject(o);
  ASSERT_TRUE(dir.ok()) << dir.status().message();
  {
    auto project = Project::open(*dir, OpenMode::ReadOnly);
    ASSERT_TRUE(project.ok()) << project.status().message();
    GalleryQuery q;
    q.limit = 100;
    auto rows = project->images().page(q);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 24u);
    int labelled = 0, val = 0, unlabelled = 0;
    for (const auto& r : *rows) {
      labelled += r.split == Split::Labelled;
      val += r.split == Split::Val;
      unlabelled += r.split == Split::Unlabelled;
      if (r.split != Split::Unlabelled) {
        EXPECT_GT(r.humanCount, 0) << r.path;
      }
    }
    EXPECT_EQ(labelled, 4);
    EXPECT_EQ(val, 6);
    EXPECT_EQ(unlabelled, 14);
  }
  // A second call returns the same project without touching it.
  const auto stamp = std::filesystem::last_write_time(*dir / "project.sqlite");
  auto again = ensureDemoProject(o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *dir);
  EXPECT_EQ(std::filesystem::last_write_time(*dir / "project.sqlite"), stamp);
}

}  // namespace
}  // namespace distillery
