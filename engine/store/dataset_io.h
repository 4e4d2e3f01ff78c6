// Moving annotations between a project and a Dataset (engine/data/dataset.h),
// the in-memory form every file format (COCO, LabelMe, VIA) converts to.
//
// Import is idempotent: images are keyed by their path relative to the image
// root, categories by name, annotations by a stable external key derived from
// their content (image path, category name, mask, crowd flag, source), so
// importing the same data again adds nothing. It commits every `chunk`
// images; after a crash a re-run completes the import.
#pragma once

#include <filesystem>
#include <set>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/store/project.h"
#include "engine/store/store_types.h"

namespace distillery {

struct DatasetImportOptions {
  DatasetImportOptions(std::filesystem::path folder = {}, int chunkImages = 64,
                       ProgressFn progressFn = {})
      : imagesFolder(std::move(folder)), chunk(chunkImages), progress(std::move(progressFn)) {}

  std::filesystem::path imagesFolder;  // the dataset's ImageRecord::file paths are relative to it
  int chunk = 64;                      // images per transaction
  ProgressFn progress;                 // images done of total, after each commit
  // Ground truth: its new images become Split::Labelled, also those without
  // annotations (a labelled image with no objects is a real negative).
  // False for model output (e.g. a COCO results file imported as teacher labels).
  bool labelled = true;
};

struct DatasetImportReport {
  int64_t imagesAdded = 0;
  int64_t imagesPresent = 0;
  int64_t annotationsAdded = 0;
  int64_t annotationsPresent = 0;
  int64_t categoriesAdded = 0;
  std::vector<ImportIssue> skipped;  // images or annotations not imported, and why
};

Result<DatasetImportReport> importDataset(Project& project, const Dataset& dataset,
                                          const DatasetImportOptions& options);

struct ExportFilter {
  std::set<Source> sources{Source::Human, Source::Teacher, Source::Student};
  std::set<ReviewStatus> statuses{ReviewStatus::Pending, ReviewStatus::Accepted,
                                  ReviewStatus::Edited};
  // An image listed without annotations reads as "nothing to find here" to a
  // trainer, so by default the images listed are those with exported
  // annotations plus, when human labels are exported, the human-labelled
  // images (split labelled, val or test) that have none.
  bool includeImagesWithoutAnnotations = false;
};

// Image files are relative to the project's image root; ids are the project's.
Result<Dataset> exportDataset(const Project& project, const ExportFilter& filter = {});

// The stable key importDataset gives an annotation (exposed for tests).
std::string annotationExternalKey(const std::string& imagePath, const std::string& categoryName,
                                  const Instance& instance, int occurrence);

}  // namespace distillery
