// A scene of the synthetic world, planned before any pixel is drawn: what lies where,
// in what order and how it looks. Positions and sizes are fractions of the image side,
// so one plan renders to the same scene at any resolution.
#pragma once

#include <vector>

#include "engine/data/world/appearance.h"
#include "engine/data/world/domain_spec.h"
#include "engine/data/world/shapes.h"
#include "engine/data/world/world_rng.h"

namespace distillery::world {

struct SceneLayer {
  ShapeForm form;
  double cx = 0, cy = 0, radius = 0, angle = 0;  // fractions of the image side; radians
  int classIndex = -1;                           // -1: a distractor, never labelled
  Paint paint;                                   // paint.period is a fraction of the side too
};

struct Scene {
  Paint background;                // period as a fraction of the side
  std::vector<SceneLayer> layers;  // back to front: later layers occlude earlier ones
  Imaging imaging;                 // blurSigma in pixels at 128x128
};

// Draws a scene of `spec` from `rng`. The sequence of draws depends only on the spec.
Scene planScene(const DomainSpec& spec, WorldRng& rng);

}  // namespace distillery::world
