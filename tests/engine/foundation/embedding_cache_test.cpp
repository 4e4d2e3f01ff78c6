#include "engine/foundation/embedding_cache.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "tests/support/test_paths.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

TEST(EmbeddingCache, RoundTripsAsHalfPrecisionAndMissesForAnotherModel) {
  const auto dir = test::freshTempDir("emb_cache");
  EmbeddingCache cache(dir, std::string(64, 'a'));
  auto e = torch::randn({1, 8, 4, 4});
  EXPECT_FALSE(cache.get("img1"));
  cache.put("img1", e);
  auto back = cache.get("img1");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::allclose(*back, e, 1e-3, 1e-3));
  EmbeddingCache other(dir, std::string(64, 'b'));  // another encoder version
  EXPECT_FALSE(other.get("img1"));
}

TEST(EmbeddingCache, ACorruptEntryReadsAsMissingAndIsRemoved) {
  const auto dir = test::freshTempDir("emb_corrupt");
  EmbeddingCache cache(dir, std::string(64, 'a'));
  cache.put("img", torch::randn({1, 8, 4, 4}));
  const auto path = cache.entryPath("img");
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(path)) - 3);
    f.put('\x7f');
  }
  EXPECT_FALSE(cache.get("img"));
  EXPECT_FALSE(fs::exists(path));
  cache.put("img", torch::ones({1, 8, 4, 4}));  // recomputed and stored again
  ASSERT_TRUE(cache.get("img"));
  fs::resize_file(path, 100);  // truncated
  EXPECT_FALSE(cache.get("img"));
}

TEST(EmbeddingCache, EvictsTheLeastRecentlyUsedBeyondTheCap) {
  const auto dir = test::freshTempDir("emb_lru");
  const auto e = torch::randn({1, 16, 16, 16});  // 8 KiB as fp16, + header
  const int64_t entry = 16 * 16 * 16 * 2 + 104;
  EmbeddingCache cache(dir, std::string(64, 'a'), 3 * entry);
  cache.put("a", e);
  cache.put("b", e);
  cache.put("c", e);
  // Make the order unambiguous to the file system's clock: a is oldest, then b, c.
  auto now = fs::file_time_type::clock::now();
  fs::last_write_time(cache.entryPath("a"), now - std::chrono::seconds(30));
  fs::last_write_time(cache.entryPath("b"), now - std::chrono::seconds(20));
  fs::last_write_time(cache.entryPath("c"), now - std::chrono::seconds(10));
  ASSERT_TRUE(cache.get("a"));  // touched: now the most recent
  cache.put("d", e);
  EXPECT_TRUE(fs::exists(cache.entryPath("a")));
  EXPECT_FALSE(fs::exists(cache.entryPath("b")));
  EXPECT_TRUE(fs::exists(cache.entryPath("c")));
  EXPECT_TRUE(fs::exists(cache.entryPath("d")));
  EXPECT_LE(cache.sizeBytes(), 3 * entry);
}

}  // namespace
}  // namespace distillery
