// distillery-cli convert: dataset formats in, dataset formats out, with a report of
// what was read, written and skipped (and why).
#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "engine/data/formats/dataset_conversion.h"

namespace distillery::cli {

void addConvertCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand(
      "convert", "Convert between COCO, LabelMe, VIA, mask-PNG and YOLO-seg datasets");
  cmd->group("Data");
  auto request = std::make_shared<ConvertRequest>();
  cmd->add_option("--from", request->from, "Input format")
      ->required()
      ->check(CLI::IsMember(importFormats()));
  cmd->add_option("input", request->input,
                  "Input: COCO/VIA JSON file, LabelMe file or folder, mask folder")
      ->required();
  cmd->add_option("--to", request->to, "Output format")
      ->required()
      ->check(CLI::IsMember(exportFormats()));
  cmd->add_option("output", request->output,
                  "Output: COCO JSON file, or a folder for labelme and yolo")
      ->required();
  cmd->add_option("--images", request->images,
                  "Image root (default: the input's folder; for COCO none, and with it missing "
                  "images are reported)");
  cmd->add_flag("--polygons", request->polygons,
                "COCO output: polygons instead of RLE (crowd stays RLE)");
  cmd->add_option("--category", request->category,
                  "Category name for VIA and mask folders without labels")
      ->capture_default_str();
  cmd->add_option("--label-attribute", request->labelAttribute,
                  "VIA region attribute that holds the class name");
  cmd->footer(
      "Exit status: 0 all converted, 1 converted but records were skipped (listed) or writing "
      "failed,\n"
      "2 the input could not be used. Formats and layouts: docs/formats.md.");
  cmd->callback([request, &exitCode] {
    const ConvertOutcome out = convertDataset(*request);
    std::cout << out.report.summary();
    if (!out.imageRoot.empty()) std::cout << "image root: " << out.imageRoot.string() << "\n";
    if (out.stage == ConvertOutcome::Stage::ReadFailed) {
      std::cerr << "distillery-cli convert: " << out.status.message() << "\n";
      exitCode = kExitBadInput;
    } else if (out.stage == ConvertOutcome::Stage::WriteFailed) {
      std::cerr << "distillery-cli convert: " << out.status.message() << "\n";
      exitCode = kExitFailure;
    } else {
      std::cout << "wrote " << request->output.string() << "\n";
      exitCode = out.report.skipped.empty() ? kExitOk : kExitFailure;
    }
  });
}

}  // namespace distillery::cli
