// Running a recipe on a project (engine/api/distillation.h): data from the store,
// pseudo-labels and metrics back into it.
#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "engine/api/distillation.h"
#include "engine/export/segmenter_trace.h"
#include "engine/recipes/recipes.h"
#include "engine/store/dataset_io.h"
#include "engine/store/metrics_writer.h"
#include "engine/store/project.h"
#include "engine/training/class_mapping.h"

namespace distillery {
namespace {

struct ProjectData {
  Dataset labelled, unlabelled, val;
  std::map<int64_t, std::vector<Rle>> rejected;  // per image: masks a reviewer rejected
};

Result<ProjectData> readProjectData(Project& project) {
  ProjectData out;
  auto human = exportDataset(project, ExportFilter{{Source::Human, Source::Teacher},
                                                   {ReviewStatus::Accepted, ReviewStatus::Edited},
                                                   true});
  if (!human.ok()) return human.status();
  std::map<int64_t, Split> split;
  auto images = project.images().all();
  if (!images.ok()) return images.status();
  for (const auto& e : *images) {
    split[e.id] = e.split;
    if (e.split == Split::Unlabelled) out.unlabelled.images.push_back({e.id, e.path, e.width, e.height});
    if (e.rejectedCount > 0) {
      auto anns = project.annotations().forImage(e.id);
      if (!anns.ok()) return anns.status();
      for (const auto& a : *anns)
        if (a.review == ReviewStatus::Rejected) out.rejected[e.id].push_back(a.mask);
    }
  }
  out.labelled.categories = out.val.categories = out.unlabelled.categories = human->categories;
  std::set<int64_t> inLabelled, inVal;
  for (const auto& img : human->images) {
    if (split[img.id] == Split::Labelled) { out.labelled.images.push_back(img); inLabelled.insert(img.id); }
    if (split[img.id] == Split::Val) { out.val.images.push_back(img); inVal.insert(img.id); }
  }
  for (const auto& inst : human->instances) {
    if (inLabelled.count(inst.imageId)) out.labelled.instances.push_back(inst);
    if (inVal.count(inst.imageId)) out.val.instances.push_back(inst);
  }
  return out;
}

}  // namespace

Result<ProjectRunResult> runOnProject(const ProjectRunOptions& o, RunCallbacks cb) {
  auto project = o.openProject ? o.openProject() : Project::open(o.project, OpenMode::ReadWrite);
  if (!project.ok()) return project.status();
  auto data = readProjectData(*project);
  if (!data.ok()) return data.status();
  auto root = project->imageRoot();
  if (!root.ok()) return root.status();

  RecipeSettings settings = defaultRecipeSettings(o.scale);
  settings.recipe = o.recipe;
  settings.stage = o.stage;
  nlohmann::json config = nlohmann::json::object();
  if (!o.configJson.empty()) {
    config = nlohmann::json::parse(o.configJson, nullptr, false);
    if (config.is_discarded()) return Status::error("--config: not valid JSON");
  }
  auto parsed = recipeSettingsFromJson(config, settings);
  if (!parsed.ok()) return parsed.status();
  settings = *parsed;

  std::vector<int64_t> classIds;
  for (const auto& c : data->labelled.categories) classIds.push_back(c.id);
  if (data->labelled.images.empty())
    return Status::error(o.project.string() + ": no labelled images (label a few seed images first; "
                         "images with human annotations are split 'labelled')");
  auto lSet = TrainingSet::load(data->labelled, *root, classIds, settings.distill.views.size);
  if (!lSet.ok()) return lSet.status();
  auto uSet = TrainingSet::load(data->unlabelled, *root, classIds, settings.distill.views.size);
  if (!uSet.ok()) return uSet.status();
  auto vSet = TrainingSet::load(data->val, *root, classIds, settings.distill.views.size);
  if (!vSet.ok()) return vSet.status();

  std::unique_ptr<SegmentationModel> teacher;
  if (!o.teacher.empty()) {
    const auto ckpt = std::filesystem::path(o.teacher).replace_extension(".ckpt");
    if (!std::filesystem::exists(ckpt))
      return Status::error(o.teacher.string() + ": training needs the teacher's Distillery checkpoint " +
                           ckpt.string() + " (made by `pretrain` or `model export --checkpoint`); adapting a "
                           "foreign TorchScript teacher is not supported yet");
    auto t = loadNativeModel(ckpt);
    if (!t.ok()) return t.status();
    teacher = std::move(*t);
    std::vector<std::string> projectNames;
    for (const auto& c : data->labelled.categories) projectNames.push_back(c.name);
    auto teacherNames = checkpointClassNames(ckpt);
    if (!teacherNames.ok()) return teacherNames.status();
    Result<ClassMapping> mapping = o.classMapping;
    if (o.classMapping.empty()) mapping = resolveClassMapping(o.classMap, *teacherNames, projectNames);
    if (!mapping.ok()) return Status::error(o.teacher.string() + ": " + mapping.status().message());
    if (!isIdentity(*mapping, projectNames.size())) {
      auto remapped = remapClasses(*teacher, *mapping, static_cast<int>(projectNames.size()));
      if (!remapped.ok()) return Status::error(o.teacher.string() + ": " + remapped.status().message());
      teacher = std::move(*remapped);
      spdlog::info("teacher re-headed for the project's {} classes", projectNames.size());
    }
  }

  // Checked before a run is stored: a wrong start fails here, naming the file.
  if (!settings.studentInit.empty())
    if (Status st = checkStudentInit(settings.studentInit, classIds.size()); !st.ok()) return st;

  RecipeData rd;
  rd.labelled = &*lSet;
  rd.unlabelled = &*uSet;
  if (!vSet->empty()) {
    rd.val = &*vSet;
    rd.valGroundTruth = &data->val;
  }
  rd.categories = data->labelled.categories;
  rd.categoryIds = classIds;

  ProjectRunResult result;
  auto runId = project->runs().start(o.recipe, toJson(settings.distill).dump());
  if (!runId.ok()) return runId.status();
  result.runId = *runId;
  auto metricsConn = project->connect();
  if (!metricsConn.ok()) return metricsConn.status();
  MetricsWriter metrics(std::move(*metricsConn));

  RunObserver obs;
  obs.control = cb.control;
  obs.console = cb.console;
  obs.runDir = project->runsDir() / ("run-" + std::to_string(*runId));
  obs.stageStarted = cb.stageStarted;
  obs.scalars = [&](const std::vector<ScalarEvent>& events) {
    for (const auto& e : events) metrics.add(*runId, e.step, e.name, e.value);
    if (cb.scalars) cb.scalars(events);
  };
  obs.pseudoLabels = [&](Dataset& pl, const std::string& madeBy) {
    // Rejected pseudo-labels are never used again: drop new ones that repeat them.
    std::vector<Instance> kept;
    for (auto& inst : pl.instances) {
      bool rejected = false;
      for (const Rle& r : data->rejected[inst.imageId]) rejected |= rle::iou(inst.mask, r, false) > 0.5;
      if (!rejected) kept.push_back(std::move(inst));
    }
    pl.instances = std::move(kept);
    std::map<int64_t, ImagePredictions> byImage;
    for (const auto& img : pl.images) byImage[img.id].imageId = img.id;
    for (const auto& inst : pl.instances) {
      NewAnnotation a;
      a.imageId = inst.imageId;
      a.categoryId = inst.categoryId;
      a.mask = inst.mask;
      a.score = inst.score;
      a.source = Source::Teacher;
      byImage[inst.imageId].annotations.push_back(a);
    }
    std::vector<ImagePredictions> batch;
    for (auto& [id, p] : byImage) batch.push_back(std::move(p));
    auto stored = project->annotations().replacePredictions(batch, Source::Teacher, *runId);
    if (!stored.ok()) spdlog::error("storing pseudo-labels failed: {}", stored.status().message());
    if (cb.pseudoLabelsStored) cb.pseudoLabelsStored(static_cast<int64_t>(pl.instances.size()), madeBy);
  };

  RecipeOutcome out = runRecipe(settings, teacher.get(), rd, obs);
  metrics.flush();
  result.scores = out.scores;
  result.message = out.failure;
  result.status = out.outcome == TrainOutcome::Completed ? "finished"
                  : out.outcome == TrainOutcome::Cancelled ? "cancelled" : "failed";
  // The run's models, as TorchScript + sidecar + checkpoint in models/ (the compare
  // view and export read them from there).
  auto saveModel = [&](SegmentationModel& model, const std::string& role) -> std::filesystem::path {
    auto* native = dynamic_cast<NativeSegmentationModel*>(&model);
    std::filesystem::create_directories(project->modelsDir());
    const auto file = project->modelsDir() / ("run-" + std::to_string(*runId) + "-" + role + ".pt");
    Status saved = saveNativeModel(model, std::filesystem::path(file).replace_extension(".ckpt"), rd.classNames());
    if (saved.ok() && native != nullptr)
      saved = exportSegmenter(native->segmenter(), segmenterSidecar(native->config(), rd.classNames(), classIds,
                                                                    settings.distill.views.size),
                              file, settings.distill.views.size);
    if (!saved.ok()) {
      spdlog::error("{}", saved.message());
      return {};
    }
    project->runs().addCheckpoint(*runId, role, 0, file.string());
    return file;
  };
  if (out.student) result.student = saveModel(*out.student, "student");
  if (out.adaptedTeacher) result.adaptedTeacher = saveModel(*out.adaptedTeacher, "teacher-adapted");
  project->runs().finish(*runId, out.outcome == TrainOutcome::Completed ? RunStatus::Finished
                                 : out.outcome == TrainOutcome::Cancelled ? RunStatus::Cancelled : RunStatus::Failed,
                         out.failure);
  return result;
}

}  // namespace distillery
