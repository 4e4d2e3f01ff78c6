// The engine's spdlog messages reach the GUI's log: warnings from any thread,
// information only from a thread that asked for it (the training worker).
#include "app/gui/engine_log.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <QSignalSpy>
#include <QTest>
#include <thread>

namespace distillery {
namespace {

TEST(EngineLogTest, WarningsFromAnyThreadAndInformationFromTheTrainingThread) {
  EngineLog log;
  QSignalSpy spy(&log, &EngineLog::message);
  std::thread([] {
    spdlog::info("not forwarded: this thread did not ask");
    spdlog::warn("storing pseudo-labels failed: disk full");
  }).join();
  std::thread([] {
    EngineLog::forwardInfoFromThisThread(true);
    spdlog::info("== stage 1/5: adapt teacher: round 1");
  }).join();
  ASSERT_TRUE(QTest::qWaitFor([&] { return spy.count() >= 2; }, 5000));
  QTest::qWait(50);  // nothing else arrives
  ASSERT_EQ(spy.count(), 2);
  EXPECT_EQ(spy[0][0].toString(), "storing pseudo-labels failed: disk full");
  EXPECT_TRUE(spy[0][1].toBool());
  EXPECT_EQ(spy[1][0].toString(), "== stage 1/5: adapt teacher: round 1");
  EXPECT_FALSE(spy[1][1].toBool());
}

}  // namespace
}  // namespace distillery
