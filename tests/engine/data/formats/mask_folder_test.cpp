#include "engine/data/formats/mask_folder.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/engine/data/formats/format_test_util.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

void write(const std::filesystem::path& file, const cv::Mat& m) {
  std::filesystem::create_directories(file.parent_path());
  ASSERT_TRUE(cv::imwrite(file.string(), m));
}

cv::Mat rectMask(int w, int h, cv::Rect r, int value = 255) {
  cv::Mat m(h, w, CV_8U, cv::Scalar(0));
  m(r).setTo(value);
  return m;
}

TEST(MaskFolderTest, InstanceIdPngsPennFudanStyle) {
  const auto dir = test::freshTempDir("masks_ids");
  write(dir / "PNGImages" / "p1.png", cv::Mat(10, 20, CV_8UC3, cv::Scalar(5, 5, 5)));
  cv::Mat ids(10, 20, CV_8U, cv::Scalar(0));
  ids(cv::Rect(1, 1, 4, 4)).setTo(1);
  ids(cv::Rect(10, 2, 5, 6)).setTo(2);
  write(dir / "PedMasks" / "p1_mask.png", ids);
  ConversionReport report;
  MaskFolderOptions options;
  options.categoryName = "pedestrian";
  const auto d = readMaskFolder(dir, options, &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_TRUE(report.skipped.empty()) << report.summary();
  ASSERT_EQ(d->images.size(), 1u);
  EXPECT_EQ(d->images[0].file, "PNGImages/p1.png");
  EXPECT_EQ(d->images[0].width, 20);
  ASSERT_EQ(d->instances.size(), 2u);
  EXPECT_EQ(d->instances[0].mask, rle::encode(ids == 1));
  EXPECT_EQ(d->instances[1].mask, rle::encode(ids == 2));
  EXPECT_EQ(d->categories[0].name, "pedestrian");
}

TEST(MaskFolderTest, ColourCodedAndPerInstanceFolders) {
  const auto dir = test::freshTempDir("masks_colour");
  write(dir / "images" / "a.jpg", cv::Mat(12, 16, CV_8UC3, cv::Scalar(5, 5, 5)));
  write(dir / "images" / "b.png", cv::Mat(12, 16, CV_8UC3, cv::Scalar(5, 5, 5)));
  write(dir / "images" / "c.png", cv::Mat(12, 16, CV_8UC3, cv::Scalar(5, 5, 5)));
  cv::Mat colour(12, 16, CV_8UC3, cv::Scalar(0, 0, 0));
  colour(cv::Rect(0, 0, 3, 3)).setTo(cv::Scalar(0, 0, 255));
  colour(cv::Rect(5, 5, 3, 3)).setTo(cv::Scalar(0, 255, 0));
  colour(cv::Rect(9, 1, 2, 2)).setTo(cv::Scalar(0, 0, 255));  // same colour: same instance
  write(dir / "masks" / "a.png", colour);
  write(dir / "masks" / "b" / "0.png", rectMask(16, 12, {1, 1, 5, 5}));
  write(dir / "masks" / "b" / "1.png", rectMask(16, 12, {8, 2, 3, 7}));
  write(dir / "masks" / "b" / "2.png", rectMask(8, 8, {1, 1, 2, 2}));  // wrong size
  write(dir / "masks" / "stray.png", rectMask(16, 12, {1, 1, 2, 2}));  // no image
  ConversionReport report;
  const auto d = readMaskFolder(dir, {}, &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->images.size(), 3u);
  ASSERT_EQ(d->instances.size(), 4u) << report.summary();
  // Instances in key order: green (0x00ff00) before red (0xff0000, two blobs).
  EXPECT_EQ(rle::area(d->instances[0].mask), 9u);
  EXPECT_EQ(rle::area(d->instances[1].mask), 13u);
  EXPECT_EQ(rle::area(d->instances[2].mask), 25u);
  EXPECT_EQ(d->instances[3].imageId, d->images[1].id);
  ASSERT_EQ(report.skipped.size(), 2u) << report.summary();
  EXPECT_EQ(report.skipped[0], "masks/b/2.png: mask: mask is 8x8, image is 16x12");
  EXPECT_EQ(report.skipped[1], "masks/stray.png: mask: no image named like it in images");
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_EQ(report.notes[0], "images/c.png: no mask file, kept with no instances");
}

TEST(MaskFolderTest, DataScienceBowlLayout) {
  const auto dir = test::freshTempDir("masks_dsb");
  for (const std::string id : {"x1", "x2"}) {
    write(dir / id / "images" / (id + ".png"), cv::Mat(8, 8, CV_8UC4, cv::Scalar(1, 2, 3, 255)));
    write(dir / id / "masks" / "m1.png", rectMask(8, 8, {0, 0, 2, 2}));
    write(dir / id / "masks" / "m2.png", rectMask(8, 8, {4, 4, 3, 3}));
  }
  write(dir / "x2" / "masks" / "empty.png", rectMask(8, 8, {0, 0, 1, 1}, 0));
  ConversionReport report;
  const auto d = readMaskFolder(dir, {}, &report);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->images.size(), 2u);
  EXPECT_EQ(d->images[1].file, "x2/images/x2.png");
  ASSERT_EQ(d->instances.size(), 4u);
  EXPECT_EQ(d->instances[3].mask, rle::encode(rectMask(8, 8, {4, 4, 3, 3}) != 0));
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0], "x2/masks/empty.png: mask: mask is empty");
}

TEST(MaskFolderTest, UnknownLayoutAndUndecodableMask) {
  const auto dir = test::freshTempDir("masks_none");
  test::writeText(dir / "readme.txt", "nothing here");
  const auto d = readMaskFolder(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(test::contains(d.status().message(), "no mask layout found")) << d.status().message();

  write(dir / "images" / "a.png", cv::Mat(4, 4, CV_8U, cv::Scalar(1)));
  test::writeText(dir / "masks" / "a.png", "not a png");
  ConversionReport report;
  const auto e = readMaskFolder(dir, {}, &report);
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0], "masks/a.png: mask: cannot decode mask PNG");
}

}  // namespace
}  // namespace distillery
