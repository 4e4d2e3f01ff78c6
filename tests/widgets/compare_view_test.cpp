// The compare view: table rows, grouped per-class AP bars, synchronised panes.
#include "widgets/compare/compare_view.h"

#include <gtest/gtest.h>
#include <qcustomplot.h>

#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <cmath>

#include "widgets/compare/per_class_ap_chart.h"
#include "widgets/compare/prediction_pane.h"

namespace distillery {
namespace {

const double kNaN = std::nan("");

std::vector<ModelScore> paperLikeScores() {
  return {{"zero-shot teacher", 22.0, 42.3, 568e6, 350.9, {30, 10, 25}},
          {"adapted teacher", 30.5, 56.6, 568e6, 351.2, {40, 20, 31.5}},
          {"student", 33.9, 58.7, 52.1e6, 76.9, {45, kNaN, 35}}};
}

TEST(CompareViewTest, TableHasOneRowPerModel) {
  CompareView view;
  view.setScores({"person", "car", "dog"}, paperLikeScores());
  QTableWidget* t = view.table();
  ASSERT_EQ(t->rowCount(), 3);
  EXPECT_EQ(t->item(0, 0)->text(), "zero-shot teacher");
  EXPECT_EQ(t->item(2, 0)->text(), "student");
  EXPECT_EQ(t->item(2, 1)->text(), "33.9");
  EXPECT_EQ(t->item(2, 2)->text(), "58.7");
  EXPECT_EQ(t->item(2, 3)->text(), "52.1 M");
  EXPECT_EQ(t->item(0, 3)->text(), "568.0 M");
  EXPECT_EQ(t->item(2, 4)->text(), "76.9");
  EXPECT_TRUE(t->item(2, 1)->font().bold());  // the best AP stands out
  EXPECT_FALSE(t->item(0, 1)->font().bold());
  EXPECT_EQ(CompareView::formatParams(880e3), "880 k");
}

TEST(CompareViewTest, PerClassBarsAreGroupedPerModel) {
  CompareView view;
  view.setScores({"person", "car", "dog"}, paperLikeScores());
  PerClassApChart* chart = view.chart();
  ASSERT_EQ(chart->barSetCount(), 3);
  QCPBars* teacher = chart->bars(1);
  EXPECT_EQ(teacher->name(), "adapted teacher");
  ASSERT_EQ(teacher->data()->size(), 3);
  EXPECT_DOUBLE_EQ(teacher->data()->at(2)->key, 2);
  EXPECT_DOUBLE_EQ(teacher->data()->at(2)->value, 31.5);
  QCPBars* student = chart->bars(2);
  ASSERT_EQ(student->data()->size(), 2);  // no bar for the class without a value
  EXPECT_DOUBLE_EQ(student->data()->at(1)->key, 2);
  EXPECT_EQ(student->barsGroup(), teacher->barsGroup());
  EXPECT_NE(student->barsGroup(), nullptr);
  EXPECT_EQ(chart->plot()->plottableCount(), 3);

  view.setScores({"person"}, {{"student", 10, 20, 1e6, 5, {10}}});  // replaces, not appends
  EXPECT_EQ(chart->plot()->plottableCount(), 1);
}

TEST(CompareViewTest, PanesFollowOneImageChoiceAndAcceptOnlyCurrentPredictions) {
  CompareView view;
  QSignalSpy spy(&view, &CompareView::predictionsRequested);
  view.setScores({"person"}, paperLikeScores());
  view.setImages({"a.jpg", "b.jpg", "c.jpg"});
  ASSERT_GE(spy.count(), 1);
  EXPECT_EQ(spy.last()[0].toString(), "a.jpg");
  EXPECT_EQ(spy.last()[1].toString(), "zero-shot teacher");
  EXPECT_EQ(spy.last()[2].toString(), "student");

  view.findChild<QPushButton*>("nextImage")->click();
  EXPECT_EQ(view.currentImage(), "b.jpg");
  EXPECT_EQ(spy.last()[0].toString(), "b.jpg");
  view.findChild<QPushButton*>("previousImage")->click();
  view.findChild<QPushButton*>("previousImage")->click();  // wraps around
  EXPECT_EQ(view.currentImage(), "c.jpg");

  view.pane(0)->setModel("adapted teacher");
  EXPECT_EQ(spy.last()[0].toString(), "c.jpg");
  EXPECT_EQ(spy.last()[1].toString(), "adapted teacher");

  QImage red(40, 30, QImage::Format_RGB32);
  red.fill(Qt::red);
  view.setPrediction("b.jpg", "student", red);  // late answer for another image
  EXPECT_TRUE(view.pane(1)->prediction().isNull());
  view.setPrediction("c.jpg", "student", red);
  EXPECT_FALSE(view.pane(1)->prediction().isNull());
  EXPECT_TRUE(view.pane(0)->prediction().isNull());
  view.setCurrentImage("a.jpg");  // a new choice clears both panes until answered
  EXPECT_TRUE(view.pane(1)->prediction().isNull());
}

}  // namespace
}  // namespace distillery
