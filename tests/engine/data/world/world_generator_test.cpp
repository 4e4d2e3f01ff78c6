#include "engine/data/world/world_generator.h"

#include <gtest/gtest.h>

#include "engine/data/world/appearance.h"
#include "engine/data/world/scene.h"

#include <map>
#include <set>
#include <thread>

namespace distillery {
namespace {

bool sameSample(const WorldSample& a, const WorldSample& b) {
  if (a.image.size() != b.image.size() || a.image.type() != b.image.type()) return false;
  if (cv::norm(a.image, b.image, cv::NORM_INF) != 0) return false;
  if (a.instances.size() != b.instances.size()) return false;
  for (size_t i = 0; i < a.instances.size(); ++i) {
    if (!(a.instances[i].mask == b.instances[i].mask) ||
        a.instances[i].categoryId != b.instances[i].categoryId)
      return false;
  }
  return true;
}

// Studio with every effect off and each object a flat colour of its own (random hue,
// fixed saturation and value), so a pixel's colour says which layer drew it.
DomainSpec plainSpec() {
  DomainSpec s = *findDomain("studio");
  s.name = "plain";
  s.objectColouring = Colouring::Random;
  s.hueJitter = 0;
  s.objectSaturation = {0.9, 0.9};
  s.objectValue = {0.9, 0.9};
  s.backgroundSaturation = 0;  // grey
  s.distractorColouring = Colouring::Neutral;
  s.noiseSigma = {0, 0};
  s.objects = {4, 12};
  s.separation = 0.3;  // plenty of occlusion
  s.distractors = {2, 6};
  s.distractorFront = 0.5;
  return s;
}

bool isGrey(const cv::Vec3b& p) { return p[0] == p[1] && p[1] == p[2]; }

TEST(WorldGeneratorTest, SameSeedAndIndexGiveTheSameSampleInAnyOrder) {
  const DomainSpec wild = *findDomain("wild");
  const WorldGenerator gen(wild, 96, 1234);
  std::vector<WorldSample> forward;
  for (int i = 0; i < 12; ++i) forward.push_back(gen.sample(i));

  // Another generator, reverse order, on two threads.
  const WorldGenerator again(wild, 96, 1234);
  std::vector<WorldSample> backward(12);
  auto work = [&](int parity) {
    for (int i = 11; i >= 0; --i)
      if (i % 2 == parity) backward[static_cast<size_t>(i)] = again.sample(i);
  };
  std::thread t0(work, 0), t1(work, 1);
  t0.join();
  t1.join();
  for (int i = 0; i < 12; ++i) EXPECT_TRUE(sameSample(forward[i], backward[i])) << "sample " << i;
}

TEST(WorldGeneratorTest, IndexSeedAndDomainEachChangeTheSample) {
  const DomainSpec studio = *findDomain("studio");
  const WorldGenerator gen(studio, 64, 7);
  EXPECT_FALSE(sameSample(gen.sample(0), gen.sample(1)));
  EXPECT_FALSE(sameSample(gen.sample(0), WorldGenerator(studio, 64, 8).sample(0)));
  DomainSpec renamed = studio;
  renamed.name = "studio2";  // the name seeds the stream: same seed, other scenes
  EXPECT_FALSE(sameSample(gen.sample(0), WorldGenerator(renamed, 64, 7).sample(0)));
}

TEST(WorldGeneratorTest, ImagesAreBgrOfTheRequestedSize) {
  const WorldSample s = WorldGenerator(*findDomain("fog"), 80, 1).sample(3);
  EXPECT_EQ(s.image.type(), CV_8UC3);
  EXPECT_EQ(s.image.rows, 80);
  EXPECT_EQ(s.image.cols, 80);
  for (const Instance& inst : s.instances) {
    EXPECT_EQ(inst.mask.height, 80);
    EXPECT_EQ(inst.mask.width, 80);
    EXPECT_EQ(inst.imageId, 4);
  }
}

TEST(WorldGeneratorTest, MasksAreExactlyTheVisiblePixelsOfEachObject) {
  const DomainSpec spec = plainSpec();
  const WorldGenerator gen(spec, 96, 5);
  for (int i = 0; i < 40; ++i) {
    const WorldSample s = gen.sample(i);
    cv::Mat covered = cv::Mat::zeros(96, 96, CV_8U);
    for (const Instance& inst : s.instances) {
      const cv::Mat m = rle::decode(inst.mask);
      // No two masks share a pixel: a later object hides the earlier one.
      EXPECT_EQ(cv::countNonZero(m & covered), 0) << "sample " << i;
      covered |= m;
      // Every pixel of a mask has the object's one colour.
      std::set<uint32_t> colours;
      for (int y = 0; y < 96; ++y)
        for (int x = 0; x < 96; ++x)
          if (m.at<uchar>(y, x)) {
            const cv::Vec3b p = s.image.at<cv::Vec3b>(y, x);
            colours.insert(p[0] | (p[1] << 8) | (p[2] << 16));
          }
      EXPECT_EQ(colours.size(), 1u) << "sample " << i;
    }
    // Every coloured pixel belongs to some mask: no object is drawn without a label.
    for (int y = 0; y < 96; ++y)
      for (int x = 0; x < 96; ++x)
        if (!covered.at<uchar>(y, x))
          EXPECT_TRUE(isGrey(s.image.at<cv::Vec3b>(y, x))) << "sample " << i << " " << x << "," << y;
  }
}

TEST(WorldGeneratorTest, EachMaskIsItsShapeMinusEveryLaterLayer) {
  // Recompute the visible masks independently from the planned scene: shape i, clipped
  // to the image, minus the union of all shapes drawn after it (objects and distractors).
  DomainSpec spec = plainSpec();
  spec.minVisibleFraction = 0;
  spec.minVisibleArea = 0;
  spec.separation = 0;
  spec.objects = {8, 12};
  const int size = 96;
  const WorldGenerator gen(spec, size, 3);
  int hidden = 0;
  for (int index = 0; index < 10; ++index) {
    world::WorldRng rng = world::WorldRng::forSample(spec.name, 3, index);
    const world::Scene scene = world::planScene(spec, rng);
    std::vector<cv::Mat> full;
    for (const world::SceneLayer& l : scene.layers) {
      const world::ShapeRaster r =
          world::rasterise(l.form, {l.cx * size, l.cy * size, l.radius * size, l.angle});
      cv::Mat canvas = cv::Mat::zeros(size, size, CV_8U);
      const cv::Rect clip = cv::Rect(r.origin, r.mask.size()) & cv::Rect(0, 0, size, size);
      if (!clip.empty()) r.mask(clip - r.origin).copyTo(canvas(clip));
      full.push_back(canvas);
    }
    std::vector<std::pair<int64_t, cv::Mat>> expected;
    for (size_t i = 0; i < scene.layers.size(); ++i) {
      if (scene.layers[i].classIndex < 0) continue;
      cv::Mat visible = full[i].clone();
      for (size_t j = i + 1; j < scene.layers.size(); ++j) visible.setTo(0, full[j]);
      if (cv::countNonZero(visible) == 0) continue;  // wholly hidden: not a label
      hidden += cv::countNonZero(visible) < cv::countNonZero(full[i]);
      expected.emplace_back(scene.layers[i].classIndex + 1, visible);
    }
    const WorldSample s = gen.sample(index);
    ASSERT_EQ(s.instances.size(), expected.size()) << "sample " << index;
    for (size_t k = 0; k < expected.size(); ++k) {
      EXPECT_EQ(s.instances[k].categoryId, expected[k].first);
      EXPECT_TRUE(s.instances[k].mask == rle::encode(expected[k].second))
          << "sample " << index << " instance " << k;
    }
  }
  EXPECT_GT(hidden, 10);  // the scenes really overlap
}

TEST(WorldGeneratorTest, InstancesShowingTooLittleAreDroppedAndNotDrawn) {
  // minVisibleFraction = 1 keeps only objects seen whole: each mask is then a complete
  // shape of the plan, and the image still has no unlabelled object pixels.
  DomainSpec spec = plainSpec();
  spec.minVisibleFraction = 1;
  spec.separation = 0.2;
  const int size = 96;
  const WorldGenerator gen(spec, size, 9);
  size_t planned = 0, kept = 0;
  for (int index = 0; index < 10; ++index) {
    world::WorldRng rng = world::WorldRng::forSample(spec.name, 9, index);
    const world::Scene scene = world::planScene(spec, rng);
    std::vector<world::ShapeRaster> objects;
    for (const world::SceneLayer& l : scene.layers)
      if (l.classIndex >= 0)
        objects.push_back(
            world::rasterise(l.form, {l.cx * size, l.cy * size, l.radius * size, l.angle}));
    planned += objects.size();
    const WorldSample s = gen.sample(index);
    kept += s.instances.size();
    for (const Instance& inst : s.instances) {
      bool whole = false;
      for (const world::ShapeRaster& r : objects) whole |= static_cast<int>(inst.area) == r.area;
      EXPECT_TRUE(whole) << "sample " << index << ": a partly hidden instance was kept";
    }
    cv::Mat covered = cv::Mat::zeros(size, size, CV_8U);
    for (const Instance& inst : s.instances) covered |= rle::decode(inst.mask);
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x)
        if (!covered.at<uchar>(y, x)) ASSERT_TRUE(isGrey(s.image.at<cv::Vec3b>(y, x)));
  }
  EXPECT_LT(kept, planned);  // some were dropped
  EXPECT_GT(kept, 0u);
}

TEST(WorldGeneratorTest, CountsClassesAndAreasStayWithinTheSpec) {
  for (const DomainSpec& spec : worldDomains()) {
    const WorldGenerator gen(spec, 128, 11);
    std::map<int64_t, int> perClass;
    int total = 0;
    const double minPixels = spec.minVisibleArea * 128 * 128;
    for (int i = 0; i < 60; ++i) {
      const WorldSample s = gen.sample(i);
      EXPECT_LE(static_cast<int>(s.instances.size()), spec.objects.max) << spec.name;
      for (const Instance& inst : s.instances) {
        EXPECT_GE(inst.categoryId, 1);
        EXPECT_LE(inst.categoryId, 8);
        EXPECT_EQ(inst.area, static_cast<double>(rle::area(inst.mask)));
        EXPECT_GE(inst.area, minPixels) << spec.name;
        EXPECT_FALSE(inst.iscrowd);
        ++perClass[inst.categoryId];
        ++total;
      }
    }
    EXPECT_EQ(perClass.size(), 8u) << spec.name << ": every class appears";
    // Few objects are lost to occlusion: on average at least the minimum count survives.
    EXPECT_GE(total, 60 * spec.objects.min * 7 / 10) << spec.name;
  }
}

TEST(WorldGeneratorTest, CategoriesAreTheEightShapes) {
  const auto cats = worldCategories();
  ASSERT_EQ(cats.size(), 8u);
  const std::vector<std::string> names{"disc", "square", "triangle", "star",
                                       "ring", "cross",  "crescent", "heart"};
  for (size_t i = 0; i < cats.size(); ++i) {
    EXPECT_EQ(cats[i].id, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(cats[i].name, names[i]);
  }
}

TEST(WorldGeneratorTest, ColourFidelityIsTheShareOfObjectsInTheirClassColour) {
  auto shareInClassColour = [](Colouring colouring, int shift, double fidelity) {
    DomainSpec spec = plainSpec();
    spec.objectColouring = colouring;
    spec.paletteShift = shift;
    spec.colourFidelity = fidelity;
    const WorldGenerator gen(spec, 64, 17);
    int inColour = 0, total = 0;
    for (int i = 0; i < 60; ++i) {
      const WorldSample s = gen.sample(i);
      for (const Instance& inst : s.instances) {
        const cv::Vec3f c = world::hsvToBgr(canonicalHue(static_cast<int>(inst.categoryId) - 1), 0.9, 0.9);
        const cv::Vec3b expected(cv::saturate_cast<uchar>(c[0]), cv::saturate_cast<uchar>(c[1]),
                                 cv::saturate_cast<uchar>(c[2]));
        const cv::Mat m = rle::decode(inst.mask);
        cv::Point at;
        cv::minMaxLoc(m, nullptr, nullptr, nullptr, &at);
        inColour += s.image.at<cv::Vec3b>(at) == expected;
        ++total;
      }
    }
    return static_cast<double>(inColour) / total;
  };
  EXPECT_EQ(shareInClassColour(Colouring::Canonical, 0, 1.0), 1.0);
  EXPECT_NEAR(shareInClassColour(Colouring::Canonical, 0, 0.5), 0.5, 0.12);
  // Permuted: class k wears class k+3's hue, never its own.
  EXPECT_EQ(shareInClassColour(Colouring::Permuted, 3, 1.0), 0.0);
}

TEST(WorldGeneratorTest, ScaleFollowsTheSpec) {
  DomainSpec small = plainSpec(), large = plainSpec();
  small.objectScale = {0.05, 0.06};
  large.objectScale = {0.18, 0.2};
  small.objects = large.objects = {2, 2};
  small.separation = large.separation = 1;
  auto meanArea = [](const DomainSpec& s) {
    const WorldGenerator gen(s, 128, 2);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < 20; ++i)
      for (const Instance& inst : gen.sample(i).instances) sum += inst.area, ++n;
    return sum / std::max(n, 1);
  };
  EXPECT_GT(meanArea(large), 6 * meanArea(small));
}

}  // namespace
}  // namespace distillery
