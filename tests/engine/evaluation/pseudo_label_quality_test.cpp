#include "engine/evaluation/pseudo_label_quality.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "engine/data/rle.h"

namespace distillery {
namespace {

Rle square(int x, int y, int side, int size = 32) {
  cv::Mat m(size, size, CV_8U, cv::Scalar(0));
  cv::rectangle(m, cv::Rect(x, y, side, side), cv::Scalar(1), cv::FILLED);
  return rle::encode(m);
}

Instance inst(int64_t image, int64_t category, Rle mask, double score = 1, bool crowd = false) {
  Instance i;
  i.imageId = image;
  i.categoryId = category;
  i.mask = std::move(mask);
  i.score = score;
  i.iscrowd = crowd;
  return i;
}

TEST(PseudoLabelQualityTest, MatchesOneToOneByClassAndIou) {
  Dataset truth, pseudo;
  for (int64_t id : {1, 2, 3}) truth.images.push_back({id, "", 32, 32});
  truth.instances = {inst(1, 1, square(0, 0, 10)), inst(1, 2, square(20, 20, 10)),
                     inst(1, 1, square(0, 20, 10), 1, true),  // crowd: never counted
                     inst(2, 1, square(5, 5, 10)), inst(3, 1, square(5, 5, 10))};
  pseudo.images = {truth.images[0], truth.images[1]};  // image 3 was not pseudo-labelled
  pseudo.instances = {inst(1, 1, square(0, 0, 10), 0.8),     // exact: matched
                      inst(1, 1, square(0, 0, 10), 0.9),     // duplicate, higher score: takes the match
                      inst(1, 1, square(20, 20, 10), 0.7),   // right place, wrong class
                      inst(1, 2, square(16, 20, 10), 0.6)};  // IoU 0.43 with its truth: too loose
  const auto q = measurePseudoLabels(pseudo, truth);
  EXPECT_EQ(q.pseudoLabels, 4);
  EXPECT_EQ(q.truth, 3);  // two on image 1 (not the crowd), one on image 2
  EXPECT_EQ(q.matched, 1);
  EXPECT_DOUBLE_EQ(q.precision(), 0.25);
  EXPECT_DOUBLE_EQ(q.recall(), 1.0 / 3);
  EXPECT_EQ(measurePseudoLabels(pseudo, truth, 0.4).matched, 2);  // the loose one passes at 0.4
}

TEST(PseudoLabelQualityTest, DifferentSizesNeverMatchAndEmptyIsZero) {
  Dataset truth, pseudo;
  truth.images.push_back({1, "", 32, 32});
  pseudo.images = truth.images;
  truth.instances = {inst(1, 1, square(0, 0, 10))};
  pseudo.instances = {inst(1, 1, square(0, 0, 10, 64))};
  EXPECT_EQ(measurePseudoLabels(pseudo, truth).matched, 0);
  const auto none = measurePseudoLabels(Dataset{}, truth);
  EXPECT_EQ(none.truth, 0);
  EXPECT_EQ(none.precision(), 0);
  EXPECT_EQ(none.recall(), 0);
}

}  // namespace
}  // namespace distillery
