// COCO mask AP on hand-made cases whose precision/recall staircases are worked out in
// the comments. Recall thresholds are r = 0, .01, ..., 1 (101 points); AP at one IoU
// threshold is the mean over them of the precision envelope at the first detection
// whose recall reaches r (0 when none does).
#include "engine/evaluation/coco_mask_evaluator.h"

#include <gtest/gtest.h>

#include "tests/engine/evaluation/eval_fixtures.h"

namespace distillery {
namespace {

using test::EvalCase;
constexpr double kTol = 1e-12;

TEST(CocoMaskEvaluatorTest, PerfectDetectionsScoreOneEverywhere) {
  EvalCase c;
  c.image(1, 200, 200);
  c.image(2, 200, 200);
  // One instance per image and category, one per area range.
  c.truth(1, 0, 0, 10, 10);           // small (100)
  c.truth(1, 50, 50, 40, 40, 2);      // medium (1600)
  c.truth(2, 0, 0, 100, 100);         // large (10000)
  for (const Instance& g : c.gt.instances) {
    Instance d = g;
    d.score = 0.9;
    d.area = -1;
    c.dt.instances.push_back(d);
  }
  const CocoEvalResult r = c.evaluate();
  for (size_t i = 0; i < kNumCocoStats; ++i)
    EXPECT_NEAR(r.stats[i], 1.0, kTol) << cocoStatNames()[i];
  ASSERT_EQ(r.perCategory.size(), 2u);
  EXPECT_NEAR(r.perCategory[0].ap, 1.0, kTol);
  EXPECT_NEAR(r.perCategory[1].ap50, 1.0, kTol);
  EXPECT_EQ(r.numImages, 2u);
  EXPECT_EQ(r.numDetections, 3u);
}

TEST(CocoMaskEvaluatorTest, StaircaseOfHitsAndMisses) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10);
  c.truth(1, 20, 0, 10, 10);
  c.truth(1, 40, 0, 10, 10);
  // By score: hit, miss, hit, miss (the misses overlap nothing), at every IoU threshold.
  c.detection(1, 0, 0, 10, 10, 0.9);
  c.detection(1, 0, 60, 10, 10, 0.8);
  c.detection(1, 20, 0, 10, 10, 0.7);
  c.detection(1, 0, 80, 10, 10, 0.6);
  const CocoEvalResult r = c.evaluate();
  // tp 1 1 2 2, fp 0 1 1 2 -> recall 1/3 1/3 2/3 2/3, precision 1 .5 2/3 .5;
  // envelope 1 2/3 2/3 .5. r = 0..0.33 (34 points) -> 1, r = .34...66 (33) -> 2/3,
  // r >= .67 (34) -> 0.  AP = (34 + 33 * 2/3) / 101 = 56/101.
  EXPECT_NEAR(r.stats[kStatAp], 56.0 / 101, kTol);
  EXPECT_NEAR(r.stats[kStatAp50], 56.0 / 101, kTol);
  EXPECT_NEAR(r.stats[kStatAp75], 56.0 / 101, kTol);
  EXPECT_NEAR(r.stats[kStatApSmall], 56.0 / 101, kTol);  // every box is small
  EXPECT_EQ(r.stats[kStatApMedium], -1);                 // no medium ground truth
  EXPECT_EQ(r.stats[kStatApLarge], -1);
  EXPECT_NEAR(r.stats[kStatAr1], 1.0 / 3, kTol);  // only the top detection: one hit
  EXPECT_NEAR(r.stats[kStatAr10], 2.0 / 3, kTol);
  EXPECT_NEAR(r.stats[kStatAr100], 2.0 / 3, kTol);
  EXPECT_NEAR(r.stats[kStatArSmall], 2.0 / 3, kTol);
  EXPECT_EQ(r.stats[kStatArMedium], -1);
  // The sampled curve itself (t = .5, k = cat, a = all, m = 100).
  EXPECT_NEAR(r.precisionAt(0, 33, 0, 0, 2), 1.0, kTol);
  EXPECT_NEAR(r.precisionAt(0, 34, 0, 0, 2), 2.0 / 3, kTol);
  EXPECT_NEAR(r.precisionAt(0, 66, 0, 0, 2), 2.0 / 3, kTol);
  EXPECT_EQ(r.precisionAt(0, 67, 0, 0, 2), 0.0);
  // The dog category has no ground truth: -1 throughout, left out of every mean.
  EXPECT_EQ(r.perCategory[1].ap, -1);
  EXPECT_EQ(r.precisionAt(0, 0, 1, 0, 2), -1);
}

TEST(CocoMaskEvaluatorTest, PartialOverlapCountsUpToItsIou) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10);
  c.detection(1, 2, 0, 10, 10, 0.5);  // 80 shared of 120: IoU 2/3
  const CocoEvalResult r = c.evaluate();
  // A hit at .50 .55 .60 .65 (AP 1 each), a miss at .70 ... .95 (AP 0): AP = 4/10.
  EXPECT_NEAR(r.stats[kStatAp], 0.4, kTol);
  EXPECT_NEAR(r.stats[kStatAp50], 1.0, kTol);
  EXPECT_NEAR(r.stats[kStatAp75], 0.0, kTol);
  EXPECT_NEAR(r.stats[kStatAr100], 0.4, kTol);
}

TEST(CocoMaskEvaluatorTest, ThresholdIsInclusive) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10);
  c.detection(1, 0, 0, 10, 5, 0.5);  // 50 of 100: IoU exactly 0.5
  const CocoEvalResult r = c.evaluate();
  EXPECT_NEAR(r.stats[kStatAp50], 1.0, kTol);  // iou >= .5 matches
  EXPECT_NEAR(r.stats[kStatAp], 0.1, kTol);
}

TEST(CocoMaskEvaluatorTest, MatchedGroundTruthIsNotMatchedAgain) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10);
  c.truth(1, 20, 0, 10, 10);
  c.detection(1, 0, 0, 10, 10, 0.9);
  c.detection(1, 0, 0, 10, 10, 0.8);  // duplicate: a false positive
  c.detection(1, 20, 0, 10, 10, 0.7);
  const CocoEvalResult r = c.evaluate();
  // hit, miss, hit: recall .5 .5 1, precision 1 .5 2/3, envelope 1 2/3 2/3.
  // r <= .5 (51 points) -> 1, r > .5 (50) -> 2/3: AP = (51 + 100/3) / 101.
  EXPECT_NEAR(r.stats[kStatAp], (51 + 100.0 / 3) / 101, kTol);
}

TEST(CocoMaskEvaluatorTest, DetectionsOnCrowdsAreIgnoredNotFalsePositives) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10);
  c.truth(1, 50, 50, 40, 40, 1, /*crowd=*/true);
  // Two detections inside the crowd, ranked above the hit: a crowd matches any number
  // of detections (IoU over the detection's own area, here 1) and makes them ignored.
  c.detection(1, 55, 55, 10, 10, 0.95);
  c.detection(1, 70, 70, 10, 10, 0.9);
  c.detection(1, 0, 0, 10, 10, 0.8);
  EvalCase background = c;
  CocoEvalResult r = c.evaluate();
  EXPECT_NEAR(r.stats[kStatAp], 1.0, kTol);
  EXPECT_NEAR(r.stats[kStatAr100], 1.0, kTol);
  // The crowd is no ground truth to find: the medium range (crowd area 1600) has none.
  EXPECT_EQ(r.stats[kStatApMedium], -1);

  // The same two detections on empty background are false positives ranked first:
  // miss miss hit -> recall 0 0 1, precision 0 0 1/3, envelope 1/3 everywhere.
  background.dt.instances[0].mask = test::boxMask(100, 100, 20, 80, 10, 10);
  background.dt.instances[1].mask = test::boxMask(100, 100, 35, 80, 10, 10);
  r = background.evaluate();
  EXPECT_NEAR(r.stats[kStatAp], 1.0 / 3, kTol);
}

TEST(CocoMaskEvaluatorTest, CrowdIouIsOverTheDetectionArea) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10);
  c.truth(1, 50, 0, 40, 40, 1, true);
  // Half inside the crowd: 50 of its 100 pixels, so IoU .5 with the crowd. At .50 it
  // is ignored; above, a false positive ranked first.
  c.detection(1, 45, 0, 10, 10, 0.9);
  c.detection(1, 0, 0, 10, 10, 0.8);
  const CocoEvalResult r = c.evaluate();
  // t = .50: ignored, hit -> AP 1. t > .50: miss, hit -> precision 0 .5, envelope .5,
  // AP .5. Mean over 10 thresholds: (1 + 9 * .5) / 10.
  EXPECT_NEAR(r.stats[kStatAp], 0.55, kTol);
  EXPECT_NEAR(r.stats[kStatAp50], 1.0, kTol);
}

TEST(CocoMaskEvaluatorTest, AMatchToARegularGroundTruthStopsAtTheIgnoredOnes) {
  EvalCase c;
  c.image(1, 20, 40);
  c.truth(1, 0, 0, 10, 10);
  c.truth(1, 3, 0, 27, 10, 1, true);
  // The detection overlaps the regular box with IoU 80/120 = 2/3 and the crowd with
  // 90 of its 100 pixels (.9). Regular ground truth is tried first; once matched, the
  // crowd behind it is not looked at, though its IoU is higher.
  c.detection(1, 2, 0, 10, 10, 0.5);
  const CocoEvalResult r = c.evaluate();
  // t = .50 .55 .60 .65: hit (AP 1). t = .70 ... .90: the regular box is out of reach,
  // the crowd matches: ignored, nothing found (AP 0). t = .95: a miss (AP 0).
  EXPECT_NEAR(r.stats[kStatAp], 0.4, kTol);
}

TEST(CocoMaskEvaluatorTest, MaxDetsCutsRecallPerImage) {
  EvalCase c;
  c.image(1);
  for (int i = 0; i < 10; ++i) {
    c.truth(1, i * 10, 0, 5, 5);
    c.detection(1, i * 10, 0, 5, 5, 1.0 - 0.05 * i);
  }
  const CocoEvalResult r = c.evaluate();
  EXPECT_NEAR(r.stats[kStatAr1], 0.1, kTol);
  EXPECT_NEAR(r.stats[kStatAr10], 1.0, kTol);
  EXPECT_NEAR(r.stats[kStatAr100], 1.0, kTol);
  EXPECT_NEAR(r.stats[kStatAp], 1.0, kTol);
  // With maxDets 1 the curve stops at recall .1: r <= .1 (11 points) -> 1.
  EXPECT_NEAR(summarizeCoco(r, true, std::nullopt, "all", 1), 11.0 / 101, kTol);
}

TEST(CocoMaskEvaluatorTest, OnlyTheTopHundredDetectionsOfAnImageCount) {
  EvalCase c;
  c.image(1, 200, 200);
  c.truth(1, 0, 0, 10, 10);
  // 100 misses outscore the hit, which is the 101st detection and is cut.
  for (int i = 0; i < 100; ++i) c.detection(1, 20 + (i % 10) * 15, 20 + (i / 10) * 15, 5, 5, 0.9);
  c.detection(1, 0, 0, 10, 10, 0.1);
  const CocoEvalResult r = c.evaluate();
  EXPECT_NEAR(r.stats[kStatAp], 0.0, kTol);
  EXPECT_NEAR(r.stats[kStatAr100], 0.0, kTol);
  EXPECT_EQ(r.numDetections, 100u);
}

TEST(CocoMaskEvaluatorTest, AreaRangesUseGroundTruthAreaAndIgnoreOutsideMisses) {
  EvalCase c;
  c.image(1, 200, 200);
  c.truth(1, 0, 0, 10, 10);      // small, found
  c.truth(1, 50, 0, 40, 40);     // medium, missed
  c.truth(1, 0, 100, 100, 100);  // large, found
  c.detection(1, 100, 0, 100, 100, 1.0);  // large miss, ranked first
  c.detection(1, 0, 100, 100, 100, 0.9);
  c.detection(1, 0, 0, 10, 10, 0.8);
  const CocoEvalResult r = c.evaluate();
  // all: miss hit hit over 3 -> recall 0 1/3 2/3, precision 0 .5 2/3, envelope 2/3 2/3
  // 2/3; r <= .66 (67 points) -> 2/3: AP = 67/101 * 2/3.
  EXPECT_NEAR(r.stats[kStatAp], 67.0 / 101 * 2 / 3, kTol);
  // small: the large miss is outside the range and unmatched, so ignored; the large hit
  // matched an ignored (large) ground truth, so ignored too: AP 1.
  EXPECT_NEAR(r.stats[kStatApSmall], 1.0, kTol);
  // medium: everything ignored, nothing found: AP 0.
  EXPECT_NEAR(r.stats[kStatApMedium], 0.0, kTol);
  // large: miss hit (small hit ignored) -> precision 0 .5, envelope .5 at every r.
  EXPECT_NEAR(r.stats[kStatApLarge], 0.5, kTol);
  EXPECT_NEAR(r.stats[kStatArSmall], 1.0, kTol);
  EXPECT_NEAR(r.stats[kStatArMedium], 0.0, kTol);
  EXPECT_NEAR(r.stats[kStatArLarge], 1.0, kTol);
  EXPECT_NEAR(r.stats[kStatAr100], 2.0 / 3, kTol);
}

TEST(CocoMaskEvaluatorTest, GroundTruthAreaFieldDecidesItsRange) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10).area = 5000;  // pixels say small, the annotation says medium
  c.detection(1, 0, 0, 10, 10, 0.9);
  const CocoEvalResult r = c.evaluate();
  EXPECT_EQ(r.stats[kStatApSmall], -1);
  // In the medium range the hit is matched to a counted ground truth, so it counts.
  EXPECT_NEAR(r.stats[kStatApMedium], 1.0, kTol);
}

TEST(CocoMaskEvaluatorTest, EmptyDetectionsGiveZeroAndEmptyGroundTruthGivesMinusOne) {
  EvalCase noDetections;
  noDetections.image(1);
  noDetections.truth(1, 0, 0, 10, 10);
  CocoEvalResult r = noDetections.evaluate();
  EXPECT_EQ(r.stats[kStatAp], 0.0);
  EXPECT_EQ(r.stats[kStatAr100], 0.0);
  EXPECT_EQ(r.stats[kStatApLarge], -1);

  EvalCase noTruth;
  noTruth.image(1);
  noTruth.detection(1, 0, 0, 10, 10, 0.9);
  r = noTruth.evaluate();
  for (size_t i = 0; i < kNumCocoStats; ++i) EXPECT_EQ(r.stats[i], -1) << cocoStatNames()[i];

  EvalCase nothing;
  r = nothing.evaluate();
  for (size_t i = 0; i < kNumCocoStats; ++i) EXPECT_EQ(r.stats[i], -1);
}

TEST(CocoMaskEvaluatorTest, ScoreTiesWithinAnImageKeepFileOrder) {
  EvalCase missFirst;
  missFirst.image(1);
  missFirst.truth(1, 0, 0, 10, 10);
  missFirst.detection(1, 50, 50, 10, 10, 0.5);
  missFirst.detection(1, 0, 0, 10, 10, 0.5);
  // miss then hit: precision 0 .5, envelope .5 at every r.
  EXPECT_NEAR(missFirst.evaluate().stats[kStatAp], 0.5, kTol);

  EvalCase hitFirst = missFirst;
  std::swap(hitFirst.dt.instances[0], hitFirst.dt.instances[1]);
  // hit then miss: recall reaches 1 at the first detection, precision 1.
  EXPECT_NEAR(hitFirst.evaluate().stats[kStatAp], 1.0, kTol);
}

TEST(CocoMaskEvaluatorTest, ScoreTiesAcrossImagesFollowImageIdOrder) {
  // Image 1 holds a miss, image 2 a hit, both at score .5; each image has one truth.
  EvalCase c;
  c.image(2);
  c.image(1);  // listed first, but ids order the concatenation
  c.truth(1, 0, 0, 10, 10);
  c.truth(2, 0, 0, 10, 10);
  c.detection(2, 0, 0, 10, 10, 0.5);
  c.detection(1, 50, 50, 10, 10, 0.5);
  // miss (image 1) then hit (image 2): recall 0 .5, precision 0 .5 -> envelope .5 up to
  // r = .5 (51 points): AP = 25.5/101.
  EXPECT_NEAR(c.evaluate().stats[kStatAp], 25.5 / 101, kTol);

  // Swap which image holds the hit: hit first, recall .5 at precision 1: AP = 51/101.
  EvalCase d;
  d.image(1);
  d.image(2);
  d.truth(1, 0, 0, 10, 10);
  d.truth(2, 0, 0, 10, 10);
  d.detection(1, 0, 0, 10, 10, 0.5);
  d.detection(2, 50, 50, 10, 10, 0.5);
  EXPECT_NEAR(d.evaluate().stats[kStatAp], 51.0 / 101, kTol);
}

TEST(CocoMaskEvaluatorTest, ProcessingOrderDoesNotMatter) {
  EvalCase c;
  for (int64_t id : {3, 1, 2}) {
    c.image(id);
    c.truth(id, 0, 0, 10, 10);
    c.detection(id, 50, 50, 10, 10, 0.5);
    c.detection(id, 0, 0, 10, 10, id == 2 ? 0.5 : 0.7);
  }
  const auto byImage = c.gt.instancesByImage();
  const auto dtByImage = c.dt.instancesByImage();
  std::vector<double> first;
  for (const std::vector<int64_t>& order : {std::vector<int64_t>{1, 2, 3}, {3, 2, 1}}) {
    CocoMaskEvaluator ev(c.gt.categories);
    for (int64_t id : order)
      ev.process({c.gt.image(id), byImage.at(id), dtByImage.at(id), {}, {}});
    const CocoEvalResult r = ev.result();
    if (first.empty()) first.assign(r.stats.begin(), r.stats.end());
    else EXPECT_EQ(std::vector<double>(r.stats.begin(), r.stats.end()), first);
  }
}

TEST(CocoMaskEvaluatorTest, ZeroGroundTruthIdQuirkIsOptIn) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10).id = 0;
  c.detection(1, 0, 0, 10, 10, 0.9);
  EXPECT_NEAR(c.evaluate().stats[kStatAp], 1.0, kTol);
  CocoEvalParams quirk = CocoEvalParams::segm();
  quirk.zeroGtIdCountsAsUnmatched = true;  // pycocotools stores the id and tests it
  EXPECT_EQ(c.evaluate(quirk).stats[kStatAp], 0.0);
}

TEST(CocoMaskEvaluatorTest, EvaluateNamesStatsAndCategories) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10);
  c.detection(1, 2, 0, 10, 10, 0.5);
  CocoMaskEvaluator ev(c.gt.categories);
  const auto gt = c.gt.instancesByImage(), dt = c.dt.instancesByImage();
  ev.process({c.gt.image(1), gt.at(1), dt.at(1), {}, {}});
  EvaluationResults res = ev.evaluate();
  EXPECT_NEAR(res.at("segm/AP"), 0.4, kTol);
  EXPECT_NEAR(res.at("segm/AP50"), 1.0, kTol);
  EXPECT_NEAR(res.at("segm/AP-cat"), 0.4, kTol);
  EXPECT_EQ(res.at("segm/AP-dog"), -1);
  EXPECT_EQ(res.count("segm/ARl"), 1u);
  ev.reset();
  res = ev.evaluate();
  EXPECT_EQ(res.at("segm/AP"), -1);
}

TEST(CocoMaskEvaluatorTest, BadResultsAreReportedByRecord) {
  EvalCase c;
  c.image(1);
  c.truth(1, 0, 0, 10, 10);
  c.detection(1, 0, 0, 10, 10, 0.9);
  c.dt.instances[0].imageId = 7;
  auto r = evaluateCocoMasks(c.gt, c.dt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("result 0 (image_id 7"), std::string::npos)
      << r.status().message();

  c.dt.instances[0].imageId = 1;
  c.dt.instances[0].categoryId = 9;
  r = evaluateCocoMasks(c.gt, c.dt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("category_id is not a category"), std::string::npos);

  c.dt.instances[0].categoryId = 1;
  c.dt.instances[0].mask = test::boxMask(50, 100, 0, 0, 10, 10);
  r = evaluateCocoMasks(c.gt, c.dt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("mask is 50x100, expected the image size 100x100"),
            std::string::npos)
      << r.status().message();
}

TEST(CocoEvalParamsTest, ThresholdsMatchNumpyLinspace) {
  const CocoEvalParams p = CocoEvalParams::segm();
  ASSERT_EQ(p.iouThresholds.size(), 10u);
  ASSERT_EQ(p.recallThresholds.size(), 101u);
  // Bit patterns printed by numpy 1.24 for np.linspace(.5, .95, 10).
  EXPECT_EQ(p.iouThresholds[3], 0x1.4cccccccccccdp-1);
  EXPECT_EQ(p.iouThresholds[5], 0.75);
  EXPECT_EQ(p.iouThresholds[8], 0x1.cccccccccccccp-1);  // 0.8999999999999999
  EXPECT_EQ(p.recallThresholds[55], 0x1.199999999999ap-1);
  EXPECT_EQ(p.iouIndex(.75), 5);
  EXPECT_EQ(p.areaRanges[0].max, 1e10);
  EXPECT_EQ(p.areaRanges[2].min, 1024);
  EXPECT_EQ(p.areaRanges[3].min, 9216);
}

}  // namespace
}  // namespace distillery
