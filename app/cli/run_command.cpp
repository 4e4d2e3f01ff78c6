#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli/commands.h"
#include "engine/api/distillation.h"

namespace distillery::cli {

void addRunCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("run", "Run a distillation recipe on a project (headless)");
  cmd->group("Training");
  auto opts = std::make_shared<ProjectRunOptions>();
  auto config = std::make_shared<std::string>();
  cmd->add_option("--project", opts->project, "Project folder")->required();
  cmd->add_option("--recipe", opts->recipe, "cast | guided-distillation | supervised | pseudo-label")
      ->capture_default_str();
  cmd->add_option("--teacher", opts->teacher, "Teacher FILE.pt (with its FILE.ckpt)");
  cmd->add_option("--stage", opts->stage, "cast only: adapt | distill | refine | all")->capture_default_str();
  cmd->add_option("--config", *config, "Recipe settings: a JSON file or inline JSON");
  cmd->add_option("--class-map", opts->classMap,
                  "Teacher classes onto the project's, e.g. 'disc=balloon' (teacher=project, "
                  "comma-separated; unmapped teacher classes are dropped). Default: by equal names");
  cmd->add_option("--scale", opts->scale, "Defaults: smoke | demo | default")->capture_default_str();
  cmd->callback([opts, config, &exitCode] {
    if (!config->empty()) {
      std::ifstream in(*config);
      if (in) {
        std::stringstream ss;
        ss << in.rdbuf();
        opts->configJson = ss.str();
      } else {
        opts->configJson = *config;
      }
    }
    auto r = runOnProject(*opts);
    if (!r.ok()) {
      std::cerr << "distillery-cli run: " << r.status().message() << "\n";
      exitCode = kExitBadInput;
      return;
    }
    std::cout << "run " << r->runId << ": " << r->status << (r->message.empty() ? "" : ": " + r->message) << "\n";
    for (const auto& [name, value] : r->scores) std::cout << "  " << name << " = " << value << "\n";
    if (!r->adaptedTeacher.empty()) std::cout << "adapted teacher: " << r->adaptedTeacher.string() << "\n";
    if (!r->student.empty()) std::cout << "student: " << r->student.string() << "\n";
    exitCode = r->status == "finished" ? kExitOk : kExitFailure;
  });
}

}  // namespace distillery::cli
