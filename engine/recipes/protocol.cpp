// The benchmark protocol (issue: distillation engine): source and target worlds, the
// reference teacher, a 10% labelled split of the target train set, every recipe,
// and evaluation on target val, written as JSON and a Markdown table.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include <unistd.h>

#include "engine/api/distillation.h"
#include "engine/data/formats/via_json.h"
#include "engine/evaluation/pseudo_label_quality.h"
#include "engine/recipes/protocol_data.h"
#include "engine/recipes/recipe_cache.h"
#include "engine/recipes/recipes.h"
#include "engine/training/class_mapping.h"
#include "engine/training/model_inference.h"

namespace distillery {
namespace {

struct Scale {
  int size;
  int sourcePerDomain, targetTrain, targetVal;
  std::string teacherArch, studentArch;
  int64_t pretrainSteps;
  int64_t studentPretrainSteps;  // 0: the students start from random weights
};

Scale scaleFor(const std::string& name) {
  if (name == "smoke") return {64, 200, 120, 40, "student-s", "tiny", 400, 0};
  return {128, 750, 400, 150, "teacher-l", "student-m", 3000, 3000};
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

Status writeReport(const ProtocolReport& report, const ProtocolOptions& o, const Scale& s, const std::string& target,
                   const std::filesystem::path& studentInit, const TrainingSet& l, const TrainingSet& u,
                   const TrainingSet& v) {
  nlohmann::json j;
  j["scale"] = o.scale;
  j["target"] = target;
  j["labelled_fraction"] = o.labelledFraction;
  j["images"] = {{"labelled", l.size()}, {"unlabelled", u.size()}, {"val", v.size()}};
  if (!o.classMap.empty()) j["class_map"] = o.classMap;
  if (!o.config.empty()) j["config"] = o.config.string();
  j["image_size"] = s.size;
  j["student"] = s.studentArch;
  j["student_init"] = studentInit.string();
  for (const auto& r : report.rows)
    j["rows"].push_back({{"name", r.name}, {"ap", r.ap}, {"ap50", r.ap50}, {"params", r.params},
                         {"ms_per_image", r.msPerImage}});
  for (const auto& p : report.pseudoLabels)
    j["pseudo_labels"].push_back({{"made_by", p.madeBy}, {"count", p.count}, {"truth", p.truth},
                                  {"matched_iou50", p.matched}});
  std::filesystem::create_directories(std::filesystem::absolute(o.out).parent_path());
  std::ofstream json(o.out);
  json << j.dump(2) << "\n";
  std::ofstream md(std::filesystem::path(o.out).replace_extension(".md"));
  md << "| model | AP | AP50 | params | ms / image |\n|---|---|---|---|---|\n";
  for (const auto& r : report.rows)
    md << "| " << r.name << " | " << fmt::format("{:.1f}", 100 * r.ap) << " | " << fmt::format("{:.1f}", 100 * r.ap50)
       << " | " << r.params << " | " << fmt::format("{:.1f}", r.msPerImage) << " |\n";
  if (!report.pseudoLabels.empty()) {
    md << "\n| pseudo-labels by | count | pool instances | precision@0.5 | recall@0.5 |\n|---|---|---|---|---|\n";
    for (const auto& p : report.pseudoLabels)
      md << "| " << p.madeBy << " | " << p.count << " | " << p.truth << " | "
         << fmt::format("{:.2f}", p.count ? double(p.matched) / p.count : 0.0) << " | "
         << fmt::format("{:.2f}", p.truth ? double(p.matched) / p.truth : 0.0) << " |\n";
  }
  if (!json || !md) return Status::error(o.out.string() + ": cannot write the report");
  return {};
}

const std::vector<std::string> kAblations = {"uniform", "mask-only", "class-only"};

// The settings a recipe's outcome depends on (its folder's key). An ablation distils from
// cast's adapted teacher, so it depends on the adaptation settings too.
nlohmann::json recipeKey(const RecipeSettings& r) {
  const nlohmann::json all = toJson(r);
  nlohmann::json key = {
      {"recipe", r.recipe}, {"stage", r.stage}, {"student", all["student"]}, {"student_init", all["student_init"]}};
  std::vector<const char*> used;
  if (r.recipe == "supervised")
    used = {"supervised"};
  else if (r.recipe == "guided-distillation")
    used = {"supervised", "distill", "gd_filter", "gd_burn_in", "gd_ema_decay", "gd_unsupervised_weight"};
  else if (r.recipe == "pseudo-label")
    used = {"distill", "filter"};
  else
    used = {"adapt", "distill", "refine", "filter"};
  for (const char* k : used) key[k] = all[k];
  // Code changes the settings do not show: pseudo-masks thresholded after upsampling the
  // teacher's logits (before: its stride-4 binary mask enlarged).
  if (r.recipe != "supervised") key["pseudo_masks"] = "upsampled-logits";
  return key;
}

// A recipe's settings in the protocol: the ablations are CAST's distillation alone (from
// its adapted teacher) with another negative sampling.
RecipeSettings settingsOf(const std::string& name, const RecipeSettings& base) {
  RecipeSettings r = base;
  if (name.rfind("ablation-", 0) == 0) {
    r.stage = "distill";
    r.distill.contrast.sampling = *negativeSamplingFromString(name.substr(std::string("ablation-").size()));
  } else {
    r.recipe = name;
  }
  return r;
}

// The recipes a call runs, checked before any work.
Result<std::set<std::string>> selectedRecipes(const ProtocolOptions& o) {
  std::vector<std::string> known = {"cast", "supervised", "guided-distillation", "pseudo-label"};
  for (const auto& m : kAblations) known.push_back("ablation-" + m);
  std::set<std::string> out;
  if (o.recipes.empty()) {
    for (const auto& r : known)
      if (o.ablation || r.rfind("ablation-", 0) != 0) out.insert(r);
    return out;
  }
  for (const auto& r : o.recipes) {
    if (r == "ablation") {
      for (const auto& m : kAblations) out.insert("ablation-" + m);
    } else if (std::find(known.begin(), known.end(), r) != known.end()) {
      out.insert(r);
    } else {
      std::string list;
      for (const auto& k : known) list += k + ", ";
      return Status::error("unknown recipe '" + r + "' (expected " + list + "or ablation)");
    }
  }
  return out;
}

Result<RecipeSettings> protocolSettings(const ProtocolOptions& o, const Scale& s) {
  RecipeSettings base = defaultRecipeSettings(o.scale);
  auto student = presetConfig(s.studentArch, 1);
  if (!student.ok()) return student.status();
  base.student = *student;
  for (StageConfig* c : {&base.adapt, &base.distill, &base.refine, &base.supervised})
    c->checkpointPeriod = 250;  // an interrupted call resumes mid-stage
  if (o.config.empty()) return base;
  std::ifstream in(o.config);
  if (!in) return Status::error(o.config.string() + ": cannot read the config");
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return Status::error(o.config.string() + ": not valid JSON");
  auto merged = recipeSettingsFromJson(j, base);
  if (!merged.ok()) return Status::error(o.config.string() + ": " + merged.status().message());
  return merged;
}

// The labelled images (`fraction` of them, at least one, a fixed shuffle) with their
// instances, and the rest as the unlabelled pool without theirs.
std::pair<Dataset, Dataset> labelledSplit(const Dataset& train, double fraction) {
  std::vector<int64_t> ids;
  for (const auto& img : train.images) ids.push_back(img.id);
  std::mt19937_64 rng(17);
  std::shuffle(ids.begin(), ids.end(), rng);
  const size_t nLabelled = std::max<size_t>(1, static_cast<size_t>(fraction * ids.size() + 0.5));
  std::set<int64_t> labelledIds(ids.begin(), ids.begin() + static_cast<long>(std::min(nLabelled, ids.size())));
  Dataset labelled = train, pool = train;
  labelled.images.clear();
  pool.images.clear();
  pool.instances.clear();
  for (const auto& img : train.images) (labelledIds.count(img.id) ? labelled : pool).images.push_back(img);
  labelled.instances.erase(std::remove_if(labelled.instances.begin(), labelled.instances.end(),
                                          [&](const Instance& i) { return !labelledIds.count(i.imageId); }),
                           labelled.instances.end());
  return {std::move(labelled), std::move(pool)};
}

// The settings a recipe's stage and the stages before it read (parts of `recipeKey`), for
// the stages a run with other later settings can take over: CAST's adaptation and
// distillation, GD's supervised teacher. The last stage reads everything, so is not listed.
std::vector<std::pair<std::string, std::vector<const char*>>> sharableStages(const std::string& recipe) {
  if (recipe == "cast")
    return {{"adapt-1", {"adapt", "filter"}},
            {"adapt-2", {"adapt", "filter"}},
            {"distill", {"adapt", "filter", "distill", "student", "student_init"}}};
  if (recipe == "guided-distillation") return {{"gd-teacher", {"supervised", "student", "student_init"}}};
  return {};
}

nlohmann::json stageKey(const nlohmann::json& recipeKey, const std::vector<const char*>& reads) {
  nlohmann::json key = {{"recipe", recipeKey.value("recipe", "")}, {"pseudo_masks", recipeKey.value("pseudo_masks", "")}};
  for (const char* k : reads) key[k] = recipeKey.contains(k) ? recipeKey[k] : nlohmann::json();
  return key;
}

// Finished recipes kept per data, teacher and the recipe's own settings: calls with other
// subsets reuse them, a changed setting retrains only what depends on it.
struct KeptRuns {
  std::filesystem::path root;
  const Dataset& poolTruth;  // the pool's held-back labels, to score pseudo-labels
  ProtocolReport& report;
  bool takeOver = true;  // seedSharedStages

  std::filesystem::path dirFor(const RecipeSettings& recipe, const std::string& name) const {
    return root / (name + "-" + settingsFingerprint(recipeKey(recipe)));
  }

  void readPseudoLabelStats(const std::filesystem::path& file, const std::string& name) {
    std::ifstream in(file);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_array()) return;
    for (const auto& e : j)
      report.pseudoLabels.push_back({name + ": " + e.value("made_by", std::string()), e.value("count", int64_t{0}),
                                     e.value("truth", int64_t{0}), e.value("matched", int64_t{0})});
  }

  // A run with new settings starts from the checkpoints of a kept run of the same recipe
  // whose settings agree up to that stage (say, CAST with another refinement reuses the
  // adaptation and distillation): linked into `dir`, where the stage resumes at its end
  // (or mid-stage, from an unfinished one) exactly as after an interruption.
  void seedSharedStages(const RecipeSettings& recipe, const std::string& name, const std::filesystem::path& dir) const {
    const nlohmann::json ours = recipeKey(recipe);
    for (const auto& [stage, reads] : sharableStages(recipe.recipe)) {
      const auto target = dir / (stage + ".ckpt");
      if (std::filesystem::exists(target)) continue;
      const nlohmann::json wanted = stageKey(ours, reads);
      for (const auto& kin : std::filesystem::directory_iterator(root)) {
        const auto source = kin.path() / (stage + ".ckpt");
        if (kin.path() == dir || kin.path().filename().string().rfind(name + "-", 0) != 0 ||
            !std::filesystem::exists(source))
          continue;
        std::ifstream in(kin.path() / "settings.json");
        const auto theirs = nlohmann::json::parse(in, nullptr, false);
        if (theirs.is_discarded() || stageKey(theirs, reads) != wanted) continue;
        std::error_code ec;
        std::filesystem::create_hard_link(source, target, ec);  // checkpoints are replaced by rename, never rewritten
        if (ec) std::filesystem::copy_file(source, target, ec);
        if (ec) {
          spdlog::warn("{}: cannot take {} over: {}", name, source.string(), ec.message());
          continue;
        }
        spdlog::info("{}: stage {} taken over from {} (same settings up to it)", name, stage, source.string());
        break;
      }
    }
  }

  // `onlyStage` (e.g. CAST's "adapt"): a partial run in the recipe's folder whose stage
  // checkpoints stay for the full run to resume from, but which is not kept as finished.
  Result<RecipeOutcome> run(const RecipeSettings& recipe, SegmentationModel* teacher, const RecipeData& data,
                            const std::string& name, const std::string& onlyStage = "") {
    const auto dir = dirFor(recipe, name);
    std::filesystem::create_directories(dir);
    {
      std::ofstream keyFile(dir / "settings.json");
      keyFile << recipeKey(recipe).dump(2) << "\n";
    }
    const auto plFile = dir / "pseudo-labels.json";
    if (auto earlier = loadRecipeOutcome(dir)) {
      if (!earlier->ok()) return earlier->status();
      spdlog::info("{}: finished earlier, reusing {}", name, dir.string());
      readPseudoLabelStats(plFile, name);
      return std::move(**earlier);
    }
    if (takeOver) seedSharedStages(recipe, name, dir);
    RunObserver obs;
    obs.runDir = dir;
    obs.consolePeriod = 100;
    nlohmann::json plStats = nlohmann::json::array();
    obs.pseudoLabels = [&](Dataset& made, const std::string& madeBy) {
      const auto q = measurePseudoLabels(made, poolTruth);
      spdlog::info("{}: {} pseudo-labels, precision {:.2f}, recall {:.2f} of {} pool instances (IoU 0.5)", madeBy,
                   q.pseudoLabels, q.precision(), q.recall(), q.truth);
      plStats.push_back({{"made_by", madeBy}, {"count", q.pseudoLabels}, {"truth", q.truth}, {"matched", q.matched}});
    };
    RecipeSettings partial = recipe;
    if (!onlyStage.empty()) partial.stage = onlyStage;
    RecipeOutcome out = runRecipe(partial, teacher, data, obs);
    if (out.outcome != TrainOutcome::Completed) return Status::error(name + ": " + out.failure);
    if (!onlyStage.empty()) return out;
    {
      std::ofstream stats(plFile);
      stats << plStats.dump(2) << "\n";
    }
    readPseudoLabelStats(plFile, name);
    if (Status st = saveRecipeOutcome(out, dir, data.classNames()); !st.ok()) return st;
    return out;
  }
};

// A source-world checkpoint's classes onto the target's (`classMap`, else by name); none
// when that is the identity.
Result<std::optional<ClassMapping>> targetMapping(const std::filesystem::path& ckpt, const std::string& classMap,
                                                  const RecipeData& data) {
  auto names = checkpointClassNames(ckpt);
  if (!names.ok()) return names.status();
  auto mapping = resolveClassMapping(classMap, *names, data.classNames());
  if (!mapping.ok()) return mapping.status();
  if (isIdentity(*mapping, data.categoryIds.size())) return std::optional<ClassMapping>();
  return std::optional<ClassMapping>(std::move(*mapping));
}

// A student-size model pretrained on the source worlds (cached like the teacher), its
// classes mapped onto the target's; returns the checkpoint the students start from.
Result<std::filesystem::path> pretrainedStudent(PretrainOptions pre, const std::string& arch, int64_t steps,
                                                const std::string& classMap, const RecipeData& data,
                                                const std::filesystem::path& runRoot) {
  pre.arch = arch;
  pre.steps = steps;
  pre.lr = 1e-3;  // the student stages' LR; a 0.68M model does not diverge at it
  auto pretrained = pretrainTeacher(pre);
  if (!pretrained.ok()) return pretrained.status();
  const auto ckpt = std::filesystem::path(pretrainedTeacherFile(pre)).replace_extension(".ckpt");
  auto mapping = targetMapping(ckpt, classMap, data);
  if (!mapping.ok()) return mapping.status();
  if (!*mapping) return ckpt;
  auto model = loadNativeModel(ckpt);
  if (!model.ok()) return model.status();
  auto remapped = remapClasses(**model, **mapping, static_cast<int>(data.categoryIds.size()));
  if (!remapped.ok()) return remapped.status();
  const auto mapped = runRoot / ("student-init-" + settingsFingerprint(ckpt.string()) + ".ckpt");
  if (std::filesystem::exists(mapped)) return mapped;  // made by an earlier call (or lane)
  // Written aside and renamed, so a parallel lane never reads half a file.
  const auto partial = std::filesystem::path(mapped).concat(".part-" + std::to_string(::getpid()));
  if (Status st = saveNativeModel(**remapped, partial, data.classNames()); !st.ok()) return st;
  std::error_code ec;
  std::filesystem::rename(partial, mapped, ec);
  if (ec) return Status::error(mapped.string() + ": cannot write the mapped student init: " + ec.message());
  return mapped;
}

}  // namespace

Result<std::vector<std::string>> protocolRecipes(const ProtocolOptions& o) {
  auto r = selectedRecipes(o);
  if (!r.ok()) return r.status();
  return std::vector<std::string>(r->begin(), r->end());
}

Result<ProtocolReport> runProtocol(const ProtocolOptions& o) {
  if (o.scale != "smoke" && o.scale != "default")
    return Status::error("unknown scale '" + o.scale + "' (expected smoke or default)");
  Scale s = scaleFor(o.scale);
  if (!o.student.empty()) s.studentArch = o.student;
  const auto cache = o.cacheDir.empty() ? defaultCacheDir() : o.cacheDir;
  auto recipes = selectedRecipes(o);
  if (!recipes.ok()) return recipes.status();
  auto settings = protocolSettings(o, s);
  if (!settings.ok()) return settings.status();
  RecipeSettings& base = *settings;

  // The target data first, so a bad dataset fails before any training.
  auto splits = o.dataset.empty() ? worldSplits(cache, o.target, s) : viaSplits(o.dataset, o.category);
  if (!splits.ok()) return splits.status();
  const std::string target = o.dataset.empty() ? o.target : folderName(o.dataset);

  // 1-2. Worlds and the reference teacher (cached). Calls that only run the teacher-free
  // baselines (supervised, guided-distillation) neither need nor wait for it.
  PretrainOptions pre;
  pre.arch = s.teacherArch;
  pre.imagesPerDomain = s.sourcePerDomain;
  pre.size = s.size;
  pre.steps = s.pretrainSteps;
  pre.cacheDir = cache;
  const bool needsTeacher = std::any_of(recipes->begin(), recipes->end(), [](const std::string& r) {
    return r != "supervised" && r != "guided-distillation";
  });
  const auto teacherModel = pretrainedTeacherFile(pre);
  const auto teacherCkpt = std::filesystem::path(teacherModel).replace_extension(".ckpt");
  Result<std::unique_ptr<SegmentationModel>> teacher = std::unique_ptr<SegmentationModel>();
  if (needsTeacher) {
    auto pretrained = pretrainTeacher(pre);
    if (!pretrained.ok()) return pretrained.status();
    teacher = loadNativeModel(teacherCkpt);
    if (!teacher.ok()) return teacher.status();
  }

  // 3. Labelled / unlabelled split of the target train set (deterministic).
  auto [labelled, pool] = labelledSplit(splits->train, o.labelledFraction);
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
  if (needsTeacher) {
    auto mapping = targetMapping(teacherCkpt, o.classMap, data);
    if (!mapping.ok()) return mapping.status();
    if (*mapping) {
      auto remapped = remapClasses(**teacher, **mapping, static_cast<int>(data.categoryIds.size()));
      if (!remapped.ok()) return remapped.status();
      *teacher = std::move(*remapped);
    }
  }

  // Finished recipes are kept per data, teacher and the recipe's own settings: calls
  // with other subsets reuse them, and a changed setting retrains only what depends on it.
  const nlohmann::json dataKey = {{"scale", o.scale},
                                  {"target", o.dataset.empty() ? o.target : std::filesystem::absolute(o.dataset).string()},
                                  {"category", o.category},
                                  {"labelled", o.labelledFraction},
                                  {"class_map", o.classMap},
                                  {"teacher", teacherModel.string()}};
  const auto runRoot = cache / "protocol-runs" / (o.scale + "-" + target + "-" + settingsFingerprint(dataKey));
  std::filesystem::create_directories(runRoot);
  {
    std::ofstream keyFile(runRoot / "data.json");
    keyFile << dataKey.dump(2) << "\n";
  }
  spdlog::info("protocol runs kept in {}", runRoot.string());

  // The students start from a student-size model pretrained on the same source worlds, as
  // the paper's students start from DINOv2-S: every student recipe, and GD's teacher, alike.
  const int64_t studentSteps = o.studentPretrainSteps >= 0 ? o.studentPretrainSteps : s.studentPretrainSteps;
  if (studentSteps > 0 && base.studentInit.empty()) {
    auto init = pretrainedStudent(pre, s.studentArch, studentSteps, o.classMap, data, runRoot);
    if (!init.ok()) return init.status();
    base.studentInit = *init;
  }
  ProtocolReport report;
  KeptRuns kept{runRoot, splits->train, report, o.takeOverStages && !o.fresh};
  if (o.fresh)  // this call's recipes only (an ablation call keeps cast's adapted teacher)
    for (const auto& r : *recipes) std::filesystem::remove_all(kept.dirFor(settingsOf(r, base), r));
  if (o.prepareOnly) return report;
  auto run = [&](const RecipeSettings& recipe, SegmentationModel* t, const std::string& name,
                 const std::string& onlyStage = "") { return kept.run(recipe, t, data, name, onlyStage); };
  auto wanted = [&](const std::string& r) { return recipes->count(r) > 0; };

  // 4-5. Every recipe, evaluated on target val.
  auto& rows = report.rows;
  if (needsTeacher) rows.push_back(rowFor("teacher-zero-shot", **teacher, data, s.size));
  std::optional<RecipeOutcome> castOut;
  const bool ablations = wanted("ablation-uniform") || wanted("ablation-mask-only") || wanted("ablation-class-only");
  const bool castStudent = wanted("cast") && !o.adaptOnly;
  if (wanted("cast") || ablations) {  // the ablations distil from cast's adapted teacher
    // Adaptation only: reused when cast has finished, else run but not kept as finished.
    auto out = run(settingsOf("cast", base), teacher->get(), "cast", castStudent ? "" : "adapt");
    if (!out.ok()) return out.status();
    castOut = std::move(*out);
    rows.push_back(rowFor("teacher-adapted", *castOut->adaptedTeacher, data, s.size));
  }
  if (o.adaptOnly) {
    if (Status st = writeReport(report, o, s, target, base.studentInit, *lSet, *uSet, *vSet); !st.ok()) return st;
    return report;
  }
  for (const auto& [recipe, row, usesTeacher] :
       {std::tuple{"supervised", "student-supervised", false},
        std::tuple{"guided-distillation", "student-guided-distillation", false},
        std::tuple{"pseudo-label", "student-pseudo-label", true}}) {
    if (!wanted(recipe)) continue;
    auto out = run(settingsOf(recipe, base), usesTeacher ? teacher->get() : nullptr, recipe);
    if (!out.ok()) return out.status();
    rows.push_back(rowFor(row, *out->student, data, s.size));
  }
  if (castStudent) {
    rows.push_back({"student-cast-stage2", castOut->scores["student-cast-stage2/ap"],
                    castOut->scores["student-cast-stage2/ap50"], castOut->student->parameterCount(), 0});
    rows.push_back(rowFor("student-cast-refined", *castOut->student, data, s.size));
    rows[rows.size() - 2].msPerImage = rows.back().msPerImage;
  }
  for (const auto& mode : kAblations) {
    if (!wanted("ablation-" + mode)) continue;
    auto out = run(settingsOf("ablation-" + mode, base), castOut->adaptedTeacher.get(), "ablation-" + mode);
    if (!out.ok()) return out.status();
    rows.push_back(rowFor("student-cast-stage2-" + mode, *out->student, data, s.size));
  }
  if (Status st = writeReport(report, o, s, target, base.studentInit, *lSet, *uSet, *vSet); !st.ok()) return st;
  return report;
}

}  // namespace distillery
