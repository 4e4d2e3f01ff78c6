// distillery-cli model: list, describe and export the built-in model family.
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

#include "app/cli/commands.h"
#include "engine/data/formats/coco_json.h"
#include "engine/export/torchscript_export.h"
#include "engine/modeling/model_info.h"

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

}  // namespace

void addModelCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("model", "Inspect and export the built-in model family");
  cmd->group("Models");
  cmd->require_subcommand(1);

  auto list = cmd->add_subcommand("list", "List the architecture presets");
  list->callback([&exitCode] {
    for (const auto& n : presetNames()) std::cout << n << "\n";
    exitCode = kExitOk;
  });

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
