// Live curves: bursts of scalars are buffered and drawn a bounded number of times.
#include "widgets/pipeline/training_charts.h"

#include <gtest/gtest.h>
#include <qcustomplot.h>

#include <QElapsedTimer>
#include <QTest>
#include <cstdio>

namespace distillery {
namespace {

std::vector<ScalarEvent> burst(int64_t firstStep, int count, const QStringList& names) {
  std::vector<ScalarEvent> events;
  for (int i = 0; i < count; ++i) {
    const int64_t step = firstStep + i / names.size();
    const QString& name = names[i % names.size()];
    events.push_back({step, name.toStdString(), 1.0 + static_cast<double>(step % 17)});
  }
  return events;
}

TEST(PipelineTrainingChartsTest, BurstsAreBufferedAndReplotsBounded) {
  TrainingCharts charts;
  charts.resize(400, 400);
  charts.show();
  charts.setReplotInterval(100);
  const int before = charts.replotCount();
  QStringList names = TrainingCharts::seriesNames();
  names << "lr"
        << "time/step";  // not drawn
  const int bursts = 100, perBurst = 100;

  QElapsedTimer clock;
  clock.start();
  charts.addScalars(burst(0, perBurst, names));
  EXPECT_EQ(charts.replotCount(), before);  // nothing drawn per point
  EXPECT_EQ(charts.pendingCount(), perBurst * 8 / 10);
  for (int b = 1; b < bursts; ++b) {
    charts.addScalars(burst(static_cast<int64_t>(b) * perBurst / names.size(), perBurst, names));
    QCoreApplication::processEvents();
  }
  ASSERT_TRUE(QTest::qWaitFor([&] { return charts.pendingCount() == 0; }, 5000));
  const qint64 elapsed = clock.elapsed();
  const int replots = charts.replotCount() - before;
  EXPECT_GE(replots, 1);
  std::printf("%d replots for %d bursts in %lld ms\n", replots, bursts,
              static_cast<long long>(elapsed));
  // At most one redraw per interval, however many points arrived.
  EXPECT_LE(replots, 1 + elapsed / charts.replotInterval()) << elapsed << " ms";

  for (const QString& name : TrainingCharts::seriesNames())
    EXPECT_EQ(charts.graph(name)->data()->size(), bursts * perBurst / names.size())
        << name.toStdString();
  EXPECT_EQ(charts.graph("lr"), nullptr);
  const auto& sup = *charts.graph("loss/sup")->data();
  EXPECT_DOUBLE_EQ(sup.at(0)->key, 0);
  EXPECT_DOUBLE_EQ(sup.at(999)->key, 999);
  EXPECT_DOUBLE_EQ(sup.at(20)->value, 1.0 + 20 % 17);
}

TEST(PipelineTrainingChartsTest, LoadRunReplacesEverything) {
  TrainingCharts charts;
  charts.show();
  charts.addScalars(burst(0, 800, TrainingCharts::seriesNames()));
  charts.flush();
  charts.addScalars({{5000, "loss/sup", 9.0}});  // pending, must not survive loadRun
  ASSERT_EQ(charts.graph("loss/sup")->data()->size(), 100);

  const int before = charts.replotCount();
  charts.loadRun({{10, "loss/total", 2.5}, {5, "loss/total", 3.0}, {10, "student/ap", 31.2}});
  EXPECT_EQ(charts.replotCount(), before + 1);  // history is drawn at once
  EXPECT_EQ(charts.pendingCount(), 0);
  EXPECT_EQ(charts.graph("loss/sup")->data()->size(), 0);
  const auto& total = *charts.graph("loss/total")->data();
  ASSERT_EQ(total.size(), 2);
  EXPECT_DOUBLE_EQ(total.at(0)->key, 5);  // sorted by step
  EXPECT_DOUBLE_EQ(total.at(0)->value, 3.0);
  ASSERT_EQ(charts.graph("student/ap")->data()->size(), 1);
  EXPECT_DOUBLE_EQ(charts.graph("student/ap")->data()->at(0)->value, 31.2);

  charts.clear();
  for (const QString& name : TrainingCharts::seriesNames())
    EXPECT_EQ(charts.graph(name)->data()->size(), 0) << name.toStdString();
}

TEST(PipelineTrainingChartsTest, HiddenChartsCatchUpWhenShown) {
  TrainingCharts charts;
  charts.addScalars({{1, "loss/pxl", 0.4}});
  charts.flush();
  EXPECT_EQ(charts.replotCount(), 0);  // not visible: nothing drawn
  EXPECT_EQ(charts.graph("loss/pxl")->data()->size(), 1);
  charts.show();
  EXPECT_EQ(charts.replotCount(), 1);
}

TEST(PipelineTrainingChartsTest, AxesFitTheDataWithoutGrowingOnEveryRedraw) {
  TrainingCharts charts;
  charts.show();
  charts.addScalars({{149, "teacher/ap", 29.4}});  // one evaluation so far
  charts.flush();
  const QCPRange first = charts.apPlot()->yAxis->range();
  EXPECT_TRUE(first.contains(29.4));
  for (int i = 0; i < 50; ++i) {
    charts.addScalars({{i, "loss/total", 80.0 - i}});
    charts.flush();
  }
  EXPECT_DOUBLE_EQ(charts.apPlot()->yAxis->range().lower, first.lower);
  EXPECT_DOUBLE_EQ(charts.apPlot()->yAxis->range().upper, first.upper);
  const QCPRange loss = charts.lossPlot()->yAxis->range();
  EXPECT_LT(loss.lower, 31.0);
  EXPECT_GT(loss.upper, 80.0);
  EXPECT_LT(loss.upper, 80.0 + 0.1 * 49);  // a little air, not a growing margin
  // One step axis for both plots, with room after the last point.
  EXPECT_DOUBLE_EQ(charts.lossPlot()->xAxis->range().lower, 0);
  EXPECT_DOUBLE_EQ(charts.apPlot()->xAxis->range().lower, 0);
  EXPECT_DOUBLE_EQ(charts.apPlot()->xAxis->range().upper, charts.lossPlot()->xAxis->range().upper);
  EXPECT_GT(charts.lossPlot()->xAxis->range().upper, 149);
  EXPECT_LT(charts.lossPlot()->xAxis->range().upper, 149 * 1.05);
}

TEST(PipelineTrainingChartsTest, AZoomedPlotKeepsItsViewUntilDoubleClicked) {
  TrainingCharts charts;
  charts.resize(400, 400);
  charts.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&charts));
  charts.addScalars({{0, "loss/total", 10.0}, {10, "loss/total", 5.0}});
  charts.flush();
  QCustomPlot* plot = charts.lossPlot();
  QTest::mousePress(plot, Qt::LeftButton, {}, plot->rect().center());
  QTest::mouseRelease(plot, Qt::LeftButton, {}, plot->rect().center());
  plot->xAxis->setRange(2, 4);  // where the user dragged to
  charts.addScalars({{100, "loss/total", 1.0}});
  charts.flush();
  EXPECT_DOUBLE_EQ(plot->xAxis->range().upper, 4);  // the user's view stays
  QTest::mouseDClick(plot, Qt::LeftButton, {}, plot->rect().center());
  EXPECT_GE(plot->xAxis->range().upper, 100);  // following the data again
  EXPECT_LT(plot->xAxis->range().upper, 105);
}

TEST(PipelineTrainingChartsTest, LogScaleSwitchesTheLossAxis) {
  TrainingCharts charts;
  EXPECT_FALSE(charts.logScale());
  charts.setLogScale(true);
  EXPECT_TRUE(charts.logScale());
  EXPECT_EQ(charts.lossPlot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
  EXPECT_EQ(charts.apPlot()->yAxis->scaleType(), QCPAxis::stLinear);
  charts.setLogScale(false);
  EXPECT_EQ(charts.lossPlot()->yAxis->scaleType(), QCPAxis::stLinear);
}

}  // namespace
}  // namespace distillery
