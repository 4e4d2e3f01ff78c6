// The export dialog's student part wired to the project: the chosen run's student
// written as TorchScript plus sidecar, checked against the teacher contract, and the
// written file accepted by the real `distillery-cli teacher check`.
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>

#include "app/gui/export_controller.h"
#include "app/gui/project_session.h"
#include "tests/app/models_fixture.h"
#include "widgets/export/export_dialog.h"

namespace distillery::test {
namespace {

TEST(ExportControllerTest, StudentExportWritesAFileThatPassesTheTeacherCheck) {
  const SyntheticProject p = makeProject("wb-export-student", 2);
  auto w = openWindow(p.dir);
  ExportController* exports = w->exportController();

  // No run yet: the dialog says so and nothing is written.
  w->action("actionExportStudent")->trigger();
  ASSERT_NE(exports->dialog(), nullptr);
  auto* runs = exports->dialog()->findChild<QComboBox*>("exportRun");
  ASSERT_NE(runs, nullptr);
  EXPECT_FALSE(runs->isEnabled());
  EXPECT_TRUE(runs->currentText().contains("no trained student yet"));
  exports->dialog()->close();
  QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);

  const int64_t first = finishedRunWithStudent(&w->session()->project(), {"cat", "dog"});
  const int64_t second = finishedRunWithStudent(&w->session()->project(), {"cat", "dog"});
  w->action("actionExportStudent")->trigger();
  ExportDialog* dialog = exports->dialog();
  ASSERT_NE(dialog, nullptr);
  EXPECT_TRUE(dialog->findChild<QRadioButton*>("exportStudent")->isChecked());
  EXPECT_EQ(exports->offeredRuns(), (QList<qint64>{second, first}));  // newest first
  runs = dialog->findChild<QComboBox*>("exportRun");
  runs->setCurrentIndex(1);  // the older run
  // Into a folder that does not exist yet.
  const auto out = p.dir.parent_path() / "shipped" / "student.pt";
  dialog->findChild<QLineEdit*>("modelPath")->setText(QString::fromStdString(out.string()));
  EXPECT_EQ(dialog->findChild<QLineEdit*>("sidecarPath")->text(),
            QString::fromStdString((p.dir.parent_path() / "shipped" / "student.json").string()));
  QSignalSpy done(exports, &ExportController::studentExported);
  QTest::mouseClick(dialog->findChild<QPushButton*>("exportButton"), Qt::LeftButton);
  ASSERT_TRUE(exports->waitForIdle());
  ASSERT_EQ(done.count(), 1);
  const auto report = done[0][0].value<ExportReport>();
  EXPECT_TRUE(report.error.isEmpty()) << report.error.toStdString();
  EXPECT_EQ(report.files.size(), 2);
  EXPECT_TRUE(dialog->reportHeadline().contains(
      QStringLiteral("student of run %1; it meets the teacher contract").arg(first)))
      << dialog->reportHeadline().toStdString();
  bool checked = false;
  for (const QString& line : dialog->reportLines())
    checked |= line.contains("teacher check passed");
  EXPECT_TRUE(checked) << dialog->reportLines().join('\n').toStdString();
  ASSERT_TRUE(std::filesystem::exists(out));
  ASSERT_TRUE(std::filesystem::exists(p.dir.parent_path() / "shipped" / "student.json"));

  // The real CLI agrees, and sees the project's classes in the sidecar.
  const auto check = runCommand(cliPath() + " teacher check " + out.string());
  EXPECT_EQ(check.exitCode, 0) << check.output;
  EXPECT_NE(check.output.find("meets the teacher contract"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("cat, dog"), std::string::npos) << check.output;
}

TEST(ExportControllerTest, LabelsStillExportFromTheSameDialog) {
  const SyntheticProject p = makeProject("wb-export-labels", 3, 2, 2);
  auto w = openWindow(p.dir);
  w->action("actionExport")->trigger();
  ExportDialog* dialog = w->exportController()->dialog();
  ASSERT_NE(dialog, nullptr);
  EXPECT_TRUE(dialog->findChild<QRadioButton*>("exportLabels")->isChecked());
  const auto out = p.dir.parent_path() / "labels.json";
  dialog->findChild<QLineEdit*>("labelsPath")->setText(QString::fromStdString(out.string()));
  QTest::mouseClick(dialog->findChild<QPushButton*>("exportButton"), Qt::LeftButton);
  ASSERT_TRUE(w->projectController()->waitForJobs());
  EXPECT_FALSE(dialog->waiting());
  EXPECT_TRUE(dialog->reportHeadline().startsWith("Wrote 4 instances on 2 images"))
      << dialog->reportHeadline().toStdString();
  EXPECT_TRUE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace distillery::test
