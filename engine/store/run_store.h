// Training runs of a project: recipe and config, status, per-step metrics and
// checkpoints. The trainer writes metrics through a MetricsWriter on its own
// connection; the GUI polls metrics(run, afterStep) for new points.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/store/store_types.h"

namespace distillery {

class Connection;

class RunStore {
 public:
  explicit RunStore(Connection& connection) : c_(&connection) {}

  // Starts a run (status Running); configJson must be valid JSON.
  Result<int64_t> start(const std::string& recipe, const std::string& configJson);
  Status finish(int64_t runId, RunStatus status, const std::string& message = "");
  Result<RunRecord> get(int64_t runId) const;
  Result<std::vector<RunRecord>> list() const;

  // Stores metric points in one transaction; a point repeated (same run,
  // name, step, e.g. after a resume) replaces the earlier value.
  Status addMetrics(const std::vector<MetricPoint>& points);
  // Points of a run ordered by name then step; name empty = every metric;
  // only steps > afterStep (for incremental plot updates).
  Result<std::vector<MetricPoint>> metrics(int64_t runId, const std::string& name = "",
                                           int64_t afterStep = -1) const;
  Result<std::vector<std::string>> metricNames(int64_t runId) const;

  Result<int64_t> addCheckpoint(int64_t runId, const std::string& stage, int64_t step,
                                const std::string& file, const std::string& metricsJson = "{}");
  Result<std::vector<CheckpointRecord>> checkpoints(int64_t runId) const;

  // Runs left Running by a process that died are marked Failed (called when
  // a project is opened read-write, i.e. no other process can be running them).
  Status failInterrupted();

 private:
  Connection* c_;
};

}  // namespace distillery
