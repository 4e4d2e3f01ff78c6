// The torch-free front door to training: pretraining the reference teacher and the
// end-to-end benchmark protocol. Used by distillery-cli and the GUI worker.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

// $DISTILLERY_CACHE, else $XDG_CACHE_HOME/distillery, else ~/.cache/distillery.
std::filesystem::path defaultCacheDir();

struct PretrainOptions {
  std::vector<std::string> domains{"studio", "workshop"};  // source worlds
  std::string arch = "teacher-l";
  int imagesPerDomain = 750;
  int size = 128;
  int64_t steps = 3000;
  int64_t batch = 8;
  double lr = 3e-4;  // 1e-3 diverged for teacher-l after ~150 steps (docs/methods.md)
  uint64_t seed = 1;
  std::filesystem::path out;       // FILE.pt (+ FILE.json sidecar, FILE.ckpt weights); empty = cache
  std::filesystem::path cacheDir;  // worlds and cached teachers; empty = defaultCacheDir()
  std::function<void(int64_t step, int64_t steps, double loss, double etaSeconds)> progress;
};

struct PretrainResult {
  std::filesystem::path model;  // TorchScript (teacher contract)
  bool cached = false;          // reused a teacher pretrained earlier with the same options
  int64_t params = 0;
  double sourceAp = -1, sourceAp50 = -1;  // on held-out source-world images; -1 when reused
};

// Pretrains the large preset on source-world data: the stand-in for a foundation
// model. Cached by its options: a second call with the same options returns at once.
Result<PretrainResult> pretrainTeacher(const PretrainOptions& options);
// Where pretrainTeacher keeps (or will keep) the teacher for these options.
std::filesystem::path pretrainedTeacherFile(const PretrainOptions& options);

struct ProtocolOptions {
  std::string scale = "smoke";     // smoke | default
  std::string target = "dusk";     // target domain
  // A real dataset instead of a target world: DIR/{train,val}/via_region_data.json
  // (balloon); its one class is `category` (default: the folder's name).
  std::filesystem::path dataset;
  std::string category;
  std::string classMap;            // teacher classes onto the target's, e.g. "disc=balloon"
  std::string student;             // the students' preset (student-s, student-m); empty = the scale's
  double labelledFraction = 0.1;
  bool ablation = true;            // the negative-sampling rows
  std::filesystem::path out;       // REPORT.json; REPORT.md is written beside it
  std::filesystem::path cacheDir;
  // Recipe settings over the scale's defaults, as `run --config` takes them.
  std::filesystem::path config;
  // Only these recipes (cast, supervised, guided-distillation, pseudo-label, ablation-uniform,
  // ablation-mask-only, ablation-class-only, or "ablation" for the three); empty = all.
  // Finished recipes are kept under the cache keyed by the data, the teacher and each
  // recipe's own settings, so calls with different subsets (in parallel, or after an
  // interruption) add up to the full table.
  std::vector<std::string> recipes;
  bool fresh = false;              // retrain this call's recipes instead of reusing kept ones
  // Start a new run's stages from the checkpoints of kept runs whose settings agree up to
  // them (CAST's adaptation and distillation, GD's teacher). Off under `fresh`, and in the
  // lanes of a fresh call: retraining means no stage is taken over either.
  bool takeOverStages = true;
  // Steps of a student-size model pretrained on the source worlds (cached), which every
  // student starts from; -1 = the scale's (default 3000, smoke 0), 0 = random weights.
  int64_t studentPretrainSteps = -1;
  // Pretrain what the recipes need (worlds, teacher, student init) and stop: the first
  // step of parallel lanes, so no two lanes pretrain the same model.
  bool prepareOnly = false;
  // Of CAST, only adapt the teacher (its stage checkpoints are kept, so the cast call
  // resumes from them): the task the cast and ablation lanes wait for.
  bool adaptOnly = false;
};

struct ProtocolRow {
  std::string name;
  double ap = -1, ap50 = -1;
  int64_t params = 0;
  double msPerImage = 0;
};

// Pseudo-labels a recipe trained on, against the pool's held-back ground truth (IoU 0.5).
struct ProtocolPseudoLabels {
  std::string madeBy;  // "adapt-1 teacher", "adapted teacher", "zero-shot teacher"
  int64_t count = 0, truth = 0, matched = 0;
};

struct ProtocolReport {
  std::vector<ProtocolRow> rows;
  std::vector<ProtocolPseudoLabels> pseudoLabels;
};

// Generates the worlds, pretrains (or reuses) the teacher, splits the target train set
// into labelled and unlabelled, runs every recipe and evaluates on target val.
Result<ProtocolReport> runProtocol(const ProtocolOptions& options);
// The recipes a protocol call runs, as --recipes names them, checked.
Result<std::vector<std::string>> protocolRecipes(const ProtocolOptions& options);

// One task of a protocol call run in parallel lanes: a child `bench protocol` process.
struct ProtocolTask {
  std::string name;                  // cast-adaptation, cast, supervised, ablation-uniform, ...
  std::vector<std::string> recipes;  // its --recipes
  bool adaptOnly = false;            // CAST's teacher adaptation only
  std::vector<std::string> after;    // the tasks it waits for
  double minutes = 0;                // its single-thread wall time at default scale (measured)
};

// The tasks of a call: CAST's teacher adaptation first, then cast's student and each
// ablation (all distil from that teacher); each baseline on its own.
std::vector<ProtocolTask> protocolTasks(const std::vector<std::string>& recipes);
// Which pending task a free lane starts (an index; pending.size() when none is ready):
// of those whose tasks to wait for are done, the one with the longest way to the end (its
// minutes and its longest waiting task's), so CAST's adaptation goes before the baselines.
size_t nextProtocolTask(const std::vector<ProtocolTask>& pending, const std::set<std::string>& done);

// A task's child command line: `exe` with this call's options, one lane of `threads`
// threads (never lanes of its own), the task's recipes and its own report `out`.
std::vector<std::string> protocolTaskArguments(const ProtocolOptions& options, const ProtocolTask& task, int threads,
                                               const std::filesystem::path& exe, const std::filesystem::path& out);

// Runs a protocol call as `jobs` parallel lanes of child processes of `exe`
// (distillery-cli), each on cores / jobs threads: first the pretraining in this process
// (so no two lanes pretrain the same model), then the tasks, a ready one with the
// longest time first whenever a lane is free, each logging to REPORT.<task>.log beside
// the report; last, the table is assembled here from the kept runs. A failed task
// stops the others (their checkpoints stay, so a second call resumes) and the error
// names it, its log and the log's last lines.
Result<ProtocolReport> runProtocolInLanes(const ProtocolOptions& options, int jobs, const std::filesystem::path& exe);

}  // namespace distillery

#include "engine/store/project.h"
#include "engine/training/event_storage.h"
#include "engine/training/trainer_base.h"

namespace distillery {

// How a run reports to its caller (the CLI, the GUI worker). Torch-free.
struct RunCallbacks {
  std::function<void(const std::string& stage, int index, int count)> stageStarted;
  std::function<void(const std::vector<ScalarEvent>&)> scalars;  // steps counted across the run
  std::function<void(int64_t pseudoLabels, const std::string& madeBy)> pseudoLabelsStored;
  std::shared_ptr<TrainControl> control = std::make_shared<TrainControl>();
  bool console = true;
};

struct ProjectRunOptions {
  std::filesystem::path project;
  std::string recipe = "cast";
  std::filesystem::path teacher;  // FILE.pt from `pretrain` or `model export` (its FILE.ckpt is trained)
  std::string stage = "all";
  std::string configJson;         // recipe settings (engine/recipes/recipes.h), may be empty
  std::string scale = "default";  // defaults before the config: smoke | demo | default
  // Teacher classes onto the project's when they differ: "teacher=project,..." names,
  // or classMapping[t] = project class index (-1 drops). Empty: by equal names.
  std::string classMap;
  std::vector<int> classMapping;
  // Opens the project for the run; empty: Project::open(project, ReadWrite). A process
  // that already has the project open read-write (the GUI) passes a handle made with
  // Project::connect(), because the project lock refuses a second read-write open.
  std::function<Result<Project>()> openProject;
};

struct ProjectRunResult {
  int64_t runId = 0;
  std::string status;             // finished | cancelled | failed
  std::string message;
  std::filesystem::path student;  // models/run-<id>-student.pt (TorchScript + sidecar + ckpt)
  std::filesystem::path adaptedTeacher;  // models/run-<id>-teacher-adapted.pt (cast)
  std::map<std::string, double> scores;
};

// Runs a recipe on a project: D_l = split 'labelled' images with their human and
// accepted/edited teacher labels, D_u = split 'unlabelled' images, evaluation on
// split 'val'. Pseudo-labels are stored as pending teacher annotations (human and
// reviewed annotations are never touched; pseudo-labels overlapping a rejected one
// are dropped). Metrics, checkpoints and the run go into the project database.
Result<ProjectRunResult> runOnProject(const ProjectRunOptions& options, RunCallbacks callbacks = {});

}  // namespace distillery
