// The Teacher dock wired to the engine: load and the contract check, the class
// mapping, pretraining (tiny, cached), and the pass over the unlabelled pool, checked
// in the database through a separate read-only connection.
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QWheelEvent>
#include <fstream>
#include <set>

#include "app/gui/project_session.h"
#include "app/gui/teacher_controller.h"
#include "tests/app/models_fixture.h"
#include "widgets/gallery/gallery_panel.h"
#include "widgets/log_panel.h"
#include "widgets/pipeline/stage_progress.h"
#include "widgets/review/review_queue_panel.h"
#include "widgets/teacher/contract_status.h"
#include "widgets/teacher/teacher_class_mapping.h"
#include "widgets/teacher/teacher_panel.h"

namespace distillery::test {
namespace {

QPushButton* button(TeacherPanel* panel, const char* name) {
  auto* b = panel->findChild<QPushButton*>(name);
  EXPECT_NE(b, nullptr) << name;
  return b;
}

// Types the path and clicks Load, as a user would; waits for the check.
void loadThroughPanel(MainWindow& w, const std::filesystem::path& file) {
  TeacherPanel* panel = w.teacherPanel();
  panel->findChild<QLineEdit*>("teacherPath")->setText(QString::fromStdString(file.string()));
  QTest::mouseClick(button(panel, "loadTeacher"), Qt::LeftButton);
  ASSERT_TRUE(w.teacherController()->waitForIdle());
}

TEST(TeacherControllerTest, LoadingAGoodTeacherFillsTheMappingAndSetsTheSessionsTeacher) {
  const SyntheticProject p = makeProject("wb-teacher-good", 3);
  // Other order, other case, one class the project lacks: mapped by name.
  const auto teacher = tinyModel(p.dir.parent_path() / "teacher.pt", {"Dog", "bird", "cat"});
  auto w = openWindow(p.dir);
  QSignalSpy mapped(w->teacherController(), &TeacherController::teacherMappingChanged);
  loadThroughPanel(*w, teacher);

  TeacherPanel* panel = w->teacherPanel();
  EXPECT_TRUE(panel->contractStatus()->passed())
      << panel->contractStatus()->headline().toStdString();
  EXPECT_TRUE(panel->contractStatus()->errors().isEmpty());
  EXPECT_TRUE(panel->contractStatus()->headline().contains("2 of 3 teacher classes mapped"))
      << panel->contractStatus()->headline().toStdString();
  EXPECT_EQ(panel->mappingTable()->teacherClasses(), (QStringList{"Dog", "bird", "cat"}));
  EXPECT_EQ(panel->mappingTable()->projectClasses(), (QStringList{"cat", "dog"}));
  EXPECT_EQ(panel->classMapping(), (QVector<int>{1, -1, 0}));
  // Project category ids: cat 1, dog 2.
  EXPECT_EQ(w->teacherController()->categoryMapping(), (QVector<qint64>{2, 0, 1}));
  EXPECT_EQ(w->session()->teacherModel(), QString::fromStdString(teacher.string()));
  EXPECT_TRUE(button(panel, "runOverPool")->isEnabled());
  ASSERT_GE(mapped.count(), 1);
  EXPECT_EQ(mapped.last()[0].toString(), QString::fromStdString(teacher.string()));

  // A wheel turn over a mapping combo scrolls the dock; it does not remap the class.
  auto* combo = panel->mappingTable()->findChildren<QComboBox*>().value(0);
  ASSERT_NE(combo, nullptr);
  const QPointF at(combo->width() / 2.0, combo->height() / 2.0);
  QWheelEvent wheel(at, combo->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton,
                    Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(combo, &wheel);
  EXPECT_EQ(panel->classMapping(), (QVector<int>{1, -1, 0}));

  // The user's own choice sticks for this teacher in this project, also after a reopen.
  panel->mappingTable()->setMapping({1, 0, 0});
  EXPECT_EQ(w->teacherController()->categoryMapping(), (QVector<qint64>{2, 1, 1}));
  w.reset();
  auto again = std::make_unique<MainWindow>();  // keeps the settings openWindow would clear
  ASSERT_TRUE(again->openProject(QString::fromStdString(p.dir.string())));
  ASSERT_TRUE(again->teacherController()->waitForIdle());
  EXPECT_TRUE(again->teacherPanel()->contractStatus()->passed());
  EXPECT_EQ(again->teacherPanel()->classMapping(), (QVector<int>{1, 0, 0}));
}

TEST(TeacherControllerTest, LoadingABadFileShowsTheContractErrors) {
  const SyntheticProject p = makeProject("wb-teacher-bad", 2);
  const auto junk = p.dir.parent_path() / "junk.pt";
  std::ofstream(junk) << "not a TorchScript archive";
  auto w = openWindow(p.dir);
  const int errorsBefore = w->logPanel()->errorCount();
  loadThroughPanel(*w, junk);
  TeacherPanel* panel = w->teacherPanel();
  EXPECT_FALSE(panel->contractStatus()->passed());
  EXPECT_TRUE(panel->contractStatus()->headline().contains("does not meet the contract"));
  ASSERT_EQ(panel->contractStatus()->errors().size(), 1);
  EXPECT_TRUE(panel->contractStatus()->errors()[0].contains("cannot load as TorchScript"))
      << panel->contractStatus()->errors()[0].toStdString();
  EXPECT_TRUE(w->session()->teacherModel().isEmpty());
  EXPECT_FALSE(button(panel, "runOverPool")->isEnabled());
  EXPECT_EQ(w->logPanel()->errorCount(), errorsBefore + 1);  // and in the log, not only the dock

  // A real model whose sidecar names 5 classes for its 2: that problem, named.
  const auto teacher = tinyModel(p.dir.parent_path() / "five.pt", {"cat", "dog"});
  std::ifstream in(p.dir.parent_path() / "five.json");
  std::string sidecar((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = sidecar.find("\"dog\"");
  ASSERT_NE(at, std::string::npos) << sidecar;
  sidecar.insert(at + 5, ", \"a\", \"b\", \"c\"");
  std::ofstream(p.dir.parent_path() / "five.json") << sidecar;
  loadThroughPanel(*w, teacher);
  EXPECT_FALSE(panel->contractStatus()->passed());
  const QStringList errors = panel->contractStatus()->errors();
  ASSERT_EQ(errors.size(), 1) << errors.join('\n').toStdString();
  EXPECT_TRUE(errors[0].contains("5 class_names, but 'pred_logits' has 2 classes"))
      << errors[0].toStdString();
  EXPECT_TRUE(w->session()->teacherModel().isEmpty());
}

TEST(TeacherControllerTest, RunOverPoolStoresPendingTeacherLabelsOnlyInUnlabelledImages) {
  SyntheticProject p = makeProject("wb-teacher-pool", 6, 4, 1);  // images 0-3: one pending label
  const int64_t human = addHumanBox(p.dir, p.imageIds[0], 1, {20, 20, 30, 30});  // image 0 labelled
  int64_t reviewed = 0;
  {
    auto project = Project::open(p.dir);
    ASSERT_TRUE(project.ok());
    ASSERT_TRUE(project->images().setSplit({p.imageIds[1]}, Split::Val).ok());
    // Image 2's label was accepted: a reviewed label stays as it is.
    const auto records = project->annotations().forImage(p.imageIds[2]);
    ASSERT_TRUE(records.ok());
    for (const AnnotationRecord& r : *records) reviewed = r.id;
    const Status accepted =
        project->annotations().setReviewStatus({reviewed}, ReviewStatus::Accepted);
    ASSERT_TRUE(accepted.ok()) << accepted.message();
  }
  const auto before = readOnly(p.dir).annotations().get(human);
  const auto reviewedBefore = readOnly(p.dir).annotations().get(reviewed);
  const int64_t oldPending = p.teacherIds[3];  // image 3's pending label: replaced

  const auto teacher = tinyModel(p.dir.parent_path() / "teacher.pt", {"cat", "dog"});
  auto w = openWindow(p.dir);
  loadThroughPanel(*w, teacher);
  ASSERT_TRUE(w->teacherPanel()->contractStatus()->passed());
  QSignalSpy changed(w->session(), &ProjectSession::imagesChanged);
  QSignalSpy finished(w->teacherController(), &TeacherController::poolPassFinished);
  QTest::mouseClick(button(w->teacherPanel(), "runOverPool"), Qt::LeftButton);
  ASSERT_TRUE(w->teacherController()->waitForIdle());
  ASSERT_EQ(finished.count(), 1);
  const qint64 labels = finished[0][0].toLongLong();
  EXPECT_GT(labels, 0);
  // Batches of 4 images: the 4 pool images (2..5) in one batch, told to the views.
  ASSERT_GE(changed.count(), 1);

  Project db = readOnly(p.dir);
  int64_t teacherLabels = 0;
  for (size_t i = 0; i < p.imageIds.size(); ++i) {
    const int64_t id = p.imageIds[i];
    std::set<int64_t> teacherIds;
    const auto records = db.annotations().forImage(id);
    ASSERT_TRUE(records.ok());
    for (const AnnotationRecord& r : *records) {
      if (r.source != Source::Teacher) continue;
      teacherIds.insert(r.id);
      if (i < 2 || r.id == reviewed) continue;
      EXPECT_EQ(r.review, ReviewStatus::Pending);
      EXPECT_GT(r.score, 0.1);
      EXPECT_LE(r.score, 1.0);
      EXPECT_TRUE(r.categoryId == 1 || r.categoryId == 2);
      ++teacherLabels;
    }
    // One label per object: no two new labels on an image cover the same pixels.
    std::vector<const Rle*> fresh;
    for (const AnnotationRecord& r : *records)
      if (r.source == Source::Teacher && r.review == ReviewStatus::Pending && i >= 2)
        fresh.push_back(&r.mask);
    for (size_t a = 0; a < fresh.size(); ++a)
      for (size_t b = a + 1; b < fresh.size(); ++b)
        EXPECT_LE(rle::iou(*fresh[a], *fresh[b], false), 0.7) << "image " << i;
    // Labelled (0) and val (1) images are not in the pool: their labels are as they were.
    if (i < 2) {
      EXPECT_EQ(teacherIds, (std::set<int64_t>{p.teacherIds[i]})) << i;
    }
    const ImageEntry entry = *db.images().get(id);
    if (i >= 4) {
      EXPECT_TRUE(entry.uncertainty.has_value()) << i;  // the review order's key
    }
  }
  EXPECT_EQ(teacherLabels, labels);
  // Human and reviewed labels untouched; the old pending one replaced.
  const auto after = db.annotations().get(human);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->mask, before->mask);
  EXPECT_EQ(after->review, ReviewStatus::Accepted);
  EXPECT_EQ(after->updatedAtMs, before->updatedAtMs);
  const auto reviewedAfter = db.annotations().get(reviewed);
  ASSERT_TRUE(reviewedAfter.ok());
  EXPECT_EQ(reviewedAfter->review, ReviewStatus::Accepted);
  EXPECT_EQ(reviewedAfter->mask, reviewedBefore->mask);
  EXPECT_FALSE(db.annotations().get(oldPending).ok());

  // The review queue and the gallery show them without a reload.
  ASSERT_TRUE(QTest::qWaitFor([&] { return !w->reviewController()->loading(); }, 10000));
  EXPECT_EQ(w->reviewPanel()->pendingCount(), teacherLabels + 2);  // + images 0 and 1
  const StatusCounts counts = *db.images().counts();
  EXPECT_EQ(w->gallery()->counts()[GalleryStatus::Pending], counts[ImageStatus::Pending]);
  EXPECT_TRUE(w->teacherPanel()->pseudoLabelText().startsWith(QString::number(labels) + " "))
      << w->teacherPanel()->pseudoLabelText().toStdString();
}

TEST(TeacherControllerTest, CancelStopsThePoolPassAndKeepsWhatWasWritten) {
  const SyntheticProject p = makeProject("wb-teacher-cancel", 9);
  const auto teacher = tinyModel(p.dir.parent_path() / "teacher.pt", {"cat", "dog"});
  auto w = openWindow(p.dir);
  loadThroughPanel(*w, teacher);
  QSignalSpy messages(w->teacherController(), &TeacherController::message);
  QSignalSpy finished(w->teacherController(), &TeacherController::poolPassFinished);
  // Cancel lands while the worker still loads the model: it stops before the first batch.
  w->teacherController()->runOverPool();
  EXPECT_TRUE(w->teacherPanel()->busy());
  QTest::mouseClick(button(w->teacherPanel(), "cancelTeacherJob"), Qt::LeftButton);
  ASSERT_TRUE(w->teacherController()->waitForIdle());
  ASSERT_EQ(finished.count(), 1);
  EXPECT_EQ(finished[0][0].toLongLong(), 0);
  EXPECT_EQ(readOnly(p.dir).annotations().counts()->teacher, 0);
  bool said = false;
  for (const auto& m : messages) said |= m[0].toString().startsWith("Teacher pass cancelled");
  EXPECT_TRUE(said);
  EXPECT_FALSE(w->teacherPanel()->busy());

  // Run again to the end: every pool image gets its labels.
  QTest::mouseClick(button(w->teacherPanel(), "runOverPool"), Qt::LeftButton);
  ASSERT_TRUE(w->teacherController()->waitForIdle());
  ASSERT_EQ(finished.count(), 2);
  EXPECT_GT(finished[1][0].toLongLong(), 0);
  EXPECT_EQ(readOnly(p.dir).annotations().counts()->teacher, finished[1][0].toLongLong());
}

TEST(TeacherControllerTest, PretrainReportsProgressLoadsTheTeacherAndIsCached) {
  const SyntheticProject p = makeProject("wb-teacher-pretrain", 2);
  auto w = openWindow(p.dir);
  PretrainOptions tiny;
  tiny.arch = "tiny";
  tiny.imagesPerDomain = 8;
  tiny.size = 64;
  tiny.steps = 10;
  tiny.batch = 2;
  tiny.cacheDir = p.dir.parent_path() / "cache";
  w->teacherController()->setPretrainOptions(tiny);
  QSignalSpy messages(w->teacherController(), &TeacherController::message);
  QTest::mouseClick(button(w->teacherPanel(), "pretrainTeacher"), Qt::LeftButton);
  EXPECT_TRUE(w->teacherPanel()->busy());
  ASSERT_TRUE(w->teacherController()->waitForIdle());
  EXPECT_EQ(w->teacherPanel()->pretrainProgress()->percent(), 100);
  const auto model = p.dir / "models" / "reference-teacher.pt";
  EXPECT_TRUE(std::filesystem::exists(model));
  EXPECT_TRUE(std::filesystem::exists(p.dir / "models" / "reference-teacher.ckpt"));
  EXPECT_EQ(w->session()->teacherModel(), QString::fromStdString(model.string()));
  EXPECT_TRUE(w->teacherPanel()->contractStatus()->passed());
  EXPECT_TRUE(w->teacherPanel()->contractStatus()->headline().contains("reference teacher"));

  // The second click reuses the cached teacher.
  messages.clear();
  QTest::mouseClick(button(w->teacherPanel(), "pretrainTeacher"), Qt::LeftButton);
  ASSERT_TRUE(w->teacherController()->waitForIdle());
  bool reused = false;
  for (const auto& m : messages) reused |= m[0].toString().contains("pretrained earlier");
  EXPECT_TRUE(reused);
}

}  // namespace
}  // namespace distillery::test
