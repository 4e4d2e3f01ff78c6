// distillery-cli bench eval: COCO mask AP throughput on COCO128 with generated
// detections, against a naive pixel-decoding evaluator run in the same process and
// against pycocotools' published time (ARCHITECTURE.md: 1.2 s for ~13.7k detections).
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "app/cli/commands.h"
#include "engine/data/formats/coco_json.h"
#include "engine/data/formats/coco_results.h"
#include "engine/evaluation/coco_eval_files.h"
#include "engine/evaluation/coco_mask_evaluator.h"
#include "engine/evaluation/perturbed_detections.h"
#include "engine/evaluation/pixel_iou.h"

namespace distillery::cli {
namespace {

namespace fs = std::filesystem;

// pycocotools on COCO128 (ARCHITECTURE.md): evaluate+accumulate, and the whole process.
constexpr double kPycocotoolsSeconds = 1.2;
constexpr double kPycocotoolsProcessSeconds = 2.6;
constexpr int kPycocotoolsDetections = 13700;

struct BenchOptions {
  std::string data;
  int perImage = 100;
  int repeat = 3;
  uint32_t seed = 1;
  bool skipBaseline = false;
  std::string writeResults;
};

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

fs::path findData(const std::string& given) {
  if (!given.empty()) return given;
  for (const char* c : {"../shared/data", "/work/shared/data"})
    if (fs::exists(fs::path(c) / "coco128" / "instances.json")) return c;
  return {};
}

// Best wall time of `repeat` runs of the in-memory evaluation.
double timeEvaluation(const Dataset& gt, const Dataset& dt, MaskIouFunction iou, int repeat,
                      CocoEvalResult* out) {
  double best = 1e30;
  for (int i = 0; i < std::max(1, repeat); ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    Result<CocoEvalResult> r = evaluateCocoMasks(gt, dt, CocoEvalParams::segm(), iou);
    best = std::min(best, secondsSince(t0));
    DST_CHECK(r.ok());
    *out = std::move(*r);
  }
  return best;
}

Dataset resultsDataset(const Dataset& gt, std::vector<Instance> dets) {
  Dataset d;
  d.categories = gt.categories;
  d.images = gt.images;
  d.instances = std::move(dets);
  return d;
}

std::string rate(double count, double seconds) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(0) << count / seconds;
  return s.str();
}

int runBench(const BenchOptions& o) {
  const fs::path data = findData(o.data);
  const fs::path gtPath = data / "coco128" / "instances.json";
  if (data.empty() || !fs::exists(gtPath)) {
    std::cerr << "distillery-cli bench eval: coco128/instances.json not found; pass --data DIR\n";
    return kExitBadInput;
  }
  Result<Dataset> gtRead = readCocoJson(gtPath);
  if (!gtRead.ok()) {
    std::cerr << "distillery-cli bench eval: " << gtRead.status().message() << "\n";
    return kExitBadInput;
  }
  const Dataset& gt = *gtRead;
  const int images = static_cast<int>(gt.images.size());

  PerturbOptions po;
  po.seed = o.seed;
  po.perImage = o.perImage;
  const Dataset dt = resultsDataset(gt, perturbDetections(gt, po));
  const double nDet = static_cast<double>(dt.instances.size());
  std::cout << std::fixed << std::setprecision(3);
  std::cout << "COCO mask AP evaluation on " << gtPath.string() << "\n"
            << "  " << images << " images, " << gt.instances.size() << " annotations, "
            << gt.categories.size() << " categories\n"
            << "  " << dt.instances.size() << " detections (" << o.perImage
            << " per image: jittered copies of the ground truth + random boxes, seed " << o.seed
            << ")\n\n";

  CocoEvalResult ours, naive;
  const double tOurs = timeEvaluation(gt, dt, rle::iouMatrix, o.repeat, &ours);
  std::cout << "distillery (IoU on runs)        " << std::setw(8) << tOurs << " s   "
            << rate(images, tOurs) << " images/s, " << rate(nDet, tOurs)
            << " detections/s (best of " << o.repeat << ")\n";
  if (!o.skipBaseline) {
    const double tNaive = timeEvaluation(gt, dt, pixelIouMatrix, 1, &naive);
    double maxDiff = 0;
    for (size_t i = 0; i < kNumCocoStats; ++i)
      maxDiff = std::max(maxDiff, std::abs(ours.stats[i] - naive.stats[i]));
    std::cout << "baseline (decoded pixel IoU)    " << std::setw(8) << tNaive << " s   "
              << rate(images, tNaive) << " images/s, " << rate(nDet, tNaive)
              << " detections/s (1 run)\n"
              << "  speed-up over the baseline: " << std::setprecision(1) << tNaive / tOurs
              << "x; the 12 stats agree to " << std::scientific << std::setprecision(1)
              << maxDiff << std::fixed << std::setprecision(3) << "\n";
  }

  // The pycocotools comparison at its detection count.
  po.perImageCounts = spreadEvenly(kPycocotoolsDetections, images);
  const Dataset dtPy = resultsDataset(gt, perturbDetections(gt, po));
  CocoEvalResult atPy;
  const double tPy = timeEvaluation(gt, dtPy, rle::iouMatrix, o.repeat, &atPy);
  std::cout << "\nvs pycocotools at " << dtPy.instances.size() << " detections:\n"
            << "  evaluation:    distillery " << tPy << " s, pycocotools " << kPycocotoolsSeconds
            << " s (ARCHITECTURE.md) -> " << std::setprecision(1) << kPycocotoolsSeconds / tPy
            << "x faster\n" << std::setprecision(3);
  const fs::path tmp = fs::temp_directory_path() / ("distillery_bench_eval_" + std::to_string(::getpid()) + ".json");
  if (Status s = writeCocoResults(dtPy.instances, tmp); !s.ok()) {
    std::cerr << "distillery-cli bench eval: " << s.message() << "\n";
    return kExitFailure;
  }
  const auto t0 = std::chrono::steady_clock::now();
  Result<CocoEvalInputs> in = readCocoEvalInputs(gtPath, tmp);
  DST_CHECK(in.ok());
  Result<CocoEvalResult> full = evaluateCocoMasks(in->groundTruth, in->results);
  const double tFull = secondsSince(t0);
  fs::remove(tmp);
  DST_CHECK(full.ok());
  std::cout << "  read both JSON files + evaluate: distillery " << tFull << " s, pycocotools "
            << kPycocotoolsProcessSeconds << " s for its whole process -> " << std::setprecision(1)
            << kPycocotoolsProcessSeconds / tFull << "x faster\n" << std::setprecision(3);

  std::cout << "\nAP of the generated detections (100 per image): AP " << ours.stats[kStatAp]
            << ", AP50 " << ours.stats[kStatAp50] << ", AR100 " << ours.stats[kStatAr100] << "\n";
  if (!o.writeResults.empty()) {
    if (Status s = writeCocoResults(dt.instances, o.writeResults); !s.ok()) {
      std::cerr << "distillery-cli bench eval: " << s.message() << "\n";
      return kExitFailure;
    }
    std::cout << "wrote the detections to " << o.writeResults << "\n";
  }
  return kExitOk;
}

}  // namespace

void addEvalBench(CLI::App& bench, int& exitCode) {
  CLI::App* cmd = bench.add_subcommand("eval", "COCO mask AP evaluation throughput");
  auto o = std::make_shared<BenchOptions>();
  cmd->add_option("--data", o->data, "Folder with coco128/ (default ../shared/data)");
  cmd->add_option("--per-image", o->perImage, "Detections per image")->check(CLI::Range(1, 10000));
  cmd->add_option("--repeat", o->repeat, "Timed runs (the best counts)")->check(CLI::Range(1, 100));
  cmd->add_option("--seed", o->seed, "Seed of the generated detections");
  cmd->add_flag("--skip-baseline", o->skipBaseline, "Do not run the slow pixel baseline");
  cmd->add_option("--write-results", o->writeResults,
                  "Also write the generated detections as a COCO results file");
  cmd->callback([&exitCode, o] { exitCode = runBench(*o); });
}

}  // namespace distillery::cli
