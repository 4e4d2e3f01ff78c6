// Runs work on a QThreadPool and hands the result back on a QObject's thread.
// (QtConcurrent is not available; this is the small part of it the canvas needs.)
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThreadPool>
#include <functional>
#include <memory>

namespace distillery {

// `work` runs on `pool`; `done(result)` then runs on `context`'s thread through its event
// loop. If `context` is destroyed first, the queued call is dropped with it. The owner of
// `pool` must wait for it (QThreadPool::waitForDone) before destroying `context`.
template <class R>
void runInBackground(QThreadPool& pool, QObject* context, std::function<R()> work,
                     std::function<void(R)> done) {
  pool.start([context, work = std::move(work), done = std::move(done)]() {
    auto result = std::make_shared<R>(work());
    QMetaObject::invokeMethod(
        context, [done, result]() { done(std::move(*result)); }, Qt::QueuedConnection);
  });
}

}  // namespace distillery
