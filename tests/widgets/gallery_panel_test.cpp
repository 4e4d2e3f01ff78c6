// The gallery dock over a 100k-image project, in a real (offscreen) window.
#include "widgets/gallery/gallery_panel.h"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QListView>
#include <QLocale>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <set>
#include <thread>

#include "tests/widgets/gallery_fakes.h"
#include "widgets/gallery/gallery_model.h"
#include "widgets/gallery/thumbnail_loader.h"

namespace distillery {
namespace {

class GalleryPanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    panel.resize(320, 600);
    panel.setProviders(project, project);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    paint();
  }
  // Paints now, as the event loop would.
  void paint() {
    QCoreApplication::processEvents();
    panel.view()->viewport()->repaint();
  }
  // Rows whose tiles intersect the viewport.
  std::set<int> visibleRows() {
    std::set<int> rows;
    const QRect viewport = panel.view()->viewport()->rect();
    for (int r = 0; r < panel.model()->rowCount(); ++r) {
      // Tiles are laid out in row order: stop after the first block of visible ones.
      if (panel.view()->visualRect(panel.model()->index(r)).intersects(viewport)) {
        rows.insert(r);
      } else if (!rows.empty()) {
        break;
      }
    }
    return rows;
  }
  std::set<int64_t> pagesOf(const std::set<int>& rows) {
    std::set<int64_t> pages;
    for (int r : rows)
      pages.insert(r / GalleryModel::kDefaultPageSize * GalleryModel::kDefaultPageSize);
    return pages;
  }

  std::shared_ptr<test::RecordingGallery> project =
      std::make_shared<test::RecordingGallery>(100000);
  GalleryPanel panel;
};

TEST_F(GalleryPanelTest, ShowsEveryImageButFetchesOnlyThePagesOnScreen) {
  EXPECT_EQ(panel.model()->rowCount(), 100000);
  const std::set<int> shown = visibleRows();
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(*shown.begin(), 0);
  EXPECT_LT(shown.size(), 200u);
  // The first page only (the view asks nothing of rows it does not show).
  EXPECT_EQ(std::set<int64_t>(project->pageOffsets.begin(), project->pageOffsets.end()),
            pagesOf(shown));
  EXPECT_LE(panel.model()->heldPageCount(), 1);
}

TEST_F(GalleryPanelTest, ScrollingToTheEndFetchesOnlyThePagesShown) {
  project->pageOffsets.clear();
  panel.view()->scrollToBottom();
  paint();
  const std::set<int> shown = visibleRows();
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(*shown.rbegin(), 99999);
  const std::set<int64_t> fetched(project->pageOffsets.begin(), project->pageOffsets.end());
  EXPECT_EQ(fetched, pagesOf(shown));
  EXPECT_LE(fetched.size(), 2u);
}

TEST_F(GalleryPanelTest, ScrollingThroughKeepsABoundedWindowOfPages) {
  QScrollBar* bar = panel.view()->verticalScrollBar();
  for (int step = 0; step < 40; ++step) {
    bar->setValue(bar->maximum() * step / 40);
    paint();
  }
  EXPECT_LE(panel.model()->heldPageCount(), GalleryModel::kDefaultMaxPages);
  EXPECT_LE(project->pageOffsets.size(), 80u);  // about a page or two per step, never the project
}

TEST_F(GalleryPanelTest, FilterCountsMatchTheProvider) {
  auto* filter = panel.findChild<QComboBox*>("galleryFilter");
  ASSERT_NE(filter, nullptr);
  ASSERT_EQ(filter->count(), 1 + kGalleryStatusCount);
  const QLocale locale;
  EXPECT_TRUE(filter->itemText(0).contains(locale.toString(qint64(100000))))
      << filter->itemText(0).toStdString();
  for (int s = 0; s < kGalleryStatusCount; ++s) {
    const auto status = static_cast<GalleryStatus>(s);
    const int64_t expected = project->SyntheticGallery::count(GalleryFilter{status});
    EXPECT_GT(expected, 0);
    EXPECT_EQ(panel.counts()[status], expected);
    EXPECT_TRUE(filter->itemText(s + 1).contains(
        QStringLiteral("(%1)").arg(locale.toString(qint64(expected)))))
        << filter->itemText(s + 1).toStdString();
  }
  // Choosing a status lists exactly those images.
  filter->setCurrentIndex(1 + static_cast<int>(GalleryStatus::Rejected));
  EXPECT_EQ(panel.model()->rowCount(), panel.counts()[GalleryStatus::Rejected]);
  EXPECT_EQ(panel.model()->data(panel.model()->index(0), GalleryModel::StatusRole).toInt(),
            static_cast<int>(GalleryStatus::Rejected));
}

TEST_F(GalleryPanelTest, FilterCountsFollowStatusChanges) {
  const int64_t pendingBefore = panel.counts()[GalleryStatus::Pending];
  panel.setStatusFilter(GalleryStatus::Pending);
  const qint64 first = panel.currentImageId();
  ASSERT_GE(first, 0);
  const qint64 second = panel.model()->imageIdAt(1);
  QSignalSpy current(&panel, &GalleryPanel::currentImageChanged);
  project->setStatus(first, GalleryStatus::Accepted);  // the review accepted it
  panel.rowsChanged({first});
  EXPECT_EQ(panel.counts()[GalleryStatus::Pending], pendingBefore - 1);
  // It left the pending list; the next pending image took its place.
  EXPECT_EQ(panel.currentImageId(), second);
  ASSERT_EQ(current.count(), 1);
  EXPECT_EQ(current.at(0).at(0).toLongLong(), second);
}

TEST_F(GalleryPanelTest, ThumbnailsAreLoadedOffTheGuiThread) {
  ASSERT_TRUE(panel.thumbnails()->waitForIdle(10000));
  const auto threads = project->threads();
  ASSERT_FALSE(threads.empty());
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
  const QModelIndex first = panel.model()->index(0);
  EXPECT_EQ(panel.model()->data(first, GalleryModel::ThumbnailStateRole).toInt(),
            static_cast<int>(ThumbnailLoader::State::Ready));
  const QPixmap pixmap = panel.model()->data(first, Qt::DecorationRole).value<QPixmap>();
  EXPECT_FALSE(pixmap.isNull());
  EXPECT_LE(pixmap.width(), 96);
  EXPECT_LE(pixmap.height(), 96);
  // Only tiles that were painted asked for a thumbnail.
  EXPECT_LE(project->thumbnailCalls(), visibleRows().size());
}

TEST_F(GalleryPanelTest, SortsByUncertaintyMostUncertainFirst) {
  panel.setOrder(GalleryOrder::Uncertainty);
  auto* order = panel.findChild<QComboBox*>("galleryOrder");
  ASSERT_NE(order, nullptr);
  EXPECT_EQ(order->currentData().toInt(), static_cast<int>(GalleryOrder::Uncertainty));
  const double top =
      panel.model()->data(panel.model()->index(0), GalleryModel::UncertaintyRole).toDouble();
  const double next =
      panel.model()->data(panel.model()->index(1), GalleryModel::UncertaintyRole).toDouble();
  EXPECT_GE(top, next);
  EXPECT_GT(top, 0.99);  // 45k scored images in [0,1]: the first is near 1
}

TEST_F(GalleryPanelTest, NextPreviousAndJumpEmitTheCurrentImage) {
  EXPECT_EQ(panel.currentImageId(), 1);
  QSignalSpy current(&panel, &GalleryPanel::currentImageChanged);
  panel.selectNext();
  panel.selectNext();
  panel.selectPrevious();
  ASSERT_EQ(current.count(), 3);
  EXPECT_EQ(current.at(0).at(0).toLongLong(), 2);
  EXPECT_EQ(current.at(1).at(0).toLongLong(), 3);
  EXPECT_EQ(current.at(2).at(0).toLongLong(), 2);
  panel.selectPrevious();
  panel.selectPrevious();  // stays on the first image
  EXPECT_EQ(panel.currentImageId(), 1);
  // An image far away, never paged in: the gallery scrolls to it.
  ASSERT_TRUE(panel.setCurrentImage(88888));
  paint();
  EXPECT_EQ(panel.currentImageId(), 88888);
  EXPECT_EQ(visibleRows().count(88887), 1u);
  EXPECT_FALSE(panel.setCurrentImage(123456789));
}

TEST_F(GalleryPanelTest, ClickingATileMakesItCurrent) {
  QSignalSpy current(&panel, &GalleryPanel::currentImageChanged);
  const QRect tile = panel.view()->visualRect(panel.model()->index(2));
  QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, {}, tile.center());
  ASSERT_EQ(current.count(), 1);
  EXPECT_EQ(current.at(0).at(0).toLongLong(), 3);
}

TEST_F(GalleryPanelTest, AnotherProjectStartsAtItsFirstImage) {
  for (int i = 0; i < 4; ++i) panel.selectNext();
  ASSERT_EQ(panel.currentImageId(), 5);
  auto other = std::make_shared<test::RecordingGallery>(50, 99);
  other->setStatus(1, GalleryStatus::Human);
  QSignalSpy current(&panel, &GalleryPanel::currentImageChanged);
  panel.setProviders(other, other);
  EXPECT_EQ(panel.model()->rowCount(), 50);
  EXPECT_EQ(panel.currentImageId(), 1);  // not "image 5" of the old project
  ASSERT_EQ(current.count(), 1);
  EXPECT_EQ(current.at(0).at(0).toLongLong(), 1);
  EXPECT_EQ(panel.counts().total, 50);
}

}  // namespace
}  // namespace distillery
