// Corpus fuzzing: real files cut short, bytes overwritten and values swapped for
// values of other types. Every importer must answer ok or a Status naming the file,
// never throw or crash, and whatever it returns must be well formed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <random>

#include "engine/data/formats/coco_json.h"
#include "engine/data/formats/coco_results.h"
#include "engine/data/formats/labelme_json.h"
#include "engine/data/formats/via_json.h"
#include "tests/engine/data/formats/format_test_util.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

using Json = nlohmann::json;

// A reader under test: file text -> ok or error, with the report it filled. Texts are
// parsed in memory by the readers' own parser (json_fields::parseText), not written out.
using Reader = std::function<Status(const std::string&, ConversionReport&)>;

template <class T>
Status statusOf(const Result<T>& r) {
  return r.ok() ? Status() : r.status();
}

void expectWellFormed(const Dataset& d) {
  for (const ImageRecord& im : d.images) {
    EXPECT_GT(im.width, 0);
    EXPECT_GT(im.height, 0);
  }
  for (const Instance& inst : d.instances) {
    const ImageRecord* im = d.image(inst.imageId);
    ASSERT_NE(im, nullptr);
    EXPECT_EQ(inst.mask.height, im->height);
    EXPECT_EQ(inst.mask.width, im->width);
    uint64_t total = 0;
    for (uint32_t c : inst.mask.counts) total += c;
    EXPECT_EQ(total, static_cast<uint64_t>(im->width) * im->height);
    EXPECT_NE(d.category(inst.categoryId), nullptr);
  }
}

// Values of every JSON type, including ones that break numeric conversions.
Json oddValue(std::mt19937& rng) {
  static const std::vector<Json> kValues = {nullptr,
                                            true,
                                            -1,
                                            0,
                                            2147483648LL,
                                            1e300,
                                            -0.5,
                                            "",
                                            "x",
                                            "../../etc/passwd",
                                            "/abs.png",
                                            Json::array(),
                                            Json::array({1, 2}),
                                            Json::parse("[[1,2],[3,4]]"),
                                            Json::object(),
                                            Json::parse(R"({"a": 1})"),
                                            Json::parse(R"({"size": [3, 3], "counts": "12"})"),
                                            18446744073709551615ULL,
                                            9007199254740993.0};
  return kValues[std::uniform_int_distribution<size_t>(0, kValues.size() - 1)(rng)];
}

// Replaces one randomly chosen value (at any depth) by an odd one.
void swapRandomValue(Json& j, std::mt19937& rng) {
  Json* node = &j;
  for (int depth = 0; depth < 8 && (node->is_object() || node->is_array()) && !node->empty();
       ++depth) {
    const size_t k = std::uniform_int_distribution<size_t>(0, node->size() - 1)(rng);
    Json* child =
        node->is_array() ? &(*node)[k] : &std::next(node->begin(), static_cast<long>(k)).value();
    node = child;
    if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) break;
  }
  *node = oddValue(rng);
}

struct FuzzStats {
  ~FuzzStats() { std::cout << "fuzz cases: " << ok << " read, " << failed << " refused\n"; }
  int ok = 0, failed = 0;
};

// DST_FUZZ_ROUNDS=N runs N rounds of different seeds (default 1, as in CI).
int fuzzRounds() {
  const char* env = std::getenv("DST_FUZZ_ROUNDS");
  return env ? std::max(1, std::atoi(env)) : 1;
}

void fuzzRound(const std::string& label, const std::string& text, const std::string& name,
               const Reader& read, uint32_t seed, FuzzStats& stats);

void fuzz(const std::string& label, const std::string& text, const std::string& name,
          const Reader& read, uint32_t seed, FuzzStats& stats) {
  for (int round = 0; round < fuzzRounds(); ++round)
    fuzzRound(label, text, name, read, seed + 1000 * round, stats);
}

void fuzzRound(const std::string& label, const std::string& text, const std::string& name,
               const Reader& read, uint32_t seed, FuzzStats& stats) {
  std::mt19937 rng(seed);
  auto run = [&](const std::string& variant, const std::string& what) {
    ConversionReport report;
    Status s;
    try {
      s = read(variant, report);
    } catch (const std::exception& e) {
      ADD_FAILURE() << label << " " << what << ": threw " << e.what();
      return;
    }
    if (s.ok()) {
      ++stats.ok;
    } else {
      ++stats.failed;
      EXPECT_TRUE(test::contains(s.message(), name)) << label << " " << what << ": " << s.message();
    }
    for (const std::string& line : report.skipped) {
      EXPECT_TRUE(test::contains(line, name)) << label << " " << what << ": " << line;
    }
  };
  // Truncations: 40 spread over the file plus 20 at random.
  for (int i = 1; i <= 40; ++i)
    run(text.substr(0, text.size() * i / 41), "cut at " + std::to_string(text.size() * i / 41));
  for (int i = 0; i < 20; ++i) {
    const size_t at = std::uniform_int_distribution<size_t>(0, text.size())(rng);
    run(text.substr(0, at), "cut at " + std::to_string(at));
  }
  // Byte mutations: 1-4 bytes, from JSON's structural characters or any byte.
  static const std::string kBytes = "{}[]\",:0123456789.-eE \\nulltrue\x01\xff\xc3";
  for (int i = 0; i < 60; ++i) {
    std::string m = text;
    const int n = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int k = 0; k < n; ++k) {
      const size_t at = std::uniform_int_distribution<size_t>(0, m.size() - 1)(rng);
      m[at] = std::uniform_int_distribution<int>(0, 1)(rng)
                  ? kBytes[std::uniform_int_distribution<size_t>(0, kBytes.size() - 1)(rng)]
                  : static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    }
    run(m, "mutation " + std::to_string(i));
  }
  // Type swaps: valid JSON with 1-3 values replaced by values of other types.
  const Json doc = Json::parse(text);
  for (int i = 0; i < 60; ++i) {
    Json m = doc;
    const int n = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int k = 0; k < n; ++k) swapRandomValue(m, rng);
    run(m.dump(), "type swap " + std::to_string(i) + ": " + m.dump().substr(0, 0));
  }
}

// The first `images` images of COCO128 with their annotations (one crowd RLE among them).
std::string cocoSubset(size_t images) {
  const Json full = Json::parse(test::readText(test::sharedData() / "coco128" / "instances.json"));
  Json sub = {{"categories", full["categories"]},
              {"images", Json::array()},
              {"annotations", Json::array()}};
  std::set<int64_t> ids;
  for (const Json& im : full["images"]) {
    const bool crowdImage = im["id"] == 257;  // has a crowd RLE
    if (sub["images"].size() < images || crowdImage) {
      sub["images"].push_back(im);
      ids.insert(im["id"].get<int64_t>());
    }
  }
  for (const Json& a : full["annotations"]) {
    if (ids.count(a["image_id"].get<int64_t>())) sub["annotations"].push_back(a);
  }
  return sub.dump();
}

TEST(FormatsFuzzTest, CocoJsonNeverThrows) {
  DST_REQUIRE_SHARED_DATA();
  const std::string text = cocoSubset(2);
  FuzzStats stats;
  fuzz(
      "coco", text, "instances.json",
      [](const std::string& text, ConversionReport& r) {
        const auto doc = json_fields::parseText(text, "instances.json");
        if (!doc.ok()) return doc.status();
        const auto d = cocoFromJson(*doc, "instances.json", {}, &r);
        if (d.ok()) expectWellFormed(*d);
        return statusOf(d);
      },
      1, stats);
  EXPECT_GT(stats.ok, 20);  // type swaps and some mutations still parse
  EXPECT_GT(stats.failed, 60);
}

TEST(FormatsFuzzTest, CocoResultsNeverThrow) {
  const Dataset gt = test::tinyDataset();
  std::vector<Instance> dets = gt.instances;
  const auto dir = test::freshTempDir("fuzz_results");
  ASSERT_TRUE(writeCocoResults(dets, dir / "seed.json").ok());
  FuzzStats stats;
  fuzz(
      "results", test::readText(dir / "seed.json"), "results.json",
      [&gt](const std::string& text, ConversionReport& r) {
        const auto doc = json_fields::parseText(text, "results.json");
        if (!doc.ok()) return doc.status();
        const auto d = cocoResultsFromJson(*doc, "results.json", gt, &r);
        if (d.ok()) {
          for (const Instance& i : *d) EXPECT_EQ(i.mask.height, gt.image(i.imageId)->height);
        }
        return statusOf(d);
      },
      2, stats);
  EXPECT_GT(stats.ok, 20);
}

TEST(FormatsFuzzTest, ViaJsonNeverThrows) {
  DST_REQUIRE_SHARED_DATA();
  const auto val = test::sharedData() / "balloon" / "val";
  const Json full = Json::parse(test::readText(val / "via_region_data.json"));
  Json sub = Json::object();
  for (auto it = full.begin(); it != full.end() && sub.size() < 2; ++it) sub[it.key()] = it.value();
  FuzzStats stats;
  fuzz(
      "via", sub.dump(), "via_region_data.json",
      [&val](const std::string& text, ConversionReport& r) {
        const auto doc = json_fields::parseText(text, "via_region_data.json");
        if (!doc.ok()) return doc.status();
        ViaReadOptions options;
        options.imageRoot = val;  // the real images, read in place
        const auto d = viaFromJson(*doc, "via_region_data.json", options, &r);
        if (d.ok()) expectWellFormed(*d);
        return statusOf(d);
      },
      3, stats);
  EXPECT_GT(stats.ok, 20);
}

TEST(FormatsFuzzTest, LabelmeNeverThrows) {
  const auto dir = test::freshTempDir("fuzz_labelme");
  cv::imwrite((dir / "s.png").string(), cv::Mat(30, 40, CV_8UC3, cv::Scalar(3, 3, 3)));
  std::vector<unsigned char> png;
  cv::imencode(".png", cv::Mat(3, 3, CV_8U, cv::Scalar(1)), png);
  const Json doc = {
      {"version", "5.2.1"},
      {"flags", Json::object()},
      {"shapes",
       Json::array(
           {Json::parse(
                R"({"label": "a", "points": [[1,1],[9,1],[9,7],[1,7]], "group_id": 1, "shape_type": "polygon", "flags": {}})"),
            Json::parse(
                R"({"label": "a", "points": [[20,20],[30,20],[25,28]], "group_id": 1, "shape_type": "polygon", "flags": {}})"),
            Json::parse(
                R"({"label": "b", "points": [[2,10],[12,18]], "group_id": null, "shape_type": "rectangle", "flags": {"iscrowd": true}})"),
            Json::parse(
                R"({"label": "c", "points": [[30,10],[33,12]], "group_id": null, "shape_type": "circle", "flags": {}})"),
            {{"label", "d"},
             {"points", Json::parse("[[5,20],[8,23]]")},
             {"shape_type", "mask"},
             {"mask", test::base64(png)}}})},
      {"imagePath", "s.png"},
      {"imageData", nullptr},
      {"imageHeight", 30},
      {"imageWidth", 40}};
  {
    ConversionReport r;
    test::writeText(dir / "s.json", doc.dump());
    const auto d = readLabelme(dir / "s.json", {}, &r);
    ASSERT_TRUE(d.ok()) << d.status().message();
    ASSERT_EQ(d->instances.size(), 4u) << r.summary();  // the seed itself is fully valid
  }
  FuzzStats stats;
  fuzz(
      "labelme", doc.dump(), "s.json",
      [&dir](const std::string& text, ConversionReport& r) {
        const auto parsed = json_fields::parseText(text, "s.json");
        if (!parsed.ok()) return parsed.status();
        LabelmeReadOptions options;
        options.imageRoot = dir;
        CategoryTable categories;
        Dataset d;
        const Status s = labelmeInto(*parsed, "s.json", dir, options, categories, d, r);
        d.categories = categories.categories();
        if (s.ok()) expectWellFormed(d);
        return s;
      },
      4, stats);
  EXPECT_GT(stats.ok, 20);
}

}  // namespace
}  // namespace distillery
