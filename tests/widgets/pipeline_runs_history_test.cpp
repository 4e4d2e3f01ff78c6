#include "widgets/pipeline/runs_history.h"

#include <gtest/gtest.h>

#include <QSignalSpy>

namespace distillery {
namespace {

TEST(PipelineRunsHistoryTest, ListsRunsNewestFirstAndEmitsSelection) {
  const QDateTime t0(QDate(2026, 3, 1), QTime(9, 0));
  std::vector<RunSummary> runs = {{"run-1", "cast", "finished", t0, "student AP 21.0"},
                                  {"run-3", "supervised", "failed", t0.addDays(2), "no labelled images"},
                                  {"run-2", "cast", "cancelled", t0.addDays(1), "checkpoint runs/run-2/distill.ckpt"}};
  RunsHistory history;
  history.setProvider([&] { return runs; });
  ASSERT_EQ(history.rowCount(), 3);
  EXPECT_EQ(history.runId(0), "run-3");
  EXPECT_EQ(history.runId(2), "run-1");

  QSignalSpy spy(&history, &RunsHistory::runSelected);
  ASSERT_TRUE(history.selectRun("run-2"));
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(spy[0][0].toString(), "run-2");
  EXPECT_FALSE(history.selectRun("run-9"));

  runs.push_back({"run-4", "cast", "running", t0.addDays(3), ""});
  history.refresh();
  EXPECT_EQ(history.rowCount(), 4);
  EXPECT_EQ(history.selectedRun(), "run-2");  // kept across the refresh
  EXPECT_EQ(spy.count(), 1);                  // and not re-announced
}

}  // namespace
}  // namespace distillery
