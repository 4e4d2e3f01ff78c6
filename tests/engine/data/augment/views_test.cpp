#include "engine/data/augment/views.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

namespace distillery {
namespace {

cv::Mat testImage() {
  cv::Mat img(96, 128, CV_8UC3, cv::Scalar(30, 60, 90));
  cv::rectangle(img, {10, 20}, {40, 60}, cv::Scalar(200, 50, 20), cv::FILLED);
  cv::circle(img, {90, 50}, 20, cv::Scalar(20, 220, 120), cv::FILLED);
  return img;
}

cv::Mat rectMask() {
  cv::Mat m(96, 128, CV_8U, cv::Scalar(0));
  cv::rectangle(m, {10, 20}, {40, 60}, cv::Scalar(1), cv::FILLED);
  return m;
}

TEST(ViewsTest, SameSeedSameViews) {
  ViewConfig c;
  const auto a = makeViews(testImage(), {rectMask()}, c, 42);
  const auto b = makeViews(testImage(), {rectMask()}, c, 42);
  EXPECT_EQ(cv::norm(a.weak, b.weak, cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(a.strong, b.strong, cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(a.masks[0], b.masks[0], cv::NORM_INF), 0);
}

TEST(ViewsTest, StrongViewSharesGeometryWithWeakView) {
  ViewConfig with, without;
  without.strongView = false;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const auto a = makeViews(testImage(), {rectMask()}, with, seed);
    const auto b = makeViews(testImage(), {rectMask()}, without, seed);
    // Photometry never moves pixels: the weak view and the masks are identical.
    EXPECT_EQ(cv::norm(a.weak, b.weak, cv::NORM_INF), 0) << seed;
    EXPECT_EQ(cv::norm(a.masks[0], b.masks[0], cv::NORM_INF), 0) << seed;
    EXPECT_EQ(a.geometry.flipped, b.geometry.flipped);
    EXPECT_TRUE(b.strong.empty());
  }
}

TEST(ViewsTest, MaskFollowsTheImage) {
  ViewConfig c;
  c.strongView = false;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const auto v = makeViews(testImage(), {rectMask()}, c, seed);
    ASSERT_EQ(v.weak.size(), cv::Size(128, 128));
    // Inside the mask the weak view shows the rectangle's colour (200,50,20), away from edges.
    cv::Mat inner;
    cv::erode(v.masks[0], inner, cv::Mat::ones(5, 5, CV_8U));
    if (cv::countNonZero(inner) == 0) continue;
    const cv::Scalar mean = cv::mean(v.weak, inner);
    EXPECT_NEAR(mean[0], 200, 3) << seed;
    EXPECT_NEAR(mean[1], 50, 3) << seed;
  }
}

TEST(ViewsTest, FlipMirrorsMasks) {
  ViewConfig c;
  c.strongView = false;
  c.minScale = c.maxScale = 1.0;
  c.flipProbability = 1.0;
  cv::Mat square(128, 128, CV_8UC3, cv::Scalar(0));
  cv::Mat m(128, 128, CV_8U, cv::Scalar(0));
  m(cv::Rect(0, 0, 10, 10)).setTo(1);
  const auto v = makeViews(square, {m}, c, 1);
  EXPECT_TRUE(v.geometry.flipped);
  EXPECT_EQ(cv::countNonZero(v.masks[0](cv::Rect(118, 0, 10, 10))), 100);
  EXPECT_EQ(cv::countNonZero(v.masks[0]), 100);
}

TEST(ViewsTest, StrongViewChangesColoursNotLayout) {
  ViewConfig c;
  c.jitterProbability = 1.0;
  c.grayscaleProbability = 0.0;
  c.blurProbability = 0.0;
  int changed = 0;
  for (uint64_t seed = 0; seed < 10; ++seed) {
    const auto v = makeViews(testImage(), {rectMask()}, c, seed);
    if (cv::norm(v.weak, v.strong, cv::NORM_L1) > 0) ++changed;
    // Edges stay where they are: gradients of both views peak at the same places.
    cv::Mat gw, gs;
    cv::cvtColor(v.weak, gw, cv::COLOR_BGR2GRAY);
    cv::cvtColor(v.strong, gs, cv::COLOR_BGR2GRAY);
    cv::Mat ew, es;
    cv::Canny(gw, ew, 20, 60);
    cv::Canny(gs, es, 20, 60);
    if (cv::countNonZero(ew) > 0) {
      cv::Mat near;
      cv::dilate(ew, near, cv::Mat::ones(3, 3, CV_8U));
      EXPECT_GT(cv::countNonZero(es & near), 0.6 * cv::countNonZero(es)) << seed;
    }
  }
  EXPECT_GE(changed, 9);
}

TEST(ViewsTest, GrayscaleAlways) {
  ViewConfig c;
  c.jitterProbability = 0;
  c.blurProbability = 0;
  c.grayscaleProbability = 1.0;
  const cv::Mat s = strongPhotometric(testImage(), c, 3);
  std::vector<cv::Mat> ch;
  cv::split(s, ch);
  EXPECT_EQ(cv::norm(ch[0], ch[1], cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(ch[1], ch[2], cv::NORM_INF), 0);
}

TEST(ViewsTest, EvalViewFitsTheLongerSide) {
  const auto v = makeEvalView(testImage(), {rectMask()}, 64);
  EXPECT_EQ(v.weak.size(), cv::Size(64, 64));
  EXPECT_DOUBLE_EQ(v.geometry.scale, 0.5);
  EXPECT_EQ(cv::countNonZero(v.valid), 64 * 48);
}

}  // namespace
}  // namespace distillery
