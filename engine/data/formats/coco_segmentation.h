// COCO's three segmentation forms turned into masks, as pycocotools' annToRLE, plus
// the checks every importer applies to image sizes and polygons.
//
// All functions throw UserError with a reason (no file or record: the caller adds
// those when it reports the skipped record).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/data/formats/json_fields.h"
#include "engine/data/rle.h"

namespace distillery::coco {

// Sides above this would overflow 32-bit run lengths (h*w must fit).
constexpr int64_t kMaxImageSide = 65535;

// Throws unless 1 <= width, height <= kMaxImageSide.
void checkImageSize(int64_t width, int64_t height);

// Throws when the polygon [x0,y0,x1,y1,...] has an odd count, fewer than 3 points,
// or a coordinate that is not finite or lies far outside the image (the rasteriser
// works in int pixels x5). `what` names it in the message, e.g. "polygon 2".
void checkPolygon(const std::vector<double>& xy, int height, int width, const std::string& what);

// Several polygon parts of one instance, checked and rasterised (union), as annToRLE.
Rle polygonsToRle(const std::vector<std::vector<double>>& parts, int height, int width);

// A COCO "segmentation" value: a list of polygons, an uncompressed RLE
// {"size":[h,w],"counts":[...]} or a compressed one {"size":[h,w],"counts":"..."}.
// An RLE whose size differs from height x width is an error (wrong-size mask).
Rle segmentationToRle(const json_fields::Json& segmentation, int height, int width);

// The "segmentation" value of a mask: compressed RLE {"size":[h,w],"counts":"..."}.
json_fields::Json rleToJson(const Rle& mask);
// Polygons for a mask on its pixel edges, each with at least 3 points, simplified
// within `epsilon` pixels (0: every contour corner); empty when the mask has none
// (then the caller keeps RLE so that nothing is lost).
std::vector<std::vector<double>> maskToPolygons(const Rle& mask, double epsilon = 0.0);

}  // namespace distillery::coco
