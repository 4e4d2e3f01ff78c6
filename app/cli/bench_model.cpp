// distillery-cli bench model: train-step time, latency and memory of the presets,
// and the student's speed over the teacher's measured in the same run.
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <map>

#include "app/cli/commands.h"
#include "engine/modeling/model_benchmark.h"

namespace distillery::cli {

namespace {

struct Args {
  std::vector<int> sizes{128, 256};
  std::vector<std::string> archs{"student-s", "teacher-l"};
  int batch = 8;
  int rounds = 3;
  int steps = 3;
  int classes = 80;
  std::string sampling = "fused";
  bool json = false;
};

int run(const Args& a) {
  nlohmann::json rows = nlohmann::json::array();
  std::cout << "train: batch " << a.batch << ", median (best) wall ms and median CPU ms per step; "
            << "infer: one image, median (best) wall ms; " << a.rounds << " alternating rounds\n";
  std::cout << std::left << std::setw(11) << "arch" << std::right << std::setw(6) << "size"
            << std::setw(10) << "params" << std::setw(20) << "train ms" << std::setw(10) << "cpu ms"
            << std::setw(18) << "infer ms" << std::setw(10) << "peak MB" << std::setw(12) << "L_pxl ms"
            << std::setw(14) << "L_pxl / step" << std::setw(10) << "draw ms" << "\n";
  for (int size : a.sizes) {
    ModelBenchOptions o;
    o.archs = a.archs;
    o.size = size;
    o.batch = a.batch;
    o.rounds = a.rounds;
    o.steps = a.steps;
    o.numClasses = a.classes;
    o.sampling = a.sampling;
    auto results = benchmarkModels(o);
    if (!results) {
      std::cerr << results.status().message() << "\n";
      return kExitBadInput;
    }
    std::map<std::string, ModelBenchResult> byArch;
    for (const auto& r : *results) {
      byArch[r.arch] = r;
      std::ostringstream train, infer;
      train << std::fixed << std::setprecision(1) << r.trainStepMs << " (" << r.trainStepBestMs
            << ")";
      infer << std::fixed << std::setprecision(1) << r.inferenceMs << " (" << r.inferenceBestMs
            << ")";
      std::cout << std::left << std::setw(11) << r.arch << std::right << std::setw(6) << size
                << std::setw(10) << r.params << std::setw(20) << train.str() << std::fixed
                << std::setprecision(1) << std::setw(10) << r.trainStepCpuMs << std::setw(18)
                << infer.str() << std::setw(10) << r.peakRssMb << std::setw(12) << r.pixelContrastMs
                << std::setprecision(2) << std::setw(14) << r.pixelContrastMs / r.trainStepMs
                << std::setprecision(1) << std::setw(10) << r.negativeDrawMs << "\n";
      rows.push_back({{"arch", r.arch},
                      {"size", size},
                      {"batch", r.batch},
                      {"params", r.params},
                      {"train_step_ms", r.trainStepMs},
                      {"train_step_best_ms", r.trainStepBestMs},
                      {"train_step_cpu_ms", r.trainStepCpuMs},
                      {"inference_ms_per_image", r.inferenceMs},
                      {"inference_best_ms", r.inferenceBestMs},
                      {"peak_rss_mb", r.peakRssMb},
                      {"pixel_contrast_ms", r.pixelContrastMs},
                      {"negative_draw_ms", r.negativeDrawMs},
                      {"classes", a.classes},
                      {"sampling", a.sampling},
                      {"pixel_contrast_over_train_step", r.pixelContrastMs / r.trainStepMs}});
    }
    if (byArch.count("student-s") && byArch.count("teacher-l")) {
      const auto& s = byArch["student-s"];
      const auto& t = byArch["teacher-l"];
      std::cout << "  " << size << " px, student-s over teacher-l: train speed "
                << std::setprecision(2) << t.trainStepMs / s.trainStepMs << "x (best "
                << t.trainStepBestMs / s.trainStepBestMs << "x), inference speed "
                << t.inferenceMs / s.inferenceMs << "x (best "
                << t.inferenceBestMs / s.inferenceBestMs << "x), params "
                << static_cast<double>(t.params) / static_cast<double>(s.params)
                << "x   [paper: 4.6x FPS, 11x params]\n";
      rows.push_back(
          {{"size", size},
           {"train_speed_ratio", t.trainStepMs / s.trainStepMs},
           {"inference_speed_ratio", t.inferenceMs / s.inferenceMs},
           {"param_ratio", static_cast<double>(t.params) / static_cast<double>(s.params)}});
    }
  }
  if (a.json) std::cout << rows.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void addModelBench(CLI::App& bench, int& exitCode) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = bench.add_subcommand("model", "Model train-step time, latency and memory");
  cmd->add_option("--sizes", args->sizes, "Square input sizes (multiples of 32)")->delimiter(',');
  cmd->add_option("--arch", args->archs, "Presets to measure")->delimiter(',');
  cmd->add_option("--batch", args->batch, "Training batch size");
  cmd->add_option("--rounds", args->rounds, "Alternating measurement rounds");
  cmd->add_option("--steps", args->steps, "Timed training steps per preset and round");
  cmd->add_option("--classes", args->classes, "Classes of the synthetic targets and heads");
  cmd->add_option("--sampling", args->sampling, "L_pxl's negative sampling: fused, mask-only, class-only, uniform");
  cmd->add_flag("--json", args->json, "Also print the rows as JSON");
  cmd->callback([args, &exitCode] { exitCode = run(*args); });
}

}  // namespace distillery::cli
