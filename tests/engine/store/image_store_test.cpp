// Images: folder import (duplicates, undecodable files, idempotence), bulk
// records, gallery pages and counts per status.
#include "engine/store/image_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "engine/store/annotation_store.h"
#include "tests/engine/store/store_test_util.h"

namespace distillery {
namespace {

using test::take;
namespace fs = std::filesystem;

TEST(ImageStoreTest, FolderImportIsRecursiveSkipsDuplicatesAndUndecodableFilesAndIsIdempotent) {
  const auto root = test::freshTempDir("images-folder");
  const fs::path images = root / "images";
  test::writePng(images / "a.png", 40, 30, 1);
  test::writePng(images / "sub" / "b.PNG", 20, 10, 2);
  fs::copy_file(images / "a.png", images / "sub" / "a_copy.png");  // same bytes as a.png
  std::ofstream(images / "broken.jpg") << "not really a jpeg";
  std::ofstream(images / "notes.txt") << "ignored: not an image extension";
  test::writePng(images / ".hidden" / "c.png", 8, 8, 3);

  Project project = take(Project::create(root / "project"));
  int progressCalls = 0;
  const ImportReport first = take(project.images().importFolder(
      images, [&](int64_t, int64_t) { ++progressCalls; }, 2));
  EXPECT_EQ(first.added, 2);
  EXPECT_EQ(first.alreadyPresent, 0);
  ASSERT_EQ(first.duplicates.size(), 1u);
  EXPECT_EQ(first.duplicates[0].file, "sub/a_copy.png");
  EXPECT_NE(first.duplicates[0].reason.find("same content as a.png"), std::string::npos);
  ASSERT_EQ(first.failed.size(), 1u);
  EXPECT_EQ(first.failed[0].file, "broken.jpg");
  EXPECT_NE(first.failed[0].reason.find("cannot be decoded"), std::string::npos);
  EXPECT_EQ(progressCalls, 2);  // 4 files in chunks of 2

  const auto a = take(project.images().findByPath("a.png"));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->width, 40);
  EXPECT_EQ(a->height, 30);
  EXPECT_EQ(a->hash.size(), 16u);
  EXPECT_EQ(a->split, Split::Unlabelled);
  EXPECT_EQ(take(project.images().findByPath("sub/b.PNG"))->width, 20);
  EXPECT_EQ(take(project.imageRoot()), fs::weakly_canonical(images));

  const ImportReport second = take(project.images().importFolder(images));
  EXPECT_EQ(second.added, 0);
  EXPECT_EQ(second.alreadyPresent, 2);
  EXPECT_EQ(take(project.images().count()), 2);
}

TEST(ImageStoreTest, FolderOutsideTheImageRootIsRefused) {
  const auto root = test::freshTempDir("images-outside");
  test::writePng(root / "in" / "a.png", 8, 8, 1);
  test::writePng(root / "out" / "b.png", 8, 8, 2);
  ProjectOptions options;
  options.imageRoot = root / "in";
  Project project = take(Project::create(root / "project", options));
  auto r = project.images().importFolder(root / "out");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("outside the project's image root"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(take(project.images().count()), 0);
  EXPECT_FALSE(project.images().importFolder(root / "missing").ok());
  // A folder inside the root keeps paths relative to the root.
  test::writePng(root / "in" / "deeper" / "c.png", 8, 8, 3);
  take(project.images().importFolder(root / "in" / "deeper"));
  EXPECT_TRUE(take(project.images().findByPath("deeper/c.png")).has_value());
}

TEST(ImageStoreTest, BadRecordsAreRefusedWithTheirIndex) {
  Project project = test::makeProject("images-bad-records");
  auto r = project.images().addRecords({{"ok.png", 4, 4, "aa"}, {"../escape.png", 4, 4, "bb"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("image record 1"), std::string::npos) << r.status().message();
  EXPECT_FALSE(project.images().addRecords({{"x.png", 0, 4, "aa"}}).ok());
  EXPECT_FALSE(project.images().addRecords({{"/abs.png", 4, 4, "aa"}}).ok());
  EXPECT_EQ(take(project.images().count()), 0);
}

TEST(ImageStoreTest, PagesCoverEveryImageOnceInOrder) {
  Project project = test::makeProject("images-pages", 25);
  std::vector<std::string> paths;
  for (int64_t offset = 0; offset < 30; offset += 10) {
    GalleryQuery q;
    q.offset = offset;
    q.limit = 10;
    for (const ImageEntry& e : take(project.images().page(q))) paths.push_back(e.path);
  }
  ASSERT_EQ(paths.size(), 25u);
  EXPECT_TRUE(std::is_sorted(paths.begin(), paths.end()));
  EXPECT_EQ(std::set<std::string>(paths.begin(), paths.end()).size(), 25u);
  GalleryQuery byIdDesc;
  byIdDesc.sort = GallerySort::Id;
  byIdDesc.descending = true;
  byIdDesc.limit = 3;
  const auto page = take(project.images().page(byIdDesc));
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].id, 25);
  EXPECT_EQ(page[2].id, 23);
  GalleryQuery bad;
  bad.offset = -1;
  EXPECT_FALSE(project.images().page(bad).ok());
}

TEST(ImageStoreTest, StatusFilterUncertaintySortAndCounts) {
  Project project = test::makeProject("images-status", 10);
  // Images 1-2: human; 3-6: teacher pending with uncertainty; 7: accepted; 8: rejected; 9-10
  // unlabelled.
  for (int64_t id : {1, 2}) {
    NewAnnotation a;
    a.imageId = id;
    a.categoryId = 1;
    a.mask = test::boxMask(64, 48, 0, 0, 5, 5);
    take(project.annotations().add(a));
  }
  std::vector<ImagePredictions> batch;
  const double uncertainty[] = {0.3, 0.9, 0.1, 0.5, 0.2, 0.4};
  for (int64_t id = 3; id <= 8; ++id) {
    NewAnnotation p;
    p.categoryId = 2;
    p.mask = test::boxMask(64, 48, 1, 1, 4, 4);
    p.score = 0.5;
    batch.push_back({id, {p}, uncertainty[id - 3]});
  }
  take(project.annotations().replacePredictions(batch, Source::Teacher));
  auto idOf = [&](int64_t image) { return take(project.annotations().forImage(image)).front().id; };
  ASSERT_TRUE(project.annotations().setReviewStatus({idOf(7)}, ReviewStatus::Accepted).ok());
  ASSERT_TRUE(project.annotations().setReviewStatus({idOf(8)}, ReviewStatus::Rejected).ok());

  const StatusCounts counts = take(project.images().counts());
  EXPECT_EQ(counts.total, 10);
  EXPECT_EQ(counts[ImageStatus::Human], 2);
  EXPECT_EQ(counts[ImageStatus::Pending], 4);
  EXPECT_EQ(counts[ImageStatus::Accepted], 1);
  EXPECT_EQ(counts[ImageStatus::Rejected], 1);
  EXPECT_EQ(counts[ImageStatus::Unlabelled], 2);

  GalleryQuery review;
  review.status = ImageStatus::Pending;
  review.sort = GallerySort::Uncertainty;
  review.descending = true;  // most uncertain first
  std::vector<int64_t> ids;
  for (const ImageEntry& e : take(project.images().page(review))) {
    EXPECT_EQ(e.status, ImageStatus::Pending);
    EXPECT_EQ(e.pendingCount, 1);
    ids.push_back(e.id);
  }
  EXPECT_EQ(ids, (std::vector<int64_t>{4, 6, 3, 5}));  // 0.9, 0.5, 0.3, 0.1
  review.offset = 2;
  review.limit = 1;
  EXPECT_EQ(take(project.images().page(review)).front().id, 3);

  GalleryQuery unlabelled;
  unlabelled.status = ImageStatus::Unlabelled;
  const auto rows = take(project.images().page(unlabelled));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].path, "img_00008.png");
  EXPECT_FALSE(rows[0].uncertainty.has_value());
  // The baseline used by the benchmark returns the same rows.
  review.forceTableScan = true;
  EXPECT_EQ(take(project.images().page(review)).front().id, 3);
}

TEST(ImageStoreTest, IndexOfMatchesThePositionInEveryOrder) {
  Project project = test::makeProject("images-indexof", 12);
  // Uncertainty with ties and unscored images; two images pending, the rest unlabelled.
  ASSERT_TRUE(project.images()
                  .setUncertainty({{1, 0.5}, {2, 0.5}, {3, 0.9}, {4, 0.1}, {7, 0.5}, {9, 0.2}})
                  .ok());
  NewAnnotation p;
  p.categoryId = 1;
  p.mask = test::boxMask(64, 48, 0, 0, 3, 3);
  take(project.annotations().replacePredictions({{2, {p}, std::nullopt}, {5, {p}, std::nullopt}},
                                                Source::Teacher));
  for (std::optional<ImageStatus> status :
       {std::optional<ImageStatus>(), std::optional(ImageStatus::Unlabelled)}) {
    for (GallerySort sort : {GallerySort::Name, GallerySort::Id, GallerySort::Uncertainty}) {
      for (bool descending : {false, true}) {
        GalleryQuery q;
        q.status = status;
        q.sort = sort;
        q.descending = descending;
        const auto rows = take(project.images().page(q));
        for (size_t i = 0; i < rows.size(); ++i)
          EXPECT_EQ(take(project.images().indexOf(q, rows[i].id)), static_cast<int64_t>(i))
              << toString(sort) << (descending ? " desc" : " asc") << " image " << rows[i].id;
        if (status) {
          EXPECT_EQ(take(project.images().indexOf(q, 2)), -1);  // pending, filtered out
        }
      }
    }
  }
  GalleryQuery review;
  review.sort = GallerySort::Uncertainty;
  review.descending = true;
  std::vector<int64_t> order;
  for (const ImageEntry& e : take(project.images().page(review))) order.push_back(e.id);
  // 0.9; the three 0.5 by name; 0.2; 0.1; then the unscored by name.
  EXPECT_EQ(order, (std::vector<int64_t>{3, 1, 2, 7, 9, 4, 5, 6, 8, 10, 11, 12}));
  EXPECT_EQ(take(project.images().count(ImageStatus::Pending)), 2);
  EXPECT_FALSE(project.images().indexOf(review, 99).ok());
}

TEST(ImageStoreTest, SplitUncertaintyAndRemoval) {
  Project project = test::makeProject("images-fields", 3);
  ASSERT_TRUE(project.images().setSplit({1, 2}, Split::Val).ok());
  EXPECT_EQ(take(project.images().get(2)).split, Split::Val);
  EXPECT_FALSE(project.images().setSplit({99}, Split::Test).ok());
  ASSERT_TRUE(project.images().setUncertainty({{3, 0.25}}).ok());
  EXPECT_EQ(take(project.images().get(3)).uncertainty, 0.25);
  NewAnnotation a;
  a.imageId = 3;
  a.categoryId = 1;
  a.mask = test::boxMask(64, 48, 0, 0, 5, 5);
  take(project.annotations().add(a));
  ASSERT_TRUE(project.images().remove({3}).ok());
  EXPECT_EQ(take(project.images().count()), 2);
  EXPECT_EQ(take(project.annotations().counts()).total(), 0);  // cascaded
  EXPECT_TRUE(project.checkIntegrity().ok());
}

}  // namespace
}  // namespace distillery
