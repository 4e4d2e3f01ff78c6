// The benchmark protocol (issue: distillation engine): source and target worlds, the
// reference teacher, a 10% labelled split of the target train set, every recipe,
// and evaluation on target val, written as JSON and a Markdown table.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "engine/api/distillation.h"
#include "engine/data/formats/via_json.h"
#include "engine/recipes/protocol_data.h"
#include "engine/recipes/recipes.h"
#include "engine/training/class_mapping.h"
#include "engine/training/model_inference.h"
#include <tuple>

namespace distillery {
namespace {

struct Scale {
  int size;
  int sourcePerDomain, targetTrain, targetVal;
  std::string teacherArch, studentArch;
  int64_t pretrainSteps;
};

Scale scaleFor(const std::string& name) {
  if (name == "smoke") return {64, 200, 120, 40, "student-s", "tiny", 400};
  return {128, 750, 400, 150, "teacher-l", "student-s", 3000};
}

std::string folderName(const std::filesystem::path& dir) {
  auto d = dir.lexically_normal();
  return d.has_filename() ? d.filename().string() : d.parent_path().filename().string();
}

struct ProtocolSplits {
  Dataset train, val;
  std::filesystem::path trainRoot, valRoot;
  std::vector<int64_t> categoryIds;
};

Result<ProtocolSplits> worldSplits(const std::filesystem::path& cache, const std::string& target, const Scale& s) {
  auto train = loadWorld(cache, target, s.targetTrain, 7001, s.size);
  if (!train.ok()) return train.status();
  auto val = loadWorld(cache, target, s.targetVal, 7002, s.size);
  if (!val.ok()) return val.status();
  WorldSplit t = mergeWorlds({*train}), v = mergeWorlds({*val});
  return ProtocolSplits{std::move(t.dataset), std::move(v.dataset), t.root, v.root, t.categoryIds};
}

// A real dataset in VIA layout: DIR/train/via_region_data.json and DIR/val/... (balloon).
Result<ProtocolSplits> viaSplits(const std::filesystem::path& dir, const std::string& category) {
  ProtocolSplits out;
  ViaReadOptions options;
  options.categoryName = category.empty() ? folderName(dir) : category;
  for (auto [name, set, root] : {std::tuple{"train", &out.train, &out.trainRoot},
                                 std::tuple{"val", &out.val, &out.valRoot}}) {
    const auto json = dir / name / "via_region_data.json";
    if (!std::filesystem::exists(json))
      return Status::error(json.string() + ": not found (expected a VIA dataset with train/ and val/)");
    auto d = readViaJson(json, options);
    if (!d.ok()) return d.status();
    if (d->images.empty()) return Status::error(json.string() + ": no usable images");
    *set = std::move(*d);
    *root = dir / name;
  }
  for (const auto& c : out.train.categories) out.categoryIds.push_back(c.id);
  return out;
}

ProtocolRow rowFor(const std::string& name, SegmentationModel& model, const RecipeData& data, int size) {
  ProtocolRow row;
  row.name = name;
  row.params = model.parameterCount();
  auto score = evaluateModel(model, *data.val, *data.valGroundTruth, data.categoryIds, size);
  if (score.ok()) {
    row.ap = score->ap;
    row.ap50 = score->ap50;
    row.msPerImage = score->msPerImage;
  }
  spdlog::info("{:<36} AP {:.4f}  AP50 {:.4f}  params {}  {:.1f} ms/image", name, row.ap, row.ap50, row.params,
               row.msPerImage);
  return row;
}

Status writeReport(const std::vector<ProtocolRow>& rows, const ProtocolOptions& o, const Scale& s,
                   const std::string& target, const TrainingSet& l, const TrainingSet& u, const TrainingSet& v) {
  nlohmann::json j;
  j["scale"] = o.scale;
  j["target"] = target;
  j["labelled_fraction"] = o.labelledFraction;
  j["images"] = {{"labelled", l.size()}, {"unlabelled", u.size()}, {"val", v.size()}};
  if (!o.classMap.empty()) j["class_map"] = o.classMap;
  j["image_size"] = s.size;
  for (const auto& r : rows)
    j["rows"].push_back({{"name", r.name}, {"ap", r.ap}, {"ap50", r.ap50}, {"params", r.params},
                         {"ms_per_image", r.msPerImage}});
  std::filesystem::create_directories(std::filesystem::absolute(o.out).parent_path());
  std::ofstream json(o.out);
  json << j.dump(2) << "\n";
  std::ofstream md(std::filesystem::path(o.out).replace_extension(".md"));
  md << "| model | AP | AP50 | params | ms / image |\n|---|---|---|---|---|\n";
  for (const auto& r : rows)
    md << "| " << r.name << " | " << fmt::format("{:.1f}", 100 * r.ap) << " | " << fmt::format("{:.1f}", 100 * r.ap50)
       << " | " << r.params << " | " << fmt::format("{:.1f}", r.msPerImage) << " |\n";
  if (!json || !md) return Status::error(o.out.string() + ": cannot write the report");
  return {};
}

}  // namespace

Result<std::vector<ProtocolRow>> runProtocol(const ProtocolOptions& o) {
  if (o.scale != "smoke" && o.scale != "default")
    return Status::error("unknown scale '" + o.scale + "' (expected smoke or default)");
  const Scale s = scaleFor(o.scale);
  const auto cache = o.cacheDir.empty() ? defaultCacheDir() : o.cacheDir;

  // The target data first, so a bad dataset fails before any training.
  auto splits = o.dataset.empty() ? worldSplits(cache, o.target, s) : viaSplits(o.dataset, o.category);
  if (!splits.ok()) return splits.status();
  const std::string target = o.dataset.empty() ? o.target : folderName(o.dataset);

  // 1-2. Worlds and the reference teacher (cached).
  PretrainOptions pre;
  pre.arch = s.teacherArch;
  pre.imagesPerDomain = s.sourcePerDomain;
  pre.size = s.size;
  pre.steps = s.pretrainSteps;
  pre.cacheDir = cache;
  auto teacherFile = pretrainTeacher(pre);
  if (!teacherFile.ok()) return teacherFile.status();
  auto teacher = loadNativeModel(std::filesystem::path(teacherFile->model).replace_extension(".ckpt"));
  if (!teacher.ok()) return teacher.status();

  // 3. Labelled / unlabelled split of the target train set (deterministic).
  std::vector<int64_t> ids;
  for (const auto& img : splits->train.images) ids.push_back(img.id);
  std::mt19937_64 rng(17);
  std::shuffle(ids.begin(), ids.end(), rng);
  const size_t nLabelled = std::max<size_t>(1, static_cast<size_t>(o.labelledFraction * ids.size() + 0.5));
  std::set<int64_t> labelledIds(ids.begin(), ids.begin() + static_cast<long>(nLabelled));
  Dataset labelled = splits->train, pool = splits->train;
  labelled.images.clear();
  pool.images.clear();
  pool.instances.clear();
  for (const auto& img : splits->train.images) (labelledIds.count(img.id) ? labelled : pool).images.push_back(img);
  labelled.instances.erase(std::remove_if(labelled.instances.begin(), labelled.instances.end(),
                                          [&](const Instance& i) { return !labelledIds.count(i.imageId); }),
                           labelled.instances.end());
  auto lSet = TrainingSet::load(labelled, splits->trainRoot, splits->categoryIds, s.size);
  auto uSet = TrainingSet::load(pool, splits->trainRoot, splits->categoryIds, s.size);
  auto vSet = TrainingSet::load(splits->val, splits->valRoot, splits->categoryIds, s.size);
  for (auto* r : {&lSet, &uSet, &vSet})
    if (!r->ok()) return r->status();
  RecipeData data;
  data.labelled = &*lSet;
  data.unlabelled = &*uSet;
  data.val = &*vSet;
  data.valGroundTruth = &splits->val;
  data.categories = splits->train.categories;
  data.categoryIds = splits->categoryIds;
  spdlog::info("protocol {}: {} labelled, {} unlabelled, {} val images of '{}'", o.scale, lSet->size(),
               uSet->size(), vSet->size(), target);

  // The teacher's classes onto the target's (a real dataset names its own).
  auto teacherNames = checkpointClassNames(std::filesystem::path(teacherFile->model).replace_extension(".ckpt"));
  if (!teacherNames.ok()) return teacherNames.status();
  auto mapping = resolveClassMapping(o.classMap, *teacherNames, data.classNames());
  if (!mapping.ok()) return mapping.status();
  if (!isIdentity(*mapping, data.categoryIds.size())) {
    auto remapped = remapClasses(**teacher, *mapping, static_cast<int>(data.categoryIds.size()));
    if (!remapped.ok()) return remapped.status();
    *teacher = std::move(*remapped);
  }

  RecipeSettings base = defaultRecipeSettings(o.scale);
  auto student = presetConfig(s.studentArch, 1);
  if (!student.ok()) return student.status();
  base.student = *student;
  const auto runRoot = cache / "protocol-runs" / (o.scale + "-" + target);
  std::filesystem::remove_all(runRoot);
  auto run = [&](RecipeSettings settings, SegmentationModel* t, const std::string& name) -> Result<RecipeOutcome> {
    RunObserver obs;
    obs.runDir = runRoot / name;
    obs.consolePeriod = 100;
    RecipeOutcome out = runRecipe(settings, t, data, obs);
    if (out.outcome != TrainOutcome::Completed) return Status::error(name + ": " + out.failure);
    return out;
  };

  // 4-5. Every recipe, evaluated on target val.
  std::vector<ProtocolRow> rows;
  rows.push_back(rowFor("teacher-zero-shot", **teacher, data, s.size));
  RecipeSettings cast = base;
  auto castOut = run(cast, teacher->get(), "cast");
  if (!castOut.ok()) return castOut.status();
  rows.push_back(rowFor("teacher-adapted", *castOut->adaptedTeacher, data, s.size));
  RecipeSettings sup = base;
  sup.recipe = "supervised";
  auto supOut = run(sup, nullptr, "supervised");
  if (!supOut.ok()) return supOut.status();
  rows.push_back(rowFor("student-supervised", *supOut->student, data, s.size));
  RecipeSettings gd = base;
  gd.recipe = "guided-distillation";
  auto gdOut = run(gd, nullptr, "guided-distillation");
  if (!gdOut.ok()) return gdOut.status();
  rows.push_back(rowFor("student-guided-distillation", *gdOut->student, data, s.size));
  RecipeSettings pl = base;
  pl.recipe = "pseudo-label";
  auto plOut = run(pl, teacher->get(), "pseudo-label");
  if (!plOut.ok()) return plOut.status();
  rows.push_back(rowFor("student-pseudo-label", *plOut->student, data, s.size));
  ProtocolRow stage2{"student-cast-stage2", castOut->scores["student-cast-stage2/ap"],
                     castOut->scores["student-cast-stage2/ap50"], castOut->student->parameterCount(), 0};
  rows.push_back(stage2);
  rows.push_back(rowFor("student-cast-refined", *castOut->student, data, s.size));
  rows[rows.size() - 2].msPerImage = rows.back().msPerImage;
  if (o.ablation) {
    for (const char* mode : {"uniform", "mask-only", "class-only"}) {
      RecipeSettings ab = base;
      ab.stage = "distill";
      ab.distill.contrast.sampling = *negativeSamplingFromString(mode);
      auto out = run(ab, castOut->adaptedTeacher.get(), std::string("ablation-") + mode);
      if (!out.ok()) return out.status();
      rows.push_back(rowFor(std::string("student-cast-stage2-") + mode, *out->student, data, s.size));
    }
  }
  if (Status st = writeReport(rows, o, s, target, *lSet, *uSet, *vSet); !st.ok()) return st;
  return rows;
}

}  // namespace distillery
