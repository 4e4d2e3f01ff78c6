#include "engine/data/world/appearance.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "engine/data/world/world_rng.h"

namespace distillery::world {
namespace {

// Texture intensity t in [0, 1] at image pixel (x, y): 0 shows base, 1 shows alt.
class TextureField {
 public:
  // `region` is the image rectangle the field must cover (sizes the noise grid).
  TextureField(const Paint& p, cv::Point2d anchor, cv::Rect region)
      : p_(p), anchor_(anchor), region_(region) {
    cos_ = std::cos(p.angle);
    sin_ = std::sin(p.angle);
    half_ = std::max(1.0, p.period / 2);
    if (p.texture == Texture::Noise) {
      // Value noise: random levels on a coarse grid, interpolated bilinearly.
      cell_ = std::max(2.0, p.period);
      gw_ = static_cast<int>(region.width / cell_) + 2;
      gh_ = static_cast<int>(region.height / cell_) + 2;
      WorldRng rng(p.noiseSeed);
      grid_.resize(static_cast<size_t>(gw_) * gh_);
      for (float& g : grid_) g = static_cast<float>(rng.unit());
    }
  }

  float at(int x, int y) const {
    switch (p_.texture) {
      case Texture::Flat: return 0.f;
      case Texture::Stripes: {
        const double u = (x - anchor_.x) * cos_ + (y - anchor_.y) * sin_;
        return static_cast<float>(static_cast<int64_t>(std::floor(u / half_)) & 1);
      }
      case Texture::Checker: {
        const double u = (x - anchor_.x) * cos_ + (y - anchor_.y) * sin_;
        const double v = -(x - anchor_.x) * sin_ + (y - anchor_.y) * cos_;
        const int64_t k = static_cast<int64_t>(std::floor(u / half_)) +
                          static_cast<int64_t>(std::floor(v / half_));
        return static_cast<float>(k & 1);
      }
      case Texture::Noise: {
        const double gx = (x - region_.x) / cell_, gy = (y - region_.y) / cell_;
        const int ix = std::clamp(static_cast<int>(gx), 0, gw_ - 2);
        const int iy = std::clamp(static_cast<int>(gy), 0, gh_ - 2);
        const float fx = static_cast<float>(gx - ix), fy = static_cast<float>(gy - iy);
        const float* row0 = &grid_[static_cast<size_t>(iy) * gw_ + ix];
        const float* row1 = row0 + gw_;
        const float top = row0[0] + fx * (row0[1] - row0[0]);
        const float bottom = row1[0] + fx * (row1[1] - row1[0]);
        return top + fy * (bottom - top);
      }
    }
    return 0.f;
  }

 private:
  const Paint& p_;
  cv::Point2d anchor_;
  cv::Rect region_;
  double cos_ = 1, sin_ = 0, half_ = 1, cell_ = 1;
  int gw_ = 0, gh_ = 0;
  std::vector<float> grid_;
};

inline cv::Vec3b mix(const Paint& p, float t) {
  const cv::Vec3f c = p.base + t * (p.alt - p.base);
  return {cv::saturate_cast<uchar>(c[0]), cv::saturate_cast<uchar>(c[1]),
          cv::saturate_cast<uchar>(c[2])};
}

// A standard normal sample from 4 random bytes (Irwin-Hall): cheap and exact to the bit.
inline float bytesToNormal(uint32_t bits) {
  const int sum = static_cast<int>((bits & 0xff) + ((bits >> 8) & 0xff) + ((bits >> 16) & 0xff) +
                                   (bits >> 24));
  return static_cast<float>(sum - 510) * (1.f / 147.8f);
}

}  // namespace

const char* textureName(Texture t) {
  switch (t) {
    case Texture::Flat: return "flat";
    case Texture::Stripes: return "stripes";
    case Texture::Checker: return "checker";
    case Texture::Noise: return "noise";
  }
  return "?";
}

Result<Texture> textureFromName(const std::string& name) {
  for (int i = 0; i < kTextureCount; ++i) {
    const auto t = static_cast<Texture>(i);
    if (name == textureName(t)) return t;
  }
  return Status::error("unknown texture '" + name + "', expected flat, stripes, checker or noise");
}

cv::Vec3f hsvToBgr(double hueDegrees, double saturation, double value) {
  const double h = std::fmod(std::fmod(hueDegrees, 360.0) + 360.0, 360.0) / 60.0;
  const double s = std::clamp(saturation, 0.0, 1.0), v = std::clamp(value, 0.0, 1.0);
  const double c = v * s;
  const double x = c * (1 - std::fabs(std::fmod(h, 2.0) - 1));
  const double m = v - c;
  double r = 0, g = 0, b = 0;
  switch (static_cast<int>(h)) {
    case 0: r = c, g = x; break;
    case 1: r = x, g = c; break;
    case 2: g = c, b = x; break;
    case 3: g = x, b = c; break;
    case 4: r = x, b = c; break;
    default: r = c, b = x; break;
  }
  return {static_cast<float>((b + m) * 255), static_cast<float>((g + m) * 255),
          static_cast<float>((r + m) * 255)};
}

void paintAll(cv::Mat& image, const Paint& paint) {
  DST_CHECK(image.type() == CV_8UC3);
  if (paint.texture == Texture::Flat) {
    image.setTo(cv::Scalar(mix(paint, 0)[0], mix(paint, 0)[1], mix(paint, 0)[2]));
    return;
  }
  const TextureField field(paint, {0, 0}, {0, 0, image.cols, image.rows});
  for (int y = 0; y < image.rows; ++y) {
    auto* row = image.ptr<cv::Vec3b>(y);
    for (int x = 0; x < image.cols; ++x) row[x] = mix(paint, field.at(x, y));
  }
}

void paintMasked(cv::Mat& image, const cv::Mat& mask, cv::Point origin, const Paint& paint,
                 cv::Point2d anchor) {
  DST_CHECK(image.type() == CV_8UC3 && mask.type() == CV_8U);
  const cv::Rect full(origin, mask.size());
  const cv::Rect clip = full & cv::Rect(0, 0, image.cols, image.rows);
  if (clip.empty()) return;
  const TextureField field(paint, anchor, full);
  const cv::Vec3b flat = mix(paint, 0);
  for (int y = clip.y; y < clip.y + clip.height; ++y) {
    const uchar* m = mask.ptr<uchar>(y - origin.y) - origin.x;
    auto* row = image.ptr<cv::Vec3b>(y);
    for (int x = clip.x; x < clip.x + clip.width; ++x) {
      if (!m[x]) continue;
      row[x] = paint.texture == Texture::Flat ? flat : mix(paint, field.at(x, y));
    }
  }
}

void applyImaging(cv::Mat& image, const Imaging& im) {
  DST_CHECK(image.type() == CV_8UC3);
  const bool lit = im.gradient != 0 || im.gamma != 1 || im.fog != 0 || im.tint != cv::Vec3f(1, 1, 1);
  if (lit) {
    std::array<float, 256> curve{};  // gamma, then fog, on an 8-bit level
    for (int i = 0; i < 256; ++i) {
      const double g = 255.0 * std::pow(i / 255.0, im.gamma);
      curve[static_cast<size_t>(i)] = static_cast<float>(g * (1 - im.fog) + kFogGrey * im.fog);
    }
    const double c = std::cos(im.gradientAngle), s = std::sin(im.gradientAngle);
    const double span = std::max(1e-9, std::fabs(c) + std::fabs(s));
    const double sx = c / std::max(1, image.cols - 1) / span;
    const double sy = s / std::max(1, image.rows - 1) / span;
    for (int y = 0; y < image.rows; ++y) {
      auto* row = image.ptr<cv::Vec3b>(y);
      for (int x = 0; x < image.cols; ++x) {
        const double along = 0.5 + (x - 0.5 * (image.cols - 1)) * sx +
                             (y - 0.5 * (image.rows - 1)) * sy;  // 0..1
        const float gain = static_cast<float>(1 - im.gradient * along);
        for (int k = 0; k < 3; ++k) {
          const int level = cv::saturate_cast<uchar>(row[x][k] * gain * im.tint[k]);
          row[x][k] = cv::saturate_cast<uchar>(curve[static_cast<size_t>(level)]);
        }
      }
    }
  }
  if (im.blurSigma > 0) {
    cv::GaussianBlur(image, image, cv::Size(0, 0), im.blurSigma, im.blurSigma,
                     cv::BORDER_REFLECT_101);
  }
  if (im.noiseSigma > 0) {
    WorldRng rng(im.noiseSeed);
    const float sigma = static_cast<float>(im.noiseSigma);
    for (int y = 0; y < image.rows; ++y) {
      uchar* p = image.ptr<uchar>(y);
      const int n = image.cols * 3;
      for (int i = 0; i < n; i += 2) {
        const uint64_t bits = rng.next();
        p[i] = cv::saturate_cast<uchar>(p[i] + sigma * bytesToNormal(static_cast<uint32_t>(bits)));
        if (i + 1 < n)
          p[i + 1] = cv::saturate_cast<uchar>(p[i + 1] +
                                              sigma * bytesToNormal(static_cast<uint32_t>(bits >> 32)));
      }
    }
  }
}

}  // namespace distillery::world
