// A domain of the synthetic world: every parameter that decides how its images look.
//
// Source domains give each class a characteristic colour on a plain background, a
// shortcut a model will learn; target domains break it (permuted or random colours,
// textures, light, fog, noise, blur, clutter, other object scales), so shape is the
// only cue that transfers. See docs/world.md.
#pragma once

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "engine/data/world/appearance.h"
#include "engine/util/status.h"

namespace distillery {

struct Range {
  double min = 0, max = 0;
};
struct IntRange {
  int min = 0, max = 0;
};

// The hue (degrees) class k wears in the source domains: red, orange, yellow, green,
// cyan, blue, purple, magenta for disc, square, ..., heart.
double canonicalHue(int classIndex);

// How a surface gets its hue.
enum class Colouring {
  Canonical,  // class k wears its own hue, canonicalHue(k)
  Permuted,   // class k wears the hue of class (k + paletteShift) mod K
  Palette,    // the hue of a random class (distractors that mimic objects)
  Random,     // any hue
  Neutral,    // grey
};
const char* colouringName(Colouring c);

// Whether a class always has the same texture (a second shortcut) or each instance draws one.
enum class TextureAssignment { PerInstance, PerClass };
const char* textureAssignmentName(TextureAssignment t);

struct DomainSpec {
  std::string name;
  std::string description;
  bool isSource = false;  // a domain a reference teacher is pretrained on

  // Layout. Sizes are fractions of the image side, so a scene looks alike at any size.
  IntRange objects{2, 6};          // labelled instances drawn (before dropping hidden ones)
  Range objectScale{0.08, 0.16};   // circumradius
  double separation = 0.8;         // minimum centre distance / (r1 + r2); lower = more occlusion
  double minVisibleFraction = 0.3; // drop an instance showing less of its full area
  double minVisibleArea = 0.001;   // ... or fewer pixels than this fraction of the image

  // Objects
  Colouring objectColouring = Colouring::Canonical;
  int paletteShift = 0;
  // Share of objects that wear their class hue under Canonical or Permuted colouring;
  // the rest get a random hue. Below 1 the colour shortcut is strong but not perfect,
  // so a model trained here must also learn shape.
  double colourFidelity = 1.0;
  double hueJitter = 6;  // degrees, per instance
  Range objectSaturation{0.75, 0.95};
  Range objectValue{0.75, 0.95};
  std::vector<world::Texture> objectTextures{world::Texture::Flat};
  TextureAssignment textureAssignment = TextureAssignment::PerInstance;
  double objectTextureContrast = 0.35;  // alt colour = base darkened by this fraction
  Range texturePeriod{0.04, 0.09};      // of the image side

  // Background
  std::vector<world::Texture> backgroundTextures{world::Texture::Flat};
  Range backgroundValue{0.72, 0.9};
  double backgroundSaturation = 0.05;  // at most
  double backgroundTextureContrast = 0.25;
  double minContrast = 60;  // minimum BGR distance of an object's colour from the background's

  // Clutter: unlabelled distractor shapes
  IntRange distractors{0, 2};
  Range distractorScale{0.04, 0.1};
  Colouring distractorColouring = Colouring::Neutral;
  Range distractorValue{0.3, 0.55};  // brightness of Neutral distractors
  double distractorFront = 0.3;      // chance a distractor is drawn over the objects

  // Illumination
  Range gradient{0, 0};  // light falls by this fraction across the image
  Range gamma{1, 1};
  std::array<double, 3> tint{1, 1, 1};  // BGR gains
  Range fog{0, 0};                      // blend towards grey

  // Sensor
  Range blurSigma{0, 0};   // pixels at 128x128, scaled with the image size
  Range noiseSigma{0, 0};  // grey levels
};

// Checks ranges and counts; the message names the domain and the field.
Status validateDomain(const DomainSpec& spec);

// The named domains, sources first.
const std::vector<DomainSpec>& worldDomains();
// A named domain; the error lists the valid names.
Result<DomainSpec> findDomain(const std::string& name);

// Every field, in declaration order.
nlohmann::ordered_json domainToJson(const DomainSpec& spec);
// Reads a domain from JSON. Fields not given keep the values of `base`, so
// {"name": "grainy", "noiseSigma": [8, 12]} is studio with more noise.
// `where` names the source in error messages.
Result<DomainSpec> domainFromJson(const nlohmann::json& j, const DomainSpec& base,
                                  const std::string& where);

}  // namespace distillery
