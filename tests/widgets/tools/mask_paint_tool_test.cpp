#include "widgets/tools/brush_tool.h"
#include "widgets/tools/eraser_tool.h"

#include "tests/widgets/canvas_fixture.h"

namespace distillery {
namespace {

class MaskPaintToolTest : public test::CanvasTest {
 protected:
  void SetUp() override {
    CanvasTest::SetUp();
    loadZoomed();
    canvas->setInstances({test::squareInstance(3, 100, 100, 40)});  // [100, 140)^2
  }
  // The instance's mask over the whole image.
  cv::Mat instanceMask() const { return canvas->overlays().maskRegion(3, QRect(0, 0, 400, 300)); }
};

TEST_F(MaskPaintToolTest, BrushStrokeIsOneEditWithTheChangedPixels) {
  canvas->selectInstance(3);
  key(Qt::Key_B);
  canvas->brushTool()->setBrushSize(10);
  const cv::Mat before = instanceMask();
  QSignalSpy strokes(canvas.get(), &ImageCanvas::strokeCommitted);
  drag({QPointF(130, 120), QPointF(150, 120), QPointF(170, 120), QPointF(190, 121)});
  ASSERT_EQ(strokes.count(), 1);
  EXPECT_EQ(strokes.at(0).at(0).toLongLong(), 3);
  const auto patch = strokes.at(0).at(1).value<MaskPatch>();
  ASSERT_EQ(patch.before.size(), patch.after.size());
  // before is the mask as it was, after adds the stroke: 10 px wide, ~60 px long.
  EXPECT_EQ(cv::countNonZero(patch.before),
            cv::countNonZero(before(
                cv::Rect(patch.origin.x(), patch.origin.y(), patch.after.cols, patch.after.rows))));
  const int added = cv::countNonZero(patch.after) - cv::countNonZero(patch.before);
  EXPECT_GT(added, 400);
  EXPECT_LT(added, 700);
  EXPECT_EQ(cv::countNonZero(patch.before & ~patch.after), 0);  // a brush only adds
  EXPECT_TRUE(patch.rect().contains(QPoint(190, 121)));
  // The canvas shows it at once.
  EXPECT_EQ(canvas->overlays().topmostAt(QPointF(180, 120)), 3);
  EXPECT_EQ(cv::countNonZero(instanceMask()) - cv::countNonZero(before), added);
}

TEST_F(MaskPaintToolTest, EraserRemovesPixels) {
  canvas->selectInstance(3);
  key(Qt::Key_E);
  canvas->eraserTool()->setBrushSize(6);
  QSignalSpy strokes(canvas.get(), &ImageCanvas::strokeCommitted);
  drag({QPointF(90, 120), QPointF(120, 120), QPointF(150, 120)});
  ASSERT_EQ(strokes.count(), 1);
  const auto patch = strokes.at(0).at(1).value<MaskPatch>();
  const int removed = cv::countNonZero(patch.before) - cv::countNonZero(patch.after);
  EXPECT_GT(removed, 40 * 5);  // a 6-px band across the 40-px square
  EXPECT_LT(removed, 40 * 8);
  EXPECT_EQ(cv::countNonZero(patch.after & ~patch.before), 0);  // an eraser only removes
  EXPECT_EQ(canvas->overlays().topmostAt(QPointF(120, 120)), OverlayInstance::kNone);
  EXPECT_EQ(canvas->overlays().topmostAt(QPointF(120, 105)), 3);
}

TEST_F(MaskPaintToolTest, StrokeThatChangesNothingEmitsNothing) {
  canvas->selectInstance(3);
  key(Qt::Key_B);
  canvas->brushTool()->setBrushSize(4);
  QSignalSpy strokes(canvas.get(), &ImageCanvas::strokeCommitted);
  drag({QPointF(110, 110), QPointF(120, 120)});  // inside the square already
  EXPECT_EQ(strokes.count(), 0);
}

TEST_F(MaskPaintToolTest, BrushWithoutSelectionMakesANewMask) {
  key(Qt::Key_B);
  canvas->brushTool()->setBrushSize(8);
  QSignalSpy masks(canvas.get(), &ImageCanvas::maskCommitted);
  QSignalSpy strokes(canvas.get(), &ImageCanvas::strokeCommitted);
  drag({QPointF(20, 20), QPointF(60, 20)});
  ASSERT_EQ(masks.count(), 1);
  EXPECT_EQ(strokes.count(), 0);
  const cv::Mat mask = masks.at(0).at(0).value<cv::Mat>();
  EXPECT_EQ(mask.size(), cv::Size(400, 300));
  EXPECT_EQ(mask.at<uchar>(20, 40), 255);
  EXPECT_EQ(mask.at<uchar>(40, 40), 0);
}

TEST_F(MaskPaintToolTest, EraserWithoutSelectionExplains) {
  key(Qt::Key_E);
  QSignalSpy messages(canvas.get(), &ImageCanvas::message);
  QSignalSpy strokes(canvas.get(), &ImageCanvas::strokeCommitted);
  drag({QPointF(110, 110), QPointF(130, 130)});
  EXPECT_EQ(strokes.count(), 0);
  ASSERT_EQ(messages.count(), 1);
  EXPECT_TRUE(messages.at(0).at(0).toString().contains("Select an instance"));
}

TEST_F(MaskPaintToolTest, BracketsAndCtrlWheelResize) {
  key(Qt::Key_B);
  BrushTool* brush = canvas->brushTool();
  brush->setBrushSize(20);
  key(Qt::Key_BracketRight);
  EXPECT_EQ(brush->brushSize(), 25);
  key(Qt::Key_BracketLeft);
  EXPECT_EQ(brush->brushSize(), 20);
  const double zoom = canvas->zoom();
  test::sendWheel(canvas.get(), QPointF(100, 100), 120, Qt::ControlModifier);
  EXPECT_EQ(brush->brushSize(), 25);
  EXPECT_DOUBLE_EQ(canvas->zoom(), zoom);  // Ctrl+wheel sized the brush, did not zoom
  brush->setBrushSize(1);
  key(Qt::Key_BracketLeft);
  EXPECT_EQ(brush->brushSize(), 1);
}

}  // namespace
}  // namespace distillery
