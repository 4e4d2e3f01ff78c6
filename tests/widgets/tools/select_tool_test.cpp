#include "widgets/tools/select_tool.h"

#include "tests/widgets/canvas_fixture.h"

namespace distillery {
namespace {

class SelectToolTest : public test::CanvasTest {
 protected:
  void SetUp() override {
    CanvasTest::SetUp();
    loadZoomed();
    // 2 overlaps 1; 2 is later in the list, so it is on top.
    canvas->setInstances(
        {test::squareInstance(1, 50, 50, 60), test::squareInstance(2, 90, 90, 60)});
  }
};

TEST_F(SelectToolTest, ClickSelectsTheTopmostInstance) {
  QSignalSpy selected(canvas.get(), &ImageCanvas::instanceSelected);
  click(QPointF(100, 100));  // inside both
  ASSERT_EQ(selected.count(), 1);
  EXPECT_EQ(selected.at(0).at(0).toLongLong(), 2);
  EXPECT_EQ(canvas->selectedInstance(), 2);
  click(QPointF(60, 60));  // only 1
  EXPECT_EQ(canvas->selectedInstance(), 1);
  EXPECT_TRUE(canvas->overlays().find(1)->selected);
  EXPECT_FALSE(canvas->overlays().find(2)->selected);
  click(QPointF(300, 250));  // empty image clears
  EXPECT_EQ(canvas->selectedInstance(), OverlayInstance::kNone);
  ASSERT_EQ(selected.count(), 3);
  EXPECT_EQ(selected.at(2).at(0).toLongLong(), OverlayInstance::kNone);
}

TEST_F(SelectToolTest, DeleteAndBackspaceRequestDeletionOfTheSelection) {
  QSignalSpy deletions(canvas.get(), &ImageCanvas::deleteRequested);
  key(Qt::Key_Delete);
  EXPECT_EQ(deletions.count(), 0);  // nothing selected
  click(QPointF(60, 60));
  key(Qt::Key_Delete);
  key(Qt::Key_Backspace);
  ASSERT_EQ(deletions.count(), 2);
  EXPECT_EQ(deletions.at(0).at(0).toLongLong(), 1);
  EXPECT_EQ(deletions.at(1).at(0).toLongLong(), 1);
  // The canvas does not delete by itself: the app does, through its undo stack.
  EXPECT_NE(canvas->overlays().find(1), nullptr);
  canvas->removeInstance(1);
  EXPECT_EQ(canvas->selectedInstance(), OverlayInstance::kNone);
}

TEST_F(SelectToolTest, SelectionSurvivesARefreshAndEndsWithItsInstance) {
  click(QPointF(60, 60));
  QSignalSpy selected(canvas.get(), &ImageCanvas::instanceSelected);
  // The app refreshes from its database (no selection flags): the selection stays.
  canvas->setInstances({test::squareInstance(1, 50, 50, 60), test::squareInstance(2, 90, 90, 60)});
  EXPECT_EQ(canvas->selectedInstance(), 1);
  canvas->upsertInstance(test::squareInstance(1, 50, 50, 70));
  EXPECT_EQ(canvas->selectedInstance(), 1);
  EXPECT_EQ(selected.count(), 0);
  // The app selects a new instance it just created.
  OverlayInstance created = test::squareInstance(3, 200, 200, 10);
  created.selected = true;
  canvas->upsertInstance(created);
  EXPECT_EQ(canvas->selectedInstance(), 3);
  EXPECT_FALSE(canvas->overlays().find(1)->selected);
  // A refresh without it clears the selection, and says so.
  canvas->setInstances({test::squareInstance(1, 50, 50, 60)});
  EXPECT_EQ(canvas->selectedInstance(), OverlayInstance::kNone);
  ASSERT_EQ(selected.count(), 2);
  EXPECT_EQ(selected.at(1).at(0).toLongLong(), OverlayInstance::kNone);
}

TEST_F(SelectToolTest, DigitsRequestAClass) {
  QSignalSpy classes(canvas.get(), &ImageCanvas::classRequested);
  click(QPointF(140, 140));
  key(Qt::Key_3);
  key(Qt::Key_9);
  key(Qt::Key_0);  // not a class
  ASSERT_EQ(classes.count(), 2);
  EXPECT_EQ(classes.at(0).at(0).toLongLong(), 2);
  EXPECT_EQ(classes.at(0).at(1).toInt(), 3);
  EXPECT_EQ(classes.at(1).at(1).toInt(), 9);
}

}  // namespace
}  // namespace distillery
