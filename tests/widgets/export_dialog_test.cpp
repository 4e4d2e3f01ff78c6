// The export dialog: options collected from the form, checked before the request,
// and the app's report shown in full.
#include "widgets/export/export_dialog.h"

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTest>

namespace distillery {
namespace {

template <typename T>
T* child(QWidget& w, const char* name) {
  auto* c = w.findChild<T*>(name);
  EXPECT_NE(c, nullptr) << name;
  return c;
}

TEST(ExportDialogTest, CollectsLabelOptionsFromTheForm) {
  ExportDialog dialog;
  QSignalSpy spy(&dialog, &ExportDialog::exportRequested);
  child<QComboBox>(dialog, "labelFormat")->setCurrentIndex(1);
  child<QLineEdit>(dialog, "labelsPath")->setText("/tmp/out/labelme");
  child<QCheckBox>(dialog, "source_student")->setChecked(false);
  child<QCheckBox>(dialog, "status_pending")->setChecked(false);
  child<QCheckBox>(dialog, "includeEmptyImages")->setChecked(true);
  child<QPushButton>(dialog, "exportButton")->click();

  ASSERT_EQ(spy.count(), 1);
  const auto o = spy[0][0].value<ExportOptions>();
  EXPECT_EQ(o.kind, ExportOptions::Kind::Labels);
  EXPECT_EQ(o.format, "labelme");
  EXPECT_EQ(o.labelsPath, "/tmp/out/labelme");
  EXPECT_EQ(o.sources, QStringList({"human", "teacher"}));
  EXPECT_EQ(o.statuses, QStringList({"accepted", "edited"}));
  EXPECT_TRUE(o.includeImagesWithoutAnnotations);
  EXPECT_TRUE(dialog.waiting());
  EXPECT_FALSE(child<QPushButton>(dialog, "exportButton")->isEnabled());  // one export at a time
}

TEST(ExportDialogTest, StudentSidecarFollowsTheModelUntilEdited) {
  ExportDialog dialog;
  QSignalSpy spy(&dialog, &ExportDialog::exportRequested);
  child<QRadioButton>(dialog, "exportStudent")->setChecked(true);
  auto* model = child<QLineEdit>(dialog, "modelPath");
  auto* sidecar = child<QLineEdit>(dialog, "sidecarPath");
  model->setText("/out/student.pt");
  EXPECT_EQ(sidecar->text(), "/out/student.json");
  sidecar->setFocus();
  sidecar->selectAll();
  QTest::keyClicks(sidecar, "/out/meta.json");  // a user edit sticks
  model->setText("/out/v2.pt");
  EXPECT_EQ(sidecar->text(), "/out/meta.json");
  child<QPushButton>(dialog, "exportButton")->click();
  ASSERT_EQ(spy.count(), 1);
  const auto o = spy[0][0].value<ExportOptions>();
  EXPECT_EQ(o.kind, ExportOptions::Kind::Student);
  EXPECT_EQ(o.modelPath, "/out/v2.pt");
  EXPECT_EQ(o.sidecarPath, "/out/meta.json");
}

TEST(ExportDialogTest, IncompleteOptionsAreExplainedNotSent) {
  ExportDialog dialog;
  QSignalSpy spy(&dialog, &ExportDialog::exportRequested);
  for (const char* s : {"source_human", "source_teacher", "source_student"})
    child<QCheckBox>(dialog, s)->setChecked(false);
  child<QPushButton>(dialog, "exportButton")->click();
  EXPECT_EQ(spy.count(), 0);
  EXPECT_EQ(dialog.reportHeadline(), "Cannot export yet:");
  EXPECT_EQ(dialog.reportLines(),
            QStringList({"Choose where to write the COCO file (.json).",
                         "Pick at least one source (human, teacher or student)."}));
}

TEST(ExportDialogTest, ReportShowsWrittenAndEverySkipWithItsReason) {
  ExportDialog dialog;
  ExportOptions o;
  o.labelsPath = "/tmp/coco.json";
  dialog.setOptions(o);
  EXPECT_EQ(dialog.options().labelsPath, "/tmp/coco.json");
  child<QPushButton>(dialog, "exportButton")->click();
  ASSERT_TRUE(dialog.waiting());

  ExportReport r;
  r.imagesWritten = 126;
  r.instancesWritten = 921;
  r.files = {"/tmp/coco.json"};
  r.skipped = {"img_17.jpg: annotation 4: polygon has 2 points, expected at least 3",
               "img_90.jpg: annotation 12: empty mask"};
  r.notes = {"crowd regions kept as RLE"};
  dialog.setReport(r);
  EXPECT_FALSE(dialog.waiting());
  EXPECT_TRUE(child<QPushButton>(dialog, "exportButton")->isEnabled());
  EXPECT_EQ(dialog.reportHeadline(), "Wrote 921 instances on 126 images; skipped 2:");
  const QStringList lines = dialog.reportLines();
  ASSERT_EQ(lines.size(), 4);
  EXPECT_EQ(lines[0],
            "skipped: img_17.jpg: annotation 4: polygon has 2 points, expected at least 3");
  EXPECT_EQ(lines[2], "note: crowd regions kept as RLE");
  EXPECT_EQ(lines[3], "written: /tmp/coco.json");

  dialog.setReport({"/tmp is read-only", 0, 0, {}, {}, {}});
  EXPECT_EQ(dialog.reportHeadline(), "Export failed: /tmp is read-only");
}

}  // namespace
}  // namespace distillery
