#include "engine/data/world/appearance.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <set>

namespace distillery::world {
namespace {

std::set<uint32_t> colours(const cv::Mat& image) {
  std::set<uint32_t> out;
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x) {
      const cv::Vec3b p = image.at<cv::Vec3b>(y, x);
      out.insert(p[0] | (p[1] << 8) | (p[2] << 16));
    }
  return out;
}

Paint paint(Texture t, cv::Vec3f base = {200, 100, 50}) {
  Paint p;
  p.base = base;
  p.alt = base * 0.5f;
  p.texture = t;
  p.period = 8;
  p.angle = 0.3;
  p.noiseSeed = 42;
  return p;
}

TEST(WorldAppearanceTest, HsvToBgrPrimaries) {
  EXPECT_EQ(hsvToBgr(0, 1, 1), cv::Vec3f(0, 0, 255));
  EXPECT_EQ(hsvToBgr(120, 1, 1), cv::Vec3f(0, 255, 0));
  EXPECT_EQ(hsvToBgr(240, 1, 1), cv::Vec3f(255, 0, 0));
  EXPECT_EQ(hsvToBgr(360 + 60, 1, 1), cv::Vec3f(0, 255, 255));
  EXPECT_EQ(hsvToBgr(77, 0, 0.5), cv::Vec3f(127.5f, 127.5f, 127.5f));
}

TEST(WorldAppearanceTest, TextureNamesRoundTripAndUnknownNamesFail) {
  for (int i = 0; i < kTextureCount; ++i) {
    const auto t = static_cast<Texture>(i);
    EXPECT_EQ(*textureFromName(textureName(t)), t);
  }
  const auto bad = textureFromName("plaid");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("plaid"), std::string::npos);
}

TEST(WorldAppearanceTest, TexturesShowTheirCharacter) {
  cv::Mat img(64, 64, CV_8UC3);
  paintAll(img, paint(Texture::Flat));
  EXPECT_EQ(colours(img).size(), 1u);
  paintAll(img, paint(Texture::Stripes));
  EXPECT_EQ(colours(img).size(), 2u);
  paintAll(img, paint(Texture::Checker));
  EXPECT_EQ(colours(img).size(), 2u);
  paintAll(img, paint(Texture::Noise));
  EXPECT_GT(colours(img).size(), 20u);
}

TEST(WorldAppearanceTest, PaintMaskedTouchesOnlyMaskedPixels) {
  cv::Mat img(40, 40, CV_8UC3, cv::Scalar(1, 2, 3));
  cv::Mat mask = cv::Mat::zeros(20, 20, CV_8U);
  cv::circle(mask, {10, 10}, 8, cv::Scalar(1), cv::FILLED);
  // Placed half outside the image: the part inside is painted, nothing else.
  const cv::Point origin(-10, 5);
  paintMasked(img, mask, origin, paint(Texture::Noise), {0, 15});
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) {
      const int mx = x - origin.x, my = y - origin.y;
      const bool inMask = mx >= 0 && my >= 0 && mx < 20 && my < 20 && mask.at<uchar>(my, mx);
      const bool untouched = img.at<cv::Vec3b>(y, x) == cv::Vec3b(1, 2, 3);
      EXPECT_EQ(untouched, !inMask) << x << "," << y;
    }
}

TEST(WorldAppearanceTest, NeutralImagingLeavesTheImageAlone) {
  cv::Mat img(32, 32, CV_8UC3);
  paintAll(img, paint(Texture::Noise));
  const cv::Mat before = img.clone();
  applyImaging(img, Imaging{});
  EXPECT_EQ(cv::norm(img, before, cv::NORM_INF), 0);
}

TEST(WorldAppearanceTest, ImagingEffectsDoWhatTheySay) {
  cv::Mat flat(32, 32, CV_8UC3, cv::Scalar(128, 128, 128));
  auto mean = [](const cv::Mat& m) { return cv::mean(m)[0]; };

  cv::Mat dark = flat.clone();
  Imaging gamma;
  gamma.gamma = 2;
  applyImaging(dark, gamma);
  EXPECT_LT(mean(dark), 80);

  cv::Mat graded = flat.clone();
  Imaging gradient;
  gradient.gradient = 0.5;
  gradient.gradientAngle = 0;  // light falls from left to right
  applyImaging(graded, gradient);
  EXPECT_EQ(graded.at<cv::Vec3b>(5, 0)[0], 128);
  EXPECT_EQ(graded.at<cv::Vec3b>(5, 31)[0], 64);

  cv::Mat foggy(32, 32, CV_8UC3, cv::Scalar(0, 0, 0));
  Imaging fog;
  fog.fog = 0.5;
  applyImaging(foggy, fog);
  EXPECT_NEAR(mean(foggy), kFogGrey / 2, 1);

  cv::Mat noisy = flat.clone(), noisy2 = flat.clone();
  Imaging noise;
  noise.noiseSigma = 10;
  noise.noiseSeed = 3;
  applyImaging(noisy, noise);
  applyImaging(noisy2, noise);
  EXPECT_EQ(cv::norm(noisy, noisy2, cv::NORM_INF), 0);  // seeded
  cv::Scalar m, sd;
  cv::meanStdDev(noisy.reshape(1), m, sd);
  EXPECT_NEAR(m[0], 128, 1.5);
  EXPECT_NEAR(sd[0], 10, 1.5);
}

TEST(WorldAppearanceTest, BlurSoftensEdges) {
  cv::Mat edge(32, 32, CV_8UC3, cv::Scalar(0, 0, 0));
  edge(cv::Rect(16, 0, 16, 32)).setTo(cv::Scalar(255, 255, 255));
  Imaging blur;
  blur.blurSigma = 1.5;
  applyImaging(edge, blur);
  const uchar v = edge.at<cv::Vec3b>(10, 15)[0];
  EXPECT_GT(v, 20);
  EXPECT_LT(v, 235);
}

}  // namespace
}  // namespace distillery::world
