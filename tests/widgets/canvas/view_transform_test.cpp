#include "widgets/canvas/view_transform.h"

#include <gtest/gtest.h>

namespace distillery {
namespace {

TEST(ViewTransformTest, ZoomKeepsTheAnchorPointFixed) {
  ViewTransform view;
  view.set(0.5, QPointF(13, -7));
  const QPointF anchor(321, 123);
  const QPointF before = view.toImage(anchor);
  view.zoomAt(anchor, 3.0);
  EXPECT_DOUBLE_EQ(view.scale(), 1.5);
  const QPointF after = view.toImage(anchor);
  EXPECT_NEAR(after.x(), before.x(), 1e-9);
  EXPECT_NEAR(after.y(), before.y(), 1e-9);
}

TEST(ViewTransformTest, ZoomIsClamped) {
  ViewTransform view;
  view.zoomAt(QPointF(0, 0), 1e6);
  EXPECT_DOUBLE_EQ(view.scale(), ViewTransform::kMaxScale);
  view.zoomAt(QPointF(0, 0), 1e-12);
  EXPECT_DOUBLE_EQ(view.scale(), ViewTransform::kMinScale);
}

TEST(ViewTransformTest, FitCentresTheWholeImage) {
  ViewTransform view;
  view.fit(QSize(4000, 3000), QSize(800, 400));
  EXPECT_DOUBLE_EQ(view.scale(), 400.0 / 3000.0);
  const QRectF shown = view.toView(QRectF(0, 0, 4000, 3000));
  EXPECT_NEAR(shown.top(), 0, 1e-9);
  EXPECT_NEAR(shown.bottom(), 400, 1e-9);
  EXPECT_NEAR(shown.center().x(), 400, 1e-9);
}

TEST(ViewTransformTest, MappingsAreInverse) {
  ViewTransform view;
  view.set(2.5, QPointF(-40, 17));
  const QPointF p(123.25, 77.5);
  const QPointF back = view.toImage(view.toView(p));
  EXPECT_NEAR(back.x(), p.x(), 1e-12);
  EXPECT_NEAR(back.y(), p.y(), 1e-12);
  EXPECT_EQ(view.imageToView().map(p), view.toView(p));
}

TEST(ViewTransformTest, PyramidLevelIsTheCoarsestStillFineEnough) {
  ViewTransform view;
  view.set(2.0, {});
  EXPECT_EQ(view.pyramidLevel(5), 0);
  view.set(0.5, {});
  EXPECT_EQ(view.pyramidLevel(5), 1);
  view.set(0.3, {});
  EXPECT_EQ(view.pyramidLevel(5), 1);  // level 2 (x0.25) would be coarser than the screen
  view.set(0.25, {});
  EXPECT_EQ(view.pyramidLevel(5), 2);
  view.set(0.01, {});
  EXPECT_EQ(view.pyramidLevel(5), 4);  // capped at the last level
}

}  // namespace
}  // namespace distillery
