// Exporting a run's student (WORKBENCH.md flow 7): the TorchScript file and its JSON
// sidecar where the user chose, copied from models/ or exported from the run's
// checkpoint, then checked against the teacher contract -- the same check as
// `distillery-cli teacher check` -- so the report says whether the file can be the
// teacher of the next round. Store-side; runs on the export controller's worker.
#pragma once

#include <QString>
#include <vector>

#include "widgets/export/export_options.h"

namespace distillery {

class Project;

// A finished or cancelled run that left a student.
struct RunStudent {
  qint64 runId = 0;
  QString label;       // "run 3 (cast, finished)"
  QString model;       // FILE.pt when it exists, else empty
  QString checkpoint;  // FILE.ckpt when it exists, else empty
};

// Newest first.
std::vector<RunStudent> runStudents(const Project& project);

// Writes options.modelPath and options.sidecarPath from `student`; the report lists the
// files, the contract check and every lossy choice.
ExportReport writeStudentExport(const RunStudent& student, const ExportOptions& options);

}  // namespace distillery
