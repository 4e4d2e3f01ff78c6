// XXH64 against the reference implementation's published values.
#include "engine/store/content_hash.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/support/test_paths.h"

namespace distillery {
namespace {

TEST(ContentHashTest, MatchesReferenceXxh64) {
  EXPECT_EQ(xxh64("", 0), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(xxh64("a", 1), 0xD24EC4F1A98C6E5BULL);
  EXPECT_EQ(xxh64("abc", 3), 0x44BC2CF5AD770999ULL);
  const std::string s52 = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEF";  // stripes + tail
  EXPECT_EQ(xxh64(s52.data(), s52.size()), 0xEBAA4C2C8844553CULL);
  std::string s771;
  for (int r = 0; r < 3; ++r)
    for (int i = 0; i < 256; ++i) s771 += static_cast<char>(i);
  s771 += "xyz";
  EXPECT_EQ(xxh64(s771.data(), s771.size()), 0xE921A1B45BD779F8ULL);
}

TEST(ContentHashTest, HexIsSixteenLowercaseDigits) {
  EXPECT_EQ(hashToHex(0xEF46DB3751D8E999ULL), "ef46db3751d8e999");
  EXPECT_EQ(hashToHex(1), "0000000000000001");
  EXPECT_EQ(contentHash("abc"), "44bc2cf5ad770999");
}

TEST(ContentHashTest, FileHashEqualsBytesHashAndMissingFileIsAnError) {
  const auto dir = test::freshTempDir("hash");
  { std::ofstream(dir / "f.bin", std::ios::binary) << "abc"; }
  EXPECT_EQ(fileContentHash(dir / "f.bin").value(), "44bc2cf5ad770999");
  const auto missing = fileContentHash(dir / "missing.bin");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("missing.bin"), std::string::npos);
}

}  // namespace
}  // namespace distillery
