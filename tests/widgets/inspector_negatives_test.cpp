// The contrastive-negatives inspector: markers, heat, outline, and clicks mapped back
// to image pixels at the displayed scale.
#include "widgets/inspector/negatives_inspector.h"

#include <gtest/gtest.h>

#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <opencv2/imgproc.hpp>

#include "widgets/inspector/colour_bar.h"
#include "widgets/inspector/heatmap.h"
#include "widgets/inspector/negatives_image_view.h"

namespace distillery {
namespace {

QImage solid(int w, int h, QColor c) {
  QImage img(w, h, QImage::Format_RGB32);
  img.fill(c);
  return img;
}

NegativesResult resultWithR(int r) {
  NegativesResult res;
  res.mode = "fused";
  res.anchorImage = 0;
  res.anchor = QPoint(10, 12);
  res.weights = {cv::Mat(), cv::Mat(12, 16, CV_32F, cv::Scalar(0.002)),
                 cv::Mat(12, 16, CV_32F, cv::Scalar(0.004))};
  for (int i = 0; i < r; ++i) res.negatives.push_back({1 + i % 2, (i * 7) % 64, (i * 3) % 48});
  res.ownInstance = {QPolygonF({QPointF(5, 5), QPointF(20, 5), QPointF(20, 20)})};
  return res;
}

TEST(InspectorNegativesTest, ShowsExactlyTheSampledNegatives) {
  NegativesInspector inspector;
  inspector.setBatch(
      {solid(64, 48, Qt::gray), solid(64, 48, Qt::darkGray), solid(64, 48, Qt::lightGray)});
  NegativesResult res = resultWithR(200);
  res.negatives.push_back({5, 1, 1});    // no such image
  res.negatives.push_back({1, 64, 10});  // x outside the 64-wide image
  res.negatives.push_back({2, 3, -1});
  inspector.setResult(res);

  EXPECT_EQ(inspector.markerCount(), 200);
  EXPECT_EQ(inspector.imageView(0)->markerCount(), 0);
  EXPECT_EQ(inspector.imageView(1)->markerCount(), 100);
  EXPECT_EQ(inspector.droppedCount(), 3);
  const std::string status = inspector.statusText().toStdString();
  EXPECT_EQ(
      status,
      "Anchor (10, 12) on image 1: 200 negatives drawn (3 outside the batch images, not shown)");
  EXPECT_EQ(inspector.imageView(0)->anchor(), QPointF(10.5, 12.5));
  EXPECT_FALSE(inspector.imageView(0)->hasHeat());  // the anchor's image holds no candidates
  EXPECT_TRUE(inspector.imageView(1)->hasHeat());
  EXPECT_DOUBLE_EQ(inspector.colourBar()->maxValue(), static_cast<double>(0.004f));
  EXPECT_EQ(inspector.imageView(0)->outlineCount(), 1);
  EXPECT_EQ(inspector.imageView(1)->outlineCount(), 0);
}

TEST(InspectorNegativesTest, OwnInstanceMaskIsOutlinedAtImageScale) {
  NegativesInspector inspector;
  inspector.setBatch({solid(64, 48, Qt::gray), solid(64, 48, Qt::gray)});
  NegativesResult res;
  res.anchorImage = 1;
  res.ownInstanceMask = cv::Mat::zeros(12, 16, CV_8U);  // quarter resolution
  cv::rectangle(res.ownInstanceMask, cv::Rect(2, 2, 4, 4), cv::Scalar(1), cv::FILLED);
  cv::rectangle(res.ownInstanceMask, cv::Rect(10, 6, 3, 3), cv::Scalar(1), cv::FILLED);
  inspector.setResult(res);
  EXPECT_EQ(inspector.imageView(1)->outlineCount(), 2);
  EXPECT_EQ(inspector.imageView(0)->outlineCount(), 0);
}

TEST(InspectorNegativesTest, ViewMapsClicksToImagePixelsAtTheDisplayedScale) {
  NegativesImageView view;
  view.setImage(solid(640, 480, Qt::gray));
  view.resize(320, 300);  // scale 0.5, letterboxed: 30 px bands above and below
  view.show();
  ASSERT_DOUBLE_EQ(view.displayScale(), 0.5);
  EXPECT_EQ(view.displayRect(), QRectF(0, 30, 320, 240));
  QSignalSpy spy(&view, &NegativesImageView::pixelClicked);
  QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(101, 81));
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(spy[0][0].toPoint(), QPoint(202, 102));
  QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(101, 10));  // in the band: no pixel
  EXPECT_EQ(spy.count(), 1);

  view.setImage(solid(32, 24, Qt::gray));  // now magnified 10x
  QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(55, 47));
  ASSERT_EQ(spy.count(), 2);
  EXPECT_EQ(spy[1][0].toPoint(), QPoint(5, 1));
  EXPECT_EQ(view.imageToWidget(QPointF(5.5, 1.5)), QPointF(55, 45));
}

TEST(InspectorNegativesTest, ClickChoosesAnchorAndModeSwitchReRequests) {
  NegativesInspector inspector;
  inspector.resize(900, 500);
  inspector.setBatch({solid(64, 48, Qt::gray), solid(300, 200, Qt::gray)});
  inspector.show();
  QSignalSpy anchors(&inspector, &NegativesInspector::anchorChosen);
  QSignalSpy modes(&inspector, &NegativesInspector::modeChanged);

  NegativesImageView* view = inspector.imageView(1);
  const QPoint at = view->imageToWidget(QPointF(120.5, 80.5)).toPoint();
  const auto expected = view->widgetToImage(at);
  ASSERT_TRUE(expected.has_value());
  EXPECT_LE(std::abs(expected->x() - 120), 1);  // within one widget pixel of the target
  EXPECT_LE(std::abs(expected->y() - 80), 1);
  QTest::mouseClick(view, Qt::LeftButton, {}, at);
  ASSERT_EQ(anchors.count(), 1);
  EXPECT_EQ(anchors[0][0].toInt(), 1);
  EXPECT_EQ(anchors[0][1].toInt(), expected->x());
  EXPECT_EQ(anchors[0][2].toInt(), expected->y());
  EXPECT_EQ(anchors[0][3].toString(), "fused");
  EXPECT_TRUE(view->anchor().has_value());

  inspector.setMode("class-only");
  EXPECT_EQ(modes.count(), 1);
  ASSERT_EQ(anchors.count(), 2);
  EXPECT_EQ(anchors[1][1].toInt(), expected->x());
  EXPECT_EQ(anchors[1][3].toString(), "class-only");
  EXPECT_TRUE(
      inspector.findChild<QLabel*>("inspectorExplanation")->text().startsWith("Class-only"));
}

TEST(InspectorNegativesTest, NewAnchorClearsTheStaleResult) {
  NegativesInspector inspector;
  inspector.setBatch({solid(64, 48, Qt::gray), solid(64, 48, Qt::gray), solid(64, 48, Qt::gray)});
  inspector.setResult(resultWithR(20));
  ASSERT_EQ(inspector.markerCount(), 20);
  Q_EMIT inspector.imageView(2)->pixelClicked(QPoint(3, 4));
  EXPECT_EQ(inspector.markerCount(), 0);
  EXPECT_FALSE(inspector.imageView(1)->hasHeat());
  EXPECT_TRUE(inspector.statusText().contains("computing")) << inspector.statusText().toStdString();
}

TEST(InspectorNegativesTest, HeatIsBrighterAndMoreOpaqueWhereWeightIsHigher) {
  cv::Mat w = (cv::Mat_<float>(1, 3) << 0.0f, 0.5f, 2.0f);
  const QImage heat = heatmapImage(w, 1.0);
  ASSERT_EQ(heat.size(), QSize(3, 1));
  const QColor lo = heat.pixelColor(0, 0), mid = heat.pixelColor(1, 0), hi = heat.pixelColor(2, 0);
  EXPECT_LT(lo.alpha(), mid.alpha());
  EXPECT_LT(mid.alpha(), hi.alpha());
  EXPECT_LT(lo.lightness(), hi.lightness());
  EXPECT_EQ(hi, heatmapImage((cv::Mat_<float>(1, 1) << 1.0f), 1.0).pixelColor(0, 0));  // clamped
}

}  // namespace
}  // namespace distillery
