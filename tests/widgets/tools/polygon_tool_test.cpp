#include "widgets/tools/polygon_tool.h"

#include "tests/widgets/canvas_fixture.h"

namespace distillery {
namespace {

class PolygonToolTest : public test::CanvasTest {
 protected:
  void SetUp() override {
    CanvasTest::SetUp();
    loadZoomed();  // scale 2: view = image * 2 + (10, 20)
    key(Qt::Key_P);
  }
  QPolygonF committed(const QSignalSpy& spy, int i = 0) {
    return spy.at(i).at(0).value<QPolygonF>();
  }
};

const QPolygonF kSquare({QPointF(50, 40), QPointF(150, 40), QPointF(150, 120), QPointF(50, 120)});

TEST_F(PolygonToolTest, FourClicksAndEnterEmitOnePolygonInImageCoordinates) {
  QSignalSpy spy(canvas.get(), &ImageCanvas::polygonCommitted);
  QSignalSpy accept(canvas.get(), &ImageCanvas::acceptRequested);
  for (const QPointF& p : kSquare) click(p);
  EXPECT_EQ(spy.count(), 0);
  EXPECT_TRUE(canvas->tool()->isBusy());
  key(Qt::Key_Return);
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(committed(spy), kSquare);
  EXPECT_EQ(at(QPointF(50, 40)), QPoint(110, 100));  // the clicks really were at zoom 2
  EXPECT_EQ(accept.count(), 0);                      // Enter closed the polygon, it did not accept
  EXPECT_FALSE(canvas->tool()->isBusy());
}

TEST_F(PolygonToolTest, ClickingTheFirstVertexCloses) {
  QSignalSpy spy(canvas.get(), &ImageCanvas::polygonCommitted);
  for (const QPointF& p : kSquare) click(p);
  click(QPointF(51, 41));  // within the handle radius of the first vertex
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(committed(spy), kSquare);
}

TEST_F(PolygonToolTest, DoubleClickPlacesTheLastVertexAndCloses) {
  QSignalSpy spy(canvas.get(), &ImageCanvas::polygonCommitted);
  click(kSquare[0]);
  click(kSquare[1]);
  click(kSquare[2]);
  QTest::mouseDClick(canvas.get(), Qt::LeftButton, {}, at(kSquare[3]));
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(committed(spy), kSquare);
}

TEST_F(PolygonToolTest, RealDoubleClickDoesNotDuplicateTheVertex) {
  // A user's double-click is press, release, double-click, release at one spot.
  QSignalSpy spy(canvas.get(), &ImageCanvas::polygonCommitted);
  click(kSquare[0]);
  click(kSquare[1]);
  click(kSquare[2]);
  click(kSquare[3]);
  QTest::mouseDClick(canvas.get(), Qt::LeftButton, {}, at(kSquare[3]));
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(committed(spy).size(), 4);
}

TEST_F(PolygonToolTest, ShiftClickRemovesAVertex) {
  QSignalSpy spy(canvas.get(), &ImageCanvas::polygonCommitted);
  for (const QPointF& p : kSquare) click(p);
  click(QPointF(100, 80));  // a fifth vertex in the middle
  click(QPointF(100, 80), Qt::ShiftModifier);
  key(Qt::Key_Enter);
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(committed(spy), kSquare);
}

TEST_F(PolygonToolTest, EscCancelsWithoutRejecting) {
  QSignalSpy spy(canvas.get(), &ImageCanvas::polygonCommitted);
  QSignalSpy reject(canvas.get(), &ImageCanvas::rejectRequested);
  click(kSquare[0]);
  click(kSquare[1]);
  key(Qt::Key_Escape);
  EXPECT_FALSE(canvas->tool()->isBusy());
  EXPECT_EQ(canvas->toolId(), ImageCanvas::ToolId::Polygon);  // the first Esc only cancels
  key(Qt::Key_Return);
  EXPECT_EQ(spy.count(), 0);
  EXPECT_EQ(reject.count(), 0);
}

TEST_F(PolygonToolTest, TwoVerticesAreNotAPolygon) {
  QSignalSpy spy(canvas.get(), &ImageCanvas::polygonCommitted);
  click(kSquare[0]);
  click(kSquare[1]);
  key(Qt::Key_Return);
  EXPECT_EQ(spy.count(), 0);
  EXPECT_TRUE(canvas->tool()->isBusy());  // still drawing
}

TEST_F(PolygonToolTest, VerticesOutsideTheImageAreClamped) {
  QSignalSpy spy(canvas.get(), &ImageCanvas::polygonCommitted);
  click(QPointF(-3, 10));
  click(QPointF(60, 10));
  click(QPointF(60, 60));
  key(Qt::Key_Return);
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(committed(spy)[0], QPointF(0, 10));
}

TEST_F(PolygonToolTest, DraggingAVertexOfTheSelectedPolygonEditsIt) {
  OverlayInstance instance;
  instance.id = 12;
  instance.outline = kSquare;
  canvas->setInstances({instance});
  canvas->selectInstance(12);
  QSignalSpy edited(canvas.get(), &ImageCanvas::polygonEdited);
  QSignalSpy created(canvas.get(), &ImageCanvas::polygonCommitted);
  drag({kSquare[2], QPointF(160, 125), QPointF(170, 130)});
  ASSERT_EQ(edited.count(), 1);
  EXPECT_EQ(edited.at(0).at(0).toLongLong(), 12);
  QPolygonF expected = kSquare;
  expected[2] = QPointF(170, 130);
  EXPECT_EQ(edited.at(0).at(1).value<QPolygonF>(), expected);
  EXPECT_EQ(created.count(), 0);
  // The canvas shows the edit at once: the moved corner is now inside.
  EXPECT_EQ(canvas->overlays().topmostAt(QPointF(160, 122)), 12);
  // Shift+click on a vertex removes it.
  click(kSquare[0], Qt::ShiftModifier);
  ASSERT_EQ(edited.count(), 2);
  EXPECT_EQ(edited.at(1).at(1).value<QPolygonF>().size(), 3);
}

}  // namespace
}  // namespace distillery
