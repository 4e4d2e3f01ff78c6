#include "engine/store/run_store.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "engine/store/connection.h"

namespace distillery {
namespace {

Status checkJson(const std::string& text, const std::string& what) {
  try {
    [[maybe_unused]] const auto parsed = nlohmann::json::parse(text);
    return Status();
  } catch (const nlohmann::json::exception& e) {
    return Status::error(what + " is not valid JSON: " + e.what());
  }
}

RunRecord readRun(SQLite::Statement& q) {
  RunRecord r;
  r.id = q.getColumn(0).getInt64();
  r.recipe = q.getColumn(1).getString();
  r.configJson = q.getColumn(2).getString();
  r.status = runStatusFromString(q.getColumn(3).getString()).value();
  r.message = q.getColumn(4).getString();
  r.startedAtMs = q.getColumn(5).getInt64();
  if (!q.isColumnNull(6)) r.endedAtMs = q.getColumn(6).getInt64();
  return r;
}

constexpr const char* kRunColumns = "id, recipe, config, status, message, started_at, ended_at";

}  // namespace

Result<int64_t> RunStore::start(const std::string& recipe, const std::string& configJson) {
  if (recipe.empty()) return Status::error("a run needs a recipe name");
  if (Status s = checkJson(configJson, "run config"); !s.ok()) return s;
  int64_t id = 0;
  Status s = c_->write("start a run", [&](SQLite::Database& db) {
    SQLite::Statement q(
        db, "INSERT INTO runs(recipe, config, status, started_at) VALUES (?, ?, 'running', ?)");
    q.bind(1, recipe);
    q.bind(2, configJson);
    q.bind(3, nowMs());
    q.exec();
    id = db.getLastInsertRowid();
  });
  if (!s.ok()) return s;
  return id;
}

Status RunStore::finish(int64_t runId, RunStatus status, const std::string& message) {
  return c_->write("finish run " + std::to_string(runId), [&](SQLite::Database& db) {
    SQLite::Statement q(db, "UPDATE runs SET status = ?, message = ?, ended_at = ? WHERE id = ?");
    q.bind(1, toString(status));
    q.bind(2, message);
    if (status == RunStatus::Running)
      q.bind(3);
    else
      q.bind(3, nowMs());
    q.bind(4, runId);
    if (q.exec() == 0)
      throw UserError("run " + std::to_string(runId) + " does not exist in the project");
  });
}

Result<RunRecord> RunStore::get(int64_t runId) const {
  auto found = c_->read<std::vector<RunRecord>>(
      "read run " + std::to_string(runId), [runId](SQLite::Database& db) {
        SQLite::Statement q(db, std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
        q.bind(1, runId);
        std::vector<RunRecord> out;
        if (q.executeStep()) out.push_back(readRun(q));
        return out;
      });
  if (!found) return found.status();
  if (found->empty())
    return Status::error("run " + std::to_string(runId) + " does not exist in the project");
  return found->front();
}

Result<std::vector<RunRecord>> RunStore::list() const {
  return c_->read<std::vector<RunRecord>>("list runs", [](SQLite::Database& db) {
    SQLite::Statement q(db, std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id");
    std::vector<RunRecord> out;
    while (q.executeStep()) out.push_back(readRun(q));
    return out;
  });
}

Status RunStore::addMetrics(const std::vector<MetricPoint>& points) {
  if (points.empty()) return Status();
  return c_->write("store metrics", [&](SQLite::Database& db) {
    SQLite::Statement q(db,
                        "INSERT INTO metrics(run_id, name, step, value) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT(run_id, name, step) DO UPDATE SET value = excluded.value");
    for (const MetricPoint& p : points) {
      q.reset();
      q.bind(1, p.runId);
      q.bind(2, p.name);
      q.bind(3, p.step);
      if (std::isnan(p.value))
        q.bind(4);
      else
        q.bind(4, p.value);
      q.exec();
    }
  });
}

Result<std::vector<MetricPoint>> RunStore::metrics(int64_t runId, const std::string& name,
                                                   int64_t afterStep) const {
  return c_->read<std::vector<
      MetricPoint>>("read metrics of run " + std::to_string(runId), [&](SQLite::Database& db) {
    SQLite::Statement q(
        db,
        name.empty()
            ? "SELECT name, step, value FROM metrics WHERE run_id = ? AND step > ? ORDER BY name, "
              "step"
            : "SELECT name, step, value FROM metrics WHERE run_id = ? AND step > ? AND name = ? "
              "ORDER BY step");
    q.bind(1, runId);
    q.bind(2, afterStep);
    if (!name.empty()) q.bind(3, name);
    std::vector<MetricPoint> out;
    while (q.executeStep()) {
      out.push_back({runId, q.getColumn(1).getInt64(), q.getColumn(0).getString(),
                     q.isColumnNull(2) ? std::numeric_limits<double>::quiet_NaN()
                                       : q.getColumn(2).getDouble()});
    }
    return out;
  });
}

Result<std::vector<std::string>> RunStore::metricNames(int64_t runId) const {
  return c_->read<std::vector<std::string>>("read metric names", [runId](SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name");
    q.bind(1, runId);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

Result<int64_t> RunStore::addCheckpoint(int64_t runId, const std::string& stage, int64_t step,
                                        const std::string& file, const std::string& metricsJson) {
  if (Status s = checkJson(metricsJson, "checkpoint metrics"); !s.ok()) return s;
  int64_t id = 0;
  Status s =
      c_->write("record a checkpoint of run " + std::to_string(runId), [&](SQLite::Database& db) {
        SQLite::Statement run(db, "SELECT 1 FROM runs WHERE id = ?");
        run.bind(1, runId);
        if (!run.executeStep())
          throw UserError("run " + std::to_string(runId) + " does not exist in the project");
        SQLite::Statement q(db,
                            "INSERT INTO checkpoints(run_id, stage, step, file, metrics, "
                            "created_at) VALUES (?, ?, ?, ?, ?, ?)");
        q.bind(1, runId);
        q.bind(2, stage);
        q.bind(3, step);
        q.bind(4, file);
        q.bind(5, metricsJson);
        q.bind(6, nowMs());
        q.exec();
        id = db.getLastInsertRowid();
      });
  if (!s.ok()) return s;
  return id;
}

Result<std::vector<CheckpointRecord>> RunStore::checkpoints(int64_t runId) const {
  return c_->read<std::vector<CheckpointRecord>>("read checkpoints", [runId](SQLite::Database& db) {
    SQLite::Statement q(
        db,
        "SELECT id, run_id, stage, step, file, metrics, created_at FROM checkpoints "
        "WHERE run_id = ? ORDER BY id");
    q.bind(1, runId);
    std::vector<CheckpointRecord> out;
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                     q.getColumn(2).getString(), q.getColumn(3).getInt64(),
                     q.getColumn(4).getString(), q.getColumn(5).getString(),
                     q.getColumn(6).getInt64()});
    }
    return out;
  });
}

Status RunStore::failInterrupted() {
  return c_->write("close interrupted runs", [](SQLite::Database& db) {
    SQLite::Statement q(db,
                        "UPDATE runs SET status = 'failed', ended_at = ?, "
                        "message = 'interrupted: the process ended before the run finished' "
                        "WHERE status = 'running'");
    q.bind(1, nowMs());
    q.exec();
  });
}

}  // namespace distillery
