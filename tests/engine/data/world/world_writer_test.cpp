#include "engine/data/world/world_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "engine/data/formats/coco_json.h"
#include "engine/data/world/world_generator.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

TEST(WorldWriterTest, WritesPngsAndCocoThatReadsBack) {
  const fs::path dir = test::freshTempDir("world-writer");
  const DomainSpec spec = *findDomain("clutter");
  const auto written = generateWorld(spec, 6, 99, 64, dir / "out");
  ASSERT_TRUE(written.ok()) << written.status().message();
  ASSERT_EQ(written->images.size(), 6u);

  CocoReadOptions options;
  options.imageRoot = dir / "out" / "images";
  const auto read = readCocoJson(dir / "out" / "instances.json", options);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->images.size(), 6u);
  EXPECT_EQ(read->categories.size(), 8u);
  ASSERT_EQ(read->instances.size(), written->instances.size());

  const WorldGenerator gen(spec, 64, 99);
  size_t k = 0;
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(read->images[static_cast<size_t>(i)].file, worldImageName(i));
    EXPECT_EQ(read->images[static_cast<size_t>(i)].id, i + 1);
    const WorldSample s = gen.sample(i);
    // PNG is lossless: the file holds the generated image exactly.
    const cv::Mat png = cv::imread((options.imageRoot / worldImageName(i)).string(), cv::IMREAD_COLOR);
    ASSERT_FALSE(png.empty());
    EXPECT_EQ(cv::norm(png, s.image, cv::NORM_INF), 0);
    for (const Instance& inst : s.instances) {
      ASSERT_LT(k, read->instances.size());
      const Instance& r = read->instances[k++];
      EXPECT_EQ(r.imageId, i + 1);
      EXPECT_EQ(r.categoryId, inst.categoryId);
      EXPECT_TRUE(r.mask == inst.mask);
      EXPECT_EQ(r.area, static_cast<double>(rle::area(inst.mask)));
      EXPECT_FALSE(r.iscrowd);
      EXPECT_EQ(r.id, static_cast<int64_t>(k));
    }
  }
  EXPECT_EQ(k, read->instances.size());
}

TEST(WorldWriterTest, BboxInTheFileComesFromTheMask) {
  const fs::path dir = test::freshTempDir("world-bbox");
  ASSERT_TRUE(generateWorld(*findDomain("studio"), 2, 1, 48, dir).ok());
  std::ifstream in(dir / "instances.json");
  const auto doc = nlohmann::json::parse(in);
  const auto read = readCocoJson(dir / "instances.json");
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(doc["annotations"].size(), read->instances.size());
  for (size_t i = 0; i < read->instances.size(); ++i) {
    const BoxXywh b = rle::bbox(read->instances[i].mask);
    const auto& box = doc["annotations"][i]["bbox"];
    EXPECT_EQ(box[0].get<double>(), b.x);
    EXPECT_EQ(box[3].get<double>(), b.h);
    EXPECT_EQ(doc["annotations"][i]["iscrowd"].get<int>(), 0);
  }
}

TEST(WorldWriterTest, UnwritableFolderIsAClearError) {
  const fs::path dir = test::freshTempDir("world-readonly");
  // A file where the output folder should be: creating it must fail (even as root).
  std::ofstream(dir / "taken") << "x";
  const auto r = generateWorld(*findDomain("studio"), 2, 1, 32, dir / "taken");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("taken"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("cannot create"), std::string::npos) << r.status().message();
}

TEST(WorldWriterTest, BadCountOrSizeIsRefused) {
  const fs::path dir = test::freshTempDir("world-bad");
  EXPECT_FALSE(generateWorld(*findDomain("studio"), -1, 1, 32, dir).ok());
  const auto r = generateWorld(*findDomain("studio"), 1, 1, 4, dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("size 4"), std::string::npos) << r.status().message();
}

TEST(WorldWriterTest, ImageNamesAreZeroPadded) {
  EXPECT_EQ(worldImageName(0), "000000.png");
  EXPECT_EQ(worldImageName(123456), "123456.png");
  EXPECT_EQ(worldImageName(1234567), "1234567.png");
}

}  // namespace
}  // namespace distillery
