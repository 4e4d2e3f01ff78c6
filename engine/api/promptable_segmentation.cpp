#include "engine/api/promptable_segmentation.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/foundation/embedding_cache.h"
#include "engine/foundation/promptable_segmenter.h"
#include "engine/foundation/segment_everything.h"
#include "engine/zoo/model_cache.h"
#include "engine/zoo/sha256.h"

namespace distillery {

struct PromptableSegmentation::Impl {
  PromptableSegmenter segmenter;
  std::unique_ptr<EmbeddingCache> cache;
  torch::Tensor embedding;
  SamFrame frame;
  bool cached = false;
};

namespace {

cv::Mat toMat(const torch::Tensor& logits2d) {
  auto c = logits2d.to(torch::kFloat).contiguous();
  return cv::Mat(static_cast<int>(c.size(0)), static_cast<int>(c.size(1)), CV_32F, c.data_ptr())
      .clone();
}

cv::Mat toMask(const torch::Tensor& boolMask) {
  auto c = (boolMask.to(torch::kUInt8) * 255).contiguous();
  return cv::Mat(static_cast<int>(c.size(0)), static_cast<int>(c.size(1)), CV_8U, c.data_ptr())
      .clone();
}

std::filesystem::path defaultEmbeddingCache() {
  auto root = ModelCache::defaultRoot();
  if (root) return root->parent_path() / "embeddings";
  return std::filesystem::temp_directory_path() / "distillery-embeddings";
}

}  // namespace

PromptableSegmentation::PromptableSegmentation(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PromptableSegmentation::~PromptableSegmentation() = default;

Result<std::unique_ptr<PromptableSegmentation>> PromptableSegmentation::open(const Options& o) {
  std::filesystem::path encoder = o.encoder, decoder = o.decoder;
  std::string modelKey;
  if (encoder.empty() || decoder.empty()) {
    auto cache = ModelCache::fromEnvironment();
    if (!cache) return cache.status();
    auto enc = cache->modelFile(o.model, "encoder");
    if (!enc) return enc.status();
    auto dec = cache->modelFile(o.model, "decoder");
    if (!dec) return dec.status();
    encoder = *enc;
    decoder = *dec;
    auto model = findFoundationModel(o.model);
    modelKey = (*model)->file("encoder")->sha256;
  } else {
    auto hash = sha256File(encoder);
    if (!hash) return hash.status();
    modelKey = *hash;
  }
  auto impl = std::make_unique<Impl>();
  try {
    auto segmenter = PromptableSegmenter::load(encoder, decoder);
    if (!segmenter) return segmenter.status();
    impl->segmenter = std::move(*segmenter);
  } catch (const c10::Error& e) {
    return Status::error(encoder.string() + ": " + e.what_without_backtrace());
  }
  impl->cache = std::make_unique<EmbeddingCache>(
      o.embeddingCache.empty() ? defaultEmbeddingCache() : o.embeddingCache, modelKey,
      o.embeddingCacheCapBytes);
  return std::unique_ptr<PromptableSegmentation>(new PromptableSegmentation(std::move(impl)));
}

Status PromptableSegmentation::setImage(const std::filesystem::path& file) {
  cv::Mat image = cv::imread(file.string(), cv::IMREAD_COLOR);
  if (image.empty()) return Status::error(file.string() + ": cannot read as an image");
  auto hash = sha256File(file);
  if (!hash) return hash.status();
  return setImage(image, *hash);
}

Status PromptableSegmentation::setImage(const cv::Mat& bgr, const std::string& key) {
  if (bgr.empty()) return Status::error("empty image");
  impl_->frame = SamFrame::of(bgr.rows, bgr.cols);
  if (auto hit = impl_->cache->get(key)) {
    impl_->embedding = *hit;
    impl_->cached = true;
    return {};
  }
  try {
    impl_->embedding = impl_->segmenter.embed(bgr, impl_->frame);
  } catch (const std::exception& e) {
    impl_->embedding = torch::Tensor();
    return Status::error(std::string("embedding the image failed: ") + e.what());
  }
  impl_->cached = false;
  impl_->cache->put(key, impl_->embedding);
  return {};
}

bool PromptableSegmentation::embeddingWasCached() const { return impl_->cached; }

cv::Size PromptableSegmentation::imageSize() const {
  return {impl_->frame.originalWidth, impl_->frame.originalHeight};
}

Result<PromptMask> PromptableSegmentation::segment(const PromptRequest& r) {
  if (!impl_->embedding.defined()) return Status::error("no image set: call setImage first");
  const auto& f = impl_->frame;
  const std::string size = std::to_string(f.originalWidth) + "x" + std::to_string(f.originalHeight);
  if (r.points.size() != r.labels.size())
    return Status::error("one label per point expected (" + std::to_string(r.points.size()) +
                         " points, " + std::to_string(r.labels.size()) + " labels)");
  if (r.points.empty() && !r.box) return Status::error("a prompt needs a point or a box");
  for (size_t i = 0; i < r.points.size(); ++i) {
    const auto& p = r.points[i];
    if (p.x < 0 || p.y < 0 || p.x >= f.originalWidth || p.y >= f.originalHeight)
      return Status::error("point (" + std::to_string(p.x) + ", " + std::to_string(p.y) +
                           ") is outside the " + size + " image");
    if (r.labels[i] != 0 && r.labels[i] != 1)
      return Status::error("point label " + std::to_string(r.labels[i]) +
                           " must be 1 (include) or 0 (exclude)");
  }
  if (r.box) {
    const cv::Rect2f inside = *r.box & cv::Rect2f(0, 0, f.originalWidth, f.originalHeight);
    if (r.box->width <= 0 || r.box->height <= 0 || inside.area() <= 0)
      return Status::error("box is empty or outside the " + size + " image");
  }
  if (!r.previousLowRes.empty() &&
      (r.previousLowRes.type() != CV_32F || r.previousLowRes.rows != 256 || r.previousLowRes.cols != 256))
    return Status::error("previous low-res mask must be CV_32F 256x256");
  SamPrompt prompt{r.points, r.labels, r.box, {}};
  if (!r.previousLowRes.empty())
    prompt.previousLowRes =
        torch::from_blob(r.previousLowRes.clone().data, {1, 1, 256, 256}, torch::kFloat).clone();
  try {
    auto m = impl_->segmenter.segment(impl_->embedding, f, prompt);
    const int64_t best = m.iou.argmax().item<int64_t>();
    PromptMask out;
    out.mask = toMask(m.logits[best] > 0);
    out.predictedIou = m.iou[best].item<float>();
    out.lowRes = toMat(m.lowRes[best][0]);
    out.box = cv::boundingRect(out.mask);
    return out;
  } catch (const std::exception& e) {
    return Status::error(std::string("segmenting failed: ") + e.what());
  }
}

Result<std::vector<PromptMask>> PromptableSegmentation::segmentEverything(const EverythingOptions& o) {
  if (!impl_->embedding.defined()) return Status::error("no image set: call setImage first");
  SegmentEverythingConfig c;
  c.pointsPerSide = o.pointsPerSide;
  c.pointsPerBatch = o.pointsPerBatch;
  c.predIouThresh = o.predIouThresh;
  c.stabilityThresh = o.stabilityThresh;
  c.stabilityOffset = o.stabilityOffset;
  c.nmsThresh = o.nmsThresh;
  c.minArea = o.minArea;
  try {
    std::vector<PromptMask> out;
    for (auto& m : distillery::segmentEverything(impl_->segmenter, impl_->embedding, impl_->frame, c)) {
      PromptMask p;
      p.mask = toMask(m.mask);
      p.predictedIou = m.predictedIou;
      p.stability = m.stability;
      p.box = m.box;
      out.push_back(std::move(p));
    }
    return out;
  } catch (const std::exception& e) {
    return Status::error(std::string("segment everything failed: ") + e.what());
  }
}

long long PromptableSegmentation::parameterCount() const {
  return impl_->segmenter.parameterCount();
}

}  // namespace distillery
