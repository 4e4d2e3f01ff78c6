// The canvas as a widget: view control from real mouse/key events, loading, rendering.
#include "widgets/canvas/image_canvas.h"

#include <QTemporaryDir>
#include <opencv2/imgcodecs.hpp>

#include "tests/widgets/canvas_fixture.h"
#include "widgets/tools/abstract_tool.h"

namespace distillery {
namespace {

using ImageCanvasTest = test::CanvasTest;

TEST_F(ImageCanvasTest, ImageIsFittedWhenReady) {
  load(test::rampWithDisc(1600, 600, cv::Point(800, 300), 100));
  EXPECT_EQ(canvas->imageSize(), QSize(1600, 600));
  EXPECT_DOUBLE_EQ(canvas->zoom(), 0.5);  // 800 / 1600
  EXPECT_EQ(canvas->mapFromImage(QPointF(0, 300)), QPointF(0, 300));
  EXPECT_EQ(canvas->image().type(), CV_8UC3);
}

TEST_F(ImageCanvasTest, WheelZoomKeepsTheImagePointUnderTheCursorFixed) {
  load(test::rampWithDisc(4000, 3000, cv::Point(2000, 1500), 300));
  QSignalSpy zoomed(canvas.get(), &ImageCanvas::zoomChanged);
  const QPointF cursor(613, 207);
  const QPointF under = canvas->mapToImage(cursor);
  const double before = canvas->zoom();
  test::sendWheel(canvas.get(), cursor, 120);
  test::sendWheel(canvas.get(), cursor, 240);
  EXPECT_NEAR(canvas->zoom(), before * std::pow(1.25, 3), 1e-9);
  const QPointF after = canvas->mapToImage(cursor);
  EXPECT_NEAR(after.x(), under.x(), 1e-6);
  EXPECT_NEAR(after.y(), under.y(), 1e-6);
  test::sendWheel(canvas.get(), cursor, -360);
  EXPECT_NEAR(canvas->zoom(), before, 1e-9);
  EXPECT_EQ(zoomed.count(), 3);
}

TEST_F(ImageCanvasTest, CtrlZeroFits) {
  load(test::rampWithDisc(400, 300, cv::Point(200, 150), 40));
  const double fit = canvas->zoom();
  canvas->setView(7.0, QPointF(-900, 35));
  key(Qt::Key_0, Qt::ControlModifier);
  EXPECT_DOUBLE_EQ(canvas->zoom(), fit);
  EXPECT_DOUBLE_EQ(fit, 2.0);  // 800x600 view
  EXPECT_EQ(canvas->mapFromImage(QPointF(200, 150)), QPointF(400, 300));
}

TEST_F(ImageCanvasTest, StaysFittedOnResizeUntilTheUserZooms) {
  load(test::rampWithDisc(400, 300, cv::Point(200, 150), 40));
  canvas->resize(400, 300);
  EXPECT_DOUBLE_EQ(canvas->zoom(), 1.0);
  test::sendWheel(canvas.get(), QPointF(10, 10), 120);
  canvas->resize(800, 600);
  EXPECT_DOUBLE_EQ(canvas->zoom(), 1.25);
}

TEST_F(ImageCanvasTest, SpaceDragAndMiddleDragPan) {
  loadZoomed();
  QTest::keyPress(canvas.get(), Qt::Key_Space);
  QTest::mousePress(canvas.get(), Qt::LeftButton, {}, QPoint(100, 100));
  QTest::mouseMove(canvas.get(), QPoint(130, 90));
  QTest::mouseRelease(canvas.get(), Qt::LeftButton, {}, QPoint(130, 90));
  QTest::keyRelease(canvas.get(), Qt::Key_Space);
  EXPECT_EQ(canvas->view().offset(), QPointF(40, 10));
  QTest::mousePress(canvas.get(), Qt::MiddleButton, {}, QPoint(50, 50));
  QTest::mouseMove(canvas.get(), QPoint(45, 70));
  QTest::mouseRelease(canvas.get(), Qt::MiddleButton, {}, QPoint(45, 70));
  EXPECT_EQ(canvas->view().offset(), QPointF(35, 30));
  EXPECT_DOUBLE_EQ(canvas->zoom(), 2.0);
}

TEST_F(ImageCanvasTest, EnterAndEscWithoutAnEditAreAcceptAndReject) {
  loadZoomed();
  QSignalSpy accept(canvas.get(), &ImageCanvas::acceptRequested);
  QSignalSpy reject(canvas.get(), &ImageCanvas::rejectRequested);
  key(Qt::Key_Return);
  EXPECT_EQ(accept.count(), 1);
  key(Qt::Key_Escape);
  EXPECT_EQ(reject.count(), 1);
  // From another tool, Esc first goes back to Select.
  key(Qt::Key_P);
  EXPECT_EQ(canvas->toolId(), ImageCanvas::ToolId::Polygon);
  key(Qt::Key_Escape);
  EXPECT_EQ(canvas->toolId(), ImageCanvas::ToolId::Select);
  EXPECT_EQ(reject.count(), 1);
}

TEST_F(ImageCanvasTest, ToolLetters) {
  const std::pair<Qt::Key, ImageCanvas::ToolId> letters[] = {
      {Qt::Key_R, ImageCanvas::ToolId::Rectangle}, {Qt::Key_B, ImageCanvas::ToolId::Brush},
      {Qt::Key_E, ImageCanvas::ToolId::Eraser},    {Qt::Key_S, ImageCanvas::ToolId::ClickSegment},
      {Qt::Key_P, ImageCanvas::ToolId::Polygon},   {Qt::Key_V, ImageCanvas::ToolId::Select}};
  QSignalSpy changed(canvas.get(), &ImageCanvas::toolChanged);
  for (const auto& [letter, id] : letters) {
    key(letter);
    EXPECT_EQ(canvas->toolId(), id);
    EXPECT_TRUE(canvas->tool()->isActive());
  }
  EXPECT_EQ(changed.count(), 6);
}

TEST_F(ImageCanvasTest, LoadsAFileOnAWorker) {
  QTemporaryDir dir;
  const QString path = dir.filePath("ramp.png");
  ASSERT_TRUE(
      cv::imwrite(path.toStdString(), test::rampWithDisc(640, 480, cv::Point(320, 240), 50)));
  QSignalSpy ready(canvas.get(), &ImageCanvas::imageReady);
  canvas->loadImage(path);
  EXPECT_FALSE(canvas->isImageReady());  // never decoded on the GUI thread
  ASSERT_TRUE(ready.wait(10000));
  EXPECT_EQ(canvas->imageSize(), QSize(640, 480));
  EXPECT_EQ(canvas->image().at<cv::Vec3b>(240, 320), cv::Vec3b(30, 30, 220));
}

TEST_F(ImageCanvasTest, MissingFileIsReportedWithItsPath) {
  QSignalSpy failed(canvas.get(), &ImageCanvas::imageFailed);
  canvas->loadImage("/nonexistent/photo.jpg");
  ASSERT_TRUE(failed.wait(5000));
  const QString reason = failed.at(0).at(0).toString();
  EXPECT_TRUE(reason.contains("/nonexistent/photo.jpg")) << reason.toStdString();
  EXPECT_TRUE(reason.contains("not found")) << reason.toStdString();
  EXPECT_FALSE(canvas->isImageReady());
}

TEST_F(ImageCanvasTest, ANewerImageWinsOverAnOlderLoad) {
  QSignalSpy ready(canvas.get(), &ImageCanvas::imageReady);
  canvas->setImage(cv::Mat(3000, 4000, CV_8UC3, cv::Scalar::all(10)));
  canvas->setImage(cv::Mat(100, 200, CV_8UC3, cv::Scalar::all(20)));
  ASSERT_TRUE(ready.wait(10000));
  QTest::qWait(50);
  EXPECT_EQ(canvas->imageSize(), QSize(200, 100));
  EXPECT_EQ(canvas->image().at<cv::Vec3b>(0, 0)[0], 20);
}

TEST_F(ImageCanvasTest, RendersImageAndOverlayFromTheRightPyramidLevel) {
  // A large image, zoomed out: the canvas paints a coarse level; colours must still match.
  cv::Mat image(3000, 4000, CV_8UC3, cv::Scalar(200, 120, 40));  // BGR
  image(cv::Rect(0, 0, 2000, 3000)).setTo(cv::Scalar(40, 160, 60));
  load(image);
  OverlayInstance square = test::squareInstance(5, 2500, 1000, 1000);
  square.classColor = QColor(255, 0, 255);
  canvas->setInstances({square});
  canvas->setOverlayOpacity(1.0);
  const QImage frame = canvas->grab().toImage();
  const QPoint left = at(QPointF(1000, 1500)), right = at(QPointF(3500, 2500));
  EXPECT_EQ(QColor(frame.pixel(left)), QColor(60, 160, 40));
  EXPECT_EQ(QColor(frame.pixel(right)), QColor(40, 120, 200));
  EXPECT_EQ(QColor(frame.pixel(at(QPointF(3000, 1500)))), QColor(255, 0, 255));
  canvas->setOutlineOnly(true);
  const QImage outlined = canvas->grab().toImage();
  EXPECT_EQ(QColor(outlined.pixel(at(QPointF(3000, 1500)))), QColor(40, 120, 200));
}

TEST_F(ImageCanvasTest, SelectedInstanceIsDrawnStronger) {
  load(cv::Mat(300, 400, CV_8UC3, cv::Scalar::all(0)));
  OverlayInstance square = test::squareInstance(5, 100, 100, 100);
  square.classColor = QColor(0, 255, 0);
  canvas->setInstances({square});
  const int plain = qGreen(canvas->grab().toImage().pixel(at(QPointF(150, 150))));
  canvas->selectInstance(5);
  const int selected = qGreen(canvas->grab().toImage().pixel(at(QPointF(150, 150))));
  EXPECT_GT(plain, 0);
  EXPECT_GT(selected, plain);
}

}  // namespace
}  // namespace distillery
