#include "engine/export/torchscript_export.h"

#include "engine/export/segmenter_trace.h"
#include "engine/training/checkpoint.h"

namespace distillery {

Result<ExportSummary> exportModel(const ExportRequest& r) {
  if (r.out.empty()) return Status::error("model export: no output file given");
  SegmenterConfig config;
  std::vector<std::string> classNames = r.classNames;
  std::vector<int64_t> categoryIds = r.categoryIds;
  int inputSize = 0;
  if (!r.checkpoint.empty()) {
    auto meta = readCheckpointMeta(r.checkpoint);
    if (!meta) return meta.status();
    if (!meta->contains("model_config"))
      return Status::error(r.checkpoint.string() +
                           ": checkpoint metadata has no 'model_config', expected the "
                           "segmenter config written by training");
    auto c = segmenterConfigFromJson(meta->at("model_config"), r.checkpoint.string());
    if (!c) return c.status();
    config = *c;
    if (!r.arch.empty() && r.arch != config.arch)
      return Status::error(r.checkpoint.string() + ": checkpoint holds a '" + config.arch +
                           "' model, not '" + r.arch + "'");
    if (r.numClasses > 0 && r.numClasses != config.numClasses)
      return Status::error(r.checkpoint.string() + ": checkpoint has " +
                           std::to_string(config.numClasses) + " classes, not " +
                           std::to_string(r.numClasses));
    if (classNames.empty() && meta->contains("class_names"))
      classNames = meta->at("class_names").get<std::vector<std::string>>();
    if (categoryIds.empty() && meta->contains("category_ids"))
      categoryIds = meta->at("category_ids").get<std::vector<int64_t>>();
    inputSize = meta->value("input_size", 0);
  } else {
    if (r.arch.empty()) return Status::error("model export: give --arch or --checkpoint");
    const int k = r.numClasses > 0
                      ? r.numClasses
                      : (classNames.empty() ? 80 : static_cast<int>(classNames.size()));
    auto c = presetConfig(r.arch, k);
    if (!c) return c.status();
    config = *c;
  }
  if (!classNames.empty() && classNames.size() != static_cast<size_t>(config.numClasses))
    return Status::error("model export: " + std::to_string(classNames.size()) +
                         " class names for a model with " + std::to_string(config.numClasses) +
                         " classes");
  if (!categoryIds.empty() && categoryIds.size() != static_cast<size_t>(config.numClasses))
    return Status::error("model export: " + std::to_string(categoryIds.size()) +
                         " category ids for a model with " + std::to_string(config.numClasses) +
                         " classes");

  torch::manual_seed(r.seed);
  InstanceSegmenter model(config);
  if (!r.checkpoint.empty()) {
    TrainingState state;
    if (Status s = loadCheckpoint(r.checkpoint, *model, nullptr, state); !s.ok()) return s;
  }
  ModelSidecar sidecar = segmenterSidecar(config, classNames, categoryIds, inputSize);
  if (Status s = exportSegmenter(model, sidecar, r.out, r.exampleSize); !s.ok()) return s;
  ExportSummary summary;
  summary.model = r.out;
  summary.sidecar = sidecarPath(r.out);
  summary.arch = config.arch;
  summary.numClasses = config.numClasses;
  summary.params = countParameters(*model);
  return summary;
}

}  // namespace distillery
