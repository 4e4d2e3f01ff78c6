// The project's training runs as the pipeline dock shows them: the history rows, a
// run's curves and the checkpoints a run kept. Reads through the GUI thread's store
// handle (indexed queries of a few ms, docs/store.md).
#pragma once

#include <QDir>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <vector>

#include "engine/training/event_storage.h"
#include "engine/util/status.h"
#include "widgets/pipeline/runs_history.h"

namespace distillery {

class Project;

// Every stored run, with what it left: the student's last AP and file, the kept
// checkpoints of a cancelled or failed run, and why a run failed.
std::vector<RunSummary> storedRuns(const Project& project, const QDir& projectDir);
// A run's stored scalars, AP in percent (chartScalars).
Result<std::vector<ScalarEvent>> storedCurves(const Project& project, int64_t runId);
// The stage checkpoints in runs/run-<id>/, newest first, relative to the project.
QStringList keptCheckpoints(const Project& project, const QDir& projectDir, int64_t runId);
// The engine's AP is a fraction; the charts, like METHODS.md's tables, show percent.
std::vector<ScalarEvent> chartScalars(std::vector<ScalarEvent> events);

}  // namespace distillery
