#include "widgets/canvas/mask_edit_command.h"

#include <gtest/gtest.h>

#include <QUndoStack>
#include <map>

namespace distillery {
namespace {

// The app's role, played by a map of full-size masks.
struct MaskStore {
  std::map<qint64, cv::Mat> masks;
  int writes = 0;
};

class StoreMaskEdit : public MaskEditCommand {
 public:
  StoreMaskEdit(MaskStore& store, qint64 id, MaskPatch patch, bool mergeable)
      : MaskEditCommand(id, std::move(patch), "Brush stroke", mergeable), store_(store) {}

 protected:
  void applyPatch(qint64 id, QPoint origin, const cv::Mat& mask) override {
    mask.copyTo(store_.masks[id](cv::Rect(origin.x(), origin.y(), mask.cols, mask.rows)));
    ++store_.writes;
  }

 private:
  MaskStore& store_;
};

// A stroke that fills `rect` of instance `id`, as the brush would emit it.
MaskPatch strokePatch(const MaskStore& store, qint64 id, cv::Rect rect) {
  MaskPatch p;
  p.origin = QPoint(rect.x, rect.y);
  p.before = store.masks.at(id)(rect).clone();
  p.after = cv::Mat(rect.size(), CV_8U, cv::Scalar(255));
  return p;
}

TEST(MaskEditCommandTest, UndoRestoresAndRedoReapplies) {
  MaskStore store;
  store.masks[1] = cv::Mat::zeros(20, 20, CV_8U);
  QUndoStack stack;
  stack.push(new StoreMaskEdit(store, 1, strokePatch(store, 1, {2, 2, 5, 5}), false));
  EXPECT_EQ(cv::countNonZero(store.masks[1]), 25);
  stack.undo();
  EXPECT_EQ(cv::countNonZero(store.masks[1]), 0);
  stack.redo();
  EXPECT_EQ(cv::countNonZero(store.masks[1]), 25);
  EXPECT_EQ(stack.undoText(), "Brush stroke");
}

TEST(MaskEditCommandTest, MergeableStrokesOnOneInstanceUndoTogether) {
  MaskStore store;
  store.masks[1] = cv::Mat::zeros(20, 20, CV_8U);
  store.masks[2] = cv::Mat::zeros(20, 20, CV_8U);
  QUndoStack stack;
  stack.push(new StoreMaskEdit(store, 1, strokePatch(store, 1, {0, 0, 6, 6}), false));
  // Overlapping second stroke: undo must restore the state before the first.
  stack.push(new StoreMaskEdit(store, 1, strokePatch(store, 1, {3, 3, 6, 6}), true));
  EXPECT_EQ(stack.count(), 1);
  stack.push(new StoreMaskEdit(store, 2, strokePatch(store, 2, {0, 0, 2, 2}), true));
  EXPECT_EQ(stack.count(), 2);  // another instance never merges
  stack.push(new StoreMaskEdit(store, 2, strokePatch(store, 2, {5, 5, 2, 2}), false));
  EXPECT_EQ(stack.count(), 3);  // not mergeable: its own step
  stack.undo();
  stack.undo();
  stack.undo();
  EXPECT_EQ(cv::countNonZero(store.masks[1]), 0);
  EXPECT_EQ(cv::countNonZero(store.masks[2]), 0);
  stack.redo();
  EXPECT_EQ(cv::countNonZero(store.masks[1]), 36 + 36 - 9);
}

}  // namespace
}  // namespace distillery
