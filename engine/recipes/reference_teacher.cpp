// Pretraining the reference teacher on the source worlds (engine/api/distillation.h).
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>

#include "engine/api/distillation.h"
#include "engine/data/world/domain_spec.h"
#include "engine/data/world/world_writer.h"
#include "engine/export/segmenter_trace.h"
#include "engine/modeling/segmenter_config.h"
#include "engine/recipes/protocol_data.h"
#include "engine/recipes/stage_runner.h"
#include "engine/training/segmentation_model.h"

namespace distillery {
namespace {
constexpr int kSourceValImages = 50;  // per source domain
}  // namespace

std::filesystem::path defaultCacheDir() {
  if (const char* d = std::getenv("DISTILLERY_CACHE"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::filesystem::path(x) / "distillery";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : "/tmp") / ".cache" / "distillery";
}

Result<WorldSplit> loadWorld(const std::filesystem::path& cache, const std::string& domain, int count,
                             uint64_t seed, int size) {
  auto spec = findDomain(domain);
  if (!spec.ok()) return spec.status();
  const std::string name = domain + "-n" + std::to_string(count) + "-s" + std::to_string(seed) + "-" +
                           std::to_string(size);
  const auto dir = cache / "worlds" / name;
  WorldSplit w;
  w.root = dir / "images";
  if (!std::filesystem::exists(dir / "instances.json")) {
    // Written aside and renamed into place: parallel calls (protocol --recipes) never
    // see a half-written world, and the one that renames second keeps the first's.
    spdlog::info("generating world {} ({} images)", name, count);
    const auto partial = dir.parent_path() / (name + ".partial-" + std::to_string(::getpid()));
    std::filesystem::remove_all(partial);
    auto d = generateWorld(*spec, count, seed, size, partial);
    if (!d.ok()) return d.status();
    std::error_code ec;
    std::filesystem::rename(partial, dir, ec);
    if (ec) std::filesystem::remove_all(partial);  // another call finished it first
    if (!std::filesystem::exists(dir / "instances.json"))
      return Status::error(dir.string() + ": cannot write the world: " + ec.message());
    w.dataset = std::move(*d);
  } else {
    auto d = readWorldDataset(dir);
    if (!d.ok()) return d.status();
    w.dataset = std::move(*d);
  }
  return w;
}

std::filesystem::path pretrainedTeacherFile(const PretrainOptions& o) {
  const auto cache = o.cacheDir.empty() ? defaultCacheDir() : o.cacheDir;
  std::string key = o.arch + "|" + std::to_string(o.imagesPerDomain) + "|" + std::to_string(o.size) + "|" +
                    std::to_string(o.steps) + "|" + std::to_string(o.batch) + "|" + std::to_string(o.lr) + "|" +
                    std::to_string(o.seed) + "|v1";
  for (const auto& d : o.domains) key += "|" + d;
  return cache / "teachers" / std::to_string(std::hash<std::string>{}(key)) / "teacher.pt";
}

Result<PretrainResult> pretrainTeacher(const PretrainOptions& o) {
  const auto cache = o.cacheDir.empty() ? defaultCacheDir() : o.cacheDir;
  const auto cachedModel = pretrainedTeacherFile(o);
  const auto cachedDir = cachedModel.parent_path();
  PretrainResult result;
  result.model = o.out.empty() ? cachedModel : o.out;
  auto copyOut = [&]() -> Status {
    if (o.out.empty()) return {};
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::absolute(o.out).parent_path(), ec);
    for (const char* ext : {".pt", ".json", ".ckpt"}) {
      std::filesystem::copy_file(std::filesystem::path(cachedModel).replace_extension(ext),
                                 std::filesystem::path(o.out).replace_extension(ext),
                                 std::filesystem::copy_options::overwrite_existing, ec);
      if (ec) return Status::error(o.out.string() + ": cannot write the teacher: " + ec.message());
    }
    return {};
  };
  if (std::filesystem::exists(cachedModel) &&
      std::filesystem::exists(std::filesystem::path(cachedModel).replace_extension(".ckpt"))) {
    spdlog::info("reusing the pretrained teacher {}", cachedModel.string());
    result.cached = true;
    if (Status s = copyOut(); !s.ok()) return s;
    return result;
  }
  // Source data: every domain's world, merged under one image root.
  std::vector<WorldSplit> worlds;
  for (size_t i = 0; i < o.domains.size(); ++i) {
    auto w = loadWorld(cache, o.domains[i], o.imagesPerDomain, o.seed + 100 * i, o.size);
    if (!w.ok()) return w.status();
    worlds.push_back(std::move(*w));
  }
  auto source = mergeWorlds(worlds);
  auto set = TrainingSet::load(source.dataset, source.root, source.categoryIds, o.size);
  if (!set.ok()) return set.status();
  // A held-out source val set (other seeds), scored every 250 steps: the curve shows
  // whether the teacher is still learning, the final AP what the target starts from.
  std::vector<WorldSplit> valWorlds;
  for (size_t i = 0; i < o.domains.size(); ++i) {
    auto w = loadWorld(cache, o.domains[i], kSourceValImages, o.seed + 100 * i + 50, o.size);
    if (!w.ok()) return w.status();
    valWorlds.push_back(std::move(*w));
  }
  auto sourceVal = mergeWorlds(valWorlds);
  auto valSet = TrainingSet::load(sourceVal.dataset, sourceVal.root, sourceVal.categoryIds, o.size);
  if (!valSet.ok()) return valSet.status();
  auto config = presetConfig(o.arch, static_cast<int>(source.categoryIds.size()));
  if (!config.ok()) return config.status();
  torch::manual_seed(o.seed);
  NativeSegmentationModel model(*config);
  result.params = model.parameterCount();
  spdlog::info("pretraining {} ({} parameters) on {} source images for {} steps", o.arch, result.params,
               set->size(), o.steps);
  StageConfig stage;
  stage.name = "pretrain";
  stage.metricPrefix = "teacher";
  stage.steps = o.steps;
  stage.labelledBatch = o.batch;
  stage.lr = o.lr;
  stage.views.size = o.size;
  stage.seed = o.seed;
  stage.checkpointPeriod = 250;  // a pretraining stopped part-way resumes from run/pretrain.ckpt
  stage.evalPeriod = 250;
  RecipeData data;
  data.labelled = &*set;
  data.val = &*valSet;
  data.valGroundTruth = &sourceVal.dataset;
  data.categories = source.dataset.categories;
  data.categoryIds = source.categoryIds;
  RunObserver obs;
  std::filesystem::create_directories(cachedDir);
  obs.runDir = cachedDir / "run";
  obs.consolePeriod = 50;
  if (o.progress) {
    obs.scalars = [&](const std::vector<ScalarEvent>& events) {
      double loss = -1, eta = -1;
      int64_t step = 0;
      for (const auto& e : events) {
        step = std::max(step, e.step);
        if (e.name == "loss/total") loss = e.value;
        if (e.name == "eta_seconds") eta = e.value;
      }
      o.progress(step + 1, o.steps, loss, eta);
    };
  }
  const StageResult r = runStage(model, stage, data, nullptr, obs);
  if (r.outcome != TrainOutcome::Completed) return Status::error("pretraining stopped: " + r.failure);
  result.sourceAp = r.finalAp;
  result.sourceAp50 = r.finalAp50;
  const auto ckpt = std::filesystem::path(cachedModel).replace_extension(".ckpt");
  if (Status s = saveNativeModel(model, ckpt, data.classNames()); !s.ok()) return s;
  if (Status s = exportSegmenter(model.segmenter(), segmenterSidecar(model.config(), data.classNames(),
                                                                     data.categoryIds, o.size),
                                 cachedModel, o.size);
      !s.ok())
    return s;
  if (Status s = copyOut(); !s.ok()) return s;
  return result;
}

}  // namespace distillery
