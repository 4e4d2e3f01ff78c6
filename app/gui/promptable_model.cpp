#include "app/gui/promptable_model.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <opencv2/imgcodecs.hpp>

#include "engine/zoo/model_cache.h"

namespace distillery {
namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PromptableModel::PromptableModel(std::filesystem::path embeddingCache)
    : cacheDir_(std::move(embeddingCache)) {}

PromptableModel::~PromptableModel() = default;

std::string PromptableModel::unavailableReason() {
  auto cache = ModelCache::fromEnvironment();
  if (!cache.ok()) return cache.status().message();
  for (const char* role : {"encoder", "decoder"}) {
    auto file = cache->modelFile(kModel, role);
    if (!file.ok()) return file.status().message();
  }
  return {};
}

Status PromptableModel::open(Instance& instance) {
  if (instance.model) return {};
  if (!instance.openError.empty()) return Status::error(instance.openError);
  PromptableSegmentation::Options options;
  options.model = kModel;
  options.embeddingCache = cacheDir_;
  auto model = PromptableSegmentation::open(options);
  if (!model.ok()) {
    instance.openError = model.status().message();
    return model.status();
  }
  instance.model = std::move(*model);
  return {};
}

Result<bool> PromptableModel::setImage(Instance& instance, const PromptImage& image,
                                       const cv::Mat* pixels) {
  if (instance.imageKey == image.key) return false;
  if (Status s = open(instance); !s.ok()) return s;
  instance.imageKey.clear();
  {
    // The other instance may be embedding this very image: wait, then read the cache.
    std::unique_lock<std::mutex> lock(keysMutex_);
    keysChanged_.wait(lock, [&] { return inFlight_.count(image.key) == 0; });
    inFlight_.insert(image.key);
  }
  Status status;
  cv::Mat decoded;
  if (pixels == nullptr) {
    // The stored pixels, as the canvas and the pool pass read them (no EXIF rotation).
    decoded = cv::imread(image.file.string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    if (decoded.empty())
      status = Status::error(image.file.string() + ": cannot read or decode the image");
    pixels = &decoded;
  }
  if (status.ok() && (pixels->cols != image.width || pixels->rows != image.height))
    status = Status::error(image.file.string() + ": the file is " + std::to_string(pixels->cols) +
                           "x" + std::to_string(pixels->rows) + ", the project recorded " +
                           std::to_string(image.width) + "x" + std::to_string(image.height));
  if (status.ok()) status = instance.model->setImage(*pixels, image.key);
  const bool computed = status.ok() && !instance.model->embeddingWasCached();
  {
    std::lock_guard<std::mutex> lock(keysMutex_);
    inFlight_.erase(image.key);
    if (status.ok()) embedded_.insert(image.key);
  }
  keysChanged_.notify_all();
  if (!status.ok()) return status;
  instance.imageKey = image.key;
  return computed;
}

Result<bool> PromptableModel::embed(const PromptImage& image) {
  std::lock_guard<std::mutex> lock(background_.mutex);
  return setImage(background_, image, nullptr);
}

Result<std::vector<PromptMask>> PromptableModel::segmentEverything(
    const PromptImage& image, const EverythingOptions& options) {
  std::lock_guard<std::mutex> lock(background_.mutex);
  auto set = setImage(background_, image, nullptr);
  if (!set.ok()) return set.status();
  return background_.model->segmentEverything(options);
}

Result<PromptMask> PromptableModel::segment(const PromptImage& image, const cv::Mat& pixels,
                                            const PromptRequest& request) {
  lastClickMs_ = nowMs();
  std::lock_guard<std::mutex> lock(interactive_.mutex);
  auto set = setImage(interactive_, image, &pixels);
  if (!set.ok()) return set.status();
  auto mask = interactive_.model->segment(request);
  lastClickMs_ = nowMs();
  return mask;
}

int64_t PromptableModel::msSinceLastClick() const {
  const int64_t last = lastClickMs_.load();
  return last == 0 ? std::numeric_limits<int64_t>::max() : nowMs() - last;
}

Status PromptableModel::warmInteractive(const PromptImage& image) {
  std::lock_guard<std::mutex> lock(interactive_.mutex);
  auto set = setImage(interactive_, image, nullptr);
  if (!set.ok()) return set.status();
  if (interactive_.warmed) return {};
  // The decoder's first run pays one-time costs (allocations, lazily built constants):
  // a throwaway prompt here rather than on the user's first click.
  PromptRequest probe;
  probe.points = {cv::Point2f(image.width / 2.f, image.height / 2.f)};
  probe.labels = {1};
  auto mask = interactive_.model->segment(probe);
  interactive_.warmed = true;
  return mask.ok() ? Status() : mask.status();
}

bool PromptableModel::isEmbedded(const std::string& key) const {
  std::lock_guard<std::mutex> lock(keysMutex_);
  return embedded_.count(key) > 0;
}

}  // namespace distillery
