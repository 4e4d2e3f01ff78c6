// Jobs posted to a worker object that lives on its own QThread. The GUI side counts the
// jobs whose answer has not come back yet (busy state, waitForIdle); the worker side
// counts the jobs still executing, so a shutdown or a session switch can wait for the
// current one without running the event loop.
#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QObject>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>

namespace distillery {

class WorkerJobs {
 public:
  explicit WorkerJobs(std::shared_ptr<std::atomic<int>> executing = std::make_shared<std::atomic<int>>(0))
      : executing_(std::move(executing)) {}

  // Queues `job` on `worker`'s thread; its answer is reported with answered().
  void post(QObject* worker, std::function<void()> job) {
    ++pending_;
    executing_->fetch_add(1);
    QMetaObject::invokeMethod(
        worker,
        [job = std::move(job), executing = executing_] {
          job();
          executing->fetch_sub(1);
        },
        Qt::QueuedConnection);
  }
  void answered() { pending_ = std::max(0, pending_ - 1); }
  int pending() const { return pending_; }
  // Blocks without the event loop until no job executes (after a cancel, before quitting).
  void waitUntilStopped() const {
    while (executing_->load() > 0) QThread::msleep(10);
  }
  // Two counters may share the worker-side count (one worker, two kinds of job).
  std::shared_ptr<std::atomic<int>> executing() const { return executing_; }

 private:
  std::shared_ptr<std::atomic<int>> executing_;
  int pending_ = 0;
};

// Runs the event loop until idle() or the deadline; returns idle().
inline bool processEventsUntil(const std::function<bool()>& idle, int msecs) {
  QDeadlineTimer deadline(msecs);
  while (!idle() && !deadline.hasExpired()) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!idle()) QThread::msleep(5);
  }
  return idle();
}

}  // namespace distillery
