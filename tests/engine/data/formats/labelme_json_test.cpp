#include "engine/data/formats/labelme_json.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "tests/engine/data/formats/format_test_util.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

using Json = nlohmann::json;

Json labelmeDoc(const std::string& imagePath, const Json& shapes) {
  return {{"version", "5.2.1"},     {"flags", Json::object()}, {"shapes", shapes},
          {"imagePath", imagePath}, {"imageData", nullptr},    {"imageHeight", 30},
          {"imageWidth", 40}};
}

Json polygon(const std::string& label, const Json& points, const Json& group = nullptr) {
  return {{"label", label},
          {"points", points},
          {"group_id", group},
          {"shape_type", "polygon"},
          {"flags", Json::object()}};
}

void writeImage(const std::filesystem::path& file, int w = 40, int h = 30) {
  std::filesystem::create_directories(file.parent_path());
  cv::imwrite(file.string(), cv::Mat(h, w, CV_8UC3, cv::Scalar(9, 9, 9)));
}

TEST(LabelmeJsonTest, GroupIdJoinsPartsOfOneInstance) {
  const auto dir = test::freshTempDir("labelme_group");
  writeImage(dir / "a.png");
  const Json shapes = {
      polygon("person", Json::parse("[[1,1],[6,1],[6,6],[1,6]]"), 3),
      polygon("person", Json::parse("[[20,20],[30,20],[30,28],[20,28]]"), 3),
      polygon("person", Json::parse("[[10,1],[14,1],[14,5]]")),          // no group: own instance
      polygon("dog", Json::parse("[[30,1],[35,1],[35,6],[30,6]]"), 3)};  // same group, other label
  test::writeText(dir / "a.json", labelmeDoc("a.png", shapes).dump());
  ConversionReport report;
  const auto d = readLabelme(dir, {}, &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_TRUE(report.skipped.empty()) << report.summary();
  ASSERT_EQ(d->instances.size(), 3u);
  const Rle expected = rle::merge({rle::fromPolygons({{1, 1, 6, 1, 6, 6, 1, 6}}, 30, 40),
                                   rle::fromPolygons({{20, 20, 30, 20, 30, 28, 20, 28}}, 30, 40)});
  EXPECT_EQ(d->instances[0].mask, expected);
  EXPECT_EQ(rle::area(d->instances[0].mask), 25u + 80u);
  EXPECT_EQ(d->instances[1].categoryId, 1);
  EXPECT_EQ(d->instances[2].categoryId, 2);
  ASSERT_EQ(d->categories.size(), 2u);
  EXPECT_EQ(d->categories[1].name, "dog");
  EXPECT_EQ(d->images[0].file, "a.png");
  EXPECT_EQ(report.imagesRead, 1);
  EXPECT_EQ(report.instancesRead, 3);
}

TEST(LabelmeJsonTest, RectanglesCirclesAndSkippedShapes) {
  const auto dir = test::freshTempDir("labelme_shapes");
  writeImage(dir / "img" / "b.jpg");
  const Json shapes = Json::parse(R"([
    {"label": "box", "points": [[12, 8], [2, 3]], "group_id": null, "shape_type": "rectangle", "flags": {}},
    {"label": "ball", "points": [[20, 15], [26, 15]], "group_id": null, "shape_type": "circle", "flags": {}},
    {"label": "edge", "points": [[1, 1], [9, 9]], "group_id": null, "shape_type": "line", "flags": {}},
    {"label": "thin", "points": [[1, 1], [9, 9]], "group_id": null, "shape_type": "polygon", "flags": {}},
    {"label": "bad", "points": "1,2", "shape_type": "polygon"},
    {"label": 7, "points": [[1, 1], [2, 2], [3, 1]]}])");
  test::writeText(dir / "ann" / "b.json", labelmeDoc("../img/b.jpg", shapes).dump());
  ConversionReport report;
  LabelmeReadOptions options;
  options.imageRoot = dir;  // the images are beside the annotation folder
  const auto d = readLabelme(dir / "ann", options, &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->images[0].file, "img/b.jpg");
  ASSERT_EQ(d->instances.size(), 2u) << report.summary();
  EXPECT_EQ(d->instances[0].mask, rle::fromBox({2, 3, 10, 5}, 30, 40));
  EXPECT_NEAR(static_cast<double>(rle::area(d->instances[1].mask)), 3.14159 * 36, 10);
  ASSERT_EQ(report.skipped.size(), 4u) << report.summary();
  EXPECT_EQ(report.skipped[0],
            "b.json: shape 2 ('edge'): shape_type 'line' has no area (expected polygon, rectangle, "
            "circle or mask)");
  EXPECT_EQ(report.skipped[1],
            "b.json: shape 3 ('thin'): polygon has 2 points, expected at least 3");
  EXPECT_EQ(report.skipped[2],
            "b.json: shape 4 ('bad'): 'points' is a string, expected a list of [x, y]");
  EXPECT_EQ(report.skipped[3], "b.json: shape 5: 'label' is a number, expected a string");
}

TEST(LabelmeJsonTest, BadFilesAreSkippedAndNamed) {
  const auto dir = test::freshTempDir("labelme_bad");
  writeImage(dir / "ok.png");
  writeImage(dir / "big.png");
  const Json square = Json::array({polygon("x", Json::parse("[[1,1],[6,1],[6,6]]"))});
  test::writeText(dir / "ok.json", labelmeDoc("ok.png", square).dump());
  test::writeText(dir / "broken.json", R"({"shapes": [)");
  test::writeText(dir / "missing.json", labelmeDoc("missing.png", square).dump());
  test::writeText(dir / "escape.json", labelmeDoc("../ok.png", square).dump());
  test::writeText(dir / "absolute.json", labelmeDoc("/tmp/ok.png", square).dump());
  test::writeText(dir / "coco.json", R"({"images": [], "annotations": []})");
  Json sizeText = labelmeDoc("big.png", square);
  sizeText["imageWidth"] = "forty";
  test::writeText(dir / "typed.json", sizeText.dump());
  ConversionReport report;
  const auto d = readLabelme(dir, {}, &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->images.size(), 1u);
  ASSERT_EQ(report.skipped.size(), 6u) << report.summary();
  // Files are read in sorted order.
  EXPECT_TRUE(test::contains(report.skipped[0],
                             "absolute.json: file: image path '/tmp/ok.png' is absolute"))
      << report.skipped[0];
  EXPECT_TRUE(test::contains(report.skipped[1], "broken.json: file: malformed JSON at byte 13: "))
      << report.skipped[1];
  EXPECT_TRUE(test::contains(report.skipped[2], "coco.json: file: not a LabelMe file"))
      << report.skipped[2];
  EXPECT_TRUE(test::contains(report.skipped[3],
                             "escape.json: file: image path '../ok.png' escapes the image root"))
      << report.skipped[3];
  EXPECT_TRUE(test::contains(report.skipped[4], "missing.json: file: image file not found: "))
      << report.skipped[4];
  EXPECT_TRUE(test::contains(report.skipped[5],
                             "typed.json: file: 'imageWidth' is a string, expected an integer"))
      << report.skipped[5];

  const auto none = readLabelme(dir / "broken.json");
  ASSERT_FALSE(none.ok());
  EXPECT_TRUE(
      test::contains(none.status().message(),
                     "no usable LabelMe file; last error: broken.json: malformed JSON at byte 13"))
      << none.status().message();
}

TEST(LabelmeJsonTest, MaskShapesArePlacedAtTheirBox) {
  const auto dir = test::freshTempDir("labelme_mask");
  writeImage(dir / "m.png");
  cv::Mat crop(4, 6, CV_8U, cv::Scalar(0));
  crop(cv::Rect(1, 0, 3, 4)).setTo(1);
  crop.at<uint8_t>(3, 5) = 1;
  std::vector<unsigned char> png;
  ASSERT_TRUE(cv::imencode(".png", crop, png));
  Json mask = {{"label", "blob"},         {"points", Json::parse("[[36, 27], [41, 30]]")},
               {"group_id", nullptr},     {"shape_type", "mask"},
               {"flags", Json::object()}, {"mask", test::base64(png)}};
  Json clipped = mask;
  clipped["points"] = Json::parse("[[50, 50], [55, 53]]");
  Json empty = mask;
  empty["mask"] = "";  // found by the fuzz test: OpenCV throws on an empty buffer
  Json garbage = mask;
  garbage["mask"] = "aGVsbG8=";
  test::writeText(dir / "m.json",
                  labelmeDoc("m.png", Json::array({mask, clipped, empty, garbage})).dump());
  ConversionReport report;
  const auto d = readLabelme(dir, {}, &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->instances.size(), 1u);
  cv::Mat full(30, 40, CV_8U, cv::Scalar(0));
  crop(cv::Rect(0, 0, 4, 3)).copyTo(full(cv::Rect(36, 27, 4, 3)));  // clipped at the image border
  EXPECT_EQ(d->instances[0].mask, rle::encode(full));
  ASSERT_EQ(report.skipped.size(), 3u) << report.summary();
  EXPECT_EQ(report.skipped[0], "m.json: shape 1 ('blob'): mask shape lies outside the image");
  EXPECT_EQ(report.skipped[1], "m.json: shape 2 ('blob'): 'mask' is not a PNG image");
  EXPECT_EQ(report.skipped[2], "m.json: shape 3 ('blob'): 'mask' is not a PNG image");
}

TEST(LabelmeJsonTest, SizeFromTheImageWhenTheFileHasNone) {
  const auto dir = test::freshTempDir("labelme_size");
  writeImage(dir / "c.png", 64, 48);
  Json doc = labelmeDoc("c.png", Json::array({polygon("x", Json::parse("[[1,1],[6,1],[6,6]]"))}));
  doc.erase("imageWidth");
  doc.erase("imageHeight");
  test::writeText(dir / "c.json", doc.dump());
  const auto d = readLabelme(dir / "c.json");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->images[0].width, 64);
  EXPECT_EQ(d->images[0].height, 48);
}

TEST(LabelmeJsonTest, ExportReadsBackWithTheSameMasks) {
  const auto root = test::freshTempDir("labelme_rt_images");
  writeImage(root / "a.jpg");
  writeImage(root / "sub" / "b.png", 20, 20);
  Dataset d = test::tinyDataset();
  const auto out = test::freshTempDir("labelme_rt_out");
  ConversionReport written;
  LabelmeWriteOptions options;
  options.imageRoot = root;
  ASSERT_TRUE(writeLabelme(d, out, options, &written).ok());
  EXPECT_EQ(written.imagesWritten, 2);
  EXPECT_EQ(written.instancesWritten, 3);
  const Json a = Json::parse(test::readText(out / "a.json"));
  EXPECT_EQ(a["imageWidth"], 40);
  ASSERT_EQ(a["shapes"].size(), 3u);  // the box, and the crowd region's two parts
  EXPECT_EQ(a["shapes"][1]["group_id"], 1);
  EXPECT_EQ(a["shapes"][2]["group_id"], 1);
  EXPECT_EQ(a["shapes"][1]["flags"]["iscrowd"], true);
  // imagePath is relative to the JSON file and leads to the image.
  EXPECT_EQ(a["imagePath"].get<std::string>().substr(0, 3), "../");
  EXPECT_TRUE(std::filesystem::equivalent(out / a["imagePath"].get<std::string>(), root / "a.jpg"))
      << a["imagePath"];

  LabelmeReadOptions readOptions;
  readOptions.imageRoot = root;
  const auto back = readLabelme(out, readOptions);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->instances.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back->instances[i].mask, d.instances[i].mask) << i;  // boxes come back exactly
    EXPECT_EQ(back->instances[i].iscrowd, d.instances[i].iscrowd) << i;
    EXPECT_EQ(back->categories[back->instances[i].categoryId - 1].name,
              d.category(d.instances[i].categoryId)->name);
  }
  EXPECT_EQ(back->images[1].file, "sub/b.png");
}

}  // namespace
}  // namespace distillery
