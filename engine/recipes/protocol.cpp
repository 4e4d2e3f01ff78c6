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
#include "engine/recipes/protocol_data.h"
#include "engine/recipes/recipes.h"
#include "engine/training/model_inference.h"

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

Status writeReport(const std::vector<ProtocolRow>& rows, const ProtocolOptions& o, const Scale& s) {
  nlohmann::json j;
  j["scale"] = o.scale;
  j["target"] = o.target;
  j["labelled_fraction"] = o.labelledFraction;
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

  auto train = loadWorld(cache, o.target, s.targetTrain, 7001, s.size);
  if (!train.ok()) return train.status();
  auto val = loadWorld(cache, o.target, s.targetVal, 7002, s.size);
  if (!val.ok()) return val.status();
  WorldSplit trainW = mergeWorlds({*train}), valW = mergeWorlds({*val});

  // 3. Labelled / unlabelled split of the target train set (deterministic).
  std::vector<int64_t> ids;
  for (const auto& img : trainW.dataset.images) ids.push_back(img.id);
  std::mt19937_64 rng(17);
  std::shuffle(ids.begin(), ids.end(), rng);
  const size_t nLabelled = std::max<size_t>(1, static_cast<size_t>(o.labelledFraction * ids.size() + 0.5));
  std::set<int64_t> labelledIds(ids.begin(), ids.begin() + static_cast<long>(nLabelled));
  Dataset labelled = trainW.dataset, pool = trainW.dataset;
  labelled.images.clear();
  pool.images.clear();
  pool.instances.clear();
  for (const auto& img : trainW.dataset.images) (labelledIds.count(img.id) ? labelled : pool).images.push_back(img);
  labelled.instances.erase(std::remove_if(labelled.instances.begin(), labelled.instances.end(),
                                          [&](const Instance& i) { return !labelledIds.count(i.imageId); }),
                           labelled.instances.end());
  auto lSet = TrainingSet::load(labelled, trainW.root, trainW.categoryIds, s.size);
  auto uSet = TrainingSet::load(pool, trainW.root, trainW.categoryIds, s.size);
  auto vSet = TrainingSet::load(valW.dataset, valW.root, valW.categoryIds, s.size);
  for (auto* r : {&lSet, &uSet, &vSet})
    if (!r->ok()) return r->status();
  RecipeData data;
  data.labelled = &*lSet;
  data.unlabelled = &*uSet;
  data.val = &*vSet;
  data.valGroundTruth = &valW.dataset;
  data.categories = trainW.dataset.categories;
  data.categoryIds = trainW.categoryIds;
  spdlog::info("protocol {}: {} labelled, {} unlabelled, {} val images of '{}'", o.scale, lSet->size(),
               uSet->size(), vSet->size(), o.target);

  RecipeSettings base = defaultRecipeSettings(o.scale);
  auto student = presetConfig(s.studentArch, 1);
  if (!student.ok()) return student.status();
  base.student = *student;
  const auto runRoot = cache / "protocol-runs" / (o.scale + "-" + o.target);
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
  if (Status st = writeReport(rows, o, s); !st.ok()) return st;
  return rows;
}

}  // namespace distillery
