// The review queue: Enter/Esc decide the current pseudo-label, thresholds count live.
#include "widgets/review/review_queue_panel.h"

#include <gtest/gtest.h>

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTest>
#include <QToolButton>

namespace distillery {
namespace {

class FakeQueue : public ReviewQueueProvider {
 public:
  std::vector<ReviewItem> reviewQueue() override {
    ++calls;
    return items;
  }
  std::vector<ReviewItem> items = {
      {501, 7, "img_7.jpg", 1, "person", Qt::red, 0.95, 0.90, LabelReview::Pending},
      {502, 7, "img_7.jpg", 2, "balloon", Qt::blue, 0.60, 0.85, LabelReview::Pending},
      {503, 9, "img_9.jpg", 2, "balloon", Qt::blue, 0.80, 0.40, LabelReview::Accepted},
      {504, 9, "img_9.jpg", 1, "person", Qt::red, 0.30, 0.20, LabelReview::Pending},
      {505, 12, "img_12.jpg", 1, "person", Qt::red, 0.75, 0.70, LabelReview::Pending},
  };
  int calls = 0;
};

class ReviewQueuePanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    panel.resize(420, 360);
    panel.setProvider(queue);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    panel.view()->setFocus();
  }
  std::shared_ptr<FakeQueue> queue = std::make_shared<FakeQueue>();
  ReviewQueuePanel panel;
};

TEST_F(ReviewQueuePanelTest, StartsAtTheFirstPendingLabel) {
  EXPECT_EQ(queue->calls, 1);
  EXPECT_EQ(panel.currentAnnotationId(), 501);
  EXPECT_EQ(panel.pendingCount(), 4);
  EXPECT_EQ(panel.passingCount(), 4);  // thresholds start at 0
}

TEST_F(ReviewQueuePanelTest, EnterAcceptsAndEscRejectsTheCurrentLabel) {
  QSignalSpy accept(&panel, &ReviewQueuePanel::acceptRequested);
  QSignalSpy reject(&panel, &ReviewQueuePanel::rejectRequested);
  QSignalSpy current(&panel, &ReviewQueuePanel::currentItemChanged);
  // The app applies each request and reports the new state, as it would.
  QObject::connect(&panel, &ReviewQueuePanel::acceptRequested,
                   [&](qint64 id) { panel.setItemStatus(id, LabelReview::Accepted); });
  QObject::connect(&panel, &ReviewQueuePanel::rejectRequested,
                   [&](qint64 id) { panel.setItemStatus(id, LabelReview::Rejected); });

  QTest::keyClick(panel.view(), Qt::Key_Return);
  ASSERT_EQ(accept.count(), 1);
  EXPECT_EQ(accept.at(0).at(0).toLongLong(), 501);
  EXPECT_EQ(panel.currentAnnotationId(), 502);  // moved on
  ASSERT_EQ(current.count(), 1);
  EXPECT_EQ(current.at(0).at(0).toLongLong(), 502);
  EXPECT_EQ(current.at(0).at(1).toLongLong(), 7);

  QTest::keyClick(panel.view(), Qt::Key_Escape);
  ASSERT_EQ(reject.count(), 1);
  EXPECT_EQ(reject.at(0).at(0).toLongLong(), 502);
  EXPECT_EQ(panel.currentAnnotationId(), 504);  // 503 was already reviewed: skipped

  QTest::keyClick(panel.view(), Qt::Key_Enter, Qt::KeypadModifier);
  EXPECT_EQ(accept.count(), 2);
  EXPECT_EQ(accept.at(1).at(0).toLongLong(), 504);
  EXPECT_EQ(panel.currentAnnotationId(), 505);
  EXPECT_EQ(panel.pendingCount(), 1);
  EXPECT_EQ(panel.model()->index(1, ReviewQueueModel::StatusColumn).data().toString(), "rejected");
}

TEST_F(ReviewQueuePanelTest, ThresholdSlidersUpdateTheLiveCount) {
  auto* classSlider = panel.findChild<QSlider*>("classThreshold");
  auto* maskSlider = panel.findChild<QSlider*>("maskThreshold");
  auto* counts = panel.findChild<QLabel*>("reviewCounts");
  auto* acceptAll = panel.findChild<QPushButton*>("acceptAllButton");
  ASSERT_TRUE(classSlider && maskSlider && counts && acceptAll);
  QSignalSpy thresholds(&panel, &ReviewQueuePanel::thresholdsChanged);
  classSlider->setValue(70);  // pending with class >= 0.70: 501, 505
  EXPECT_EQ(panel.passingCount(), 2);
  EXPECT_TRUE(counts->text().contains("4 pending, 2 pass")) << counts->text().toStdString();
  EXPECT_TRUE(acceptAll->text().contains("(2)"));
  maskSlider->setValue(80);  // and mask >= 0.80: 501
  EXPECT_EQ(panel.passingCount(), 1);
  EXPECT_TRUE(counts->text().contains("1 pass")) << counts->text().toStdString();
  ASSERT_EQ(thresholds.count(), 2);
  EXPECT_DOUBLE_EQ(thresholds.at(1).at(0).toDouble(), 0.70);
  EXPECT_DOUBLE_EQ(thresholds.at(1).at(1).toDouble(), 0.80);
  QTest::keyClick(maskSlider, Qt::Key_End);  // 1.00: nothing passes
  EXPECT_EQ(panel.passingCount(), 0);
  EXPECT_FALSE(acceptAll->isEnabled());
}

TEST_F(ReviewQueuePanelTest, AcceptAllEmitsOneRequestWithThePassingPendingIds) {
  QSignalSpy all(&panel, &ReviewQueuePanel::acceptAllRequested);
  panel.setThresholds(0.6, 0.5);  // 501, 502, 505 pass; 503 passes but is not pending
  panel.findChild<QPushButton*>("acceptAllButton")->click();
  ASSERT_EQ(all.count(), 1);
  EXPECT_EQ(all.at(0).at(0).value<QList<qint64>>(), QList<qint64>({501, 502, 505}));
}

TEST_F(ReviewQueuePanelTest, SideBySideIsDisabledUnlessBothOutputsExist) {
  auto* toggle = panel.findChild<QToolButton*>("sideBySideButton");
  ASSERT_NE(toggle, nullptr);
  QSignalSpy sideBySide(&panel, &ReviewQueuePanel::sideBySideToggled);
  EXPECT_FALSE(toggle->isEnabled());
  toggle->click();
  EXPECT_EQ(sideBySide.count(), 0);
  panel.setSideBySideAvailable(true);
  toggle->click();
  ASSERT_EQ(sideBySide.count(), 1);
  EXPECT_TRUE(sideBySide.at(0).at(0).toBool());
  panel.setSideBySideAvailable(false);  // the next image has no student output
  ASSERT_EQ(sideBySide.count(), 2);
  EXPECT_FALSE(sideBySide.at(1).at(0).toBool());
}

TEST_F(ReviewQueuePanelTest, RefreshKeepsTheCurrentLabel) {
  panel.setCurrentAnnotation(505);
  queue->items.erase(queue->items.begin());  // 501 decided elsewhere
  panel.refresh();
  EXPECT_EQ(queue->calls, 2);
  EXPECT_EQ(panel.currentAnnotationId(), 505);
  EXPECT_EQ(panel.pendingCount(), 3);
}

}  // namespace
}  // namespace distillery
