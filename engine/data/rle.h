// COCO run-length encoded masks, byte-compatible with pycocotools (maskApi.c).
//
// A mask is stored column-major (x outer, y inner), as alternating run lengths
// that start with a run of zeros. The compressed string form is pycocotools'
// LEB128-like encoding (6 bits per char, ascii 48..111, deltas from index 3 on).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct Rle {
  int height = 0;
  int width = 0;
  std::vector<uint32_t> counts;  // runs: zeros, ones, zeros, ...

  bool operator==(const Rle& o) const {
    return height == o.height && width == o.width && counts == o.counts;
  }
};

// [x, y, width, height] in pixels, as pycocotools' toBbox.
struct BoxXywh {
  double x = 0, y = 0, w = 0, h = 0;
};

namespace rle {

// mask: CV_8U (or CV_8S/bool-like), HxW; any nonzero pixel is foreground.
Rle encode(const cv::Mat& mask);
// Returns a CV_8U HxW mask with values 0/1.
cv::Mat decode(const Rle& r);

// The compressed "counts" string of COCO JSON.
std::string toString(const Rle& r);
// Parses a compressed counts string; fails on characters outside '0'..'o',
// truncated values, or runs that do not add up to height*width.
Result<Rle> fromString(const std::string& counts, int height, int width);
// Uncompressed COCO RLE ({"counts": [..]}); fails when runs do not sum to h*w.
Result<Rle> fromCounts(std::vector<uint32_t> counts, int height, int width);

// Rasterises one polygon [x0,y0,x1,y1,...] exactly as pycocotools' frPoly.
Rle fromPolygon(const std::vector<double>& xy, int height, int width);
// Several polygons of one instance, merged (union), as COCO's annToRLE does.
Rle fromPolygons(const std::vector<std::vector<double>>& polygons, int height, int width);
// An axis-aligned box, as pycocotools' frBbox.
Rle fromBox(const BoxXywh& box, int height, int width);

uint64_t area(const Rle& r);
BoxXywh bbox(const Rle& r);
// Union (or intersection) of masks of equal size; an empty list gives an empty Rle.
Rle merge(const std::vector<Rle>& masks, bool intersect = false);

// IoU of a detection with a ground truth, computed on the runs without decoding.
// For crowd ground truth the denominator is the detection's area (COCO semantics).
// Returns -1 when the sizes differ.
double iou(const Rle& dt, const Rle& gt, bool gtIsCrowd);
// ious[d][g] for every detection d and ground truth g, as pycocotools' iou().
std::vector<std::vector<double>> iouMatrix(const std::vector<Rle>& dts,
                                           const std::vector<Rle>& gts,
                                           const std::vector<bool>& gtIsCrowd);

// Outer contours as polygons [x0,y0,x1,y1,...] for editing (OpenCV contours),
// simplified with Douglas-Peucker at `epsilon` pixels (0 keeps every corner).
std::vector<std::vector<double>> toPolygons(const Rle& r, double epsilon = 0.0);

}  // namespace rle
}  // namespace distillery
