#include "engine/data/formats/yolo_seg.h"

#include <gtest/gtest.h>

#include "tests/engine/data/formats/format_test_util.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

std::vector<std::string> lines(const std::filesystem::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(YoloSegTest, TinyDatasetLineByLine) {
  const auto out = test::freshTempDir("yolo");
  ConversionReport report;
  ASSERT_TRUE(writeYoloSeg(test::tinyDataset(), out, &report).ok());
  EXPECT_EQ(lines(out / "classes.txt"), (std::vector<std::string>{"cat", "dog"}));
  // Box x 4..16, y 5..13 in a 40x30 image, on pixel edges; class 0. The crowd region is skipped.
  EXPECT_EQ(lines(out / "labels" / "a.txt"),
            (std::vector<std::string>{
                "0 0.100000 0.166667 0.100000 0.433333 0.400000 0.433333 0.400000 0.166667"}));
  // Box x 2..12, y 2..17 in a 20x20 image, class 1 (dog), under its subfolder.
  EXPECT_EQ(lines(out / "labels" / "sub" / "b.txt"),
            (std::vector<std::string>{
                "1 0.100000 0.100000 0.100000 0.850000 0.600000 0.850000 0.600000 0.100000"}));
  EXPECT_EQ(report.imagesWritten, 2);
  EXPECT_EQ(report.instancesWritten, 2);
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0],
            "labels/a.txt: instance 2: crowd region (YOLO-seg has no crowd regions)");
}

TEST(YoloSegTest, LabelPathsDropTheImagesFolder) {
  EXPECT_EQ(yoloLabelPath("images/train/x.jpg"), "labels/train/x.txt");
  EXPECT_EQ(yoloLabelPath("a.b.png"), "labels/a.b.txt");
  EXPECT_THROW(yoloLabelPath("../x.jpg"), UserError);
}

TEST(YoloSegTest, PartsJoinedByBridgesRasteriseToTheSameMask) {
  const std::vector<std::vector<double>> parts = {
      {1, 1, 6, 1, 6, 6, 1, 6}, {10, 10, 15, 10, 15, 18, 10, 18}, {20, 2, 28, 2, 24, 9}};
  EXPECT_EQ(rle::fromPolygon(joinParts(parts), 30, 40), rle::fromPolygons(parts, 30, 40));
  Dataset d = test::tinyDataset();
  d.instances[1].iscrowd = false;  // two separate blobs
  const auto out = test::freshTempDir("yolo_parts");
  ASSERT_TRUE(writeYoloSeg(d, out).ok());
  const auto a = lines(out / "labels" / "a.txt");
  ASSERT_EQ(a.size(), 2u);
  std::istringstream in(a[1]);
  int cls = -1;
  in >> cls;
  EXPECT_EQ(cls, 1);
  std::vector<double> xy;
  for (double v; in >> v;) xy.push_back(v * (xy.size() % 2 == 0 ? 40 : 30));
  EXPECT_EQ(rle::fromPolygon(xy, 30, 40), d.instances[1].mask);
}

}  // namespace
}  // namespace distillery
