// Batched metric writes for the trainer's thread.
//
// A training step produces a handful of scalars; committing each would cost a
// WAL fsync per scalar. The writer buffers points and stores them in one short
// transaction when `batchSize` points are waiting or `maxDelay` has passed, so
// the GUI's reads and edits on other connections are never held up (WAL
// readers never wait, writers wait at most one batch). Owns its own
// connection (pass it a Project::connect() handle). Not thread-safe itself:
// one writer per trainer thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/store/project.h"

namespace distillery {

class MetricsWriter {
 public:
  explicit MetricsWriter(Project connection, size_t batchSize = 256,
                         std::chrono::milliseconds maxDelay = std::chrono::milliseconds(500));
  ~MetricsWriter();  // flushes what is left
  MetricsWriter(const MetricsWriter&) = delete;
  MetricsWriter& operator=(const MetricsWriter&) = delete;

  // Buffers a point; writes the batch when it is due. Returns the error of a
  // failed batch write (the points stay buffered and are retried).
  Status add(int64_t runId, int64_t step, const std::string& name, double value);
  Status flush();
  size_t pending() const { return buffer_.size(); }

 private:
  Project project_;
  size_t batchSize_;
  std::chrono::milliseconds maxDelay_;
  std::chrono::steady_clock::time_point lastFlush_;
  std::vector<MetricPoint> buffer_;
};

}  // namespace distillery
