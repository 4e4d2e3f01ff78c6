#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli/commands.h"
#include "engine/api/distillation.h"

namespace distillery::cli {

void addPretrainCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("pretrain", "Pretrain the reference teacher on source-world data");
  cmd->group("Training");
  auto opts = std::make_shared<PretrainOptions>();
  auto worlds = std::make_shared<std::string>("studio,workshop");
  cmd->add_option("--world", *worlds, "Source domain(s), comma-separated")->capture_default_str();
  cmd->add_option("--arch", opts->arch, "Model preset")->capture_default_str();
  cmd->add_option("--out", opts->out, "Output FILE.pt (plus FILE.json and FILE.ckpt)")->required();
  cmd->add_option("--count", opts->imagesPerDomain, "Images per source domain")->capture_default_str();
  cmd->add_option("--size", opts->size, "Image size (multiple of 32)")->capture_default_str();
  cmd->add_option("--steps", opts->steps, "Training steps")->capture_default_str();
  cmd->add_option("--batch", opts->batch, "Batch size")->capture_default_str();
  cmd->add_option("--lr", opts->lr, "Learning rate")->capture_default_str();
  cmd->add_option("--seed", opts->seed, "Seed")->capture_default_str();
  cmd->add_option("--cache", opts->cacheDir, "Cache folder (worlds, pretrained teachers)");
  cmd->callback([opts, worlds, &exitCode] {
    opts->domains.clear();
    std::stringstream ss(*worlds);
    for (std::string d; std::getline(ss, d, ',');)
      if (!d.empty()) opts->domains.push_back(d);
    auto r = pretrainTeacher(*opts);
    if (!r.ok()) {
      std::cerr << "distillery-cli pretrain: " << r.status().message() << "\n";
      exitCode = kExitFailure;
      return;
    }
    std::cout << (r->cached ? "reused cached teacher: " : "pretrained teacher: ") << opts->out.string() << "\n";
    if (r->sourceAp >= 0)
      std::printf("source-world val: AP %.2f  AP50 %.2f\n", 100 * r->sourceAp, 100 * r->sourceAp50);
    exitCode = kExitOk;
  });
}

}  // namespace distillery::cli
