// distillery-cli bench model: train-step time, latency and memory of the presets,
// and the student's speed over the teacher's measured in the same run.
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli/commands.h"
#include "engine/modeling/model_benchmark.h"

namespace distillery::cli {

namespace {

struct Args {
  std::vector<int> sizes{128, 256};
  std::vector<std::string> archs{"student-s", "teacher-l"};
  int batch = 8;
  int steps = 5;
  bool json = false;
};

int run(const Args& a) {
  nlohmann::json rows = nlohmann::json::array();
  std::cout << std::left << std::setw(11) << "arch" << std::right << std::setw(6) << "size" << std::setw(10)
            << "params" << std::setw(14) << "step ms(b8)" << std::setw(10) << "cpu ms" << std::setw(10) << "fwd ms"
            << std::setw(12) << "infer ms" << std::setw(10) << "peak MB" << "\n";
  for (int size : a.sizes) {
    std::map<std::string, ModelBenchResult> bySize;
    for (const auto& arch : a.archs) {
      ModelBenchOptions o;
      o.arch = arch;
      o.size = size;
      o.batch = a.batch;
      o.steps = a.steps;
      auto r = benchmarkModel(o);
      if (!r) {
        std::cerr << r.status().message() << "\n";
        return kExitBadInput;
      }
      bySize[arch] = *r;
      std::cout << std::left << std::setw(11) << arch << std::right << std::setw(6) << size << std::setw(10)
                << r->params << std::fixed << std::setprecision(1) << std::setw(14) << r->trainStepMs << std::setw(10)
                << r->trainStepCpuMs << std::setw(10) << r->forwardMs << std::setw(12) << r->inferenceMs
                << std::setw(10) << r->peakRssMb << "\n";
      rows.push_back({{"arch", arch},
                      {"size", size},
                      {"batch", r->batch},
                      {"params", r->params},
                      {"train_step_ms", r->trainStepMs},
                      {"train_step_cpu_ms", r->trainStepCpuMs},
                      {"forward_ms", r->forwardMs},
                      {"inference_ms_per_image", r->inferenceMs},
                      {"peak_rss_mb", r->peakRssMb}});
    }
    if (bySize.count("student-s") && bySize.count("teacher-l")) {
      const auto& s = bySize["student-s"];
      const auto& t = bySize["teacher-l"];
      std::cout << "  " << size << " px: student/teacher speed  train " << std::setprecision(2)
                << t.trainStepMs / s.trainStepMs << "x  inference " << t.inferenceMs / s.inferenceMs
                << "x  params " << static_cast<double>(t.params) / s.params << "x  (paper: 4.6x FPS, 11x params)\n";
      rows.push_back({{"size", size},
                      {"train_speed_ratio", t.trainStepMs / s.trainStepMs},
                      {"inference_speed_ratio", t.inferenceMs / s.inferenceMs},
                      {"param_ratio", static_cast<double>(t.params) / s.params}});
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
  cmd->add_option("--steps", args->steps, "Timed training steps per measurement");
  cmd->add_flag("--json", args->json, "Also print the rows as JSON");
  cmd->callback([args, &exitCode] { exitCode = run(*args); });
}

}  // namespace distillery::cli
