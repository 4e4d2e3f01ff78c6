// The synthetic world's shapes: the K object classes and the unlabelled distractors,
// rasterised exactly (no anti-aliasing) so that a mask is precisely the drawn pixels.
#pragma once

#include <array>
#include <opencv2/core.hpp>

#include "engine/data/world/world_rng.h"

namespace distillery::world {

enum class ShapeKind {
  // Object classes, in category order (category id = index + 1).
  Disc, Square, Triangle, Star, Ring, Cross, Crescent, Heart,
  // Distractors: belong to no class and are never labelled.
  Ellipse, Bar, Blob, Zigzag,
};

constexpr int kClassCount = 8;
constexpr int kDistractorKinds = 4;

inline ShapeKind classShape(int classIndex) { return static_cast<ShapeKind>(classIndex); }
inline ShapeKind distractorShape(int i) { return static_cast<ShapeKind>(kClassCount + i); }
const char* shapeName(ShapeKind kind);

// Where and how large a shape is, in pixels. radius is the circumradius.
struct ShapePose {
  double cx = 0, cy = 0, radius = 1, angle = 0;  // angle in radians
};

// A shape with its random form parameters (aspect of an ellipse, harmonics of a
// blob, ...), drawn once so that rasterising at any size gives the same shape.
struct ShapeForm {
  ShapeKind kind = ShapeKind::Disc;
  std::array<double, 6> params{};
};

ShapeForm drawForm(ShapeKind kind, WorldRng& rng);

// A shape rasterised on its own small canvas: mask is CV_8U 0/1, origin is the image
// position of mask(0,0) (may be negative or past the border), area is its pixel count
// before clipping to any image.
struct ShapeRaster {
  cv::Mat mask;
  cv::Point origin;
  int area = 0;
};

ShapeRaster rasterise(const ShapeForm& form, const ShapePose& pose);

}  // namespace distillery::world
