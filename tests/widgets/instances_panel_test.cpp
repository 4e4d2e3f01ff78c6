// The instances dock: row selection emits the id; canvas selection mirrors back silently.
#include "widgets/panels/instances_panel.h"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTableView>
#include <QTest>

namespace distillery {
namespace {

QList<InstanceRow> threeInstances() {
  return {{11, 1, "person", Qt::red, Source::Human, 1.0, LabelReview::Accepted},
          {12, 2, "balloon", Qt::blue, Source::Teacher, 0.83, LabelReview::Pending},
          {13, 2, "balloon", Qt::blue, Source::Student, 0.41, LabelReview::Rejected}};
}

class InstancesPanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    panel.resize(360, 240);
    panel.setInstances(threeInstances());
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
  }
  QString cell(int row, int column) {
    return panel.view()->model()->index(row, column).data().toString();
  }
  InstancesPanel panel;
};

TEST_F(InstancesPanelTest, ShowsClassSourceScoreAndReview) {
  ASSERT_EQ(panel.view()->model()->rowCount(), 3);
  EXPECT_EQ(cell(1, InstancesModel::ClassColumn), "balloon");
  EXPECT_EQ(cell(1, InstancesModel::SourceColumn), "teacher");
  EXPECT_EQ(cell(1, InstancesModel::ScoreColumn), "0.83");
  EXPECT_EQ(cell(1, InstancesModel::ReviewColumn), "pending");
  EXPECT_EQ(cell(2, InstancesModel::SourceColumn), "student");
  EXPECT_EQ(cell(0, InstancesModel::SourceColumn), "human");
}

TEST_F(InstancesPanelTest, ClickingARowEmitsItsInstanceId) {
  QSignalSpy selected(&panel, &InstancesPanel::instanceSelected);
  const QRect r =
      panel.view()->visualRect(panel.view()->model()->index(2, InstancesModel::SourceColumn));
  QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, {}, r.center());
  ASSERT_EQ(selected.count(), 1);
  EXPECT_EQ(selected.at(0).at(0).toLongLong(), 13);
  EXPECT_EQ(panel.selectedInstanceId(), 13);
  QTest::keyClick(panel.view(), Qt::Key_Up);
  ASSERT_EQ(selected.count(), 2);
  EXPECT_EQ(selected.at(1).at(0).toLongLong(), 12);
}

TEST_F(InstancesPanelTest, CanvasSelectionIsMirroredWithoutEcho) {
  QSignalSpy selected(&panel, &InstancesPanel::instanceSelected);
  panel.setSelectedInstance(12);
  EXPECT_EQ(panel.selectedInstanceId(), 12);
  panel.setSelectedInstance(-1);
  EXPECT_EQ(panel.selectedInstanceId(), -1);
  EXPECT_EQ(selected.count(), 0);
}

TEST_F(InstancesPanelTest, SelectionFollowsTheIdWhenRowsChangeOrder) {
  panel.setSelectedInstance(13);
  panel.view()->sortByColumn(InstancesModel::ScoreColumn, Qt::AscendingOrder);
  EXPECT_EQ(panel.selectedInstanceId(), 13);
  EXPECT_EQ(cell(0, InstancesModel::ScoreColumn), "0.41");
  QSignalSpy selected(&panel, &InstancesPanel::instanceSelected);
  auto rows = threeInstances();
  rows[1].review = LabelReview::Accepted;  // the review went through
  panel.setInstances(rows);
  EXPECT_EQ(panel.selectedInstanceId(), 13);
  EXPECT_EQ(selected.count(), 0);
  rows.removeLast();  // the selected instance was deleted
  panel.setInstances(rows);
  EXPECT_EQ(panel.selectedInstanceId(), -1);
  ASSERT_EQ(selected.count(), 1);
  EXPECT_EQ(selected.at(0).at(0).toLongLong(), -1);
}

}  // namespace
}  // namespace distillery
