#include "engine/modeling/predictor.h"

#include "engine/modeling/image_tensor.h"
#include "engine/modeling/instance_postprocess.h"
#include "engine/modeling/teacher_adapter.h"

namespace distillery {

struct ModelPredictor::Impl {
  TeacherAdapter model;
  PredictOptions options;
  std::vector<int64_t> categoryIds;
  int maxSide = 0;
};

ModelPredictor::ModelPredictor() = default;
ModelPredictor::ModelPredictor(ModelPredictor&&) noexcept = default;
ModelPredictor& ModelPredictor::operator=(ModelPredictor&&) noexcept = default;
ModelPredictor::~ModelPredictor() = default;

Result<ModelPredictor> ModelPredictor::load(const std::filesystem::path& model,
                                            const PredictOptions& options) {
  TeacherLoadOptions lo;
  lo.expectedClasses = options.expectedClasses;
  auto adapter = TeacherAdapter::load(model, lo);
  if (!adapter) return adapter.status();
  ModelPredictor p;
  p.impl_ = std::make_unique<Impl>(Impl{std::move(*adapter), options, {}, 0});
  for (size_t k = 0; k < static_cast<size_t>(p.impl_->model.numClasses()); ++k)
    p.impl_->categoryIds.push_back(p.impl_->model.sidecar().categoryId(k));
  p.impl_->maxSide = options.maxSide >= 0 ? options.maxSide : p.impl_->model.sidecar().inputSize;
  return p;
}

Result<std::vector<Instance>> ModelPredictor::predict(const cv::Mat& image, int64_t imageId) const {
  auto all = predict(std::vector<cv::Mat>{image}, std::vector<int64_t>{imageId});
  if (!all) return all.status();
  return std::move(all->front());
}

Result<std::vector<std::vector<Instance>>> ModelPredictor::predict(const std::vector<cv::Mat>& images,
                                                                   const std::vector<int64_t>& imageIds) const {
  DST_CHECK(images.size() == imageIds.size());
  if (images.empty()) return std::vector<std::vector<Instance>>{};
  try {
    const int divisibility = std::max(1, impl_->model.sidecar().sizeDivisibility);
    ImageBatch batch = makeImageBatch(images, impl_->maxSide, divisibility);
    ContractOutput out = impl_->model.predict(batch.images);
    PostprocessOptions po;
    po.topK = impl_->options.topK;
    po.scoreThreshold = impl_->options.scoreThreshold;
    std::vector<std::vector<Instance>> result;
    for (size_t i = 0; i < images.size(); ++i) {
      const auto b = static_cast<int64_t>(i);
      result.push_back(instanceInference(out.predLogits[b], out.predMasks[b], static_cast<int>(batch.images.size(2)),
                                         static_cast<int>(batch.images.size(3)), batch.placements[i],
                                         impl_->categoryIds, imageIds[i], impl_->options.source, po));
    }
    return result;
  } catch (const UserError& e) {
    return Status::error(e.what());
  } catch (const c10::Error& e) {
    return Status::error(std::string("model forward failed: ") + e.what_without_backtrace());
  } catch (const std::exception& e) {  // the TorchScript interpreter's errors
    return Status::error(std::string("model forward failed: ") + e.what());
  }
}

const std::vector<std::string>& ModelPredictor::classNames() const {
  return impl_->model.summary().classNames;
}

std::vector<int64_t> ModelPredictor::categoryIds() const {
  return impl_->categoryIds;
}

std::vector<Category> ModelPredictor::categories() const {
  std::vector<Category> cats;
  for (size_t k = 0; k < impl_->categoryIds.size(); ++k)
    cats.push_back({impl_->categoryIds[k], classNames()[k], ""});
  return cats;
}

}  // namespace distillery
