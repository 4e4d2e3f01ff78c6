#include "engine/recipes/recipes.h"

#include <spdlog/spdlog.h>

#include "engine/modeling/image_tensor.h"
#include "engine/training/checkpoint.h"
#include "engine/training/ema_teacher.h"
#include "engine/training/model_inference.h"

namespace distillery {

Status checkStudentInit(const std::filesystem::path& studentInit, size_t classes) {
  auto meta = readCheckpointMeta(studentInit);
  if (!meta.ok()) return Status::error("student_init: " + meta.status().message());
  if (!meta->contains("model_config"))
    return Status::error("student_init: " + studentInit.string() +
                         ": checkpoint has no 'model_config' (expected a Distillery model checkpoint)");
  auto config = segmenterConfigFromJson((*meta)["model_config"], studentInit.string());
  if (!config.ok()) return Status::error("student_init: " + config.status().message());
  if (static_cast<size_t>(config->numClasses) != classes)
    return Status::error("student_init: " + studentInit.string() + " has " + std::to_string(config->numClasses) +
                         " classes, the training data has " + std::to_string(classes) +
                         " (start from a checkpoint with its classes)");
  return {};
}

namespace {

bool stopped(const RecipeOutcome& o) { return o.outcome != TrainOutcome::Completed; }

void take(RecipeOutcome& o, const StageResult& r, const std::string& row) {
  if (r.outcome != TrainOutcome::Completed) {
    o.outcome = r.outcome;
    o.failure = r.failure;
  }
  if (r.finalAp >= 0) {
    o.scores[row + "/ap"] = r.finalAp;
    o.scores[row + "/ap50"] = r.finalAp50;
  }
}

StageConfig named(StageConfig c, const std::string& name, const std::string& prefix, double semi, double pxl) {
  c.name = name;
  c.metricPrefix = prefix;
  c.lambdaSemi = semi;
  c.lambdaPxl = pxl;
  return c;
}

Result<TrainingSet> pseudoLabelledPool(SegmentationModel& teacher, const RecipeData& data,
                                       const PseudoLabelFilterConfig& filter, int size, RunObserver& observer,
                                       const std::string& madeBy) {
  Dataset pl = pseudoLabel(teacher, *data.unlabelled, data.categories, data.categoryIds,
                                 PseudoLabelFilter(filter), size);
  spdlog::info("{}: {} pseudo-labels on {} unlabelled images", madeBy, pl.instances.size(), pl.images.size());
  if (observer.pseudoLabels) observer.pseudoLabels(pl, madeBy);
  return data.unlabelled->relabelled(pl, data.categoryIds);
}

std::unique_ptr<SegmentationModel> newStudent(const RecipeSettings& s, const RecipeData& data, uint64_t seed) {
  torch::manual_seed(seed);
  const auto classes = static_cast<int64_t>(data.categoryIds.size());
  if (!s.studentInit.empty()) {
    if (Status st = checkStudentInit(s.studentInit, data.categoryIds.size()); !st.ok()) throw UserError(st.message());
    auto init = loadNativeModel(s.studentInit);
    if (!init.ok()) throw UserError("student_init: " + init.status().message());
    return std::move(*init);
  }
  SegmenterConfig c = s.student;
  c.numClasses = static_cast<int>(classes);
  return std::make_unique<NativeSegmentationModel>(c);
}

void announce(RunObserver& o, const std::string& stage, int index, int count) {
  spdlog::info("== stage {}/{}: {}", index, count, stage);
  if (o.stageStarted) o.stageStarted(stage, index, count);
}

// CAST (METHODS.md §1): adapt the teacher, distil, refine.
void runCast(const RecipeSettings& s, SegmentationModel* teacher, const RecipeData& data, RunObserver& obs,
             RecipeOutcome& out) {
  const bool all = s.stage == "all";
  const bool hasPool = data.unlabelled != nullptr && !data.unlabelled->empty();
  const int size = s.adapt.views.size;
  if (all || s.stage == "adapt") {
    DST_CHECK(teacher != nullptr);
    // 1. J(D_l, 0; 0, lambda_pxl) from theta^0, 2. pseudo-label D_u, 3. from theta^0 again with J(D_l, D_u; 1, lambda_pxl).
    announce(obs, "adapt teacher: round 1", 1, all ? 4 : 2);
    auto round1 = teacher->clone();
    take(out, runStage(*round1, named(s.adapt, "adapt-1", "teacher", 0, s.adapt.lambdaPxl), data, nullptr, obs),
         "teacher-adapt-1");
    if (stopped(out)) return;
    auto adapted = teacher->clone();
    if (hasPool) {
      auto pool = pseudoLabelledPool(*round1, data, s.filter, size, obs, "adapt-1 teacher");
      if (!pool.ok()) throw UserError(pool.status().message());
      announce(obs, "adapt teacher: round 2", 2, all ? 4 : 2);
      take(out, runStage(*adapted, named(s.adapt, "adapt-2", "teacher", 1.0, s.adapt.lambdaPxl), data, &*pool, obs),
           "teacher-adapted");
    } else {
      adapted = std::move(round1);
    }
    out.adaptedTeacher = std::move(adapted);
    if (stopped(out)) return;
  }
  if (all || s.stage == "distill") {
    SegmentationModel* frozen = out.adaptedTeacher ? out.adaptedTeacher.get() : teacher;
    DST_CHECK(frozen != nullptr);
    if (!hasPool) throw UserError("distillation needs unlabelled images: the pool is empty");
    auto pool = pseudoLabelledPool(*frozen, data, s.filter, size, obs, "adapted teacher");
    if (!pool.ok()) throw UserError(pool.status().message());
    announce(obs, "distill into the student", all ? 3 : 1, all ? 4 : 1);
    if (!out.student) out.student = newStudent(s, data, s.distill.seed);
    take(out, runStage(*out.student, named(s.distill, "distill", "student", s.distill.lambdaSemi, s.distill.lambdaPxl),
                       data, &*pool, obs),
         "student-cast-stage2");
    if (stopped(out)) return;
  }
  if (all || s.stage == "refine") {
    DST_CHECK(out.student != nullptr);
    announce(obs, "refine the student", all ? 4 : 1, all ? 4 : 1);
    take(out, runStage(*out.student, named(s.refine, "refine", "student", 0, 0), data, nullptr, obs),
         "student-cast-refined");
  }
}

// Guided Distillation (METHODS.md §2): guided burn-in, then an EMA teacher.
void runGuidedDistillation(const RecipeSettings& s, const RecipeData& data, RunObserver& obs, RecipeOutcome& out) {
  if (data.unlabelled == nullptr || data.unlabelled->empty())
    throw UserError("guided-distillation needs unlabelled images: the pool is empty");
  announce(obs, "GD teacher: supervised on D_l", 1, 2);
  auto teacher = newStudent(s, data, s.supervised.seed + 1);  // same architecture as the student
  take(out, runStage(*teacher, named(s.supervised, "gd-teacher", "teacher", 0, 0), data, nullptr, obs), "gd-teacher");
  if (stopped(out)) return;
  out.student = newStudent(s, data, s.distill.seed);
  const PseudoLabelFilter filter(s.gdFilter);
  auto* student = out.student.get();
  auto* frozen = teacher.get();
  int64_t step = 0;
  // Before the teacher's forward pass: switch to the student at burn-in, EMA after it.
  auto online = [&, student, frozen](const torch::Tensor& weak) {
    if (step == s.gdBurnInSteps) copyWeights(*frozen->module(), *student->module());
    else if (step > s.gdBurnInSteps) emaUpdate(*frozen->module(), *student->module(), s.gdEmaDecay);
    ++step;
    torch::NoGradGuard noGrad;
    frozen->train(false);
    const ModelOutputs o = frozen->forward(weak);
    std::vector<TargetInstances> targets;
    const int64_t h = weak.size(2), w = weak.size(3);
    for (int64_t b = 0; b < weak.size(0); ++b) {
      const PseudoLabels pl = filter(o.logits[b], o.masks[b]);
      if (pl.labels.numel() == 0) {  // nothing confident: the image teaches "no object"
        targets.push_back({pl.labels, torch::zeros({0, h, w}, weak.options())});
        continue;
      }
      targets.push_back({pl.labels, filter.masksAt(pl, h, w)});
    }
    return targets;
  };
  announce(obs, "GD student: guided burn-in, then EMA teacher", 2, 2);
  StageConfig c = named(s.distill, "gd-student", "student", s.gdUnsupervisedWeight, 0);
  take(out, runStage(*out.student, c, data, data.unlabelled, obs, online), "student-guided-distillation");
}

}  // namespace

const std::vector<std::string>& recipeNames() {
  static const std::vector<std::string> names = {"cast", "guided-distillation", "supervised", "pseudo-label"};
  return names;
}

RecipeOutcome runRecipe(const RecipeSettings& s, SegmentationModel* teacher, const RecipeData& data,
                        RunObserver& observer) {
  RecipeOutcome out;
  try {
    if (data.labelled == nullptr || data.labelled->empty())
      throw UserError("no labelled images: label a few seed images (split 'labelled') first");
    if (data.labelled->instanceCount() == 0)
      throw UserError("the labelled images have no instances of the project's classes");
    if (s.recipe == "cast") {
      if (teacher == nullptr) throw UserError("cast needs a teacher (--teacher FILE)");
      runCast(s, teacher, data, observer, out);
    } else if (s.recipe == "guided-distillation") {
      runGuidedDistillation(s, data, observer, out);
    } else if (s.recipe == "supervised") {
      announce(observer, "supervised student", 1, 1);
      out.student = newStudent(s, data, s.supervised.seed);
      take(out, runStage(*out.student, named(s.supervised, "supervised", "student", 0, 0), data, nullptr, observer),
           "student-supervised");
    } else if (s.recipe == "pseudo-label") {
      if (teacher == nullptr) throw UserError("pseudo-label needs a teacher (--teacher FILE)");
      if (data.unlabelled == nullptr || data.unlabelled->empty())
        throw UserError("pseudo-label needs unlabelled images: the pool is empty");
      auto pool = pseudoLabelledPool(*teacher, data, s.filter, s.distill.views.size, observer, "zero-shot teacher");
      if (!pool.ok()) throw UserError(pool.status().message());
      announce(observer, "student on offline pseudo-labels", 1, 1);
      out.student = newStudent(s, data, s.distill.seed);
      take(out, runStage(*out.student, named(s.distill, "pseudo-label", "student", 1.0, 0), data, &*pool, observer),
           "student-pseudo-label");
    } else {
      throw UserError("unknown recipe '" + s.recipe + "' (expected cast, guided-distillation, supervised or pseudo-label)");
    }
  } catch (const std::exception& e) {
    out.outcome = TrainOutcome::Failed;
    out.failure = e.what();
  }
  return out;
}

}  // namespace distillery
