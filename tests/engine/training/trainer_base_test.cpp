#include "engine/training/trainer_base.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "engine/training/event_writers.h"
#include "engine/training/hooks.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

// A trainer whose "loss" halves each step; it can be told to fail at a step.
class CountingTrainer : public TrainerBase {
 public:
  int64_t failAt = -1;
  std::vector<int64_t> stepsRun;
  void runStep() override {
    if (step() == failAt) throw std::runtime_error("loss is NaN at step " + std::to_string(step()));
    stepsRun.push_back(step());
    storage().put("loss/total", 1.0 / static_cast<double>(1 << std::min<int64_t>(step(), 30)));
  }
};

class RecordingHook : public HookBase {
 public:
  std::vector<std::string> calls;
  void beforeTrain() override { calls.push_back("beforeTrain"); }
  void afterTrain() override { calls.push_back("afterTrain"); }
  void beforeStep() override { calls.push_back("beforeStep"); }
  void afterStep() override { calls.push_back("afterStep"); }
};

TEST(TrainerBaseTest, HooksRunInOrderAroundEveryStep) {
  CountingTrainer t;
  auto hook = std::make_shared<RecordingHook>();
  t.registerHook(hook);
  EXPECT_EQ(t.train(0, 2), TrainOutcome::Completed);
  EXPECT_EQ(hook->calls, (std::vector<std::string>{"beforeTrain", "beforeStep", "afterStep",
                                                   "beforeStep", "afterStep", "afterTrain"}));
  EXPECT_EQ(t.storage().history("loss/total").size(), 2u);
}

TEST(TrainerBaseTest, AfterTrainRunsWhenAStepFails) {
  CountingTrainer t;
  t.failAt = 3;
  auto hook = std::make_shared<RecordingHook>();
  t.registerHook(hook);
  EXPECT_EQ(t.train(0, 10), TrainOutcome::Failed);
  EXPECT_EQ(hook->calls.back(), "afterTrain");
  EXPECT_NE(t.failure().find("step 3"), std::string::npos);
  EXPECT_EQ(t.step(), 3);  // the first step not completed
  EXPECT_EQ(t.stepsRun.size(), 3u);
}

TEST(TrainerBaseTest, CancelStopsBetweenStepsAndStillFinalises) {
  CountingTrainer t;
  auto cancelAfter2 = std::make_shared<PeriodicHook>(2, [&t](int64_t, bool final) {
    if (!final) t.control().cancel = true;
  });
  auto hook = std::make_shared<RecordingHook>();
  t.registerHook(cancelAfter2);
  t.registerHook(hook);
  EXPECT_EQ(t.train(0, 100), TrainOutcome::Cancelled);
  EXPECT_EQ(t.stepsRun, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(hook->calls.back(), "afterTrain");
}

TEST(TrainerBaseTest, PauseHoldsUntilResumed) {
  CountingTrainer t;
  t.control().pause = true;
  std::thread resumer([&t] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(t.stepsRun.empty());  // nothing ran while paused
    t.control().pause = false;
  });
  EXPECT_EQ(t.train(0, 3), TrainOutcome::Completed);
  resumer.join();
  EXPECT_EQ(t.stepsRun.size(), 3u);
}

TEST(TrainerBaseTest, ResumeStartsAtTheGivenStep) {
  CountingTrainer t;
  EXPECT_EQ(t.train(5, 8), TrainOutcome::Completed);
  EXPECT_EQ(t.stepsRun, (std::vector<int64_t>{5, 6, 7}));
}

TEST(TrainerBaseTest, EvalResultsLandInTheStorageAtTheirStep) {
  CountingTrainer t;
  int evals = 0;
  t.registerHook(std::make_shared<EvalHook>(4, [&evals] {
    ++evals;
    return std::map<std::string, double>{{"student/ap", 0.1 * evals}};
  }));
  t.train(0, 10);
  const auto ap = t.storage().history("student/ap");
  ASSERT_EQ(ap.size(), 3u);  // after steps 4 and 8, and at the end (10)
  EXPECT_EQ(ap[0].first, 3);
  EXPECT_EQ(ap[1].first, 7);
  EXPECT_EQ(ap[2].first, 9);
  EXPECT_DOUBLE_EQ(ap[2].second, 0.3);
}

TEST(TrainerBaseTest, WritersSeeEveryEventExactlyOnce) {
  CountingTrainer t;
  const auto dir = test::freshTempDir("writers");
  std::vector<ScalarEvent> seen;
  t.registerHook(std::make_shared<IterationTimerHook>());
  t.registerHook(std::make_shared<CallbackWriterHook>(
      [&seen](const std::vector<ScalarEvent>& e) { seen.insert(seen.end(), e.begin(), e.end()); }, 3));
  t.registerHook(std::make_shared<JsonlWriterHook>(dir / "metrics.jsonl", 2));
  t.train(0, 7);
  EXPECT_EQ(seen.size(), t.storage().events().size());
  std::ifstream in(dir / "metrics.jsonl");
  std::string line;
  int64_t lines = 0;
  while (std::getline(in, line)) {
    const auto row = nlohmann::json::parse(line);
    EXPECT_EQ(row["step"].get<int64_t>(), lines);
    EXPECT_TRUE(row.contains("loss/total"));
    EXPECT_TRUE(row.contains("eta_seconds"));
    ++lines;
  }
  EXPECT_EQ(lines, 7);
}

TEST(EventStorageTest, MedianAndLatest) {
  EventStorage s;
  for (int i = 0; i < 5; ++i) {
    s.setStep(i);
    s.put("x", i == 2 ? 100.0 : static_cast<double>(i));
  }
  EXPECT_EQ(*s.latest("x"), 4.0);
  EXPECT_EQ(*s.median("x", 3), 4.0);   // {100, 3, 4}
  EXPECT_EQ(*s.median("x", 5), 3.0);   // {0, 1, 100, 3, 4}
  EXPECT_FALSE(s.latest("y").has_value());
}

TEST(EventWritersTest, DurationFormat) {
  EXPECT_EQ(formatDuration(65), "1:05");
  EXPECT_EQ(formatDuration(3723), "1:02:03");
  EXPECT_EQ(formatDuration(-3), "0:00");
}

}  // namespace
}  // namespace distillery
