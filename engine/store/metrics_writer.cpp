#include "engine/store/metrics_writer.h"

#include <spdlog/spdlog.h>

namespace distillery {

MetricsWriter::MetricsWriter(Project connection, size_t batchSize,
                             std::chrono::milliseconds maxDelay)
    : project_(std::move(connection)),
      batchSize_(std::max<size_t>(1, batchSize)),
      maxDelay_(maxDelay),
      lastFlush_(std::chrono::steady_clock::now()) {}

MetricsWriter::~MetricsWriter() {
  if (Status s = flush(); !s.ok()) spdlog::error("metrics lost on close: {}", s.message());
}

Status MetricsWriter::add(int64_t runId, int64_t step, const std::string& name, double value) {
  buffer_.push_back({runId, step, name, value});
  if (buffer_.size() >= batchSize_ || std::chrono::steady_clock::now() - lastFlush_ >= maxDelay_)
    return flush();
  return Status();
}

Status MetricsWriter::flush() {
  lastFlush_ = std::chrono::steady_clock::now();
  if (buffer_.empty()) return Status();
  Status s = project_.runs().addMetrics(buffer_);
  if (s.ok()) buffer_.clear();
  return s;
}

}  // namespace distillery
