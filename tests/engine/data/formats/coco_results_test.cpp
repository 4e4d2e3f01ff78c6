#include "engine/data/formats/coco_results.h"

#include <gtest/gtest.h>

#include "tests/engine/data/formats/format_test_util.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

using Json = nlohmann::json;

std::vector<Instance> detections(const Dataset& gt) {
  std::vector<Instance> dets;
  for (const Instance& g : gt.instances) {
    Instance d = g;
    d.iscrowd = false;
    d.score = 0.25 + 0.1 * static_cast<double>(g.id);
    dets.push_back(d);
  }
  return dets;
}

TEST(CocoResultsTest, WriteReadRoundTrip) {
  const Dataset gt = test::tinyDataset();
  const auto file = test::freshTempDir("results") / "results.json";
  const auto dets = detections(gt);
  ASSERT_TRUE(writeCocoResults(dets, file).ok());
  // Exactly the standard keys, compressed RLE.
  const Json doc = Json::parse(test::readText(file));
  ASSERT_EQ(doc.size(), 3u);
  EXPECT_EQ(doc[0].size(), 4u);
  EXPECT_EQ(doc[0]["segmentation"]["size"], Json::parse("[30, 40]"));
  EXPECT_TRUE(doc[0]["segmentation"]["counts"].is_string());
  ConversionReport report;
  const auto back = readCocoResults(file, gt, &report);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 3u);
  for (size_t i = 0; i < dets.size(); ++i) {
    EXPECT_EQ((*back)[i].id, static_cast<int64_t>(i) + 1);  // as loadRes
    EXPECT_EQ((*back)[i].imageId, dets[i].imageId);
    EXPECT_EQ((*back)[i].categoryId, dets[i].categoryId);
    EXPECT_EQ((*back)[i].mask, dets[i].mask);
    EXPECT_DOUBLE_EQ((*back)[i].score, dets[i].score);
    EXPECT_EQ((*back)[i].source, Source::Student);
    EXPECT_FALSE((*back)[i].iscrowd);
  }
  EXPECT_EQ(report.instancesRead, 3);
  EXPECT_TRUE(report.skipped.empty());
}

TEST(CocoResultsTest, BadRecordsAreSkippedWithReasons) {
  const Dataset gt = test::tinyDataset();
  Json doc = Json::parse(test::readText([&] {
    const auto f = test::freshTempDir("results_bad") / "r.json";
    EXPECT_TRUE(writeCocoResults(detections(gt), f).ok());
    return f;
  }()));
  Json unknownImage = doc[0], unknownCategory = doc[0], wrongSize = doc[0], noScore = doc[0],
       badType = doc[0];
  unknownImage["image_id"] = 404;
  unknownCategory["category_id"] = 2;
  wrongSize["segmentation"]["size"] = {20, 20};
  noScore.erase("score");
  badType["score"] = "high";
  for (const Json& r : {unknownImage, unknownCategory, wrongSize, noScore, badType})
    doc.push_back(r);
  doc.push_back(
      Json::parse(R"({"image_id": 10, "category_id": 1, "score": 0.5, "bbox": [1, 2, 3, 4]})"));
  const auto file = test::writeText(test::freshTempDir("results_bad2") / "dets.json", doc.dump());
  ConversionReport report;
  const auto back = readCocoResults(file, gt, &report);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->size(), 3u);
  ASSERT_EQ(report.skipped.size(), 6u) << report.summary();
  EXPECT_EQ(report.skipped[0], "dets.json: result 3: unknown image id 404");
  EXPECT_EQ(report.skipped[1], "dets.json: result 4: unknown category id 2");
  EXPECT_EQ(report.skipped[2],
            "dets.json: result 5: mask is 20x20 (width x height), image is 40x30");
  EXPECT_EQ(report.skipped[3], "dets.json: result 6: 'score' is missing");
  EXPECT_EQ(report.skipped[4], "dets.json: result 7: 'score' is a string, expected a number");
  EXPECT_TRUE(test::contains(report.skipped[5], "result 8: 'segmentation' is missing"))
      << report.skipped[5];
}

TEST(CocoResultsTest, NonListAndMalformedFilesFail) {
  const Dataset gt = test::tinyDataset();
  const auto dir = test::freshTempDir("results_fatal");
  const auto obj = readCocoResults(test::writeText(dir / "obj.json", R"({"annotations": []})"), gt);
  ASSERT_FALSE(obj.ok());
  EXPECT_EQ(obj.status().message(),
            "obj.json: top level is an object, expected a list of COCO results");
  const auto cut = readCocoResults(test::writeText(dir / "cut.json", R"([{"image_id": 10, )"), gt);
  ASSERT_FALSE(cut.ok());
  EXPECT_TRUE(test::contains(cut.status().message(), "cut.json: malformed JSON at byte 19"))
      << cut.status().message();
}

TEST(CocoResultsTest, PolygonResultsAreRasterisedAtTheImageSize) {
  const Dataset gt = test::tinyDataset();
  const auto file = test::writeText(test::freshTempDir("results_poly") / "p.json",
                                    R"([{"image_id": 11, "category_id": 7, "score": 0.9,
                                         "segmentation": [[1, 1, 9, 1, 9, 9, 1, 9]]}])");
  const auto back = readCocoResults(file, gt);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].mask, rle::fromPolygons({{1, 1, 9, 1, 9, 9, 1, 9}}, 20, 20));
}

}  // namespace
}  // namespace distillery
