#include <iostream>
#include <thread>

#include "app/cli/commands.h"
#include "engine/api/device.h"
#include "engine/api/distillation.h"

namespace distillery::cli {

void addProtocolBench(CLI::App& bench, int& exitCode) {
  CLI::App* cmd = bench.add_subcommand(
      "protocol", "The end-to-end protocol: worlds, teacher, 10% labels, every recipe, target val");
  auto opts = std::make_shared<ProtocolOptions>();
  cmd->add_option("--scale", opts->scale, "smoke or default")->capture_default_str();
  cmd->add_option("--target", opts->target, "Target domain")->capture_default_str();
  cmd->add_option("--dataset", opts->dataset,
                  "A real dataset instead of a target world: DIR/{train,val}/via_region_data.json");
  cmd->add_option("--category", opts->category, "The dataset's class name (default: its folder's name)");
  cmd->add_option("--class-map", opts->classMap, "Teacher classes onto the target's, e.g. 'disc=balloon'");
  cmd->add_option("--student", opts->student,
                  "The students' architecture preset (default: the scale's, student-s at default)");
  cmd->add_option("--labelled", opts->labelledFraction, "Labelled fraction of the target train set")
      ->capture_default_str();
  cmd->add_option("--out", opts->out, "REPORT.json (REPORT.md beside it)")->required();
  cmd->add_option("--cache", opts->cacheDir, "Cache folder (worlds, pretrained teachers)");
  cmd->add_flag("!--no-ablation", opts->ablation, "Skip the negative-sampling ablation rows");
  cmd->add_option("--config", opts->config, "Recipe settings over the scale's defaults (JSON, as run --config)");
  cmd->add_option("--recipes", opts->recipes,
                  "Only these: cast, supervised, guided-distillation, pseudo-label, ablation[-uniform|-mask-only|"
                  "-class-only] (finished ones are kept, so several calls add up to the table)")
      ->delimiter(',');
  cmd->add_option("--student-pretrain-steps", opts->studentPretrainSteps,
                  "Steps of the source-pretrained student every student starts from (0: random "
                  "weights; default: the scale's, 3000 at default, 0 at smoke)");
  cmd->add_flag("--fresh", opts->fresh,
                "Retrain this call's recipes instead of reusing the kept ones (no stage taken over either)");
  cmd->add_flag("!--no-stage-takeover", opts->takeOverStages,
                "Train every stage of a new run, even one a kept run with the same settings up to it has");
  auto jobs = std::make_shared<int>(0);
  cmd->add_option("--jobs", *jobs,
                  "Parallel lanes (child processes of one thread each, logs REPORT.<task>.log); "
                  "0: one per core on CPU, 1 on a GPU")
      ->capture_default_str();
  cmd->add_flag("--adapted-teacher-only", opts->adaptOnly,
                "Of cast, only adapt the teacher (kept for the cast and ablation calls to resume from)");
  cmd->callback([opts, jobs, &exitCode] {
    int lanes = *jobs;
    if (lanes <= 0)  // one per core; processes would share one GPU
      lanes = computeDevice().cuda ? 1 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto report = lanes > 1 && !opts->adaptOnly
                      ? runProtocolInLanes(*opts, lanes, std::filesystem::read_symlink("/proc/self/exe"))
                      : runProtocol(*opts);
    if (!report.ok()) {
      std::cerr << "distillery-cli bench protocol: " << report.status().message() << "\n";
      exitCode = kExitFailure;
      return;
    }
    std::cout << "wrote " << opts->out.string() << "\n";
    for (const auto& r : report->rows)
      std::printf("%-36s AP %6.2f  AP50 %6.2f  params %9lld  %7.2f ms/image\n", r.name.c_str(), 100 * r.ap,
                  100 * r.ap50, static_cast<long long>(r.params), r.msPerImage);
    for (const auto& p : report->pseudoLabels)
      std::printf("pseudo-labels by %-28s %6lld  precision %.2f  recall %.2f of %lld\n", p.madeBy.c_str(),
                  static_cast<long long>(p.count), p.count ? double(p.matched) / p.count : 0.0,
                  p.truth ? double(p.matched) / p.truth : 0.0, static_cast<long long>(p.truth));
    exitCode = kExitOk;
  });
}

}  // namespace distillery::cli
