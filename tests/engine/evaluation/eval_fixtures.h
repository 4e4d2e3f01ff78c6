// Tiny hand-made datasets for the evaluation tests: boxes as masks, so every IoU
// and area in a test can be worked out by hand.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/evaluation/coco_mask_evaluator.h"

namespace distillery::test {
// An inline namespace of its own: same-named helpers of other suites link into the
// same test binary, and inline functions with one name must not differ (ODR).
inline namespace eval_fixtures {

// A filled box [x, x+w) x [y, y+h) in an imageH x imageW mask.
inline Rle boxMask(int imageH, int imageW, int x, int y, int w, int h) {
  cv::Mat m(imageH, imageW, CV_8U, cv::Scalar(0));
  m(cv::Rect(x, y, w, h)).setTo(1);
  return rle::encode(m);
}

// Builds a ground truth and a results dataset side by side.
class EvalCase {
 public:
  EvalCase() { gt.categories = {{1, "cat", ""}, {2, "dog", ""}}; }

  void image(int64_t id, int h = 100, int w = 100) {
    gt.images.push_back({id, std::to_string(id) + ".jpg", w, h});
  }
  // A ground truth box; its area field is the box area unless given.
  Instance& truth(int64_t imageId, int x, int y, int w, int h, int64_t category = 1,
                  bool crowd = false) {
    const ImageRecord* im = gt.image(imageId);
    Instance inst;
    inst.id = static_cast<int64_t>(gt.instances.size()) + 1;
    inst.imageId = imageId;
    inst.categoryId = category;
    inst.mask = boxMask(im->height, im->width, x, y, w, h);
    inst.iscrowd = crowd;
    inst.area = static_cast<double>(w) * h;
    gt.instances.push_back(inst);
    return gt.instances.back();
  }
  Instance& detection(int64_t imageId, int x, int y, int w, int h, double score,
                      int64_t category = 1) {
    const ImageRecord* im = gt.image(imageId);
    Instance inst;
    inst.id = static_cast<int64_t>(dt.instances.size()) + 1;
    inst.imageId = imageId;
    inst.categoryId = category;
    inst.mask = boxMask(im->height, im->width, x, y, w, h);
    inst.score = score;
    inst.source = Source::Student;
    dt.instances.push_back(inst);
    return dt.instances.back();
  }
  CocoEvalResult evaluate(CocoEvalParams params = CocoEvalParams::segm()) const {
    dt.categories = gt.categories;
    dt.images = gt.images;
    auto r = evaluateCocoMasks(gt, dt, std::move(params));
    if (!r.ok()) throw std::runtime_error(r.status().message());
    return *r;
  }

  Dataset gt;
  mutable Dataset dt;
};

}  // namespace eval_fixtures
}  // namespace distillery::test
