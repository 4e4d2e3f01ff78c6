#include "engine/training/lr_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

namespace distillery {
namespace {

TEST(LrScheduleTest, PolyDecaysToZeroWithPower) {
  LrScheduleConfig c;
  c.kind = LrScheduleConfig::Kind::Poly;
  c.power = 0.9;
  EXPECT_DOUBLE_EQ(lrFactor(c, 0, 100), 1.0);
  EXPECT_DOUBLE_EQ(lrFactor(c, 50, 100), std::pow(0.5, 0.9));
  EXPECT_DOUBLE_EQ(lrFactor(c, 100, 100), 0.0);
}

TEST(LrScheduleTest, CosineHalfwayIsMidpoint) {
  LrScheduleConfig c;
  c.kind = LrScheduleConfig::Kind::Cosine;
  c.endFactor = 0.1;
  EXPECT_NEAR(lrFactor(c, 50, 100), 0.55, 1e-12);
  EXPECT_NEAR(lrFactor(c, 100, 100), 0.1, 1e-12);
}

TEST(LrScheduleTest, WarmupRisesLinearlyFromFactor) {
  LrScheduleConfig c;
  c.kind = LrScheduleConfig::Kind::Constant;
  c.warmupSteps = 10;
  c.warmupFactor = 0.1;
  EXPECT_DOUBLE_EQ(lrFactor(c, 0, 100), 0.1);
  EXPECT_DOUBLE_EQ(lrFactor(c, 5, 100), 0.55);
  EXPECT_DOUBLE_EQ(lrFactor(c, 10, 100), 1.0);
}

TEST(LrScheduleTest, UnknownKindIsAnError) {
  EXPECT_TRUE(lrScheduleKind("poly").ok());
  const auto bad = lrScheduleKind("step");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("expected constant, poly or cosine"), std::string::npos);
}

}  // namespace
}  // namespace distillery
