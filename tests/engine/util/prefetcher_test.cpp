#include "engine/util/prefetcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace distillery {
namespace {

TEST(PrefetcherTest, DeliversInOrderFromABackgroundThread) {
  const auto caller = std::this_thread::get_id();
  std::atomic<bool> offThread{true};
  Prefetcher<int64_t> p(
      [&](int64_t i) {
        if (std::this_thread::get_id() == caller) offThread = false;
        return i * i;
      },
      3, 2);
  for (int64_t i = 3; i < 40; ++i) EXPECT_EQ(p.next(), i * i);
  EXPECT_TRUE(offThread);
}

TEST(PrefetcherTest, StaysWithinDepth) {
  std::atomic<int64_t> produced{0};
  {
    Prefetcher<int> p([&](int64_t) { return static_cast<int>(++produced); }, 0, 3);
    EXPECT_EQ(p.next(), 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_LE(produced.load(), 1 + 3 + 1);  // consumed + queued + one in flight
  }
}

TEST(PrefetcherTest, ProducerErrorsReachTheConsumer) {
  Prefetcher<int> p(
      [](int64_t i) -> int {
        if (i == 2) throw std::runtime_error("image 2: cannot decode");
        return static_cast<int>(i);
      },
      0, 4);
  EXPECT_EQ(p.next(), 0);
  EXPECT_EQ(p.next(), 1);
  EXPECT_THROW(p.next(), std::runtime_error);
}

}  // namespace
}  // namespace distillery
