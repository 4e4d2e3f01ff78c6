// The classes dock emits requests for the app's undoable commands.
#include "widgets/panels/classes_panel.h"

#include <gtest/gtest.h>

#include <QAbstractItemDelegate>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include "widgets/panels/classes_delegate.h"

namespace distillery {
namespace {

QList<ClassEntry> someClasses(int n) {
  QList<ClassEntry> out;
  for (int i = 0; i < n; ++i)
    out.push_back(
        {100 + i, QStringLiteral("class%1").arg(i), QColor::fromHsv(i * 30 % 360, 200, 200), i});
  return out;
}

class ClassesPanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    panel.setClasses({{1, "person", Qt::red, 4}, {2, "balloon", Qt::blue, 0}});
    list = panel.findChild<QListWidget*>("classList");
    ASSERT_NE(list, nullptr);
  }
  ClassesPanel panel;
  QListWidget* list = nullptr;
};

TEST_F(ClassesPanelTest, AddThroughTheNameFieldEmitsTheNameAndAFreshColour) {
  QSignalSpy add(&panel, &ClassesPanel::addRequested);
  auto* name = panel.findChild<QLineEdit*>("newClassName");
  ASSERT_NE(name, nullptr);
  QTest::keyClicks(name, "  dog ");
  QTest::keyClick(name, Qt::Key_Return);
  ASSERT_EQ(add.count(), 1);
  EXPECT_EQ(add.at(0).at(0).toString(), "dog");
  const QColor colour = add.at(0).at(1).value<QColor>();
  EXPECT_TRUE(colour.isValid());
  EXPECT_NE(colour, QColor(Qt::red));
  EXPECT_TRUE(name->text().isEmpty());
  // The panel does not add it itself: the app's command does, then setClasses.
  EXPECT_EQ(list->count(), 2);
}

TEST_F(ClassesPanelTest, RefusesEmptyAndTakenNamesWithAReason) {
  QSignalSpy add(&panel, &ClassesPanel::addRequested);
  EXPECT_FALSE(panel.requestAdd("   "));
  EXPECT_TRUE(panel.lastProblem().contains("empty"));
  EXPECT_FALSE(panel.requestAdd("Person"));
  EXPECT_TRUE(panel.lastProblem().contains("person"));
  EXPECT_EQ(add.count(), 0);
  EXPECT_TRUE(panel.requestAdd("cat"));
  EXPECT_TRUE(panel.lastProblem().isEmpty());
}

TEST_F(ClassesPanelTest, InPlaceRenameEmitsTheClassIdAndNewName) {
  QSignalSpy rename(&panel, &ClassesPanel::renameRequested);
  list->item(1)->setText("hot-air balloon");  // what the in-place editor commits
  ASSERT_EQ(rename.count(), 1);
  EXPECT_EQ(rename.at(0).at(0).toLongLong(), 2);
  EXPECT_EQ(rename.at(0).at(1).toString(), "hot-air balloon");
  EXPECT_EQ(list->item(1)->text(), "balloon");  // until the app confirms
  list->item(1)->setText("PERSON");             // taken: refused, name kept
  EXPECT_EQ(rename.count(), 1);
  EXPECT_EQ(list->item(1)->text(), "balloon");
  panel.setClasses({{1, "person", Qt::red, 4}, {2, "hot-air balloon", Qt::blue, 0}});
  EXPECT_EQ(list->item(1)->text(), "hot-air balloon");
}

TEST_F(ClassesPanelTest, RecolourUsesThePickerAndEmitsUnlessCancelled) {
  QSignalSpy recolour(&panel, &ClassesPanel::recolourRequested);
  QColor offered;
  QColor answer = QColor("#00ff80");
  panel.setColourPicker([&](const QColor& initial, QWidget*) {
    offered = initial;
    return answer;
  });
  panel.setCurrentClass(1);
  panel.findChild<QToolButton*>("recolourClassButton")->click();
  EXPECT_EQ(offered, QColor(Qt::red));
  ASSERT_EQ(recolour.count(), 1);
  EXPECT_EQ(recolour.at(0).at(0).toLongLong(), 1);
  EXPECT_EQ(recolour.at(0).at(1).value<QColor>(), QColor("#00ff80"));
  answer = QColor();  // the dialog was cancelled
  panel.requestRecolour(1);
  EXPECT_EQ(recolour.count(), 1);
}

TEST_F(ClassesPanelTest, DigitShortcutsForTheFirstNineClasses) {
  panel.setClasses(someClasses(12));
  for (int row = 0; row < 12; ++row)
    EXPECT_EQ(list->item(row)->data(ClassesDelegate::ShortcutRole).toInt(), row < 9 ? row + 1 : 0)
        << row;
  QSignalSpy current(&panel, &ClassesPanel::currentClassChanged);
  EXPECT_TRUE(panel.selectByShortcut(3));
  EXPECT_EQ(panel.currentClassId(), 102);
  ASSERT_EQ(current.count(), 1);
  EXPECT_EQ(current.at(0).at(0).toLongLong(), 102);
  EXPECT_FALSE(panel.selectByShortcut(0));
  panel.setClasses(someClasses(2));
  EXPECT_FALSE(panel.selectByShortcut(5));  // no fifth class
}

TEST_F(ClassesPanelTest, CurrentClassSurvivesAReloadAndClicksChangeIt) {
  QSignalSpy current(&panel, &ClassesPanel::currentClassChanged);
  panel.setCurrentClass(2);
  panel.setClasses(
      {{3, "cat", Qt::green, 0}, {2, "balloon", Qt::blue, 0}, {1, "person", Qt::red, 0}});
  EXPECT_EQ(panel.currentClassId(), 2);
  EXPECT_EQ(current.count(), 1);  // the reload did not announce a change
  panel.resize(240, 300);
  panel.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
  QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                    list->visualItemRect(list->item(0)).center());
  EXPECT_EQ(panel.currentClassId(), 3);
  ASSERT_EQ(current.count(), 2);
  EXPECT_EQ(current.at(1).at(0).toLongLong(), 3);
}

}  // namespace
}  // namespace distillery
