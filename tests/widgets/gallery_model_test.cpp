// The gallery model pages rows in only as they are asked for, from a 100k-row project.
#include "widgets/gallery/gallery_model.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "tests/widgets/gallery_fakes.h"
#include "widgets/gallery/gallery_page_cache.h"

namespace distillery {
namespace {

std::vector<GalleryRow> rows(int64_t firstId, int n) {
  std::vector<GalleryRow> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out[static_cast<size_t>(i)].imageId = firstId + i;
  return out;
}

TEST(GalleryPageCacheTest, KeepsTheMostRecentlyUsedPages) {
  GalleryPageCache cache(10, 2);
  cache.insert(0, rows(100, 10));
  cache.insert(5, rows(500, 10));
  ASSERT_NE(cache.find(3), nullptr);  // page 0 is now the most recent
  EXPECT_EQ(cache.find(3)->imageId, 103);
  cache.insert(9, rows(900, 10));  // drops page 5, the least recently used
  EXPECT_TRUE(cache.hasPage(0));
  EXPECT_FALSE(cache.hasPage(5));
  EXPECT_TRUE(cache.hasPage(9));
  EXPECT_EQ(cache.rowOf(907), 97);
  EXPECT_EQ(cache.rowOf(505), -1);  // forgotten with its page
  EXPECT_EQ(cache.find(55), nullptr);
}

TEST(GalleryPageCacheTest, ShortLastPageHasNoRowsBeyondItsEnd) {
  GalleryPageCache cache(10, 4);
  cache.insert(2, rows(1, 3));
  EXPECT_NE(cache.find(22), nullptr);
  EXPECT_EQ(cache.find(23), nullptr);
}

class GalleryModelTest : public ::testing::Test {
 protected:
  std::shared_ptr<test::RecordingGallery> project =
      std::make_shared<test::RecordingGallery>(100000);
  ThumbnailLoader loader;
  GalleryModel model{&loader};
};

TEST_F(GalleryModelTest, ReportsEveryRowButFetchesNothingUntilAsked) {
  model.setProvider(project);
  EXPECT_EQ(model.rowCount(), 100000);
  EXPECT_TRUE(project->pageOffsets.empty());
  EXPECT_EQ(model.heldPageCount(), 0);
}

TEST_F(GalleryModelTest, FetchesTheOnePageHoldingTheRow) {
  model.setProvider(project);
  EXPECT_EQ(model.data(model.index(0), Qt::DisplayRole).toString(), "img_0000001.jpg");
  EXPECT_EQ(model.data(model.index(199), GalleryModel::ImageIdRole).toLongLong(), 200);
  EXPECT_EQ(project->pageOffsets, std::vector<int64_t>({0}));
  EXPECT_EQ(model.data(model.index(50123), GalleryModel::ImageIdRole).toLongLong(), 50124);
  EXPECT_EQ(project->pageOffsets, std::vector<int64_t>({0, 50000}));
  const GalleryRow& stored = project->row(50124);
  EXPECT_EQ(model.data(model.index(50123), GalleryModel::StatusRole).toInt(),
            static_cast<int>(stored.status));
  EXPECT_EQ(model.data(model.index(50123), GalleryModel::ImageSizeRole).toSize(),
            QSize(stored.width, stored.height));
}

TEST_F(GalleryModelTest, DropsFarPagesBeyondTheWindow) {
  model.setPaging(100, 3);
  model.setProvider(project);
  for (int page : {0, 10, 20, 30}) model.imageIdAt(page * 100);
  EXPECT_EQ(model.heldPageCount(), 3);
  model.imageIdAt(5);  // page 0 was dropped: fetched again
  EXPECT_EQ(project->pageOffsets, std::vector<int64_t>({0, 1000, 2000, 3000, 0}));
}

TEST_F(GalleryModelTest, FilterAndOrderComeFromTheProvider) {
  model.setProvider(project);
  model.setFilter(GalleryFilter{GalleryStatus::Pending});
  EXPECT_EQ(model.rowCount(), project->count(GalleryFilter{GalleryStatus::Pending}));
  for (int r = 0; r < 300; ++r)
    EXPECT_EQ(model.data(model.index(r), GalleryModel::StatusRole).toInt(),
              static_cast<int>(GalleryStatus::Pending));
  model.setFilter({});
  model.setOrder(GalleryOrder::Uncertainty);
  double previous = 2.0;
  for (int r = 0; r < 300; ++r) {
    const QVariant u = model.data(model.index(r), GalleryModel::UncertaintyRole);
    ASSERT_TRUE(u.isValid()) << r;
    EXPECT_LE(u.toDouble(), previous);
    previous = u.toDouble();
  }
  // Unscored images come last.
  EXPECT_FALSE(
      model.data(model.index(model.rowCount() - 1), GalleryModel::UncertaintyRole).isValid());
}

TEST_F(GalleryModelTest, RowsChangedRereadsOnlyHeldPagesWithThoseImages) {
  model.setProvider(project);
  model.imageIdAt(0);
  model.imageIdAt(1000);
  project->pageOffsets.clear();
  project->setStatus(5, GalleryStatus::Rejected);
  project->setStatus(90000, GalleryStatus::Rejected);  // not held: nothing to re-read
  std::vector<int> changedRows;
  QObject::connect(
      &model, &QAbstractItemModel::dataChanged,
      [&](const QModelIndex& a, const QModelIndex&) { changedRows.push_back(a.row()); });
  model.rowsChanged({5, 90000});
  EXPECT_EQ(project->pageOffsets, std::vector<int64_t>({0}));
  EXPECT_EQ(changedRows, std::vector<int>({0}));
  EXPECT_EQ(model.data(model.index(4), GalleryModel::StatusRole).toInt(),
            static_cast<int>(GalleryStatus::Rejected));
}

TEST_F(GalleryModelTest, RowsChangedUnderAFilterRecounts) {
  model.setProvider(project);
  model.setFilter(GalleryFilter{GalleryStatus::Pending});
  const int before = model.rowCount();
  const int64_t first = model.imageIdAt(0);
  project->setStatus(first, GalleryStatus::Accepted);
  model.rowsChanged({first});
  EXPECT_EQ(model.rowCount(), before - 1);
  EXPECT_NE(model.imageIdAt(0), first);
  EXPECT_EQ(model.rowOfImage(first), -1);
}

TEST_F(GalleryModelTest, RowOfAnImageNotPagedInAsksTheProvider) {
  model.setProvider(project);
  EXPECT_EQ(model.rowOfImage(77777), 77776);
  EXPECT_EQ(model.rowOfImage(100001), -1);
}

}  // namespace
}  // namespace distillery
