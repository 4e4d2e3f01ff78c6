// The teacher panel: load requests, contract results shown clearly, class mapping,
// progress of pretraining and of the pass over the pool.
#include "widgets/teacher/teacher_panel.h"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>

#include "widgets/pipeline/stage_progress.h"
#include "widgets/teacher/contract_status.h"
#include "widgets/teacher/teacher_class_mapping.h"

namespace distillery {
namespace {

QPushButton* button(QWidget& w, const char* name) {
  auto* b = w.findChild<QPushButton*>(name);
  EXPECT_NE(b, nullptr) << name;
  return b;
}

TEST(TeacherPanelTest, LoadEmitsThePathAndShowsChecking) {
  TeacherPanel panel;
  QSignalSpy spy(&panel, &TeacherPanel::loadRequested);
  EXPECT_FALSE(button(panel, "loadTeacher")->isEnabled());  // no path yet
  panel.setModelPath("  /models/gdino_sam.pt ");
  button(panel, "loadTeacher")->click();
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(spy[0][0].toString(), "/models/gdino_sam.pt");
  EXPECT_TRUE(panel.contractStatus()->headline().contains("Checking /models/gdino_sam.pt"));
}

TEST(TeacherPanelTest, ContractErrorsAreListedOneByOne) {
  TeacherPanel panel;
  panel.show();
  const QStringList errors = {
      "teacher.pt: forward(): expected 1 input tensor [1,3,H,W] float, got 2 inputs",
      "teacher.pt: output 'masks': expected [N,H,W] float, got [N,1,H,W]",
      "teacher.json: 'classes' missing, expected a list of class names"};
  panel.setContractResult(false, {}, errors);
  ContractStatus* s = panel.contractStatus();
  EXPECT_FALSE(s->passed());
  EXPECT_TRUE(s->headline().contains("does not meet the contract (3 problems)"))
      << s->headline().toStdString();
  EXPECT_EQ(s->errors(), errors);
  EXPECT_TRUE(panel.findChild<QListWidget*>("contractErrors")->isVisible());
  EXPECT_FALSE(button(panel, "runOverPool")->isEnabled());

  panel.setContractResult(true, "568M parameters, 3 classes", {});
  EXPECT_TRUE(s->passed());
  EXPECT_TRUE(s->headline().contains("Contract OK: 568M parameters, 3 classes"));
  EXPECT_TRUE(s->errors().isEmpty());
  EXPECT_FALSE(panel.findChild<QListWidget*>("contractErrors")->isVisible());
}

TEST(TeacherPanelTest, ClassesMapByNameAndUnknownOnesAreIgnored) {
  TeacherPanel panel;
  QSignalSpy changed(&panel, &TeacherPanel::classMappingChanged);
  panel.setClasses({"Person", "traffic_light", "zebra", "car"}, {"car", "person", "traffic light"});
  EXPECT_EQ(panel.classMapping(), QVector<int>({1, 2, TeacherClassMapping::kIgnore, 0}));
  EXPECT_GE(changed.count(), 1);

  auto* table = panel.findChild<QTableWidget*>("classMappingTable");
  ASSERT_EQ(table->rowCount(), 4);
  auto* zebra = qobject_cast<QComboBox*>(table->cellWidget(2, 1));
  ASSERT_NE(zebra, nullptr);
  EXPECT_EQ(zebra->currentText(), "ignore");
  EXPECT_EQ(zebra->count(), 4);  // ignore + three project classes
  zebra->setCurrentIndex(1);     // the user maps zebra onto "car"
  EXPECT_EQ(panel.classMapping()[2], 0);
  EXPECT_EQ(changed.last()[0].value<QVector<int>>()[2], 0);

  panel.mappingTable()->setMapping({-1, -1, -1, 7});  // 7 is out of range: ignored
  EXPECT_EQ(panel.mappingTable()->mappedCount(), 0);
}

TEST(TeacherPanelTest, RunOverPoolNeedsAPassingTeacherAndAMappedClass) {
  TeacherPanel panel;
  QSignalSpy run(&panel, &TeacherPanel::runOverPoolRequested);
  panel.setContractResult(true, "ok", {});
  panel.setClasses({"dog"}, {"cat"});
  EXPECT_FALSE(button(panel, "runOverPool")->isEnabled());  // nothing would be written
  panel.mappingTable()->setMapping({0});
  ASSERT_TRUE(button(panel, "runOverPool")->isEnabled());
  button(panel, "runOverPool")->click();
  ASSERT_EQ(run.count(), 1);
  EXPECT_EQ(run[0][0].value<QVector<int>>(), QVector<int>({0}));

  panel.setBusy(true);
  EXPECT_FALSE(button(panel, "runOverPool")->isEnabled());
  EXPECT_FALSE(button(panel, "pretrainTeacher")->isEnabled());
  EXPECT_TRUE(button(panel, "cancelTeacherJob")->isEnabled());
  QSignalSpy cancel(&panel, &TeacherPanel::cancelRequested);
  button(panel, "cancelTeacherJob")->click();
  EXPECT_EQ(cancel.count(), 1);
}

TEST(TeacherPanelTest, ProgressShowsEtaAndPseudoLabelCount) {
  TeacherPanel panel;
  QSignalSpy pretrain(&panel, &TeacherPanel::pretrainRequested);
  button(panel, "pretrainTeacher")->click();
  EXPECT_EQ(pretrain.count(), 1);
  panel.setPretrainProgress(300, 1200, 90);
  EXPECT_EQ(panel.pretrainProgress()->text(), "Pretraining  300 / 1200  eta 1:30");
  EXPECT_EQ(panel.pretrainProgress()->percent(), 25);
  panel.setPoolProgress(40, 128, 173, 20);
  EXPECT_EQ(panel.poolProgress()->text(), "Images  40 / 128  eta 0:20");
  EXPECT_EQ(panel.pseudoLabelText(), "173 pseudo-labels made on 40 images");
}

}  // namespace
}  // namespace distillery
