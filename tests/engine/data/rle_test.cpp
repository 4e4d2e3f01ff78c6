#include "engine/data/rle.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "tests/support/test_paths.h"

namespace distillery {
namespace {

cv::Mat randomBlobs(int h, int w, uint32_t seed) {
  std::mt19937 rng(seed);
  cv::Mat m(h, w, CV_8U, cv::Scalar(0));
  std::uniform_int_distribution<int> cx(0, w - 1), cy(0, h - 1), rad(1, std::max(2, h / 4));
  for (int i = 0; i < 4; ++i) cv::circle(m, {cx(rng), cy(rng)}, rad(rng), cv::Scalar(1), cv::FILLED);
  return m;
}

TEST(RleTest, EncodeIsColumnMajorStartingWithZeros) {
  // 2x3 mask:  1 0 1
  //            1 0 0   column-major: 1,1, 0,0, 1,0  -> runs 0,2,2,1,1
  cv::Mat m = (cv::Mat_<uint8_t>(2, 3) << 1, 0, 1, 1, 0, 0);
  const Rle r = rle::encode(m);
  EXPECT_EQ(r.counts, (std::vector<uint32_t>{0, 2, 2, 1, 1}));
  EXPECT_EQ(rle::area(r), 3u);
  EXPECT_EQ(cv::countNonZero(rle::decode(r) != m), 0);
}

TEST(RleTest, RoundTripsRandomMasks) {
  for (uint32_t seed = 0; seed < 50; ++seed) {
    const cv::Mat m = randomBlobs(37 + seed, 53, seed);
    const Rle r = rle::encode(m);
    const auto back = rle::fromString(rle::toString(r), r.height, r.width);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, r);
    EXPECT_EQ(cv::countNonZero(rle::decode(*back) != m), 0);
    EXPECT_EQ(rle::area(r), static_cast<uint64_t>(cv::countNonZero(m)));
    const cv::Rect box = cv::boundingRect(m);
    const BoxXywh b = rle::bbox(r);
    if (box.area() > 0) {
      EXPECT_EQ(b.x, box.x);
      EXPECT_EQ(b.y, box.y);
      EXPECT_EQ(b.w, box.width);
      EXPECT_EQ(b.h, box.height);
    }
  }
}

TEST(RleTest, KnownCompressedString) {
  // [[0,1],[1,1]] column-major is 0,1,1,1: runs [1,3], one char each.
  cv::Mat m = (cv::Mat_<uint8_t>(2, 2) << 0, 1, 1, 1);
  EXPECT_EQ(rle::toString(rle::encode(m)), "13");
  // Deltas start at index 3 and negative deltas use the sign bit: runs 5,2,3,1 -> "5231" is
  // not it; the fourth char codes 1-2 = -1 as 0x1f ('O').
  const Rle r{1, 11, {5, 2, 3, 1}};
  EXPECT_EQ(rle::toString(r), "523O");
  EXPECT_EQ(*rle::fromString("523O", 1, 11), r);
}

TEST(RleTest, BadStringsAreErrorsNotCrashes) {
  EXPECT_FALSE(rle::fromString("12", 3, 3).ok());      // runs do not cover 9 pixels
  EXPECT_FALSE(rle::fromString("1\x7f", 2, 2).ok());   // invalid character
  EXPECT_FALSE(rle::fromString("1o", 2, 2).ok());      // ends inside a value
  const auto r = rle::fromString("12", 3, 3);
  EXPECT_NE(r.status().message().find("expected 3x3 = 9"), std::string::npos) << r.status().message();
}

TEST(RleTest, BoxRasterisesToExactPixels) {
  const Rle r = rle::fromBox({2, 3, 10, 5}, 20, 30);
  EXPECT_EQ(rle::area(r), 50u);
  const BoxXywh b = rle::bbox(r);
  EXPECT_EQ(b.x, 2);
  EXPECT_EQ(b.y, 3);
  EXPECT_EQ(b.w, 10);
  EXPECT_EQ(b.h, 5);
}

TEST(RleTest, MergeAndIouOnRuns) {
  const Rle a = rle::fromBox({0, 0, 10, 10}, 20, 20);
  const Rle b = rle::fromBox({5, 0, 10, 10}, 20, 20);
  EXPECT_EQ(rle::area(rle::merge({a, b})), 150u);
  EXPECT_EQ(rle::area(rle::merge({a, b}, true)), 50u);
  EXPECT_DOUBLE_EQ(rle::iou(a, b, false), 50.0 / 150.0);
  EXPECT_DOUBLE_EQ(rle::iou(a, b, true), 50.0 / 100.0);  // crowd: over detection area
  const Rle far = rle::fromBox({15, 15, 3, 3}, 20, 20);
  EXPECT_EQ(rle::iou(a, far, false), 0.0);
  EXPECT_EQ(rle::iou(a, rle::fromBox({0, 0, 5, 5}, 30, 30), false), -1.0);
}

TEST(RleTest, IouMatchesDecodedMasks) {
  for (uint32_t seed = 0; seed < 30; ++seed) {
    const cv::Mat ma = randomBlobs(40, 40, seed), mb = randomBlobs(40, 40, seed + 100);
    const double inter = cv::countNonZero(ma & mb), uni = cv::countNonZero(ma | mb);
    const double expected = inter == 0 ? 0.0 : inter / uni;
    EXPECT_DOUBLE_EQ(rle::iou(rle::encode(ma), rle::encode(mb), false), expected) << seed;
  }
}

TEST(RleTest, PolygonsComeBackFromContours) {
  const Rle r = rle::fromBox({4, 4, 12, 8}, 32, 32);
  const auto polys = rle::toPolygons(r);
  ASSERT_EQ(polys.size(), 1u);
  const Rle again = rle::fromPolygons(polys, 32, 32);
  // Contours pass through pixel centres, so the rasterised polygon loses at most the outer half-pixel ring.
  EXPECT_GT(rle::iou(again, r, false), 0.7);
}

// The real crowd RLEs of COCO128: decode, re-encode, same string. Their area is the
// number of mask pixels (pycocotools' maskUtils.area). COCO's stored `area` for crowd
// regions is not that count (it is 1-35% larger on these ten), so it is checked as an
// upper bound, and the pixel counts are pinned to the values pycocotools gives.
TEST(RleTest, Coco128CrowdMasksRoundTripWithTheirAreas) {
  DST_REQUIRE_SHARED_DATA();
  std::ifstream in(test::sharedData() / "coco128" / "instances.json");
  const nlohmann::json coco = nlohmann::json::parse(in);
  int crowd = 0;
  for (const auto& ann : coco["annotations"]) {
    if (ann.value("iscrowd", 0) != 1) continue;
    ++crowd;
    const auto& seg = ann["segmentation"];
    const int h = seg["size"][0], w = seg["size"][1];
    Result<Rle> r = seg["counts"].is_string()
                        ? rle::fromString(seg["counts"].get<std::string>(), h, w)
                        : rle::fromCounts(seg["counts"].get<std::vector<uint32_t>>(), h, w);
    ASSERT_TRUE(r.ok()) << r.status().message();
    const std::string s = rle::toString(*r);
    const Rle reencoded = rle::encode(rle::decode(*r));
    EXPECT_EQ(rle::toString(reencoded), s) << "annotation " << ann["id"];
    const auto& counts = seg["counts"];
    uint64_t ones = 0;
    for (size_t i = 1; i < counts.size(); i += 2) ones += counts[i].get<uint64_t>();
    EXPECT_EQ(rle::area(*r), ones) << "annotation " << ann["id"];
    EXPECT_LE(static_cast<double>(rle::area(*r)), ann["area"].get<double>());
    const BoxXywh b = rle::bbox(*r);
    EXPECT_NEAR(b.x, ann["bbox"][0].get<double>(), 1.0);
    EXPECT_NEAR(b.w, ann["bbox"][2].get<double>(), 1.0);
  }
  EXPECT_EQ(crowd, 10);
}

}  // namespace
}  // namespace distillery
