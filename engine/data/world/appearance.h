// How the synthetic world looks: surface textures and colours of objects and
// backgrounds, then the illumination and sensor effects applied to the whole image.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

#include "engine/util/status.h"

namespace distillery::world {

enum class Texture { Flat, Stripes, Checker, Noise };
constexpr int kTextureCount = 4;

const char* textureName(Texture t);
Result<Texture> textureFromName(const std::string& name);

// A colour from hue (degrees), saturation and value (0..1), as BGR 0..255.
cv::Vec3f hsvToBgr(double hueDegrees, double saturation, double value);

// A textured surface: `base` colour, with the texture mixing in `alt`.
struct Paint {
  cv::Vec3f base;
  cv::Vec3f alt;
  Texture texture = Texture::Flat;
  double period = 8;  // pixels: stripe pair, checker cell or noise grain
  double angle = 0;   // radians: orientation of stripes and checkers
  uint64_t noiseSeed = 0;
};

// Paints the whole image with `paint`.
void paintAll(cv::Mat& image, const Paint& paint);
// Paints the pixels of image where `mask` (CV_8U, placed with mask(0,0) at `origin`)
// is set; the texture is anchored at `anchor` so it moves with its object.
void paintMasked(cv::Mat& image, const cv::Mat& mask, cv::Point origin, const Paint& paint,
                 cv::Point2d anchor);

// Whole-image effects, in the order applied: illumination, fog, blur, sensor noise.
struct Imaging {
  double gradient = 0;       // light falls by this fraction across the image
  double gradientAngle = 0;  // radians: direction in which light falls
  double gamma = 1;          // > 1 darkens mid-tones
  cv::Vec3f tint{1, 1, 1};   // BGR gains (colour cast of the light)
  double fog = 0;            // blend towards kFogColour
  double blurSigma = 0;      // pixels
  double noiseSigma = 0;     // grey levels
  uint64_t noiseSeed = 0;
};

constexpr float kFogGrey = 205.f;

void applyImaging(cv::Mat& image, const Imaging& imaging);

}  // namespace distillery::world
