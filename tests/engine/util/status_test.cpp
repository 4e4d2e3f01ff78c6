#include "engine/util/status.h"

#include <gtest/gtest.h>

namespace distillery {
namespace {

Result<int> parsePositive(int v) {
  if (v <= 0) return Status::error("value " + std::to_string(v) + ": expected > 0");
  return v;
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.message(), "ok");
}

TEST(StatusTest, ResultCarriesValueOrError) {
  auto good = parsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  auto bad = parsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "value -1: expected > 0");
  EXPECT_THROW(bad.value(), std::logic_error);
}

TEST(StatusTest, ResultRejectsOkStatusWithoutValue) {
  EXPECT_THROW(Result<int>{Status()}, std::logic_error);
}

TEST(StatusTest, CheckThrowsWithLocation) {
  try {
    DST_CHECK(1 + 1 == 3);
    FAIL() << "DST_CHECK did not throw";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("status_test.cpp"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("1 + 1 == 3"), std::string::npos);
  }
}

}  // namespace
}  // namespace distillery
