#include "engine/api/negatives_inspection.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/api/negatives_explanation.h"
#include "engine/data/rle.h"
#include "engine/losses/pixel_contrast.h"
#include "engine/modeling/device.h"
#include "engine/modeling/image_tensor.h"
#include "engine/modeling/label_predictions.h"
#include "engine/modeling/model_sidecar.h"
#include "engine/store/project.h"
#include "engine/training/checkpoint.h"
#include "engine/training/segmentation_model.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kDefaultInputSize = 128;
constexpr int kMaskStride = 4;  // the query segmenter predicts masks at 1/4 of its input

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

cv::Mat previewOf(const cv::Mat& image, int side) {
  if (side <= 0) return {};
  const double s = std::min(1.0, static_cast<double>(side) / std::max(image.cols, image.rows));
  if (s >= 1.0) return image.clone();
  cv::Mat out;
  cv::resize(image, out,
             cv::Size(std::max(1, static_cast<int>(std::lround(image.cols * s))),
                      std::max(1, static_cast<int>(std::lround(image.rows * s)))),
             0, 0, cv::INTER_AREA);
  return out;
}

// Labels a user trusts: human ones and model output reviewed and kept.
bool trustedLabel(const AnnotationRecord& a) {
  return a.source == Source::Human || a.review == ReviewStatus::Accepted ||
         a.review == ReviewStatus::Edited;
}

}  // namespace

struct NegativesInspectionSession::Impl {
  fs::path modelFile;
  InspectionOptions options;
  std::unique_ptr<SegmentationModel> model;
  std::vector<std::string> classNames;
  int inputSize = kDefaultInputSize;

  // The batch and its cached forward pass.
  std::vector<InspectionImage> images;
  std::vector<std::vector<Instance>> labels;
  std::map<int64_t, std::string> categoryNames;  // labels' category ids (project batches)
  std::vector<ImagePlacement> placements;
  torch::Tensor maskLogits, classLogits;  // [B,Q,h,w], [B,Q,C] on the CPU
  torch::Tensor candidates;               // [B,h,w] bool: cells showing the image (no padding)
  std::vector<cv::Size> cells;            // valid cells per image (width, height)
  double forwardMs = 0;

  Status setBatch(std::vector<cv::Mat> mats, std::vector<std::string> names,
                  std::vector<std::vector<Instance>> batchLabels);
  void runModel(const std::vector<cv::Mat>& mats);
  void predictFromLabels(int gridH, int gridW);
  ImageGrid<float> cropToImage(const torch::Tensor& map, int b) const;
  cv::Point cellOf(int b, int x, int y) const;
  cv::Point pixelOf(int b, int cx, int cy) const;
  double scaleX(int b) const {
    return static_cast<double>(kMaskStride) * images[b].width / placements[b].width;
  }
  double scaleY(int b) const {
    return static_cast<double>(kMaskStride) * images[b].height / placements[b].height;
  }
  OwnInstance ownFromModel(int b, cv::Point cell) const;
  OwnInstance ownFromLabels(int b, int x, int y) const;
  std::string categoryName(int64_t id) const;
};

// ---- opening ------------------------------------------------------------------

NegativesInspectionSession::NegativesInspectionSession() : impl_(std::make_unique<Impl>()) {}
NegativesInspectionSession::NegativesInspectionSession(NegativesInspectionSession&&) noexcept =
    default;
NegativesInspectionSession& NegativesInspectionSession::operator=(
    NegativesInspectionSession&&) noexcept = default;
NegativesInspectionSession::~NegativesInspectionSession() = default;

Result<NegativesInspectionSession> NegativesInspectionSession::open(
    const fs::path& model, const InspectionOptions& options) {
  const bool isCheckpoint = model.extension() == ".ckpt";
  const fs::path ckpt = isCheckpoint ? model : fs::path(model).replace_extension(".ckpt");
  const fs::path pt = isCheckpoint ? fs::path(model).replace_extension(".pt") : model;
  if (!fs::exists(model)) return Status::error(model.string() + ": no such model file");
  if (!fs::exists(ckpt)) {
    return Status::error(model.string() +
                         ": model without native weights: the negatives inspector needs " +
                         "the Distillery checkpoint " + ckpt.filename().string() +
                         " beside it (written by `pretrain`, by a project run, or by `model export "
                         "--checkpoint`); foreign TorchScript teachers cannot be inspected yet");
  }
  NegativesInspectionSession s;
  Impl& m = *s.impl_;
  m.modelFile = model;
  m.options = options;
  try {
    auto loaded = loadNativeModel(ckpt);
    if (!loaded.ok()) return loaded.status();
    m.model = std::move(*loaded);
    m.model->train(false);
    auto meta = readCheckpointMeta(ckpt);
    if (meta.ok() && meta->contains("class_names") && (*meta)["class_names"].is_array())
      m.classNames = (*meta)["class_names"].get<std::vector<std::string>>();
  } catch (const c10::Error& e) {
    return Status::error(ckpt.string() + ": cannot load the model: " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return Status::error(ckpt.string() + ": cannot load the model: " + e.what());
  }
  int sidecarSize = 0;
  if (auto file = findSidecar(pt)) {
    auto sidecar = readSidecar(*file);
    if (!sidecar.ok()) return sidecar.status();
    if (!sidecar->classNames.empty()) m.classNames = sidecar->classNames;
    sidecarSize = sidecar->inputSize;
  }
  const auto k = static_cast<size_t>(m.model->numClasses());
  for (size_t i = m.classNames.size(); i < k; ++i)
    m.classNames.push_back("class_" + std::to_string(i));
  m.classNames.resize(k);
  m.inputSize = options.inputSize > 0 ? options.inputSize
                : sidecarSize > 0     ? sidecarSize
                                      : kDefaultInputSize;
  return s;
}

const std::vector<InspectionImage>& NegativesInspectionSession::images() const {
  return impl_->images;
}
const fs::path& NegativesInspectionSession::modelFile() const {
  return impl_->modelFile;
}
const std::vector<std::string>& NegativesInspectionSession::classNames() const {
  return impl_->classNames;
}
int NegativesInspectionSession::inputSize() const {
  return impl_->inputSize;
}
double NegativesInspectionSession::forwardMilliseconds() const {
  return impl_->forwardMs;
}

// ---- the batch ------------------------------------------------------------------

Status NegativesInspectionSession::setImages(const std::vector<fs::path>& files,
                                             const std::vector<std::vector<Instance>>& labels) {
  if (files.empty())
    return Status::error("negatives inspector: the batch needs at least one image");
  if (!labels.empty() && labels.size() != files.size()) {
    return Status::error("negatives inspector: " + std::to_string(labels.size()) +
                         " label lists for " + std::to_string(files.size()) +
                         " images (expected one per image, or none)");
  }
  std::vector<cv::Mat> mats;
  std::vector<std::string> names;
  for (const fs::path& f : files) {
    if (!fs::exists(f)) return Status::error(f.string() + ": no such image file");
    cv::Mat image = cv::imread(f.string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    if (image.empty())
      return Status::error(f.string() + ": cannot decode the image (expected PNG, JPEG, ...)");
    mats.push_back(image);
    names.push_back(f.filename().string());
  }
  std::vector<std::vector<Instance>> batchLabels = labels;
  batchLabels.resize(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    for (size_t k = 0; k < batchLabels[i].size(); ++k) {
      const Rle& r = batchLabels[i][k].mask;
      if (r.height != mats[i].rows || r.width != mats[i].cols) {
        return Status::error(files[i].string() + ": label " + std::to_string(k + 1) + " is " +
                             std::to_string(r.width) + "x" + std::to_string(r.height) +
                             ", expected the image's " + std::to_string(mats[i].cols) + "x" +
                             std::to_string(mats[i].rows));
      }
    }
  }
  impl_->categoryNames.clear();
  return impl_->setBatch(std::move(mats), std::move(names), std::move(batchLabels));
}

Status NegativesInspectionSession::setProjectImages(const fs::path& projectDir,
                                                    const std::vector<int64_t>& imageIds) {
  if (imageIds.empty())
    return Status::error("negatives inspector: the batch needs at least one image");
  auto project = Project::open(projectDir, OpenMode::ReadOnly);
  if (!project.ok()) return project.status();
  std::vector<cv::Mat> mats;
  std::vector<std::string> names;
  std::vector<std::vector<Instance>> labels;
  for (int64_t id : imageIds) {
    auto file = project->imageFile(id);
    if (!file.ok()) return file.status();
    cv::Mat image = cv::imread(file->string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    if (image.empty()) {
      return Status::error(projectDir.string() + ": image " + std::to_string(id) + " (" +
                           file->string() + "): missing or cannot be decoded");
    }
    auto annotations = project->annotations().forImage(id);
    if (!annotations.ok()) return annotations.status();
    std::vector<Instance> kept;
    for (const AnnotationRecord& a : *annotations) {
      if (!trustedLabel(a) || a.mask.height != image.rows || a.mask.width != image.cols) continue;
      Instance inst;
      inst.id = a.id;
      inst.imageId = id;
      inst.categoryId = a.categoryId;
      inst.mask = a.mask;
      inst.source = a.source;
      kept.push_back(std::move(inst));
    }
    mats.push_back(image);
    names.push_back(file->filename().string());
    labels.push_back(std::move(kept));
  }
  impl_->categoryNames.clear();
  if (auto categories = project->categories().list(); categories.ok())
    for (const CategoryInfo& c : *categories) impl_->categoryNames[c.id] = c.name;
  return impl_->setBatch(std::move(mats), std::move(names), std::move(labels));
}

Status NegativesInspectionSession::Impl::setBatch(std::vector<cv::Mat> mats,
                                                  std::vector<std::string> names,
                                                  std::vector<std::vector<Instance>> batchLabels) {
  images.clear();
  labels = std::move(batchLabels);
  placements.clear();
  cells.clear();
  for (size_t i = 0; i < mats.size(); ++i) {
    InspectionImage info;
    info.name = names[i];
    info.width = mats[i].cols;
    info.height = mats[i].rows;
    info.labels = static_cast<int>(labels[i].size());
    info.preview = previewOf(mats[i], options.previewSide);
    images.push_back(std::move(info));
    placements.push_back(placeImage(mats[i].rows, mats[i].cols, inputSize));
  }
  try {
    const auto start = Clock::now();
    if (options.labelsAsPredictions) {
      const int divisibility = std::max(1, model->config().sizeDivisibility);
      int h = 0, w = 0;
      for (const auto& p : placements) {
        h = std::max(h, (p.height + divisibility - 1) / divisibility * divisibility);
        w = std::max(w, (p.width + divisibility - 1) / divisibility * divisibility);
      }
      predictFromLabels(h / kMaskStride, w / kMaskStride);
    } else {
      runModel(mats);
    }
    forwardMs = msSince(start);
  } catch (const c10::Error& e) {
    return Status::error(modelFile.string() +
                         ": the forward pass failed: " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return Status::error(modelFile.string() + ": the forward pass failed: " + e.what());
  }
  const int64_t B = maskLogits.size(0), H = maskLogits.size(2), W = maskLogits.size(3);
  candidates = torch::zeros({B, H, W}, torch::kBool);
  for (int64_t b = 0; b < B; ++b) {
    const auto& p = placements[static_cast<size_t>(b)];
    const int ch = std::min<int>(H, (p.height + kMaskStride - 1) / kMaskStride);
    const int cw = std::min<int>(W, (p.width + kMaskStride - 1) / kMaskStride);
    candidates[b].narrow(0, 0, ch).narrow(1, 0, cw).fill_(true);
    cells.emplace_back(cw, ch);
  }
  return {};
}

void NegativesInspectionSession::Impl::runModel(const std::vector<cv::Mat>& mats) {
  torch::NoGradGuard noGrad;
  model->train(false);
  const ImageBatch batch =
      makeImageBatch(mats, inputSize, std::max(1, model->config().sizeDivisibility));
  const ModelOutputs out = model->forward(batch.images.to(torchDevice()));
  DST_CHECK(out.masks.size(2) * kMaskStride == batch.images.size(2));
  maskLogits = out.masks.to(torch::kCPU, torch::kFloat).contiguous();
  classLogits = out.logits.to(torch::kCPU, torch::kFloat).contiguous();
}

void NegativesInspectionSession::Impl::predictFromLabels(int gridH, int gridW) {
  // Classes: the batch's distinct label categories (a perfect model needs no more).
  std::map<int64_t, int64_t> classOf;
  for (const auto& list : labels)
    for (const Instance& inst : list) classOf.emplace(inst.categoryId, 0);
  int64_t next = 0;
  for (auto& [id, index] : classOf) index = next++;
  std::vector<cv::Mat> ids;
  std::vector<std::vector<int64_t>> classes;
  for (size_t b = 0; b < images.size(); ++b) {
    cv::Mat grid(gridH, gridW, CV_32S, cv::Scalar(0));
    std::vector<int64_t> cls;
    const int b32 = static_cast<int>(b);
    for (size_t k = 0; k < labels[b].size(); ++k) {
      const cv::Mat mask = rle::decode(labels[b][k].mask);
      cls.push_back(classOf[labels[b][k].categoryId]);
      for (int cy = 0; cy < gridH; ++cy) {
        for (int cx = 0; cx < gridW; ++cx) {
          const cv::Point p = pixelOf(b32, cx, cy);  // later instances lie on top
          if (cx * kMaskStride < placements[b].width && cy * kMaskStride < placements[b].height &&
              mask.at<uint8_t>(p.y, p.x) != 0)
            grid.at<int32_t>(cy, cx) = static_cast<int32_t>(k + 1);
        }
      }
    }
    ids.push_back(grid);
    classes.push_back(std::move(cls));
  }
  const LabelPredictions p = labelPredictions(ids, classes, std::max<int64_t>(1, next));
  maskLogits = p.maskLogits;
  classLogits = p.classLogits;
}

// ---- geometry ---------------------------------------------------------------------

cv::Point NegativesInspectionSession::Impl::cellOf(int b, int x, int y) const {
  const int cx = std::min(cells[b].width - 1, static_cast<int>(std::floor(x / scaleX(b))));
  const int cy = std::min(cells[b].height - 1, static_cast<int>(std::floor(y / scaleY(b))));
  return {std::max(0, cx), std::max(0, cy)};
}

cv::Point NegativesInspectionSession::Impl::pixelOf(int b, int cx, int cy) const {
  const int x = static_cast<int>(std::floor((cx + 0.5) * scaleX(b)));
  const int y = static_cast<int>(std::floor((cy + 0.5) * scaleY(b)));
  return {std::clamp(x, 0, images[b].width - 1), std::clamp(y, 0, images[b].height - 1)};
}

ImageGrid<float> NegativesInspectionSession::Impl::cropToImage(const torch::Tensor& map,
                                                               int b) const {
  ImageGrid<float> g;
  g.width = cells[b].width;
  g.height = cells[b].height;
  g.scaleX = scaleX(b);
  g.scaleY = scaleY(b);
  const auto crop = map.narrow(0, 0, g.height).narrow(1, 0, g.width).to(torch::kFloat).contiguous();
  g.values.assign(crop.data_ptr<float>(), crop.data_ptr<float>() + crop.numel());
  return g;
}

std::string NegativesInspectionSession::Impl::categoryName(int64_t id) const {
  if (auto it = categoryNames.find(id); it != categoryNames.end()) return it->second;
  return "category " + std::to_string(id);
}

// ---- the anchor's own instance ------------------------------------------------------

OwnInstance NegativesInspectionSession::Impl::ownFromModel(int b, cv::Point cell) const {
  // The fused class at the anchor says instance or background; the query that claims
  // the anchor (mask probability x foreground probability) says which instance.
  torch::NoGradGuard noGrad;
  const auto masks = maskLogits.narrow(0, b, 1), logits = classLogits.narrow(0, b, 1);
  const auto fc = fusedClassDistribution(masks, logits)[0];  // [C,h,w]
  const int64_t noObject = fc.size(0) - 1;
  const auto cls = fc.argmax(0);  // [h,w]
  const int64_t anchorClass = cls[cell.y][cell.x].item<int64_t>();
  OwnInstance own;
  own.source = "model";
  own.probability = fc[anchorClass][cell.y][cell.x].item<double>();
  torch::Tensor region;
  if (anchorClass == noObject) {
    own.background = true;
    own.className = "background";
    region = cls == noObject;
  } else {
    own.className = classNames[static_cast<size_t>(anchorClass)];
    const auto foreground = 1.0 - logits[0].softmax(-1).select(1, noObject);           // [Q]
    const auto owner = (masks[0].softmax(0) * foreground.view({-1, 1, 1})).argmax(0);  // [h,w]
    region = (owner == owner[cell.y][cell.x]) & (cls != noObject);
  }
  const ImageGrid<float> g = cropToImage(region.to(torch::kFloat), b);
  own.mask = {g.width, g.height, g.scaleX, g.scaleY, {}};
  for (float v : g.values) own.mask.values.push_back(v > 0.5f ? 1 : 0);
  return own;
}

OwnInstance NegativesInspectionSession::Impl::ownFromLabels(int b, int x, int y) const {
  OwnInstance own;
  own.source = "labels";
  const InspectionImage& img = images[b];
  const Instance* best = nullptr;
  uint64_t bestArea = 0;
  cv::Mat bestMask, any = cv::Mat::zeros(img.height, img.width, CV_8U);
  for (const Instance& inst : labels[b]) {
    cv::Mat m = rle::decode(inst.mask);
    any |= m;
    const uint64_t area = rle::area(inst.mask);
    if (m.at<uint8_t>(y, x) != 0 &&
        (best == nullptr || area < bestArea)) {  // the smallest one that holds it
      best = &inst;
      bestArea = area;
      bestMask = m;
    }
  }
  cv::Mat mask;
  if (best != nullptr) {
    mask = bestMask != 0;
    own.className = categoryName(best->categoryId);
  } else {
    mask = any == 0;
    own.background = true;
    own.className = "background";
  }
  own.mask.width = img.width;
  own.mask.height = img.height;
  own.mask.values.resize(static_cast<size_t>(img.width) * img.height);
  for (int r = 0; r < img.height; ++r)
    for (int c = 0; c < img.width; ++c)
      own.mask.values[static_cast<size_t>(r) * img.width + c] = mask.at<uint8_t>(r, c) ? 1 : 0;
  return own;
}

// ---- the query ---------------------------------------------------------------------

Result<NegativesQueryResult> NegativesInspectionSession::query(const NegativesQuery& q) const {
  const Impl& m = *impl_;
  const auto start = Clock::now();
  if (m.images.empty())
    return Status::error("negatives inspector: no batch yet (set the images first)");
  auto sampling = negativeSamplingFromString(q.sampling);
  if (!sampling.ok()) return Status::error("negatives inspector: " + sampling.status().message());
  const int B = static_cast<int>(m.images.size());
  if (q.image < 0 || q.image >= B) {
    return Status::error("negatives inspector: anchor image " + std::to_string(q.image) +
                         " is not in the batch (" + std::to_string(B) + " images, indices 0.." +
                         std::to_string(B - 1) + ")");
  }
  const InspectionImage& img = m.images[q.image];
  if (q.x < 0 || q.y < 0 || q.x >= img.width || q.y >= img.height) {
    return Status::error("negatives inspector: anchor (" + std::to_string(q.x) + ", " +
                         std::to_string(q.y) + ") is outside image " + std::to_string(q.image) +
                         " '" + img.name + "' (" + std::to_string(img.width) + "x" +
                         std::to_string(img.height) + " pixels)");
  }
  if (q.negatives < 1)
    return Status::error("negatives inspector: R must be at least 1, got " +
                         std::to_string(q.negatives));
  if (B < 2 && !q.includeAnchorImage) {
    return Status::error(
        "negatives inspector: one image has no other image to draw negatives from; add "
        "images to the batch or include the anchor's image");
  }

  NegativesQueryResult r;
  double ownShare = 0;  // the own instance's share of the candidate cells
  r.sampling = toString(*sampling);
  r.anchorImage = q.image;
  r.anchorX = q.x;
  r.anchorY = q.y;
  try {
    torch::NoGradGuard noGrad;
    PixelContrastConfig config;
    config.negatives = q.negatives;
    config.sampling = *sampling;
    config.sameImageCandidates = q.includeAnchorImage;
    const cv::Point cell = m.cellOf(q.image, q.x, q.y);
    const NegativeInspection found = InstanceAwarePixelContrast(config).inspect(
        m.maskLogits, m.classLogits, q.image, cell.y, cell.x,
        at::detail::createCPUGenerator(q.seed), m.candidates);
    for (int b = 0; b < B; ++b)
      r.weights.push_back(b == q.image && !q.includeAnchorImage
                              ? ImageGrid<float>{}
                              : m.cropToImage(found.weights[b], b));
    r.candidates = static_cast<int>((found.weights > 0).sum().item<int64_t>());

    r.ownInstance =
        img.labels > 0 ? m.ownFromLabels(q.image, q.x, q.y) : m.ownFromModel(q.image, cell);
    const auto rows = found.negatives.contiguous();
    const auto drawn = rows.accessor<int64_t, 2>();
    const auto weights = found.weights.to(torch::kFloat).contiguous();
    const auto weight = weights.accessor<float, 3>();
    for (int64_t i = 0; i < rows.size(0); ++i) {
      const int b = static_cast<int>(drawn[i][0]), cy = static_cast<int>(drawn[i][1]),
                cx = static_cast<int>(drawn[i][2]);
      const cv::Point p = m.pixelOf(b, cx, cy);
      r.negatives.push_back({b, p.x, p.y, weight[b][cy][cx]});
      if (b == q.image && r.ownInstance.mask.atPixel(p.x, p.y)) ++r.negativesInOwnInstance;
    }
    if (q.includeAnchorImage) {
      const ImageGrid<float>& w = r.weights[q.image];
      int ownCells = 0;
      for (int cy = 0; cy < w.height; ++cy)
        for (int cx = 0; cx < w.width; ++cx) {
          const cv::Point p = m.pixelOf(q.image, cx, cy);
          if (!r.ownInstance.mask.atPixel(p.x, p.y) || (cx == cell.x && cy == cell.y)) continue;
          r.ownInstanceWeight += w.at(cx, cy);
          ++ownCells;
        }
      const auto total = m.candidates.sum().item<int64_t>() - 1;  // every image, minus the anchor
      ownShare = total > 0 ? static_cast<double>(ownCells) / static_cast<double>(total) : 0.0;
    }
  } catch (const c10::Error& e) {
    return Status::error("negatives inspector: the query failed: " +
                         std::string(e.what_without_backtrace()));
  }

  ExplanationFacts facts;
  facts.sampling = r.sampling;
  facts.predictions = m.options.labelsAsPredictions ? "" : m.modelFile.filename().string();
  facts.inputSize = m.inputSize;
  facts.cellWidth = m.scaleX(q.image);
  facts.cellHeight = m.scaleY(q.image);
  facts.otherImages = B - 1;
  facts.includeAnchorImage = q.includeAnchorImage;
  facts.candidates = r.candidates;
  facts.requested = q.negatives;
  facts.drawn = static_cast<int>(r.negatives.size());
  facts.own = r.ownInstance;
  facts.ownInstanceWeight = r.ownInstanceWeight;
  facts.ownInstanceShare = ownShare;
  facts.negativesInOwnInstance = r.negativesInOwnInstance;
  r.explanation = explainNegatives(facts);
  r.milliseconds = msSince(start);
  return r;
}

}  // namespace distillery
