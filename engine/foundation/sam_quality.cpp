#include "engine/foundation/sam_quality.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <opencv2/imgcodecs.hpp>

#include "engine/data/formats/coco_json.h"
#include "engine/data/formats/via_json.h"
#include "engine/data/rle.h"
#include "engine/foundation/embedding_cache.h"
#include "engine/foundation/promptable_segmenter.h"
#include "engine/foundation/segment_everything.h"
#include "engine/zoo/model_cache.h"
#include "engine/zoo/sha256.h"

namespace distillery {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct LabelledSet {
  Dataset data;
  fs::path annotations;
  fs::path imageRoot;
  std::string format;
  ConversionReport report;
};

// The annotation file a --dataset argument names (see SamQualityOptions::dataset).
Result<fs::path> annotationFile(const fs::path& dataset) {
  std::error_code ec;
  if (!fs::is_directory(dataset, ec)) {
    if (fs::is_regular_file(dataset, ec)) return dataset;
    return Status::error(dataset.string() + ": no such dataset folder or annotation file");
  }
  if (fs::exists(dataset / "via_region_data.json")) return dataset / "via_region_data.json";
  std::vector<fs::path> jsons;
  for (const auto& e : fs::directory_iterator(dataset, ec))
    if (e.path().extension() == ".json") jsons.push_back(e.path());
  if (jsons.size() == 1) return jsons[0];
  return Status::error(dataset.string() +
                       ": expected via_region_data.json or exactly one COCO "
                       ".json in the folder, found " +
                       std::to_string(jsons.size()) +
                       " .json files (pass the annotation file itself)");
}

Result<LabelledSet> readLabelledSet(const SamQualityOptions& o) {
  auto file = annotationFile(o.dataset);
  if (!file) return file.status();
  auto doc = json_fields::readFile(*file, file->string());
  if (!doc) return doc.status();
  LabelledSet s;
  s.annotations = *file;
  const fs::path folder = file->parent_path().empty() ? fs::path(".") : file->parent_path();
  // COCO names images relative to a root the file does not give: images/ beside
  // the file (COCO128's layout) or the file's own folder.
  const bool coco = doc->is_object() && doc->contains("images") && doc->contains("annotations");
  s.format = coco ? "coco" : "via";
  s.imageRoot = folder;
  if (!o.images.empty())
    s.imageRoot = o.images;
  else if (coco && fs::is_directory(folder / "images"))
    s.imageRoot = folder / "images";
  Result<Dataset> data = Status::error("unread");
  if (coco) {
    CocoReadOptions r;
    r.imageRoot = s.imageRoot;
    data = cocoFromJson(*doc, file->string(), r, &s.report);
  } else {
    ViaReadOptions r;
    r.imageRoot = s.imageRoot;
    data = viaFromJson(*doc, file->string(), r, &s.report);
  }
  if (!data) return data.status();
  if (data->images.empty())
    return Status::error(file->string() + ": no image with its file under " + s.imageRoot.string());
  s.data = std::move(*data);
  return s;
}

Rle toRle(const torch::Tensor& boolMask) {
  auto c = boolMask.to(torch::kUInt8).contiguous();
  return rle::encode(
      cv::Mat(static_cast<int>(c.size(0)), static_cast<int>(c.size(1)), CV_8U, c.data_ptr()));
}

SamQualityTally& sizeRange(SamQualityReport& r, double area) {
  if (area < 32 * 32) return r.small;
  return area < 96 * 96 ? r.medium : r.large;
}

// The embedding cache the CLI's `segment` and the workbench share
// (engine/api/promptable_segmentation.cpp): same folder, model key and image key.
Result<EmbeddingCache> openEmbeddingCache(const SamQualityOptions& o) {
  auto model = findFoundationModel(o.model);
  if (!model) return model.status();
  fs::path folder = o.embeddingCache;
  if (folder.empty()) {
    auto root = ModelCache::defaultRoot();
    folder = root ? root->parent_path() / "embeddings"
                  : fs::temp_directory_path() / "distillery-embeddings";
  }
  return EmbeddingCache(folder, (*model)->file("encoder")->sha256);
}

// One image: its box prompts, then (optionally) segment everything and the recall.
void measureImage(PromptableSegmenter& sam, const torch::Tensor& embedding, const SamFrame& frame,
                  const std::vector<const Instance*>& instances, const SamQualityOptions& o,
                  SamQualityReport& report, SamQualityImage& row) {
  std::vector<Rle> gts;
  std::vector<SamQualityTally*> ranges;
  double sumIou = 0;
  auto t = Clock::now();
  for (const Instance* inst : instances) {
    if (inst->iscrowd) {
      ++report.crowdSkipped;
      continue;
    }
    if (rle::area(inst->mask) == 0) {
      ++report.emptySkipped;
      continue;
    }
    // The file's area where it has one, as COCO's size ranges use it.
    const double area = inst->area >= 0 ? inst->area : static_cast<double>(rle::area(inst->mask));
    if (area < o.minInstanceArea) {
      ++report.smallSkipped;
      continue;
    }
    const BoxXywh b = rle::bbox(inst->mask);
    SamPrompt prompt;
    prompt.box = cv::Rect2f(static_cast<float>(b.x), static_cast<float>(b.y),
                            static_cast<float>(b.w), static_cast<float>(b.h));
    auto masks = sam.segment(embedding, frame, prompt);
    const int64_t best = masks.iou.argmax().item<int64_t>();
    const double iou = rle::iou(toRle(masks.logits[best] > 0), inst->mask, false);
    sumIou += iou;
    for (SamQualityTally* tally : {&report.all, &sizeRange(report, area)}) {
      ++tally->instances;
      tally->sumBoxIou += iou;
    }
    gts.push_back(inst->mask);
    ranges.push_back(&sizeRange(report, area));
  }
  row.boxMs = msSince(t);
  row.instances = static_cast<int>(gts.size());
  row.meanBoxIou = gts.empty() ? 0 : sumIou / gts.size();
  if (!o.everything) return;

  SegmentEverythingConfig c;
  c.pointsPerSide = o.pointsPerSide;
  c.pointsPerBatch = o.pointsPerBatch;
  c.predIouThresh = o.predIouThresh;
  c.stabilityThresh = o.stabilityThresh;
  c.nmsThresh = o.nmsThresh;
  c.minArea = o.minArea;
  t = Clock::now();
  auto proposals = segmentEverything(sam, embedding, frame, c);
  row.everythingMs = msSince(t);
  row.proposals = static_cast<int>(proposals.size());
  std::vector<Rle> dts;
  for (const auto& p : proposals) dts.push_back(toRle(p.mask));
  const auto ious = rle::iouMatrix(dts, gts, std::vector<bool>(gts.size(), false));
  for (size_t g = 0; g < gts.size(); ++g) {
    double best = 0;
    for (const auto& d : ious) best = std::max(best, d[g]);
    if (best < o.recallIou) continue;
    ++row.recalled;
    ++report.all.recalled;
    ++ranges[g]->recalled;
  }
}

}  // namespace

Result<SamQualityReport> runSamQuality(const SamQualityOptions& o) {
  const auto start = Clock::now();
  auto set = readLabelledSet(o);
  if (!set) return set.status();
  auto modelCache = ModelCache::fromEnvironment();
  if (!modelCache) return modelCache.status();
  auto encoderFile = modelCache->modelFile(o.model, "encoder");
  if (!encoderFile) return encoderFile.status();
  auto decoderFile = modelCache->modelFile(o.model, "decoder");
  if (!decoderFile) return decoderFile.status();
  auto cache = openEmbeddingCache(o);
  if (!cache) return cache.status();
  auto sam = PromptableSegmenter::load(*encoderFile, *decoderFile);
  if (!sam) return sam.status();

  SamQualityReport report;
  report.dataset = set->annotations.string();
  report.format = set->format;
  report.threads = torch::get_num_threads();
  report.everything = o.everything;
  report.pointsPerSide = o.everything ? o.pointsPerSide : 0;
  report.readSkips = set->report.skipped;
  const auto byImage = set->data.instancesByImage();
  const int count = o.limit > 0 ? std::min<int>(o.limit, set->data.images.size())
                                : static_cast<int>(set->data.images.size());
  for (int i = 0; i < count; ++i) {
    const ImageRecord& rec = set->data.images[i];
    const fs::path file = set->imageRoot / rec.file;
    // Annotations are in stored-pixel coordinates: EXIF orientation is not applied.
    cv::Mat image = cv::imread(file.string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    if (image.empty()) return Status::error(file.string() + ": cannot read as an image");
    if (image.cols != rec.width || image.rows != rec.height)
      return Status::error(file.string() + ": image is " + std::to_string(image.cols) + "x" +
                           std::to_string(image.rows) + ", " + report.dataset + " says " +
                           std::to_string(rec.width) + "x" + std::to_string(rec.height));
    auto key = sha256File(file);
    if (!key) return key.status();
    SamQualityImage row;
    row.file = rec.file;
    const SamFrame frame = SamFrame::of(image.rows, image.cols);
    try {
      torch::Tensor embedding;
      if (auto hit = cache->get(*key)) {
        embedding = *hit;
        row.embeddingCached = true;
      } else {
        const auto t = Clock::now();
        embedding = sam->embed(image, frame);
        row.embedMs = msSince(t);
        cache->put(*key, embedding);
      }
      static const std::vector<const Instance*> kNone;
      const auto it = byImage.find(rec.id);
      measureImage(*sam, embedding, frame, it == byImage.end() ? kNone : it->second, o, report,
                   row);
    } catch (const std::exception& e) {
      return Status::error(file.string() + ": segmenting failed: " + e.what());
    }
    const std::string found =
        o.everything ? fmt::format(", {} proposals, {} recalled", row.proposals, row.recalled) : "";
    spdlog::info("[{}/{}] {}: {} instances, box IoU {:.3f}{}{} ({:.1f} s)", i + 1, count, rec.file,
                 row.instances, row.meanBoxIou, row.embeddingCached ? " (cached embedding)" : "",
                 found, (row.embedMs + row.boxMs + row.everythingMs) / 1000.0);
    report.perImage.push_back(std::move(row));
  }
  report.images = count;
  report.wallSeconds = msSince(start) / 1000.0;
  return report;
}

}  // namespace distillery
