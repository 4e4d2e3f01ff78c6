// The long project jobs behind File > Import and File > Export, as plain functions
// that run on a worker with their own store connection and return a report the
// GUI shows in full (what was added or written, what was skipped and why).
#pragma once

#include <QString>
#include <QStringList>
#include <cstdint>
#include <functional>

#include "widgets/export/export_options.h"

namespace distillery {

class Project;

struct ImportOutcome {
  QString error;       // non-empty: the import failed (what it committed stays)
  QString summary;     // one line: counts
  QStringList issues;  // every skipped item, "file: reason"
};

using JobProgress = std::function<void(int64_t done, int64_t total)>;

// A dataset file (format "coco", "labelme", "via") read with engine/data/formats and
// imported with the store's idempotent importDataset. `images` empty: the format's default.
ImportOutcome importDatasetInto(Project& project, const QString& format, const QString& input,
                                const QString& images, const JobProgress& progress);
// Every image under `folder`, recursively.
ImportOutcome importFolderInto(Project& project, const QString& folder,
                               const JobProgress& progress);
// Labels as COCO (one file) or LabelMe (a folder), filtered by source and review status.
ExportReport exportLabelsFrom(const Project& project, const ExportOptions& options);

}  // namespace distillery
