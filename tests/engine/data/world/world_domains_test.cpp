// The domains differ the way docs/world.md says, and the shift hits the colour
// shortcut while shape keeps working.
#include <gtest/gtest.h>

#include <map>
#include <opencv2/imgproc.hpp>

#include "engine/data/world/world_generator.h"
#include "engine/data/world/world_probe.h"

namespace distillery {
namespace {

struct Stats {
  double brightness = 0;  // mean grey level
  double contrast = 0;    // std of grey levels within an image
  double saturation = 0;  // mean HSV saturation (0..255)
  double detail = 0;      // mean |Laplacian|: texture, noise and sharp edges
};

Stats stats(const std::string& domain) {
  const WorldGenerator gen(*findDomain(domain), 96, 21);
  Stats s;
  constexpr int kImages = 16;
  for (int i = 0; i < kImages; ++i) {
    const cv::Mat img = gen.sample(i).image;
    cv::Mat grey, hsv, lap;
    cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
    cv::cvtColor(img, hsv, cv::COLOR_BGR2HSV);
    cv::Laplacian(grey, lap, CV_32F);
    cv::Scalar mean, sd;
    cv::meanStdDev(grey, mean, sd);
    s.brightness += mean[0] / kImages;
    s.contrast += sd[0] / kImages;
    s.saturation += cv::mean(hsv)[1] / kImages;
    s.detail += cv::mean(cv::abs(lap))[0] / kImages;
  }
  return s;
}

const std::map<std::string, Stats>& allStats() {
  static const std::map<std::string, Stats> kStats = [] {
    std::map<std::string, Stats> m;
    for (const DomainSpec& d : worldDomains()) m[d.name] = stats(d.name);
    return m;
  }();
  return kStats;
}

TEST(WorldDomainsTest, EveryDomainGeneratesLabelledImages) {
  for (const DomainSpec& d : worldDomains()) {
    const WorldGenerator gen(d, 64, 1);
    size_t instances = 0;
    for (int i = 0; i < 8; ++i) instances += gen.sample(i).instances.size();
    EXPECT_GE(instances, 8u) << d.name;
  }
}

TEST(WorldDomainsTest, DomainsDifferAsDescribed) {
  const auto& s = allStats();
  const Stats& studio = s.at("studio");
  EXPECT_LT(s.at("dusk").brightness, 0.5 * studio.brightness);
  EXPECT_LT(s.at("fog").contrast, 0.7 * studio.contrast);
  EXPECT_LT(s.at("fog").saturation, 0.8 * studio.saturation);
  EXPECT_GT(s.at("clutter").detail, 3 * studio.detail);
  EXPECT_GT(s.at("wild").detail, 1.7 * studio.detail);
  EXPECT_GT(s.at("workshop").detail, 1.15 * studio.detail);
  EXPECT_LT(s.at("fog").detail, 0.8 * studio.detail);  // blur
}

TEST(WorldDomainsTest, EveryPairOfDomainsDiffersMeasurably) {
  const auto& s = allStats();
  for (auto a = s.begin(); a != s.end(); ++a) {
    for (auto b = std::next(a); b != s.end(); ++b) {
      auto rel = [](double x, double y) { return std::abs(x - y) / std::max({x, y, 1e-9}); };
      const double most = std::max({rel(a->second.brightness, b->second.brightness),
                                    rel(a->second.contrast, b->second.contrast),
                                    rel(a->second.saturation, b->second.saturation),
                                    rel(a->second.detail, b->second.detail)});
      EXPECT_GT(most, 0.15) << a->first << " vs " << b->first;
    }
  }
}

TEST(WorldDomainsTest, ShiftBreaksTheColourShortcutButNotShape) {
  const DomainSpec studio = *findDomain("studio");
  std::vector<DomainSpec> targets;
  for (const char* n : {"studio", "dusk", "fog", "wild"}) targets.push_back(*findDomain(n));
  const auto report = probeShift(studio, targets, 60, 96, 4);
  ASSERT_EQ(report.size(), 4u);
  std::map<std::string, ShiftProbe> by;
  for (const ShiftProbe& p : report) {
    EXPECT_GT(p.instances, 100) << p.domain;
    by[p.domain] = p;
  }
  // On the source the shortcut holds for colourFidelity (0.75) of the objects.
  EXPECT_GT(by["studio"].colourAccuracy, 0.7);
  EXPECT_LT(by["dusk"].colourAccuracy, 0.1);  // permuted: the shortcut is wrong every time
  EXPECT_LT(by["fog"].colourAccuracy, 0.3);   // random colours: near chance (1/8)
  EXPECT_LT(by["wild"].colourAccuracy, 0.3);
  for (const auto& [name, p] : by) EXPECT_GT(p.shapeAccuracy, 0.5) << name;
}

}  // namespace
}  // namespace distillery
