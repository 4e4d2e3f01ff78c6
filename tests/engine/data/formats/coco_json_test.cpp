#include "engine/data/formats/coco_json.h"

#include <gtest/gtest.h>

#include <iostream>
#include <set>

#include "tests/engine/data/formats/format_test_util.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

using Json = nlohmann::json;

Json smallCoco() {
  return Json::parse(R"({
    "images": [{"id": 5, "file_name": "a.jpg", "width": 40, "height": 30},
               {"id": 6, "file_name": "b.jpg", "width": 20, "height": 20}],
    "categories": [{"id": 3, "name": "cup", "supercategory": "kitchen"}],
    "annotations": [
      {"id": 100, "image_id": 5, "category_id": 3, "iscrowd": 0, "area": 99.5,
       "segmentation": [[2, 2, 12, 2, 12, 10, 2, 10]]},
      {"id": 101, "image_id": 6, "category_id": 3, "iscrowd": 1, "area": 4,
       "segmentation": {"size": [20, 20], "counts": [42, 2, 18, 2, 336]}}]})");
}

Result<Dataset> readText(const Json& doc, ConversionReport* report,
                         const CocoReadOptions& options = {}) {
  const auto file = test::writeText(test::freshTempDir("coco") / "instances.json", doc.dump());
  return readCocoJson(file, options, report);
}

TEST(CocoJsonTest, Coco128ImportsEveryRecord) {
  DST_REQUIRE_SHARED_DATA();
  ConversionReport report;
  CocoReadOptions options;
  options.imageRoot = test::sharedData() / "coco128" / "images";
  const auto d = readCocoJson(test::sharedData() / "coco128" / "instances.json", options, &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->images.size(), 128u);
  EXPECT_EQ(d->instances.size(), 939u);
  EXPECT_EQ(d->categories.size(), 80u);
  EXPECT_EQ(std::count_if(d->instances.begin(), d->instances.end(),
                          [](const Instance& i) { return i.iscrowd; }),
            10);
  EXPECT_TRUE(report.skipped.empty()) << report.summary();
  EXPECT_EQ(report.imagesRead, 128);
  EXPECT_EQ(report.instancesRead, 939);
  // Ids, sizes and stored areas are the file's.
  const ImageRecord* nine = d->image(9);
  ASSERT_NE(nine, nullptr);
  EXPECT_EQ(nine->file, "000000000009.jpg");
  EXPECT_EQ(nine->width, 640);
  EXPECT_EQ(nine->height, 480);
  const auto first = std::find_if(d->instances.begin(), d->instances.end(),
                                  [](const Instance& i) { return i.id == 1774; });
  ASSERT_NE(first, d->instances.end());
  EXPECT_EQ(first->imageId, 74);
  EXPECT_EQ(first->categoryId, 18);
  EXPECT_DOUBLE_EQ(first->area, 18234.62355);
  // A polygon's rasterised pixel count is close to its geometric area.
  EXPECT_NEAR(static_cast<double>(rle::area(first->mask)), first->area, 0.02 * first->area);
  const auto crowd = std::find_if(d->instances.begin(), d->instances.end(),
                                  [](const Instance& i) { return i.id == 900100000257; });
  ASSERT_NE(crowd, d->instances.end());
  EXPECT_TRUE(crowd->iscrowd);
  EXPECT_EQ(crowd->area, 11750);
  EXPECT_EQ(crowd->mask.height, 480);
}

TEST(CocoJsonTest, RleWriteReadRoundTripIsExact) {
  DST_REQUIRE_SHARED_DATA();
  const auto d = readCocoJson(test::sharedData() / "coco128" / "instances.json");
  ASSERT_TRUE(d.ok()) << d.status().message();
  const auto out = test::freshTempDir("coco_rt") / "out.json";
  ConversionReport written;
  ASSERT_TRUE(writeCocoJson(*d, out, {}, &written).ok());
  EXPECT_EQ(written.imagesWritten, 128);
  EXPECT_EQ(written.instancesWritten, 939);
  EXPECT_TRUE(written.skipped.empty()) << written.summary();
  const auto back = readCocoJson(out);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->instances.size(), d->instances.size());
  for (size_t i = 0; i < d->instances.size(); ++i) {
    const Instance &a = d->instances[i], &b = back->instances[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.imageId, b.imageId);
    EXPECT_EQ(a.categoryId, b.categoryId);
    EXPECT_EQ(a.iscrowd, b.iscrowd);
    EXPECT_DOUBLE_EQ(a.area, b.area);
    EXPECT_EQ(a.mask, b.mask) << "instance " << a.id;
  }
  ASSERT_EQ(back->images.size(), d->images.size());
  for (size_t i = 0; i < d->images.size(); ++i) {
    EXPECT_EQ(back->images[i].id, d->images[i].id);
    EXPECT_EQ(back->images[i].file, d->images[i].file);
    EXPECT_EQ(back->images[i].width, d->images[i].width);
  }
  ASSERT_EQ(back->categories.size(), 80u);
  EXPECT_EQ(back->categories[0].name, d->categories[0].name);
  EXPECT_EQ(back->categories[0].supercategory, d->categories[0].supercategory);
}

TEST(CocoJsonTest, PolygonExportReimportsWithHighIou) {
  DST_REQUIRE_SHARED_DATA();
  const auto d = readCocoJson(test::sharedData() / "coco128" / "instances.json");
  ASSERT_TRUE(d.ok()) << d.status().message();
  const auto out = test::freshTempDir("coco_poly") / "poly.json";
  ASSERT_TRUE(writeCocoJson(*d, out, CocoWriteOptions{true}).ok());
  const Json doc = Json::parse(test::readText(out));
  int polygons = 0;
  for (const Json& a : doc["annotations"]) {
    if (a["iscrowd"] == 1) {
      EXPECT_TRUE(a["segmentation"].is_object());  // crowd stays RLE
    }
    polygons += a["segmentation"].is_array();
  }
  EXPECT_GT(polygons, 900);
  const auto back = readCocoJson(out);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->instances.size(), d->instances.size());
  double sum = 0;
  int large = 0, largeGood = 0;
  for (size_t i = 0; i < d->instances.size(); ++i) {
    const double iou = rle::iou(back->instances[i].mask, d->instances[i].mask, false);
    sum += iou;
    if (rle::area(d->instances[i].mask) > 1000) {
      ++large;
      largeGood += iou > 0.95;
    }
  }
  std::cout << "polygon re-import: mean IoU " << sum / d->instances.size() << ", " << largeGood
            << " of " << large << " masks over 1000 px above 0.95\n";
  EXPECT_GT(sum / d->instances.size(), 0.98);
  EXPECT_GE(largeGood, large * 99 / 100) << largeGood << " of " << large;
}

TEST(CocoJsonTest, PolygonsOfABoxLieOnItsPixelEdges) {
  Dataset d = test::tinyDataset();
  const Json doc = cocoToJson(d, CocoWriteOptions{true});
  // Box 4,5 12x8: corners on pixel edges, so it rasterises back to the same pixels.
  const Json& seg = doc["annotations"][0]["segmentation"];
  ASSERT_TRUE(seg.is_array());
  ASSERT_EQ(seg.size(), 1u);
  std::vector<double> xy = seg[0].get<std::vector<double>>();
  std::set<std::pair<double, double>> corners;
  for (size_t i = 0; i + 1 < xy.size(); i += 2) corners.insert({xy[i], xy[i + 1]});
  EXPECT_EQ(corners, (std::set<std::pair<double, double>>{{4, 5}, {16, 5}, {16, 13}, {4, 13}}));
  EXPECT_EQ(rle::fromPolygons({xy}, 30, 40), d.instances[0].mask);
}

TEST(CocoJsonTest, KeepsPolygonRleAndCrowdSemantics) {
  ConversionReport report;
  const auto d = readText(smallCoco(), &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->instances.size(), 2u);
  EXPECT_EQ(d->instances[0].mask, rle::fromPolygons({{2, 2, 12, 2, 12, 10, 2, 10}}, 30, 40));
  EXPECT_DOUBLE_EQ(d->instances[0].area, 99.5);
  EXPECT_TRUE(d->instances[1].iscrowd);
  EXPECT_EQ(rle::area(d->instances[1].mask), 4u);
  EXPECT_EQ(d->categories[0].supercategory, "kitchen");
}

TEST(CocoJsonTest, MalformedJsonNamesFileAndByte) {
  const auto file =
      test::writeText(test::freshTempDir("coco_bad") / "broken.json", R"({"images": [{"id": 1,})");
  const auto d = readCocoJson(file);
  ASSERT_FALSE(d.ok());
  const std::string& m = d.status().message();
  EXPECT_TRUE(test::contains(m, "broken.json: malformed JSON at byte ")) << m;
}

TEST(CocoJsonTest, MissingFileIsAnError) {
  const auto d = readCocoJson(test::freshTempDir("coco_none") / "nope.json");
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(test::contains(d.status().message(), "nope.json")) << d.status().message();
}

TEST(CocoJsonTest, WrongTopLevelShapesFailTheFile) {
  for (const char* text :
       {"[1, 2]", R"({"images": {}, "categories": []})", R"({"images": []})", "42"}) {
    const auto d = readText(Json::parse(text), nullptr);
    EXPECT_FALSE(d.ok()) << text;
    EXPECT_TRUE(test::contains(d.status().message(), "instances.json: ")) << d.status().message();
  }
}

// Each bad record is skipped with a reason naming file and record; the rest is read.
void expectSkipped(Json doc, const std::string& reason, size_t instancesLeft = 1) {
  ConversionReport report;
  const auto d = readText(doc, &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->instances.size(), instancesLeft) << report.summary();
  ASSERT_EQ(report.skipped.size(), 1u) << report.summary();
  EXPECT_TRUE(test::contains(report.skipped[0], "instances.json: ")) << report.skipped[0];
  EXPECT_TRUE(test::contains(report.skipped[0], reason)) << report.skipped[0];
}

TEST(CocoJsonTest, UnknownCategoryIdSkipsTheAnnotation) {
  Json doc = smallCoco();
  doc["annotations"][1]["category_id"] = 77;
  expectSkipped(doc, "annotation 1 (id 101): unknown category id 77");
}

TEST(CocoJsonTest, PolygonWithTwoPointsSkipsTheAnnotation) {
  Json doc = smallCoco();
  doc["annotations"][0]["segmentation"] = Json::parse("[[1, 1, 5, 5]]");
  expectSkipped(doc, "annotation 0 (id 100): polygon has 2 points, expected at least 3");
}

TEST(CocoJsonTest, FarOutsideCoordinatesSkipTheAnnotation) {
  Json doc = smallCoco();
  doc["annotations"][0]["segmentation"] = Json::parse("[[1, 1, 5e12, 5, 3, 9]]");
  expectSkipped(doc, "far outside the 40x30 image");
}

TEST(CocoJsonTest, MaskOfTheWrongSizeSkipsTheAnnotation) {
  Json doc = smallCoco();
  doc["annotations"][1]["segmentation"]["size"] = {30, 20};
  expectSkipped(doc, "annotation 1 (id 101): mask is 20x30 (width x height), image is 20x20");
  doc = smallCoco();
  doc["annotations"][1]["segmentation"]["counts"] = {42, 2};
  expectSkipped(doc, "RLE runs add up to 44 pixels, expected 20x20 = 400");
}

TEST(CocoJsonTest, TypeMismatchesSkipRecordsInsteadOfThrowing) {
  Json doc = smallCoco();
  doc["annotations"][0]["category_id"] = "three";
  expectSkipped(doc, "'category_id' is a string, expected an integer");
  doc = smallCoco();
  doc["annotations"][0]["segmentation"] = Json::parse(R"([[1, "x", 5, 5, 3, 3]])");
  expectSkipped(doc, "polygon 0 coordinate' is a string, expected a number");
  doc = smallCoco();
  doc["annotations"][0] = "not an object";
  expectSkipped(doc, "annotation 0: is a string, expected an object");
  doc = smallCoco();
  doc["annotations"][0]["iscrowd"] = 2;
  expectSkipped(doc, "'iscrowd' is a number, expected 0, 1, true or false");
}

TEST(CocoJsonTest, UnsafeImagePathsSkipTheImageAndItsAnnotations) {
  for (const char* path : {"../outside.jpg", "/etc/passwd", "C:\\x.jpg", "a/../../b.jpg"}) {
    Json doc = smallCoco();
    doc["images"][0]["file_name"] = path;
    ConversionReport report;
    const auto d = readText(doc, &report);
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->images.size(), 1u) << path;
    ASSERT_EQ(report.skipped.size(), 2u) << report.summary();
    EXPECT_TRUE(test::contains(report.skipped[0], "image 0 (id 5): image path '"))
        << report.skipped[0];
    EXPECT_TRUE(test::contains(report.skipped[0], "absolute") ||
                test::contains(report.skipped[0], "escapes the image root"))
        << report.skipped[0];
    EXPECT_TRUE(test::contains(report.skipped[1], "annotation 0 (id 100): its image 5 was skipped"))
        << report.skipped[1];
  }
  Json doc = smallCoco();
  doc["images"][0]["file_name"] = "dir\\..\\a.jpg";  // stays inside: normalised
  const auto d = readText(doc, nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->images[0].file, "a.jpg");
}

TEST(CocoJsonTest, MissingImageFileIsSkippedWhenTheRootIsKnown) {
  const auto root = test::freshTempDir("coco_root");
  test::writeText(root / "a.jpg", "x");
  ConversionReport report;
  CocoReadOptions options;
  options.imageRoot = root;
  const auto d = readText(smallCoco(), &report, options);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->images.size(), 1u);
  ASSERT_EQ(report.skipped.size(), 2u) << report.summary();
  EXPECT_TRUE(test::contains(report.skipped[0], "image 1 (id 6): image file not found: "))
      << report.skipped[0];
  EXPECT_TRUE(test::contains(report.skipped[0], "b.jpg")) << report.skipped[0];
}

TEST(CocoJsonTest, DuplicateIdsAndBadSizesAreSkipped) {
  Json doc = smallCoco();
  doc["images"].push_back({{"id", 5}, {"file_name", "c.jpg"}, {"width", 1}, {"height", 1}});
  doc["images"].push_back({{"id", 9}, {"file_name", "d.jpg"}, {"width", 0}, {"height", 10}});
  doc["annotations"].push_back(doc["annotations"][0]);
  ConversionReport report;
  const auto d = readText(doc, &report);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->images.size(), 2u);
  EXPECT_EQ(d->instances.size(), 2u);
  ASSERT_EQ(report.skipped.size(), 3u) << report.summary();
  EXPECT_TRUE(test::contains(report.skipped[0], "duplicate image id 5"));
  EXPECT_TRUE(test::contains(report.skipped[1], "image size 0x10 is outside"));
  EXPECT_TRUE(test::contains(report.skipped[2], "duplicate annotation id 100"));
  EXPECT_EQ(d->image(5)->file, "a.jpg");  // the first record with an id wins
}

TEST(CocoJsonTest, WriterGivesPositiveUniqueIdsAndSkipsOrphans) {
  Dataset d = test::tinyDataset();
  d.instances[1].id = 0;
  d.instances[2].id = 1;
  Instance orphan = d.instances[0];
  orphan.imageId = 99;
  d.instances.push_back(orphan);
  ConversionReport report;
  const Json doc = cocoToJson(d, {}, &report, "out.json");
  ASSERT_EQ(doc["annotations"].size(), 3u);
  std::set<int64_t> ids;
  for (const Json& a : doc["annotations"]) ids.insert(a["id"].get<int64_t>());
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_GT(*ids.begin(), 0);
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_TRUE(test::contains(report.skipped[0], "out.json: instance 1: unknown image id 99"))
      << report.skipped[0];
  EXPECT_EQ(doc["annotations"][0]["bbox"], Json::parse("[4.0, 5.0, 12.0, 8.0]"));
  EXPECT_EQ(doc["annotations"][0]["area"], 96.0);
  EXPECT_EQ(doc["annotations"][1]["area"], 123.0);  // a stored area is kept
}

}  // namespace
}  // namespace distillery
