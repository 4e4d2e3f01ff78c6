#include "engine/evaluation/semantic_evaluator.h"

#include <gtest/gtest.h>

namespace distillery {
namespace {

TEST(SemanticEvaluatorTest, IouPerClassFromTheConfusionMatrix) {
  SemanticEvaluator ev({"background", "balloon", "sky"});
  // gt:   0 0 1 1        pred: 0 1 1 1
  //       0 0 1 255            0 0 0 2
  const cv::Mat gt = (cv::Mat_<uint8_t>(2, 4) << 0, 0, 1, 1, 0, 0, 1, 255);
  const cv::Mat pred = (cv::Mat_<uint8_t>(2, 4) << 0, 1, 1, 1, 0, 0, 0, 2);
  ImageRecord im{5, "5.png", 4, 2};
  ev.process({&im, {}, {}, gt, pred});
  const SemanticResult r = ev.result();
  // Counted pixels: 7 (one ignored). background: tp 3, gt 4, pred 4 -> 3/5.
  // balloon: tp 2, gt 3, pred 3 -> 2/4. sky: absent from the counted ground truth and
  // never predicted there (its only prediction sits on the ignored pixel): left out.
  EXPECT_EQ(r.countedPixels, 7u);
  EXPECT_DOUBLE_EQ(r.iou[0], 3.0 / 5);
  EXPECT_DOUBLE_EQ(r.iou[1], 0.5);
  EXPECT_EQ(r.iou[2], -1);
  EXPECT_DOUBLE_EQ(r.meanIou, (0.6 + 0.5) / 2);
  EXPECT_DOUBLE_EQ(r.pixelAccuracy, 5.0 / 7);
  const EvaluationResults res = ev.evaluate();
  EXPECT_DOUBLE_EQ(res.at("sem_seg/mIoU"), 0.55);
  EXPECT_EQ(res.at("sem_seg/IoU-sky"), -1);
}

TEST(SemanticEvaluatorTest, PredictedButAbsentClassCountsAsZero) {
  SemanticEvaluator ev({"a", "b"});
  const cv::Mat gt = (cv::Mat_<int32_t>(1, 2) << 0, 0);
  const cv::Mat pred = (cv::Mat_<int32_t>(1, 2) << 0, 1);
  ev.add(gt, pred, "x");
  const SemanticResult r = ev.result();
  EXPECT_DOUBLE_EQ(r.iou[0], 0.5);
  EXPECT_EQ(r.iou[1], 0.0);
  EXPECT_DOUBLE_EQ(r.meanIou, 0.25);
}

TEST(SemanticEvaluatorTest, PredictionOutsideTheClassesIsAMissOnly) {
  SemanticEvaluator ev({"a", "b"});
  ev.add((cv::Mat_<uint8_t>(1, 2) << 0, 1), (cv::Mat_<uint8_t>(1, 2) << 255, 1), "x");
  const SemanticResult r = ev.result();
  EXPECT_EQ(r.iou[0], 0.0);  // missed, and no class takes the blame as a false positive
  EXPECT_EQ(r.iou[1], 1.0);
}

TEST(SemanticEvaluatorTest, AccumulatesOverImagesAndResets) {
  SemanticEvaluator ev({"a", "b"});
  ev.add((cv::Mat_<uint8_t>(1, 2) << 0, 1), (cv::Mat_<uint8_t>(1, 2) << 0, 1), "1");
  ev.add((cv::Mat_<uint8_t>(1, 2) << 0, 1), (cv::Mat_<uint8_t>(1, 2) << 1, 1), "2");
  // a: tp 1, gt 2, pred 1 -> 1/2. b: tp 2, gt 2, pred 3 -> 2/3.
  EXPECT_DOUBLE_EQ(ev.result().meanIou, (0.5 + 2.0 / 3) / 2);
  ev.reset();
  EXPECT_EQ(ev.result().meanIou, -1);
  EXPECT_EQ(ev.result().countedPixels, 0u);
}

TEST(SemanticEvaluatorTest, BadLabelMapsAreUserErrors) {
  SemanticEvaluator ev({"a", "b"});
  try {
    ev.add((cv::Mat_<uint8_t>(1, 2) << 0, 7), (cv::Mat_<uint8_t>(1, 2) << 0, 1), "image 3");
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("image 3: ground truth pixel (1, 0) has class 7"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ev.add(cv::Mat(2, 2, CV_8U, cv::Scalar(0)), cv::Mat(2, 3, CV_8U, cv::Scalar(0)), "y"),
               UserError);
}

}  // namespace
}  // namespace distillery
