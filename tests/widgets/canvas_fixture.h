// Shared set-up for canvas and tool tests: a real ImageCanvas, shown offscreen, holding a
// small synthetic image; helpers to map image points to the widget and to wait for work.
#pragma once

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>
#include <memory>
#include <opencv2/imgproc.hpp>

#include "widgets/canvas/image_canvas.h"

namespace distillery::test {

// A horizontal grey ramp with a red disc centred at (cx, cy).
inline cv::Mat rampWithDisc(int width, int height, cv::Point centre, int radius) {
  cv::Mat image(height, width, CV_8UC3);
  for (int x = 0; x < width; ++x) image.col(x).setTo(cv::Scalar::all(40 + 150.0 * x / width));
  cv::circle(image, centre, radius, cv::Scalar(30, 30, 220), cv::FILLED);
  return image;
}

// A square mask instance covering [x, x+size) x [y, y+size), stored as a crop.
inline OverlayInstance squareInstance(qint64 id, int x, int y, int size) {
  OverlayInstance instance;
  instance.id = id;
  instance.mask = cv::Mat(size, size, CV_8U, cv::Scalar(255));
  instance.maskOrigin = QPoint(x, y);
  return instance;
}

inline double iou(const cv::Mat& a, const cv::Mat& b) {
  const double inter = cv::countNonZero(a & b);
  const double uni = cv::countNonZero(a | b);
  return uni == 0 ? 0 : inter / uni;
}

inline void sendWheel(QWidget* widget, QPointF pos, int angleDelta,
                      Qt::KeyboardModifiers mods = {}) {
  QWheelEvent event(pos, widget->mapToGlobal(pos), QPoint(), QPoint(0, angleDelta), Qt::NoButton,
                    mods, Qt::NoScrollPhase, false);
  QApplication::sendEvent(widget, &event);
}

class CanvasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    canvas = std::make_unique<ImageCanvas>();
    canvas->resize(800, 600);
    canvas->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(canvas.get()));
  }

  void load(const cv::Mat& image) {
    QSignalSpy ready(canvas.get(), &ImageCanvas::imageReady);
    canvas->setImage(image);
    ASSERT_TRUE(canvas->isImageReady() || ready.wait(10000)) << "the pyramid was not built";
  }

  // A 400x300 image shown at scale 2 with offset (10, 20): view = image * 2 + (10, 20).
  void loadZoomed() {
    load(rampWithDisc(400, 300, cv::Point(200, 150), 40));
    canvas->setView(2.0, QPointF(10, 20));
  }

  // The widget pixel showing image point p (exact for the zoomed set-up above).
  QPoint at(QPointF p) const { return canvas->mapFromImage(p).toPoint(); }

  void click(QPointF image, Qt::KeyboardModifiers mods = {},
             Qt::MouseButton button = Qt::LeftButton) {
    QTest::mouseClick(canvas.get(), button, mods, at(image));
  }

  void key(Qt::Key k, Qt::KeyboardModifiers mods = {}) { QTest::keyClick(canvas.get(), k, mods); }

  // Drag with the left button through image points.
  void drag(const std::vector<QPointF>& path, Qt::KeyboardModifiers mods = {}) {
    QTest::mousePress(canvas.get(), Qt::LeftButton, mods, at(path.front()));
    for (size_t i = 1; i < path.size(); ++i) QTest::mouseMove(canvas.get(), at(path[i]));
    QTest::mouseRelease(canvas.get(), Qt::LeftButton, mods, at(path.back()));
  }

  std::unique_ptr<ImageCanvas> canvas;
};

}  // namespace distillery::test
