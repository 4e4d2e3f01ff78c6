// Renders a planned scene: rasterise every layer once, settle which objects stay
// visible enough to be labelled, then paint and apply the domain's light and sensor.
#include "engine/data/world/world_generator.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "engine/data/world/scene.h"

namespace distillery {
namespace {

using world::SceneLayer;
using world::ShapeRaster;

// Writes `value` into labels wherever the raster is set (clipped to the image).
void stamp(cv::Mat& labels, const ShapeRaster& r, uchar value) {
  const cv::Rect clip = cv::Rect(r.origin, r.mask.size()) & cv::Rect(0, 0, labels.cols, labels.rows);
  if (clip.empty()) return;
  cv::Mat dst = labels(clip);
  const cv::Mat src = r.mask(clip - r.origin);
  dst.setTo(cv::Scalar(value), src);
}

// Label map of the layers still `kept`: 0 = background or distractor, k = object slot k.
cv::Mat labelMap(const std::vector<SceneLayer>& layers, const std::vector<ShapeRaster>& rasters,
                 const std::vector<int>& slot, const std::vector<bool>& kept, int size) {
  cv::Mat labels = cv::Mat::zeros(size, size, CV_8U);
  for (size_t i = 0; i < layers.size(); ++i) {
    if (!kept[i]) continue;
    stamp(labels, rasters[i], static_cast<uchar>(slot[i]));
  }
  return labels;
}

}  // namespace

std::vector<Category> worldCategories() {
  std::vector<Category> cats;
  for (int k = 0; k < world::kClassCount; ++k)
    cats.push_back({k + 1, world::shapeName(world::classShape(k)), "shape"});
  return cats;
}

WorldGenerator::WorldGenerator(DomainSpec spec, int size, uint64_t seed)
    : spec_(std::move(spec)), size_(size), seed_(seed) {
  DST_CHECK(validateDomain(spec_).ok());
  DST_CHECK(size_ >= kMinWorldSize && size_ <= kMaxWorldSize);
  DST_CHECK(spec_.objects.max + spec_.distractors.max < 255);  // fits the 8-bit label map
}

WorldSample WorldGenerator::sample(int64_t index) const {
  world::WorldRng rng = world::WorldRng::forSample(spec_.name, seed_, index);
  const world::Scene scene = world::planScene(spec_, rng);
  const double side = size_;
  const size_t n = scene.layers.size();

  std::vector<ShapeRaster> rasters(n);
  std::vector<int> slot(n, 0);
  int objects = 0;
  for (size_t i = 0; i < n; ++i) {
    const SceneLayer& l = scene.layers[i];
    rasters[i] = world::rasterise(l.form, {l.cx * side, l.cy * side, l.radius * side, l.angle});
    if (l.classIndex >= 0) slot[i] = ++objects;
  }

  // Drop objects that occluders or the border hide too much: a shape a viewer cannot
  // recognise must not be a label. Dropping one only uncovers others, so this settles.
  std::vector<bool> kept(n, true);
  const double minPixels = spec_.minVisibleArea * side * side;
  cv::Mat labels;
  for (bool changed = true; changed;) {
    changed = false;
    labels = labelMap(scene.layers, rasters, slot, kept, size_);
    std::vector<int> visible(static_cast<size_t>(objects) + 1, 0);
    for (int y = 0; y < size_; ++y) {
      const uchar* row = labels.ptr<uchar>(y);
      for (int x = 0; x < size_; ++x) ++visible[row[x]];
    }
    for (size_t i = 0; i < n; ++i) {
      if (!kept[i] || slot[i] == 0) continue;
      const double shown = visible[static_cast<size_t>(slot[i])];
      if (shown < std::max(minPixels, spec_.minVisibleFraction * rasters[i].area) || shown == 0) {
        kept[i] = false;
        changed = true;
      }
    }
  }

  WorldSample out;
  out.image.create(size_, size_, CV_8UC3);
  world::Paint background = scene.background;
  background.period *= side;
  world::paintAll(out.image, background);
  for (size_t i = 0; i < n; ++i) {
    if (!kept[i]) continue;
    const SceneLayer& l = scene.layers[i];
    world::Paint paint = l.paint;
    paint.period *= side;
    world::paintMasked(out.image, rasters[i].mask, rasters[i].origin, paint,
                       {l.cx * side, l.cy * side});
  }
  world::Imaging imaging = scene.imaging;
  imaging.blurSigma *= side / 128.0;
  world::applyImaging(out.image, imaging);

  cv::Mat mask;
  for (size_t i = 0; i < n; ++i) {
    if (!kept[i] || slot[i] == 0) continue;
    cv::compare(labels, slot[i], mask, cv::CMP_EQ);
    Instance inst;
    inst.imageId = index + 1;
    inst.categoryId = scene.layers[i].classIndex + 1;
    inst.mask = rle::encode(mask);
    inst.area = static_cast<double>(rle::area(inst.mask));
    out.instances.push_back(std::move(inst));
  }
  return out;
}

}  // namespace distillery
