// The named domains. Sources keep the colour shortcut; each target breaks it in its
// own way (see docs/world.md for the intent behind every number).
#include <array>

#include "engine/data/world/domain_spec.h"
#include "engine/data/world/shapes.h"

namespace distillery {
namespace {

using world::Texture;
const std::vector<Texture> kAllTextures{Texture::Flat, Texture::Stripes, Texture::Checker,
                                        Texture::Noise};

DomainSpec studio() {
  DomainSpec d;  // the defaults are the studio
  d.name = "studio";
  d.description = "each class in its own colour, flat, on a plain light background";
  d.isSource = true;
  // A strong but imperfect shortcut: a model trained here leans on colour, yet has to
  // learn shape for the exceptions, so a few target labels can re-aim it (docs/world.md).
  d.colourFidelity = 0.75;
  d.noiseSigma = {0, 2};
  return d;
}

DomainSpec workshop() {
  DomainSpec d = studio();
  d.name = "workshop";
  d.description = "broader: class colours and a texture per class, mild light and noise";
  d.objects = {2, 7};
  d.objectScale = {0.07, 0.17};
  d.separation = 0.75;
  d.hueJitter = 8;
  d.objectSaturation = {0.65, 0.95};
  d.objectValue = {0.6, 0.95};
  d.objectTextures = kAllTextures;
  d.textureAssignment = TextureAssignment::PerClass;
  d.objectTextureContrast = 0.3;
  d.backgroundTextures = {Texture::Flat, Texture::Noise};
  d.backgroundValue = {0.55, 0.9};
  d.backgroundSaturation = 0.1;
  d.backgroundTextureContrast = 0.15;
  d.distractors = {0, 3};
  d.gradient = {0, 0.25};
  d.gamma = {0.9, 1.1};
  d.noiseSigma = {0, 4};
  d.blurSigma = {0, 0.6};
  return d;
}

DomainSpec dusk() {
  DomainSpec d = studio();
  d.name = "dusk";
  d.description = "class colours swapped, dark bluish light falling across the scene";
  d.isSource = false;
  d.objectScale = {0.07, 0.15};
  d.separation = 0.75;
  d.objectColouring = Colouring::Permuted;
  d.paletteShift = 3;
  d.colourFidelity = 1;  // consistently wrong colours
  d.hueJitter = 8;
  d.objectSaturation = {0.55, 0.85};
  d.objectValue = {0.6, 0.9};
  d.backgroundTextures = {Texture::Flat, Texture::Noise};
  d.backgroundValue = {0.15, 0.32};
  d.backgroundSaturation = 0.25;
  d.backgroundTextureContrast = 0.2;
  d.distractors = {0, 3};
  d.distractorValue = {0.4, 0.6};
  d.gradient = {0.3, 0.6};
  d.gamma = {1.2, 1.6};
  d.tint = {1.15, 0.95, 0.85};
  d.noiseSigma = {3, 6};
  d.blurSigma = {0, 0.5};
  return d;
}

DomainSpec fog() {
  DomainSpec d = studio();
  d.name = "fog";
  d.description = "haze over washed-out random colours, blur, larger objects";
  d.isSource = false;
  d.objects = {2, 5};
  d.objectScale = {0.1, 0.2};
  d.objectColouring = Colouring::Random;
  d.colourFidelity = 1;  // (only read by canonical and permuted colouring)
  d.hueJitter = 0;
  d.objectSaturation = {0.35, 0.7};
  d.objectValue = {0.45, 0.85};
  d.objectTextures = {Texture::Flat, Texture::Noise};
  d.objectTextureContrast = 0.25;
  d.backgroundTextures = {Texture::Flat, Texture::Noise};
  d.backgroundValue = {0.45, 0.7};
  d.backgroundSaturation = 0.1;
  d.backgroundTextureContrast = 0.2;
  d.minContrast = 70;
  d.distractors = {1, 3};
  d.distractorScale = {0.05, 0.12};
  d.distractorValue = {0.25, 0.5};
  d.gradient = {0.1, 0.3};
  d.gamma = {0.9, 1.1};
  d.fog = {0.35, 0.55};
  d.blurSigma = {1.0, 1.8};
  d.noiseSigma = {2, 4};
  return d;
}

DomainSpec clutter() {
  DomainSpec d = studio();
  d.name = "clutter";
  d.description = "small objects among many class-coloured distractors on patterns";
  d.isSource = false;
  d.objects = {3, 8};
  d.objectScale = {0.05, 0.1};
  d.separation = 0.6;
  d.hueJitter = 8;
  d.objectSaturation = {0.7, 0.95};
  d.objectTextures = {Texture::Flat, Texture::Stripes};
  d.objectTextureContrast = 0.3;
  d.backgroundTextures = {Texture::Checker, Texture::Stripes};
  d.backgroundValue = {0.45, 0.85};
  d.backgroundSaturation = 0.3;
  d.backgroundTextureContrast = 0.35;
  d.minContrast = 80;
  d.distractors = {6, 12};
  d.distractorScale = {0.03, 0.09};
  d.distractorColouring = Colouring::Palette;
  d.distractorFront = 0.4;
  d.gradient = {0, 0.2};
  d.noiseSigma = {1, 3};
  return d;
}

DomainSpec wild() {
  DomainSpec d = studio();
  d.name = "wild";
  d.description = "everything at once: random colours and textures, any light, noise, "
                  "blur, clutter and scale";
  d.isSource = false;
  d.objects = {2, 8};
  d.objectScale = {0.06, 0.2};
  d.separation = 0.65;
  d.objectColouring = Colouring::Random;
  d.colourFidelity = 1;  // (only read by canonical and permuted colouring)
  d.hueJitter = 0;
  d.objectSaturation = {0.2, 0.95};
  d.objectValue = {0.3, 0.95};
  d.objectTextures = kAllTextures;
  d.objectTextureContrast = 0.3;
  d.backgroundTextures = kAllTextures;
  d.backgroundValue = {0.15, 0.85};
  d.backgroundSaturation = 0.5;
  d.backgroundTextureContrast = 0.25;
  d.minContrast = 100;
  d.distractors = {2, 8};
  d.distractorScale = {0.03, 0.12};
  d.distractorColouring = Colouring::Random;
  d.distractorFront = 0.35;
  d.gradient = {0, 0.5};
  d.gamma = {0.7, 1.5};
  d.fog = {0, 0.25};
  d.blurSigma = {0, 1.2};
  d.noiseSigma = {2, 8};
  return d;
}

}  // namespace

double canonicalHue(int classIndex) {
  static constexpr std::array<double, world::kClassCount> kHues{0,   30,  58,  120,
                                                                180, 225, 275, 320};
  const int k = ((classIndex % world::kClassCount) + world::kClassCount) % world::kClassCount;
  return kHues[static_cast<size_t>(k)];
}

const std::vector<DomainSpec>& worldDomains() {
  static const std::vector<DomainSpec> kDomains{studio(), workshop(), dusk(),
                                                fog(),    clutter(),  wild()};
  return kDomains;
}

Result<DomainSpec> findDomain(const std::string& name) {
  std::string names;
  for (const DomainSpec& d : worldDomains()) {
    if (d.name == name) return d;
    names += (names.empty() ? "" : ", ") + d.name;
  }
  return Status::error("unknown world domain '" + name + "', expected one of: " + names);
}

}  // namespace distillery
