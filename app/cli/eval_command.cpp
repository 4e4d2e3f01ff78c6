// distillery-cli eval: COCO mask AP of a results file against a ground-truth file,
// printed as pycocotools' summarize() does, plus AP per category.
#include <chrono>
#include <iostream>

#include "app/cli/commands.h"
#include "engine/data/formats/json_fields.h"
#include "engine/evaluation/coco_eval_files.h"
#include "engine/evaluation/coco_mask_evaluator.h"
#include "engine/evaluation/coco_report.h"

namespace distillery::cli {
namespace {

struct EvalOptions {
  std::string gt, dt, json;
  bool noTable = false;
};

int runEval(const EvalOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  Result<CocoEvalInputs> in = readCocoEvalInputs(o.gt, o.dt);
  if (!in.ok()) {
    std::cerr << "distillery-cli eval: " << in.status().message() << "\n";
    return kExitBadInput;
  }
  CocoEvalParams params = CocoEvalParams::segm();
  params.zeroGtIdCountsAsUnmatched = true;  // files: agree with pycocotools to the last quirk
  Result<CocoEvalResult> r = evaluateCocoMasks(in->groundTruth, in->results, params);
  if (!r.ok()) {
    std::cerr << "distillery-cli eval: " << o.dt << ": " << r.status().message() << "\n";
    return kExitBadInput;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "Evaluated " << in->results.instances.size() << " detections on "
            << r->numImages << " images and " << r->numCategories() << " categories (mask AP, "
            << (in->areasFromBoxes ? "detection areas from their boxes as loadRes does"
                                   : "detection areas from their masks")
            << ") in " << seconds << " s\n";
  std::cout << formatCocoSummary(*r);
  if (!o.noTable) std::cout << "\nPer-category mask AP (area=all, maxDets=100):\n"
                            << formatPerCategoryTable(*r);
  if (!o.json.empty()) {
    const Status s = json_fields::writeFile(cocoResultToJson(*r), o.json, 2);
    if (!s.ok()) {
      std::cerr << "distillery-cli eval: " << s.message() << "\n";
      return kExitFailure;
    }
  }
  return kExitOk;
}

}  // namespace

void addEvalCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand(
      "eval", "Evaluate COCO mask AP of results against ground truth (pycocotools semantics)");
  cmd->group("Data");
  auto opts = std::make_shared<EvalOptions>();
  cmd->add_option("--gt", opts->gt, "Ground truth: COCO instances JSON")->required();
  cmd->add_option("--dt", opts->dt,
                  "Results: COCO results list (image_id, category_id, segmentation RLE, score)")
      ->required();
  cmd->add_option("--json", opts->json,
                  "Also write {\"stats\": [12], \"per_category\": {name: {ap, ap50}}} here");
  cmd->add_flag("--no-table", opts->noTable, "Print only the 12-line summary");
  cmd->callback([&exitCode, opts] { exitCode = runEval(*opts); });
}

}  // namespace distillery::cli
