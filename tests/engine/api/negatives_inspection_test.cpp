// The negatives inspector's engine API on a tiny model and generated world images:
// R negatives inside the other images, maps at the model's 1/4 grid without the batch
// padding, the own instance never drawn when the predictions are confident, modes,
// determinism, project batches and the errors a user can cause.
#include "engine/api/negatives_inspection.h"

#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

#include "engine/data/rle.h"
#include "engine/data/world/world_generator.h"
#include "engine/export/segmenter_trace.h"
#include "engine/store/project.h"
#include "engine/training/segmentation_model.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

struct World {
  fs::path dir;
  fs::path model;  // tiny.pt + tiny.json + tiny.ckpt
  std::vector<fs::path> files;
  std::vector<std::vector<Instance>> labels;
};

// Four 64x64 world images and a tiny model (random weights) exported at 64 px. Built
// once: every test only reads it.
const World& world() {
  static const World w = [] {
    World out;
    out.dir = test::freshTempDir("negatives");
    WorldGenerator gen(findDomain("studio").value(), 64, 7);
    for (int i = 0; i < 4; ++i) {
      WorldSample s = gen.sample(i);
      out.files.push_back(out.dir / ("world" + std::to_string(i) + ".png"));
      cv::imwrite(out.files.back().string(), s.image);
      out.labels.push_back(s.instances);
    }
    torch::manual_seed(3);
    const auto categories = worldCategories();
    NativeSegmentationModel model(
        presetConfig("tiny", static_cast<int>(categories.size())).value());
    std::vector<std::string> names;
    for (const auto& c : categories) names.push_back(c.name);
    out.model = out.dir / "tiny.pt";
    EXPECT_TRUE(saveNativeModel(model, out.dir / "tiny.ckpt", names).ok());
    EXPECT_TRUE(exportSegmenter(model.segmenter(), segmenterSidecar(model.config(), names, {}, 64),
                                out.model, 64)
                    .ok());
    return out;
  }();
  return w;
}

NegativesInspectionSession openOn(const std::vector<fs::path>& files,
                                  InspectionOptions options = {},
                                  const std::vector<std::vector<Instance>>& labels = {}) {
  auto s = NegativesInspectionSession::open(world().model, options);
  EXPECT_TRUE(s.ok()) << s.status().message();
  const Status set = s->setImages(files, labels);
  EXPECT_TRUE(set.ok()) << set.message();
  return std::move(*s);
}

NegativesQueryResult run(const NegativesInspectionSession& s, const NegativesQuery& q) {
  auto r = s.query(q);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : NegativesQueryResult{};
}

std::set<std::tuple<int, int, int>> drawnSet(const NegativesQueryResult& r) {
  std::set<std::tuple<int, int, int>> out;
  for (const auto& n : r.negatives) out.insert({n.image, n.x, n.y});
  return out;
}

TEST(NegativesInspectionTest, DrawsRNegativesInsideTheOtherImages) {
  const auto s = openOn(world().files);
  ASSERT_EQ(s.images().size(), 4u);
  EXPECT_EQ(s.inputSize(), 64);  // from the sidecar
  EXPECT_EQ(s.images()[2].preview.size(), cv::Size(64, 64));
  NegativesQuery q;
  q.image = 1;
  q.x = 30;
  q.y = 17;
  q.negatives = 50;
  const NegativesQueryResult r = run(s, q);
  ASSERT_EQ(r.negatives.size(), 50u);
  EXPECT_EQ(drawnSet(r).size(), 50u);  // without replacement
  for (const auto& n : r.negatives) {
    EXPECT_NE(n.image, 1);
    EXPECT_TRUE(n.x >= 0 && n.x < 64 && n.y >= 0 && n.y < 64) << n.x << "," << n.y;
    EXPECT_GT(n.weight, 0.0f);
    EXPECT_FLOAT_EQ(n.weight, r.weights[n.image].atPixel(n.x, n.y));
  }
  ASSERT_EQ(r.weights.size(), 4u);
  EXPECT_TRUE(r.weights[1].empty());  // the anchor's image holds no candidates
  double total = 0;
  for (int b : {0, 2, 3}) {
    const auto& w = r.weights[b];
    EXPECT_EQ(w.width, 16);  // 64 px input, masks at 1/4
    EXPECT_EQ(w.height, 16);
    EXPECT_DOUBLE_EQ(w.scaleX, 4.0);
    total += std::accumulate(w.values.begin(), w.values.end(), 0.0);
  }
  EXPECT_NEAR(total, 1.0, 1e-4);
  // The own instance (from the model here: no labels) contains the anchor.
  EXPECT_EQ(r.ownInstance.source, "model");
  EXPECT_EQ(r.ownInstance.mask.width, 16);
  EXPECT_EQ(r.ownInstance.mask.atPixel(q.x, q.y), 1);
  EXPECT_NE(r.explanation.find("Gumbel top-k"), std::string::npos) << r.explanation;
  EXPECT_NE(r.explanation.find("tiny.pt at 64 px"), std::string::npos) << r.explanation;
}

TEST(NegativesInspectionTest, MapsCoverTheImageNotTheBatchPadding) {
  // A 96x64 image is fed at 64x43 and padded to 64x64: 16x11 cells show the image.
  cv::Mat wide;
  cv::resize(cv::imread(world().files[0].string()), wide, cv::Size(96, 64));
  const fs::path file = test::freshTempDir("negatives-wide") / "wide.png";
  cv::imwrite(file.string(), wide);
  const auto s = openOn({world().files[1], file});
  NegativesQuery q;
  q.sampling = "uniform";
  q.negatives = 10'000;  // more than there are candidates: every one is drawn
  const NegativesQueryResult r = run(s, q);
  const auto& w = r.weights[1];
  EXPECT_EQ(w.width, 16);
  EXPECT_EQ(w.height, 11);
  EXPECT_DOUBLE_EQ(w.scaleX, 6.0);
  EXPECT_NEAR(w.scaleY, 4.0 * 64 / 43, 1e-9);
  EXPECT_EQ(r.candidates, 16 * 11);
  ASSERT_EQ(r.negatives.size(), 16u * 11u);
  for (const auto& n : r.negatives) EXPECT_TRUE(n.x < 96 && n.y < 64) << n.x << "," << n.y;
  EXPECT_NE(r.explanation.find("only 176 have w > 0"), std::string::npos) << r.explanation;
}

// The anchor: a cell centre inside the largest labelled instance of image 0.
cv::Point anchorInLargestInstance(cv::Mat* ownMask = nullptr) {
  const auto& labels = world().labels[0];
  EXPECT_FALSE(labels.empty());
  const Instance& big = *std::max_element(
      labels.begin(), labels.end(),
      [](const Instance& a, const Instance& b) { return rle::area(a.mask) < rle::area(b.mask); });
  const cv::Mat own = rle::decode(big.mask);
  if (ownMask != nullptr) *ownMask = own;
  for (int y = 2; y < 64; y += 4)
    for (int x = 2; x < 64; x += 4)
      if (own.at<uint8_t>(y, x)) return {x, y};
  ADD_FAILURE() << "no cell centre inside the instance";
  return {0, 0};
}

TEST(NegativesInspectionTest, ConfidentPredictionsNeverDrawTheOwnInstance) {
  InspectionOptions options;
  options.labelsAsPredictions = true;
  const auto s = openOn(world().files, options, world().labels);
  cv::Mat own;
  const cv::Point anchor = anchorInLargestInstance(&own);

  for (const char* mode : {"fused", "mask-only", "class-only"}) {
    NegativesQuery q;
    q.image = 0;
    q.x = anchor.x;
    q.y = anchor.y;
    q.sampling = mode;
    q.includeAnchorImage = true;
    q.negatives = 200;
    const NegativesQueryResult r = run(s, q);
    EXPECT_EQ(r.ownInstance.source, "labels");
    EXPECT_FALSE(r.ownInstance.background);
    EXPECT_EQ(r.ownInstance.mask.atPixel(anchor.x, anchor.y), 1);
    EXPECT_EQ(r.negatives.size(), 200u) << mode;
    EXPECT_EQ(r.negativesInOwnInstance, 0) << mode;
    EXPECT_LT(r.ownInstanceWeight, 1e-6) << mode;
    for (const auto& n : r.negatives) {
      if (n.image == 0) {
        EXPECT_EQ(own.at<uint8_t>(n.y, n.x), 0) << mode << " drew " << n.x << "," << n.y;
      }
    }
    EXPECT_NE(r.explanation.find("suppressed, as the loss intends"), std::string::npos)
        << r.explanation;
  }
  // Uniform sampling ignores the predictions: drawing every candidate includes the instance.
  NegativesQuery all;
  all.x = anchor.x;
  all.y = anchor.y;
  all.sampling = "uniform";
  all.includeAnchorImage = true;
  all.negatives = 10'000;
  EXPECT_GT(run(s, all).negativesInOwnInstance, 0);
}

TEST(NegativesInspectionTest, ModesDrawDifferentNegatives) {
  // Confident predictions, so the modes' weights really differ. (On the untrained tiny
  // model every mode's weights are nearly flat and the draws coincide, as they should.)
  InspectionOptions options;
  options.labelsAsPredictions = true;
  const auto s = openOn(world().files, options, world().labels);
  const cv::Point anchor = anchorInLargestInstance();
  NegativesQuery q;
  q.x = anchor.x;
  q.y = anchor.y;
  q.includeAnchorImage = true;  // where mask-only and uniform sampling part ways
  q.negatives = 300;
  std::map<std::string, std::set<std::tuple<int, int, int>>> draws;
  for (const char* mode : {"fused", "mask-only", "uniform"}) {
    q.sampling = mode;
    const NegativesQueryResult r = run(s, q);
    EXPECT_EQ(r.sampling, mode);
    EXPECT_EQ(r.negatives.size(), 300u);
    draws[mode] = drawnSet(r);
  }
  EXPECT_NE(draws["fused"], draws["mask-only"]);
  EXPECT_NE(draws["fused"], draws["uniform"]);
  EXPECT_NE(draws["mask-only"], draws["uniform"]);
}

TEST(NegativesInspectionTest, QueriesReuseTheForwardAndASeedRepeatsTheDraw) {
  const auto s = openOn(world().files);
  NegativesQuery q;
  q.image = 2;
  q.x = 40;
  q.y = 12;
  q.negatives = 30;
  const double forward = s.forwardMilliseconds();
  const NegativesQueryResult fused = run(s, q);
  EXPECT_EQ(drawnSet(run(s, q)), drawnSet(fused));  // same seed, same draw
  q.seed = 2;
  EXPECT_NE(drawnSet(run(s, q)), drawnSet(fused));
  // The mode reaches the loss: uniform weights are flat, mask-only ones are not fused ones.
  q.sampling = "uniform";
  const NegativesQueryResult uniform = run(s, q);
  const auto& flat = uniform.weights[0].values;
  EXPECT_FLOAT_EQ(*std::min_element(flat.begin(), flat.end()),
                  *std::max_element(flat.begin(), flat.end()));
  q.sampling = "mask-only";
  EXPECT_NE(run(s, q).weights[0].values, fused.weights[0].values);
  EXPECT_EQ(s.forwardMilliseconds(), forward);  // no query re-ran the model
}

TEST(NegativesInspectionTest, ProjectBatchesUseTrustedLabelsForTheOwnInstance) {
  const fs::path root = test::freshTempDir("negatives-project");
  fs::create_directories(root / "images");
  for (size_t i = 0; i < 3; ++i)
    fs::copy_file(world().files[i], root / "images" / world().files[i].filename());
  std::vector<std::string> classes;
  for (const auto& c : worldCategories()) classes.push_back(c.name);
  auto project = Project::create(root / "p", {root / "images", classes});
  ASSERT_TRUE(project.ok()) << project.status().message();
  ASSERT_TRUE(project->images().importFolder(root / "images").ok());
  auto entry = project->images().findByPath("world0.png");
  ASSERT_TRUE(entry.ok() && entry->has_value());
  const int64_t labelled = (*entry)->id;
  const Instance& inst = world().labels[0].front();
  NewAnnotation a;
  a.imageId = labelled;
  a.categoryId = inst.categoryId;
  a.mask = inst.mask;
  ASSERT_TRUE(project->annotations().add(a).ok());
  NewAnnotation pending = a;  // model output awaiting review: not a label
  pending.source = Source::Teacher;
  pending.mask = world().labels[0].back().mask;
  ASSERT_TRUE(project->annotations().add(pending).ok());
  auto other = project->images().findByPath("world1.png");
  ASSERT_TRUE(other.ok() && other->has_value());

  auto s = NegativesInspectionSession::open(world().model);
  ASSERT_TRUE(s.ok());
  const Status set = s->setProjectImages(root / "p", {labelled, (*other)->id});
  ASSERT_TRUE(set.ok()) << set.message();
  EXPECT_EQ(s->images()[0].labels, 1);
  EXPECT_EQ(s->images()[1].labels, 0);
  EXPECT_EQ(s->images()[0].name, "world0.png");

  const cv::Mat mask = rle::decode(inst.mask);
  cv::Point inside(-1, -1);
  for (int y = 0; y < 64 && inside.x < 0; ++y)
    for (int x = 0; x < 64 && inside.x < 0; ++x)
      if (mask.at<uint8_t>(y, x)) inside = {x, y};
  NegativesQuery q;
  q.x = inside.x;
  q.y = inside.y;
  NegativesQueryResult r = run(*s, q);
  EXPECT_EQ(r.ownInstance.source, "labels");
  EXPECT_EQ(r.ownInstance.className,
            worldCategories()[static_cast<size_t>(inst.categoryId - 1)].name);
  EXPECT_EQ(r.ownInstance.mask.width, 64);
  EXPECT_EQ(std::count(r.ownInstance.mask.values.begin(), r.ownInstance.mask.values.end(), 1),
            static_cast<long>(rle::area(inst.mask)));
  q.image = 1;
  EXPECT_EQ(run(*s, q).ownInstance.source, "model");  // no labels on that image
}

TEST(NegativesInspectionTest, BadInputsGetClearErrors) {
  const auto s = openOn({world().files[0], world().files[1]});
  auto expectError = [&](NegativesQuery q, const std::string& part) {
    auto r = s.query(q);
    ASSERT_FALSE(r.ok()) << part;
    EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
  };
  NegativesQuery q;
  q.x = 64;
  expectError(q, "anchor (64, 0) is outside image 0 'world0.png' (64x64 pixels)");
  q.x = 3;
  q.y = -1;
  expectError(q, "outside image 0");
  q.y = 0;
  q.image = 2;
  expectError(q, "anchor image 2 is not in the batch (2 images");
  q.image = 0;
  q.sampling = "fancy";
  expectError(q, "unknown negative sampling 'fancy'");
  q.sampling = "fused";
  q.negatives = 0;
  expectError(q, "R must be at least 1");

  const fs::path dir = test::freshTempDir("negatives-bad");
  auto missing = NegativesInspectionSession::open(dir / "none.pt");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("none.pt: no such model file"), std::string::npos);
  fs::copy_file(world().model, dir / "foreign.pt");  // TorchScript without its checkpoint
  auto foreign = NegativesInspectionSession::open(dir / "foreign.pt");
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.status().message().find("model without native weights"), std::string::npos)
      << foreign.status().message();

  auto fresh = NegativesInspectionSession::open(world().model);
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(fresh->query({}).status().message().find("no batch yet"), std::string::npos);
  Status st = fresh->setImages({world().files[0], dir / "gone.png"});
  EXPECT_NE(st.message().find("gone.png: no such image file"), std::string::npos) << st.message();
  std::vector<std::vector<Instance>> wrong(1);
  wrong[0].push_back(world().labels[0][0]);
  wrong[0][0].mask = rle::encode(cv::Mat::ones(10, 12, CV_8U));
  st = fresh->setImages({world().files[0]}, wrong);
  EXPECT_NE(st.message().find("label 1 is 12x10, expected the image's 64x64"), std::string::npos)
      << st.message();
  ASSERT_TRUE(fresh->setImages({world().files[0]}).ok());
  EXPECT_NE(fresh->query({}).status().message().find("no other image"), std::string::npos);
  NegativesQuery self;
  self.includeAnchorImage = true;
  EXPECT_TRUE(fresh->query(self).ok());  // one image is enough when it holds the candidates
}

}  // namespace
}  // namespace distillery
