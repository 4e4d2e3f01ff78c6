#include "engine/data/world/scene.h"

#include <cmath>

namespace distillery::world {
namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr int kPlacementTries = 30;
constexpr int kColourTries = 10;

double draw(WorldRng& rng, const Range& r) { return rng.uniform(r.min, r.max); }

double colourDistance(const cv::Vec3f& a, const cv::Vec3f& b) { return cv::norm(a - b); }

Paint texturedPaint(cv::Vec3f base, Texture texture, double contrast, const DomainSpec& spec,
                    WorldRng& rng) {
  Paint p;
  p.base = base;
  p.alt = base * static_cast<float>(1 - contrast);
  p.texture = texture;
  p.period = draw(rng, spec.texturePeriod);
  p.angle = rng.uniform(0, kTwoPi);
  p.noiseSeed = rng.next();
  return p;
}

// A surface colour for `colouring`, redrawn until it stands out from the background.
cv::Vec3f surfaceColour(Colouring colouring, int classIndex, const DomainSpec& spec,
                        const cv::Vec3f& background, WorldRng& rng) {
  const bool distractor = classIndex < 0;
  if (distractor && (colouring == Colouring::Canonical || colouring == Colouring::Permuted))
    colouring = Colouring::Palette;  // a distractor has no class of its own
  if (!distractor && (colouring == Colouring::Canonical || colouring == Colouring::Permuted) &&
      !rng.chance(spec.colourFidelity))
    colouring = Colouring::Random;  // an exception to the class's colour
  cv::Vec3f c;
  for (int attempt = 0; attempt < kColourTries; ++attempt) {
    double hue = 0;
    switch (colouring) {
      case Colouring::Canonical: hue = canonicalHue(classIndex); break;
      case Colouring::Permuted: hue = canonicalHue(classIndex + spec.paletteShift); break;
      case Colouring::Palette: hue = canonicalHue(rng.uniformInt(0, kClassCount - 1)); break;
      case Colouring::Random: hue = rng.uniform(0, 360); break;
      case Colouring::Neutral: break;
    }
    hue += rng.uniform(-spec.hueJitter, spec.hueJitter);
    if (colouring == Colouring::Neutral) {
      c = hsvToBgr(0, 0, draw(rng, distractor ? spec.distractorValue : spec.objectValue));
    } else {
      c = hsvToBgr(hue, draw(rng, spec.objectSaturation), draw(rng, spec.objectValue));
    }
    if (colourDistance(c, background) >= spec.minContrast) break;
  }
  return c;
}

Texture pick(const std::vector<Texture>& textures, WorldRng& rng) {
  return textures[static_cast<size_t>(rng.uniformInt(0, static_cast<int>(textures.size()) - 1))];
}

}  // namespace

Scene planScene(const DomainSpec& spec, WorldRng& rng) {
  Scene scene;

  // Background and light first: objects are coloured against them.
  const cv::Vec3f bg = hsvToBgr(rng.uniform(0, 360), rng.uniform(0, spec.backgroundSaturation),
                                draw(rng, spec.backgroundValue));
  scene.background =
      texturedPaint(bg, pick(spec.backgroundTextures, rng), spec.backgroundTextureContrast, spec, rng);
  Imaging& im = scene.imaging;
  im.gradient = draw(rng, spec.gradient);
  im.gradientAngle = rng.uniform(0, kTwoPi);
  im.gamma = draw(rng, spec.gamma);
  im.tint = {static_cast<float>(spec.tint[0]), static_cast<float>(spec.tint[1]),
             static_cast<float>(spec.tint[2])};
  im.fog = draw(rng, spec.fog);
  im.blurSigma = draw(rng, spec.blurSigma);
  im.noiseSigma = draw(rng, spec.noiseSigma);
  im.noiseSeed = rng.next();

  // Objects, kept apart by `separation` so that occlusion stays partial.
  std::vector<SceneLayer> objects;
  const int wanted = rng.uniformInt(spec.objects.min, spec.objects.max);
  for (int i = 0; i < wanted; ++i) {
    SceneLayer o;
    o.classIndex = rng.uniformInt(0, kClassCount - 1);
    o.radius = draw(rng, spec.objectScale);
    bool placed = false;
    for (int t = 0; t < kPlacementTries && !placed; ++t) {
      o.cx = rng.uniform(0.6 * o.radius, 1 - 0.6 * o.radius);
      o.cy = rng.uniform(0.6 * o.radius, 1 - 0.6 * o.radius);
      placed = true;
      for (const SceneLayer& p : objects)
        if (std::hypot(o.cx - p.cx, o.cy - p.cy) < spec.separation * (o.radius + p.radius))
          placed = false;
    }
    o.angle = rng.uniform(0, kTwoPi);
    o.form = drawForm(classShape(o.classIndex), rng);
    const cv::Vec3f colour = surfaceColour(spec.objectColouring, o.classIndex, spec, bg, rng);
    const Texture texture =
        spec.textureAssignment == TextureAssignment::PerClass
            ? spec.objectTextures[static_cast<size_t>(o.classIndex) % spec.objectTextures.size()]
            : pick(spec.objectTextures, rng);
    o.paint = texturedPaint(colour, texture, spec.objectTextureContrast, spec, rng);
    if (placed) objects.push_back(o);
  }

  // Distractors: behind everything, or slipped in between the objects.
  std::vector<SceneLayer> back;
  const int clutter = rng.uniformInt(spec.distractors.min, spec.distractors.max);
  for (int i = 0; i < clutter; ++i) {
    SceneLayer d;
    d.radius = draw(rng, spec.distractorScale);
    d.cx = rng.uniform(0, 1);
    d.cy = rng.uniform(0, 1);
    d.angle = rng.uniform(0, kTwoPi);
    d.form = drawForm(distractorShape(rng.uniformInt(0, kDistractorKinds - 1)), rng);
    const cv::Vec3f colour = surfaceColour(spec.distractorColouring, -1, spec, bg, rng);
    d.paint = texturedPaint(colour, pick(spec.objectTextures, rng), spec.objectTextureContrast,
                            spec, rng);
    if (rng.chance(spec.distractorFront) && !objects.empty()) {
      const int at = rng.uniformInt(1, static_cast<int>(objects.size()));
      objects.insert(objects.begin() + at, d);
    } else {
      back.push_back(d);
    }
  }
  scene.layers = std::move(back);
  scene.layers.insert(scene.layers.end(), objects.begin(), objects.end());
  return scene;
}

}  // namespace distillery::world
