#include "engine/data/training_set.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/support/test_paths.h"

namespace distillery {
namespace {

// Two 200x100 images on disk, each with a class-7 rectangle and a class-9 disc.
struct TinyDataset {
  std::filesystem::path root = test::freshTempDir("training-set");
  Dataset d;
  TinyDataset() {
    d.categories = {{7, "box", ""}, {9, "disc", ""}, {11, "unused", ""}};
    for (int i = 0; i < 2; ++i) {
      cv::Mat img(100, 200, CV_8UC3, cv::Scalar(10, 10, 10));
      cv::Mat box(100, 200, CV_8U, cv::Scalar(0)), disc(100, 200, CV_8U, cv::Scalar(0));
      cv::rectangle(box, cv::Rect(20 + 10 * i, 20, 40, 30), cv::Scalar(1), cv::FILLED);
      cv::circle(disc, {140, 50}, 25, cv::Scalar(1), cv::FILLED);
      img.setTo(cv::Scalar(0, 0, 255), box);
      img.setTo(cv::Scalar(255, 0, 0), disc);
      const std::string file = "img" + std::to_string(i) + ".png";
      cv::imwrite((root / file).string(), img);
      d.images.push_back({i + 1, file, 200, 100});
      d.instances.push_back({10 * i + 1, i + 1, 7, rle::encode(box)});
      d.instances.push_back({10 * i + 2, i + 1, 9, rle::encode(disc)});
      Instance crowd{10 * i + 3, i + 1, 9, rle::encode(box)};
      crowd.iscrowd = true;
      d.instances.push_back(crowd);
    }
  }
};

TEST(TrainingSetTest, LoadsResizedImagesAndClassIndices) {
  TinyDataset t;
  auto set = TrainingSet::load(t.d, t.root, {9, 7}, 100);
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->size(), 2u);
  EXPECT_EQ(set->instanceCount(), 4u);  // crowd regions are left out
  EXPECT_EQ(set->image(0).size(), cv::Size(100, 50));
  EXPECT_EQ(set->sourceSize(0), cv::Size(200, 100));
  const TrainingSample s = set->evalSample(0, 64);
  ASSERT_EQ(s.labels.size(), 2u);
  EXPECT_EQ(s.labels[0], 1);  // category 7 is class index 1
  EXPECT_EQ(s.labels[1], 0);
  EXPECT_DOUBLE_EQ(s.views.geometry.scale, 64.0 / 200.0);
}

TEST(TrainingSetTest, ViewToSourceInvertsTheEvalView) {
  TinyDataset t;
  auto set = TrainingSet::load(t.d, t.root, {7, 9}, 200);
  ASSERT_TRUE(set.ok());
  const TrainingSample s = set->evalSample(1, 128);
  cv::Mat prob;
  s.views.masks[0].convertTo(prob, CV_32F);
  const cv::Mat back = viewToSource(prob, s.views.geometry, set->sourceSize(1)) > 0.5;
  const cv::Mat truth = rle::decode(t.d.instances[3].mask);
  const double inter = cv::countNonZero(back & (truth > 0)), uni = cv::countNonZero(back | (truth > 0));
  EXPECT_GT(inter / uni, 0.9);
}

TEST(TrainingSetTest, RandomViewsKeepLabelsAlignedWithMasks) {
  TinyDataset t;
  auto set = TrainingSet::load(t.d, t.root, {7, 9}, 200);
  ASSERT_TRUE(set.ok());
  ViewConfig c;
  c.size = 64;
  c.strongView = false;
  for (uint64_t seed = 0; seed < 30; ++seed) {
    const TrainingSample s = set->sample(0, c, seed);
    ASSERT_EQ(s.labels.size(), s.views.masks.size());
    for (size_t k = 0; k < s.labels.size(); ++k) {
      // Red pixels are boxes (class 0), blue ones discs (class 1).
      const cv::Scalar mean = cv::mean(s.views.weak, s.views.masks[k]);
      if (s.labels[k] == 0) EXPECT_GT(mean[2], mean[0]) << seed;
      else EXPECT_GT(mean[0], mean[2]) << seed;
    }
  }
}

TEST(TrainingSetTest, MissingImageNamesTheFile) {
  TinyDataset t;
  t.d.images[1].file = "nope.png";
  auto set = TrainingSet::load(t.d, t.root, {7, 9}, 100);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("nope.png"), std::string::npos);
  EXPECT_NE(set.status().message().find("image 2"), std::string::npos);
}

TEST(TrainingSetTest, WrongMaskSizeIsAnError) {
  TinyDataset t;
  t.d.instances[0].mask = rle::encode(cv::Mat(50, 50, CV_8U, cv::Scalar(1)));
  auto set = TrainingSet::load(t.d, t.root, {7, 9}, 100);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("annotation 1"), std::string::npos) << set.status().message();
}

}  // namespace
}  // namespace distillery
