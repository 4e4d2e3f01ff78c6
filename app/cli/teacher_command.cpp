// distillery-cli teacher check FILE.pt: does a TorchScript model meet the teacher contract?
#include <iostream>

#include "app/cli/commands.h"
#include "engine/data/formats/coco_json.h"
#include "engine/modeling/teacher_contract.h"

namespace distillery::cli {

namespace {

struct CheckArgs {
  std::string file;
  std::string classesFrom;
};

int runCheck(const CheckArgs& a) {
  std::vector<std::string> expected;
  if (!a.classesFrom.empty()) {
    auto d = readCocoJson(a.classesFrom);
    if (!d) {
      std::cerr << d.status().message() << "\n";
      return kExitBadInput;
    }
    for (const auto& c : d->categories) expected.push_back(c.name);
  }
  auto s = checkTeacher(a.file, expected);
  if (!s) {
    std::cerr << "teacher check failed:\n" << s.status().message() << "\n";
    return kExitFailure;
  }
  std::cout << s->file << ": meets the teacher contract (version 1)\n"
            << "  sidecar        "
            << (s->sidecarFile.empty() ? "none (defaults assumed)" : s->sidecarFile) << "\n"
            << "  parameters     " << s->params << "\n"
            << "  queries        " << s->numQueries << "\n"
            << "  classes        " << s->numClasses << " (+ no-object)\n"
            << "  pred_masks     " << s->maskHeight << "x" << s->maskWidth << " for a "
            << s->probeSize << "x" << s->probeSize << " input\n"
            << "  pixel_embed    "
            << (s->hasPixelEmbed ? std::to_string(s->embedDim) + " channels" : "absent") << "\n"
            << "  normalisation  "
            << (s->normalizationInside ? "inside the model" : "applied by the caller") << "\n"
            << "  divisibility   " << s->sizeDivisibility << "\n";
  std::cout << "  class names    ";
  for (size_t i = 0; i < s->classNames.size() && i < 10; ++i)
    std::cout << (i ? ", " : "") << s->classNames[i];
  if (s->classNames.size() > 10) std::cout << ", ...";
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

void addTeacherCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("teacher", "Check a TorchScript teacher against the contract");
  cmd->group("Models");
  cmd->require_subcommand(1);
  auto args = std::make_shared<CheckArgs>();
  auto check =
      cmd->add_subcommand("check", "Load FILE.pt, run a dummy forward and validate its outputs");
  check
      ->add_option("file", args->file,
                   "TorchScript file (its sidecar FILE.json is read when present)")
      ->required();
  check->add_option("--classes-from", args->classesFrom,
                    "COCO json whose categories the teacher must predict");
  check->callback([args, &exitCode] { exitCode = runCheck(*args); });
}

}  // namespace distillery::cli
