#include "engine/data/formats/via_json.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "engine/data/formats/image_path.h"
#include "tests/engine/data/formats/format_test_util.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

using Json = nlohmann::json;

TEST(ViaJsonTest, BalloonValAndTrainImportCompletely) {
  DST_REQUIRE_SHARED_DATA();
  for (const auto& [split, images, instances] :
       std::vector<std::tuple<std::string, size_t, size_t>>{{"val", 13, 50}, {"train", 61, 255}}) {
    ConversionReport report;
    ViaReadOptions options;
    options.categoryName = "balloon";
    const auto d = readViaJson(test::sharedData() / "balloon" / split / "via_region_data.json",
                               options, &report);
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->images.size(), images) << split;
    EXPECT_EQ(d->instances.size(), instances) << split;
    EXPECT_TRUE(report.skipped.empty()) << report.summary();
    ASSERT_EQ(d->categories.size(), 1u);
    EXPECT_EQ(d->categories[0].name, "balloon");
    for (const ImageRecord& im : d->images) {
      EXPECT_GE(std::min(im.width, im.height), 576) << im.file;  // from the JPEG headers
      EXPECT_LE(std::max(im.width, im.height), 2048) << im.file;
    }
    for (const Instance& inst : d->instances) EXPECT_GT(rle::area(inst.mask), 50u);
  }
}

TEST(ViaJsonTest, PolygonAreaMatchesTheShoelaceArea) {
  DST_REQUIRE_SHARED_DATA();
  const auto file = test::sharedData() / "balloon" / "val" / "via_region_data.json";
  const auto d = readViaJson(file);
  ASSERT_TRUE(d.ok()) << d.status().message();
  const Json doc = Json::parse(test::readText(file));
  // The first image by key, its region "0".
  const Json& shape = doc.begin().value()["regions"]["0"]["shape_attributes"];
  const auto xs = shape["all_points_x"].get<std::vector<double>>(),
             ys = shape["all_points_y"].get<std::vector<double>>();
  double twice = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const size_t j = (i + 1) % xs.size();
    twice += xs[i] * ys[j] - xs[j] * ys[i];
  }
  const double area = std::fabs(twice) / 2;
  EXPECT_EQ(d->images[0].file, doc.begin().value()["filename"].get<std::string>());
  EXPECT_NEAR(static_cast<double>(rle::area(d->instances[0].mask)), area, 0.01 * area);
}

TEST(ViaJsonTest, HeaderSizeMatchesDecodedImage) {
  DST_REQUIRE_SHARED_DATA();
  const auto dir = test::sharedData() / "balloon" / "val";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".jpg" || checked >= 3) continue;
    const auto size = image_path::readImageSize(entry.path());
    const cv::Mat m =
        cv::imread(entry.path().string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    EXPECT_EQ(size.width, m.cols) << entry.path();
    EXPECT_EQ(size.height, m.rows) << entry.path();
    ++checked;
  }
  EXPECT_EQ(checked, 3);
  const auto png = test::freshTempDir("via_png") / "x.png";
  cv::imwrite(png.string(), cv::Mat(7, 9, CV_8UC3, cv::Scalar(1, 2, 3)));
  EXPECT_EQ(image_path::readImageSize(png).width, 9);
  EXPECT_EQ(image_path::readImageSize(png).height, 7);
}

// A VIA file with one real 50x40 image and the regions given.
struct ViaCase {
  std::filesystem::path dir;
  Json doc;
  ViaCase() : dir(test::freshTempDir("via")) {
    cv::imwrite((dir / "a.png").string(), cv::Mat(40, 50, CV_8UC3, cv::Scalar(0, 0, 0)));
    doc = Json::parse(
        R"({"a.png123": {"filename": "a.png", "size": 123, "file_attributes": {}, "regions": {
      "0": {"shape_attributes": {"name": "polygon", "all_points_x": [2, 20, 20, 2], "all_points_y": [2, 2, 10, 10]},
            "region_attributes": {"kind": "cup"}},
      "1": {"shape_attributes": {"name": "rect", "x": 30, "y": 5, "width": 10, "height": 20},
            "region_attributes": {"kind": {"mug": true}}}}}})");
  }
  Result<Dataset> read(ConversionReport* report, const std::string& attribute = "") {
    test::writeText(dir / "via_region_data.json", doc.dump());
    ViaReadOptions options;
    options.labelAttribute = attribute;
    return readViaJson(dir / "via_region_data.json", options, report);
  }
};

TEST(ViaJsonTest, ShapesAndLabelAttribute) {
  ViaCase c;
  c.doc["a.png123"]["regions"]["2"] = Json::parse(
      R"({"shape_attributes": {"name": "circle", "cx": 25, "cy": 30, "r": 5}, "region_attributes": {"kind": "cup"}})");
  ConversionReport report;
  const auto d = c.read(&report, "kind");
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->instances.size(), 3u) << report.summary();
  ASSERT_EQ(d->categories.size(), 2u);
  EXPECT_EQ(d->categories[0].name, "cup");
  EXPECT_EQ(d->categories[1].name, "mug");
  EXPECT_EQ(d->instances[1].categoryId, 2);
  EXPECT_EQ(d->images[0].width, 50);
  EXPECT_EQ(d->images[0].height, 40);
  EXPECT_EQ(rle::area(d->instances[0].mask), 18u * 8u);
  EXPECT_EQ(d->instances[1].mask, rle::fromBox({30, 5, 10, 20}, 40, 50));
  EXPECT_NEAR(static_cast<double>(rle::area(d->instances[2].mask)), 3.14159 * 25, 8);
}

TEST(ViaJsonTest, MissingImageIsSkippedByName) {
  ViaCase c;
  c.doc["gone.jpg1"] = Json::parse(R"({"filename": "gone.jpg", "regions": {"0": {"shape_attributes":
      {"name": "polygon", "all_points_x": [1, 5, 5], "all_points_y": [1, 1, 5]}}}})");
  ConversionReport report;
  const auto d = c.read(&report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->images.size(), 1u);
  EXPECT_EQ(d->instances.size(), 2u);
  ASSERT_EQ(report.skipped.size(), 1u) << report.summary();
  EXPECT_TRUE(test::contains(report.skipped[0],
                             "via_region_data.json: image 'gone.jpg': image file not found: "))
      << report.skipped[0];
  EXPECT_TRUE(test::contains(report.skipped[0], "(with its 1 regions)")) << report.skipped[0];
}

TEST(ViaJsonTest, BadRegionsAreSkippedWithReasons) {
  ViaCase c;
  auto& regions = c.doc["a.png123"]["regions"];
  regions["2"] = Json::parse(
      R"({"shape_attributes": {"name": "polygon", "all_points_x": [1, 5], "all_points_y": [1, 1]}})");
  regions["3"] = Json::parse(
      R"({"shape_attributes": {"name": "polyline", "all_points_x": [1, 5, 9], "all_points_y": [1, 1, 3]}})");
  regions["4"] = Json::parse(
      R"({"shape_attributes": {"name": "polygon", "all_points_x": [1, 5, 9], "all_points_y": [1, 1]}})");
  regions["5"] = Json::parse(
      R"({"shape_attributes": {"name": "polygon", "all_points_x": "1,5,9", "all_points_y": [1, 1, 2]}})");
  regions["10"] =
      Json::parse(R"({"shape_attributes": {"name": "rect", "x": 1, "y": 1, "width": 3}})");
  ConversionReport report;
  const auto d = c.read(&report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->instances.size(), 2u);
  ASSERT_EQ(report.skipped.size(), 5u) << report.summary();
  EXPECT_EQ(
      report.skipped[0],
      "via_region_data.json: image 'a.png' region 2: polygon has 2 points, expected at least 3");
  EXPECT_TRUE(test::contains(report.skipped[1], "region 3: shape 'polyline' has no area"))
      << report.skipped[1];
  EXPECT_TRUE(test::contains(report.skipped[2],
                             "region 4: all_points_x has 3 values but all_points_y has 2"))
      << report.skipped[2];
  EXPECT_TRUE(test::contains(report.skipped[3],
                             "region 5: 'all_points_x' is a string, expected a list of numbers"))
      << report.skipped[3];
  EXPECT_TRUE(test::contains(report.skipped[4], "region 10: 'height' is missing"))
      << report.skipped[4];
}

TEST(ViaJsonTest, UnsafePathsAndFatalShapes) {
  ViaCase c;
  c.doc["x"] = Json::parse(R"({"filename": "../a.png", "regions": {}})");
  c.doc["y"] = Json::parse(R"({"filename": "/etc/hosts", "regions": []})");
  ConversionReport report;
  const auto d = c.read(&report);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(report.skipped.size(), 2u) << report.summary();
  EXPECT_TRUE(test::contains(report.skipped[0], "escapes the image root")) << report.skipped[0];
  EXPECT_TRUE(test::contains(report.skipped[1], "is absolute")) << report.skipped[1];

  c.doc = Json::array();
  const auto arr = c.read(nullptr);
  ASSERT_FALSE(arr.ok());
  EXPECT_EQ(arr.status().message(),
            "via_region_data.json: top level is an array, expected a VIA object");
  test::writeText(c.dir / "via_region_data.json", "{\"a\": [1, 2");
  const auto cut = readViaJson(c.dir / "via_region_data.json");
  ASSERT_FALSE(cut.ok());
  EXPECT_TRUE(
      test::contains(cut.status().message(), "via_region_data.json: malformed JSON at byte 12"))
      << cut.status().message();
}

TEST(ViaJsonTest, Via2ProjectMetadataAndLabelFallback) {
  ViaCase c;
  c.doc = Json{{"_via_settings", Json::object()}, {"_via_img_metadata", c.doc}};
  c.doc["_via_img_metadata"]["a.png123"]["regions"] =
      Json::array({c.doc["_via_img_metadata"]["a.png123"]["regions"]["0"]});
  ConversionReport report;
  const auto d = c.read(&report, "colour");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->instances.size(), 0u);
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(
      report.skipped[0],
      "via_region_data.json: image 'a.png' region 0: region_attributes has no class in 'colour'");
}

}  // namespace
}  // namespace distillery
