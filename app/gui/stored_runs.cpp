#include "app/gui/stored_runs.h"

#include <QCoreApplication>
#include <QDateTime>
#include <cmath>

#include "engine/store/project.h"

namespace distillery {
namespace {

QString tr(const char* text) {
  return QCoreApplication::translate("StoredRuns", text);
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

QString runDetail(const Project& project, const QDir& dir, const RunRecord& run) {
  QStringList parts;
  auto ap = project.runs().metrics(run.id, "student/ap");
  if (ap.ok() && !ap->empty() && std::isfinite(ap->back().value))
    parts << tr("student AP %1").arg(100.0 * ap->back().value, 0, 'f', 1);
  auto checkpoints = project.runs().checkpoints(run.id);
  if (checkpoints.ok())
    for (const CheckpointRecord& c : *checkpoints)
      if (c.stage == "student") parts << dir.relativeFilePath(QString::fromStdString(c.file));
  if (run.status == RunStatus::Cancelled || run.status == RunStatus::Failed) {
    const QStringList kept = keptCheckpoints(project, dir, run.id);
    if (!kept.isEmpty()) parts << tr("checkpoint %1").arg(kept.join(", "));
  }
  if (run.status == RunStatus::Failed && !run.message.empty()) parts << QString::fromStdString(run.message);
  return parts.join(" · ");
}

}  // namespace

std::vector<RunSummary> storedRuns(const Project& project, const QDir& projectDir) {
  std::vector<RunSummary> out;
  auto runs = project.runs().list();
  if (!runs.ok()) return out;
  for (const RunRecord& r : *runs) {
    RunSummary s;
    s.id = QString::number(r.id);
    s.recipe = QString::fromStdString(r.recipe);
    s.status = QString::fromStdString(toString(r.status));
    s.started = QDateTime::fromMSecsSinceEpoch(r.startedAtMs);
    s.detail = runDetail(project, projectDir, r);
    out.push_back(s);
  }
  return out;
}

Result<std::vector<ScalarEvent>> storedCurves(const Project& project, int64_t runId) {
  auto points = project.runs().metrics(runId);
  if (!points.ok()) return points.status();
  std::vector<ScalarEvent> events;
  events.reserve(points->size());
  for (const MetricPoint& p : *points) events.push_back({p.step, p.name, p.value});
  return chartScalars(std::move(events));
}

QStringList keptCheckpoints(const Project& project, const QDir& projectDir, int64_t runId) {
  const QDir runDir(QString::fromStdString((project.runsDir() / ("run-" + std::to_string(runId))).string()));
  QStringList kept;
  for (const QString& f : runDir.entryList({"*.ckpt"}, QDir::Files, QDir::Time))
    kept << projectDir.relativeFilePath(runDir.filePath(f));
  return kept;
}

std::vector<ScalarEvent> chartScalars(std::vector<ScalarEvent> events) {
  for (ScalarEvent& e : events)
    if (endsWith(e.name, "/ap") || endsWith(e.name, "/ap50")) e.value *= 100.0;
  return events;
}

}  // namespace distillery
