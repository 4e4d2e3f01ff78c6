// distillery-cli convert, run as a process on real and tiny inputs.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "engine/data/formats/coco_json.h"
#include "engine/data/formats/labelme_json.h"
#include "tests/engine/data/formats/format_test_util.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

std::string quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

TEST(ConvertCommandTest, BalloonViaToCocoReadsBackCompletely) {
  DST_REQUIRE_SHARED_DATA();
  const auto out = test::freshTempDir("convert_via") / "val.json";
  const auto r =
      test::runCommand(test::cliPath() + " convert --from via " +
                       quoted(test::sharedData() / "balloon" / "val" / "via_region_data.json") +
                       " --to coco " + quoted(out) + " --category balloon");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_TRUE(test::contains(r.output, "read:    13 images, 50 instances\n")) << r.output;
  EXPECT_TRUE(test::contains(r.output, "written: 13 images, 50 instances\n")) << r.output;
  EXPECT_TRUE(test::contains(r.output, "skipped: 0 records\n")) << r.output;
  const auto back = readCocoJson(out);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->images.size(), 13u);
  EXPECT_EQ(back->instances.size(), 50u);
  EXPECT_EQ(back->categories[0].name, "balloon");
}

TEST(ConvertCommandTest, CocoToLabelmeAndBack) {
  DST_REQUIRE_SHARED_DATA();
  const auto images = test::sharedData() / "coco128" / "images";
  const auto out = test::freshTempDir("convert_labelme");
  const auto r = test::runCommand(test::cliPath() + " convert --from coco " +
                                  quoted(test::sharedData() / "coco128" / "instances.json") +
                                  " --to labelme " + quoted(out) + " --images " + quoted(images));
  ASSERT_NE(r.exitCode, 2) << r.output;
  EXPECT_TRUE(test::contains(r.output, "read:    128 images, 939 instances\n")) << r.output;
  LabelmeReadOptions options;
  options.imageRoot = images;
  ConversionReport report;
  const auto back = readLabelme(out, options, &report);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->images.size(), 128u);
  EXPECT_TRUE(report.skipped.empty()) << report.summary();
  // Every instance not reported as skipped on export comes back.
  const size_t skippedOnExport =
      static_cast<size_t>(std::count(r.output.begin(), r.output.end(), '\n')) - 5;
  EXPECT_EQ(back->instances.size() + skippedOnExport, 939u) << r.output;
  EXPECT_EQ(r.exitCode, skippedOnExport == 0 ? 0 : 1);
}

TEST(ConvertCommandTest, SkippedRecordsAreListedAndExitOne) {
  const auto dir = test::freshTempDir("convert_skip");
  cv::imwrite((dir / "a.png").string(), cv::Mat(20, 20, CV_8UC3, cv::Scalar(1, 1, 1)));
  test::writeText(dir / "a.json", R"({"shapes": [
      {"label": "x", "points": [[1,1],[9,1],[9,9]], "shape_type": "polygon"},
      {"label": "x", "points": [[1,1],[9,1]], "shape_type": "polygon"}],
    "imagePath": "a.png", "imageWidth": 20, "imageHeight": 20})");
  const auto r = test::runCommand(test::cliPath() + " convert --from labelme " + quoted(dir) +
                                  " --to yolo " + quoted(dir / "yolo"));
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(test::contains(
      r.output,
      "skipped: 1 record\n  a.json: shape 1 ('x'): polygon has 2 points, expected at least 3\n"))
      << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "yolo" / "labels" / "a.txt"));
  EXPECT_EQ(test::readText(dir / "yolo" / "classes.txt"), "x\n");
}

TEST(ConvertCommandTest, UnusableInputExitsTwoWithTheReason) {
  const auto dir = test::freshTempDir("convert_bad");
  test::writeText(dir / "bad.json", "{\"images\": [");
  const auto r =
      test::runCommand(test::cliPath() + " convert --from coco " + quoted(dir / "bad.json") +
                       " --to coco " + quoted(dir / "out.json"));
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_TRUE(
      test::contains(r.output, "distillery-cli convert: bad.json: malformed JSON at byte 13"))
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "out.json"));

  const auto wrong =
      test::runCommand(test::cliPath() + " convert --from pascal " + quoted(dir / "bad.json") +
                       " --to coco " + quoted(dir / "out.json"));
  EXPECT_NE(wrong.exitCode, 0);
  EXPECT_TRUE(test::contains(wrong.output, "pascal")) << wrong.output;
}

}  // namespace
}  // namespace distillery
