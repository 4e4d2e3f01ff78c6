#include "engine/data/world/domain_spec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace distillery {
namespace {

using nlohmann::json;

TEST(WorldDomainSpecTest, NamedDomainsAreValidUniqueAndCoverSourcesAndTargets) {
  std::set<std::string> names;
  int sources = 0, targets = 0;
  for (const DomainSpec& d : worldDomains()) {
    EXPECT_TRUE(validateDomain(d).ok()) << d.name << ": " << validateDomain(d).message();
    EXPECT_TRUE(names.insert(d.name).second) << "duplicate " << d.name;
    EXPECT_FALSE(d.description.empty()) << d.name;
    (d.isSource ? sources : targets)++;
  }
  EXPECT_GE(sources, 1);
  EXPECT_GE(targets, 3);
  for (const char* n : {"studio", "dusk", "fog", "clutter", "wild"}) EXPECT_TRUE(names.count(n)) << n;
  EXPECT_TRUE(findDomain("studio")->isSource);
  EXPECT_FALSE(findDomain("wild")->isSource);
}

TEST(WorldDomainSpecTest, UnknownDomainErrorListsTheValidNames) {
  const auto r = findDomain("moonlight");
  ASSERT_FALSE(r.ok());
  const std::string& msg = r.status().message();
  EXPECT_NE(msg.find("moonlight"), std::string::npos) << msg;
  for (const DomainSpec& d : worldDomains()) EXPECT_NE(msg.find(d.name), std::string::npos) << msg;
}

TEST(WorldDomainSpecTest, SourcesKeepTheColourShortcutAndTargetsBreakIt) {
  for (const DomainSpec& d : worldDomains()) {
    if (d.isSource) {
      EXPECT_EQ(d.objectColouring, Colouring::Canonical) << d.name;
    }
  }
  EXPECT_EQ(findDomain("dusk")->objectColouring, Colouring::Permuted);
  EXPECT_NE(findDomain("dusk")->paletteShift % 8, 0);
  EXPECT_EQ(findDomain("wild")->objectColouring, Colouring::Random);
  EXPECT_EQ(findDomain("fog")->objectColouring, Colouring::Random);
  // clutter keeps object colours but gives them to distractors.
  EXPECT_EQ(findDomain("clutter")->distractorColouring, Colouring::Palette);
}

TEST(WorldDomainSpecTest, CanonicalHuesAreDistinctAndWrap) {
  std::set<double> hues;
  for (int k = 0; k < 8; ++k) hues.insert(canonicalHue(k));
  EXPECT_EQ(hues.size(), 8u);
  EXPECT_EQ(canonicalHue(8), canonicalHue(0));
  EXPECT_EQ(canonicalHue(-1), canonicalHue(7));
}

TEST(WorldDomainSpecTest, JsonRoundTripKeepsEveryField) {
  for (const DomainSpec& d : worldDomains()) {
    const json j = domainToJson(d);
    const auto back = domainFromJson(j, DomainSpec{}, "test");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(domainToJson(*back), domainToJson(d)) << d.name;
  }
}

TEST(WorldDomainSpecTest, JsonOverridesOnlyTheFieldsGiven) {
  const DomainSpec studio = *findDomain("studio");
  const auto r = domainFromJson(
      json::parse(R"({"name": "grainy", "noiseSigma": [8, 12], "gamma": 1.5,
                      "objectTextures": ["stripes", "noise"]})"),
      studio, "grainy.json");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name, "grainy");
  EXPECT_EQ(r->noiseSigma.min, 8);
  EXPECT_EQ(r->noiseSigma.max, 12);
  EXPECT_EQ(r->gamma.min, 1.5);
  EXPECT_EQ(r->gamma.max, 1.5);
  ASSERT_EQ(r->objectTextures.size(), 2u);
  EXPECT_EQ(r->objectTextures[1], world::Texture::Noise);
  EXPECT_EQ(r->objects.max, studio.objects.max);
  EXPECT_EQ(r->objectColouring, studio.objectColouring);
}

TEST(WorldDomainSpecTest, BadJsonNamesTheFileAndTheField) {
  const DomainSpec base = *findDomain("studio");
  struct Case {
    const char* text;
    const char* expected;
  };
  for (const Case& c : {
           Case{R"({"nosieSigma": [1, 2]})", "unknown field 'nosieSigma'"},
           Case{R"({"objects": [2]})", "field 'objects': expected [min, max] integers"},
           Case{R"({"objects": [6, 2]})", "objects [6, 2]: expected 1 <= min <= max <= 64"},
           Case{R"({"objectColouring": "mauve"})", "field 'objectColouring'"},
           Case{R"({"objectColouring": "palette"})", "'palette' is for distractors"},
           Case{R"({"objectTextures": ["plaid"]})", "field 'objectTextures'"},
           Case{R"({"objectTextures": []})", "objectTextures is empty"},
           Case{R"({"tint": [1, 1]})", "field 'tint'"},
           Case{R"({"fog": [0, 2]})", "fog [0, 2]"},
           Case{R"({"name": ""})", "name is empty"},
           Case{R"([1, 2])", "expected a JSON object"},
       }) {
    const auto r = domainFromJson(json::parse(c.text), base, "my.json");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find("my.json"), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos)
        << c.text << " -> " << r.status().message();
  }
}

}  // namespace
}  // namespace distillery
