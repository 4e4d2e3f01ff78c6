#include "app/gui/model_comparison.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <limits>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

#include "engine/evaluation/coco_mask_evaluator.h"
#include "engine/modeling/predictor.h"
#include "engine/modeling/teacher_contract.h"
#include "engine/store/dataset_io.h"
#include "engine/store/project.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

// As the teacher panel's mapping: case, spaces and underscores aside.
std::string normalised(const std::string& name) {
  std::string out;
  bool space = false;
  for (char c : name) {
    if (c == '_' || std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// A checkpoint's file is relative to the project folder when inside it.
fs::path checkpointFile(const Project& project, const std::string& file) {
  const fs::path p(file);
  return p.is_absolute() ? p : project.dir() / p;
}

// The run's model for `stage` ("student", "teacher-adapted"), else models/run-<id>-<suffix>.pt.
fs::path runModel(const Project& project, int64_t runId,
                  const std::vector<CheckpointRecord>& checkpoints,
                  const std::vector<std::string>& stages, const std::string& suffix) {
  for (const CheckpointRecord& c : checkpoints)
    for (const std::string& stage : stages)
      if (c.stage == stage && fs::path(c.file).extension() == ".pt" &&
          fs::exists(checkpointFile(project, c.file)))
        return checkpointFile(project, c.file);
  const fs::path file =
      project.modelsDir() / ("run-" + std::to_string(runId) + "-" + suffix + ".pt");
  return fs::exists(file) ? file : fs::path();
}

cv::Scalar bgrOf(const std::string& hex, int64_t categoryId) {
  if (hex.size() == 7 && hex[0] == '#') {
    const long v = std::strtol(hex.c_str() + 1, nullptr, 16);
    return cv::Scalar(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff);
  }
  static const cv::Scalar kPalette[] = {{60, 76, 231},  {113, 204, 46}, {219, 152, 52},
                                        {15, 196, 241}, {182, 89, 155}, {34, 126, 230},
                                        {160, 160, 22}, {94, 73, 52}};
  return kPalette[static_cast<size_t>(std::max<int64_t>(0, categoryId)) % 8];
}

}  // namespace

Result<std::vector<ComparedModel>> projectModels(const Project& project, const fs::path& teacher,
                                                 const std::vector<int64_t>& teacherMapping,
                                                 std::optional<int64_t>* runId) {
  std::vector<ComparedModel> models;
  if (!teacher.empty() && fs::exists(teacher))
    models.push_back({"zero-shot teacher", teacher, teacherMapping});
  auto runs = project.runs().list();
  if (!runs.ok()) return runs.status();
  const RunRecord* latest = nullptr;
  for (const RunRecord& r : *runs)
    if (r.status == RunStatus::Finished && (latest == nullptr || r.id > latest->id)) latest = &r;
  if (runId) *runId = latest ? std::optional<int64_t>(latest->id) : std::nullopt;
  if (latest == nullptr) return models;
  auto checkpoints = project.runs().checkpoints(latest->id);
  if (!checkpoints.ok()) return checkpoints.status();
  // runOnProject writes both (models/run-<id>-{teacher-adapted,student}.pt, checkpoint rows
  // of those roles).
  if (fs::path f = runModel(project, latest->id, *checkpoints, {"teacher-adapted"}, "teacher-adapted");
      !f.empty())
    models.push_back({"adapted teacher", f, {}});
  if (fs::path f = runModel(project, latest->id, *checkpoints, {"student"}, "student"); !f.empty())
    models.push_back({"student", f, {}});
  return models;
}

Result<ValSet> readValSet(const Project& project) {
  std::set<int64_t> valIds;
  auto images = project.images().all();
  if (!images.ok()) return images.status();
  for (const ImageEntry& e : *images)
    if (e.split == Split::Val) valIds.insert(e.id);
  // As the trainer's evaluation (runOnProject): human labels and reviewed pseudo-labels kept.
  auto all = exportDataset(project, ExportFilter{{Source::Human, Source::Teacher},
                                                 {ReviewStatus::Accepted, ReviewStatus::Edited},
                                                 true});
  if (!all.ok()) return all.status();
  ValSet val;
  val.groundTruth.categories = all->categories;
  for (const ImageRecord& img : all->images)
    if (valIds.count(img.id)) val.groundTruth.images.push_back(img);
  for (Instance& inst : all->instances)
    if (valIds.count(inst.imageId)) val.groundTruth.instances.push_back(std::move(inst));
  auto root = project.imageRoot();
  if (!root.ok()) return root.status();
  val.root = *root;
  auto categories = project.categories().list();
  if (!categories.ok()) return categories.status();
  for (const CategoryInfo& c : *categories) val.colours[c.id] = c.colour;
  return val;
}

// ---- MappedPredictor --------------------------------------------------------------------

MappedPredictor::MappedPredictor() = default;
MappedPredictor::MappedPredictor(MappedPredictor&&) noexcept = default;
MappedPredictor& MappedPredictor::operator=(MappedPredictor&&) noexcept = default;
MappedPredictor::~MappedPredictor() = default;

Result<MappedPredictor> MappedPredictor::load(const ComparedModel& model,
                                              const std::vector<Category>& projectCategories) {
  PredictOptions po;
  po.source = Source::Student;
  auto loaded = ModelPredictor::load(model.file, po);
  if (!loaded.ok()) return loaded.status();
  MappedPredictor p;
  const std::vector<int64_t> ids = loaded->categoryIds();
  const std::vector<std::string>& names = loaded->classNames();
  for (size_t k = 0; k < ids.size(); ++k) {
    int64_t target = 0;
    if (!model.categoryForClass.empty()) {
      target = k < model.categoryForClass.size() ? model.categoryForClass[k] : 0;
    } else {
      for (const Category& c : projectCategories)
        if (normalised(c.name) == normalised(names[k])) target = c.id;
    }
    if (target > 0) p.category_[ids[k]] = target;
  }
  p.predictor_ = std::make_unique<ModelPredictor>(std::move(*loaded));
  return p;
}

Result<std::vector<Instance>> MappedPredictor::predict(const cv::Mat& bgr, int64_t imageId) const {
  auto out = predictor_->predict(bgr, imageId);
  if (!out.ok()) return out.status();
  std::vector<Instance> kept;
  for (Instance& inst : *out) {
    auto it = category_.find(inst.categoryId);
    if (it == category_.end()) continue;
    inst.categoryId = it->second;
    kept.push_back(std::move(inst));
  }
  return kept;
}

// ---- scoring --------------------------------------------------------------------------

ModelEvaluation evaluateOnVal(const ValSet& val, const ComparedModel& model) {
  ModelEvaluation e;
  e.name = model.name;
  auto summary = checkTeacher(model.file);
  if (!summary.ok()) {
    e.error = summary.status().message();
    return e;
  }
  e.params = summary->params;
  auto predictor = MappedPredictor::load(model, val.groundTruth.categories);
  if (!predictor.ok()) {
    e.error = predictor.status().message();
    return e;
  }
  Dataset results;
  results.categories = val.groundTruth.categories;
  results.images = val.groundTruth.images;
  double seconds = 0;
  int timed = 0;
  for (size_t i = 0; i < val.groundTruth.images.size(); ++i) {
    const ImageRecord& img = val.groundTruth.images[i];
    const fs::path file = val.root / img.file;
    cv::Mat bgr = cv::imread(file.string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    if (bgr.empty()) {
      e.error = file.string() + ": cannot read the val image";
      return e;
    }
    if (i == 0) (void)predictor->predict(bgr, img.id);  // warm-up: first-call allocations
    const auto start = std::chrono::steady_clock::now();
    auto out = predictor->predict(bgr, img.id);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++timed;
    if (!out.ok()) {
      e.error = out.status().message();
      return e;
    }
    for (Instance& inst : *out) results.instances.push_back(std::move(inst));
  }
  e.msPerImage = timed > 0 ? 1000.0 * seconds / timed : 0;
  auto scored = evaluateCocoMasks(val.groundTruth, results);
  if (!scored.ok()) {
    e.error = scored.status().message();
    return e;
  }
  e.ap = std::max(0.0, scored->stats[kStatAp]) * 100;
  e.ap50 = std::max(0.0, scored->stats[kStatAp50]) * 100;
  for (const CategoryAp& c : scored->perCategory)
    e.perClassAp.push_back(c.ap < 0 ? std::numeric_limits<double>::quiet_NaN() : 100 * c.ap);
  return e;
}

// ---- drawing ----------------------------------------------------------------------------

cv::Mat renderPrediction(const cv::Mat& bgr, const std::vector<Instance>& instances,
                         const std::vector<Category>& categories,
                         const std::map<int64_t, std::string>& colours, double minScore) {
  // Small images are enlarged so the labels stay readable in the pane.
  const int side = std::max(bgr.cols, bgr.rows);
  const double scale = side < 384 ? 384.0 / side : side > 1024 ? 1024.0 / side : 1.0;
  cv::Mat canvas;
  cv::resize(bgr, canvas, cv::Size(), scale, scale, scale > 1 ? cv::INTER_NEAREST : cv::INTER_AREA);
  std::vector<const Instance*> shown;
  for (const Instance& inst : instances)
    if (inst.score >= minScore) shown.push_back(&inst);
  if (shown.empty()) {
    // An empty picture must not read as "not drawn yet".
    char note[64];
    std::snprintf(note, sizeof(note), "no label scores %.2f or more", minScore);
    cv::putText(canvas, note, cv::Point(8, 22), cv::FONT_HERSHEY_SIMPLEX, 0.55, cv::Scalar(0, 0, 0),
                3, cv::LINE_AA);
    cv::putText(canvas, note, cv::Point(8, 22), cv::FONT_HERSHEY_SIMPLEX, 0.55,
                cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  }
  std::sort(shown.begin(), shown.end(),
            [](auto* a, auto* b) { return a->score < b->score; });  // best on top
  for (const Instance* inst : shown) {
    auto colour = colours.find(inst->categoryId);
    const cv::Scalar c = bgrOf(colour == colours.end() ? "" : colour->second, inst->categoryId);
    cv::Mat mask = rle::decode(inst->mask);
    cv::resize(mask, mask, canvas.size(), 0, 0, cv::INTER_NEAREST);
    cv::Mat tint(canvas.size(), canvas.type(), c);
    cv::Mat blended;
    cv::addWeighted(canvas, 0.55, tint, 0.45, 0, blended);
    blended.copyTo(canvas, mask);
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    cv::drawContours(canvas, contours, -1, c, 2, cv::LINE_AA);
    std::string name = "class " + std::to_string(inst->categoryId);
    for (const Category& cat : categories)
      if (cat.id == inst->categoryId) name = cat.name;
    char label[64];
    std::snprintf(label, sizeof(label), "%s %.2f", name.c_str(), inst->score);
    const cv::Rect box = cv::boundingRect(mask);
    int baseline = 0;
    const cv::Size text = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, 0.5, 1, &baseline);
    const cv::Point at(std::clamp(box.x, 0, std::max(0, canvas.cols - text.width - 4)),
                       std::max(text.height + 4, box.y));
    cv::rectangle(canvas, cv::Rect(at.x, at.y - text.height - 4, text.width + 4, text.height + 6),
                  c, cv::FILLED);
    cv::putText(canvas, label, cv::Point(at.x + 2, at.y - 2), cv::FONT_HERSHEY_SIMPLEX, 0.5,
                cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  }
  return canvas;
}

}  // namespace distillery
