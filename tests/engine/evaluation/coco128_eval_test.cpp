// COCO mask AP on real data: COCO128's ground truth against itself and against
// deterministically perturbed detections (shifted, eroded, dilated copies, wrong
// categories, random boxes, random scores).
#include <gtest/gtest.h>

#include "engine/data/formats/coco_json.h"
#include "engine/evaluation/coco_mask_evaluator.h"
#include "engine/evaluation/perturbed_detections.h"
#include "engine/evaluation/pixel_iou.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

const Dataset& coco128() {
  static const Dataset d = [] {
    Result<Dataset> r = readCocoJson(test::sharedData() / "coco128" / "instances.json");
    if (!r.ok()) throw std::runtime_error(r.status().message());
    return *r;
  }();
  return d;
}

Dataset asResults(const Dataset& gt, std::vector<Instance> dets) {
  Dataset d;
  d.categories = gt.categories;
  d.images = gt.images;
  d.instances = std::move(dets);
  return d;
}

CocoEvalResult evaluateOk(const Dataset& gt, const Dataset& dt,
                          MaskIouFunction iou = rle::iouMatrix) {
  auto r = evaluateCocoMasks(gt, dt, CocoEvalParams::segm(), std::move(iou));
  if (!r.ok()) throw std::runtime_error(r.status().message());
  return *r;
}

TEST(Coco128EvalTest, GroundTruthAsDetectionsIsPerfect) {
  DST_REQUIRE_SHARED_DATA();
  const Dataset& gt = coco128();
  std::vector<Instance> dets;
  for (const Instance& g : gt.instances) {
    Instance d = g;
    d.score = 1;
    d.iscrowd = false;  // results are never crowds; a copy of a crowd is ignored
    d.area = -1;
    d.source = Source::Student;
    dets.push_back(d);
  }
  const CocoEvalResult r = evaluateOk(gt, asResults(gt, dets));
  for (int s : {kStatAp, kStatAp50, kStatAp75, kStatApSmall, kStatApMedium, kStatApLarge,
                kStatAr100, kStatArSmall, kStatArMedium, kStatArLarge})
    EXPECT_NEAR(r.stats[static_cast<size_t>(s)], 1.0, 1e-12) << cocoStatNames()[static_cast<size_t>(s)];
  // Images with several objects of a category cannot be recalled by one detection.
  EXPECT_LT(r.stats[kStatAr1], r.stats[kStatAr10]);
  EXPECT_EQ(r.numImages, 128u);
  for (const CategoryAp& c : r.perCategory) {
    if (c.ap == -1) continue;  // categories without ground truth in COCO128
    EXPECT_NEAR(c.ap, 1.0, 1e-12) << c.name;
  }
}

TEST(Coco128EvalTest, PerturbedDetectionsMatchTheReferenceAndKeepInvariants) {
  DST_REQUIRE_SHARED_DATA();
  const Dataset& gt = coco128();
  PerturbOptions o;  // seed 1, 100 per image: what `distillery-cli bench eval` uses
  const Dataset dt = asResults(gt, perturbDetections(gt, o));
  ASSERT_EQ(dt.instances.size(), 12800u);
  const CocoEvalResult r = evaluateOk(gt, dt);
  // Reference: these detections written by `bench eval --write-results`, evaluated by a
  // line-by-line numpy transcription of pycocotools' loadRes/COCOeval (segm) with
  // pixel-decoded IoU (docs/evaluation.md, "How it was checked").
  const double kReference[kNumCocoStats] = {
      0.41039900569924154, 0.6085481079379442, 0.41167047810255136, 0.13002923566381813,
      0.5041564881267615,  0.7678545349493416, 0.40322191876822716, 0.5945046183133321,
      0.6162931579716963,  0.22504381967158205, 0.7079190836940837, 0.9219677672728676};
  for (size_t i = 0; i < kNumCocoStats; ++i)
    EXPECT_NEAR(r.stats[i], kReference[i], 1e-12) << cocoStatNames()[i];
  EXPECT_NEAR(r.perCategory[0].ap, 0.26737579225626407, 1e-12);  // person
  EXPECT_NEAR(r.perCategory[0].ap50, 0.579126371725655, 1e-12);

  for (size_t i = 0; i < kNumCocoStats; ++i) {
    EXPECT_GE(r.stats[i], 0.0) << cocoStatNames()[i];
    EXPECT_LE(r.stats[i], 1.0) << cocoStatNames()[i];
  }
  EXPECT_GE(r.stats[kStatAp50], r.stats[kStatAp75]);
  EXPECT_LE(r.stats[kStatAr1], r.stats[kStatAr10]);
  EXPECT_LE(r.stats[kStatAr10], r.stats[kStatAr100]);
  for (double p : r.precision) EXPECT_TRUE(p == -1 || (p >= 0 && p <= 1));

  // The same evaluation with IoUs from decoded pixels agrees exactly.
  const CocoEvalResult naive = evaluateOk(gt, dt, pixelIouMatrix);
  EXPECT_EQ(naive.precision, r.precision);
  EXPECT_EQ(naive.recall, r.recall);

  // Worse detections score lower: shifting further loses AP at strict thresholds.
  PerturbOptions far = o;
  far.maxShift = 12;
  const CocoEvalResult worse = evaluateOk(gt, asResults(gt, perturbDetections(gt, far)));
  EXPECT_LT(worse.stats[kStatAp75], r.stats[kStatAp75]);
}

}  // namespace
}  // namespace distillery
