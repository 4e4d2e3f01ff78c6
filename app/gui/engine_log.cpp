#include "app/gui/engine_log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <QMetaObject>
#include <QPointer>
#include <algorithm>
#include <mutex>
#include <vector>

namespace distillery {
namespace {

thread_local bool tForwardInfo = false;

std::mutex& receiversMutex() {
  static std::mutex m;
  return m;
}
std::vector<EngineLog*>& sinkReceivers() {
  static std::vector<EngineLog*> r;
  return r;
}

class ForwardingSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const bool warning = msg.level >= spdlog::level::warn;
    if (!warning && !(msg.level == spdlog::level::info && tForwardInfo)) return;
    const QString text = QString::fromUtf8(msg.payload.data(), static_cast<int>(msg.payload.size()));
    std::lock_guard<std::mutex> lock(receiversMutex());  // a receiver is not deleted meanwhile
    for (EngineLog* r : sinkReceivers()) {
      QPointer<EngineLog> target(r);
      QMetaObject::invokeMethod(
          r, [target, text, warning] {
            if (target) Q_EMIT target->message(text, warning);
          },
          Qt::QueuedConnection);
    }
  }
  void flush_() override {}
};

void installSink() {
  static std::once_flag once;
  std::call_once(once, [] {
    // A new default logger with the old sinks plus ours. The old one is kept alive: a
    // thread may be logging through its raw pointer right now.
    static std::shared_ptr<spdlog::logger> old = spdlog::default_logger();
    std::vector<spdlog::sink_ptr> sinks = old->sinks();
    sinks.push_back(std::make_shared<ForwardingSink>());
    auto logger = std::make_shared<spdlog::logger>(old->name(), sinks.begin(), sinks.end());
    logger->set_level(old->level());
    spdlog::set_default_logger(logger);
  });
}

}  // namespace

EngineLog::EngineLog(QObject* parent) : QObject(parent) {
  installSink();
  std::lock_guard<std::mutex> lock(receiversMutex());
  sinkReceivers().push_back(this);
}

EngineLog::~EngineLog() {
  std::lock_guard<std::mutex> lock(receiversMutex());
  auto& r = sinkReceivers();
  r.erase(std::remove(r.begin(), r.end(), this), r.end());
}

void EngineLog::forwardInfoFromThisThread(bool on) {
  tForwardInfo = on;
}

}  // namespace distillery
