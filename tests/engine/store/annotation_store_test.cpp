// Annotations: add/edit/delete, review status with its log, and the rule that
// model output never overwrites human (or reviewed) annotations.
#include "engine/store/annotation_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "tests/engine/store/store_test_util.h"

namespace distillery {
namespace {

using test::boxMask;
using test::take;

NewAnnotation human(int64_t image, int64_t category, int x) {
  NewAnnotation a;
  a.imageId = image;
  a.categoryId = category;
  a.mask = boxMask(64, 48, x, 5, 10, 10);
  return a;
}

NewAnnotation prediction(int x, double score) {
  NewAnnotation a;
  a.categoryId = 1;
  a.mask = boxMask(64, 48, x, 20, 8, 8);
  a.score = score;
  return a;
}

TEST(AnnotationStoreTest, AddReadEditDelete) {
  Project project = test::makeProject("ann-crud", 2);
  AnnotationStore& anns = project.annotations();
  const int64_t id = take(anns.add(human(1, 1, 3)));
  AnnotationRecord a = take(anns.get(id));
  EXPECT_EQ(a.imageId, 1);
  EXPECT_EQ(a.categoryId, 1);
  EXPECT_EQ(a.mask, boxMask(64, 48, 3, 5, 10, 10));
  EXPECT_EQ(a.area, 100);
  EXPECT_EQ(a.source, Source::Human);
  EXPECT_EQ(a.review, ReviewStatus::Accepted);
  EXPECT_GT(a.createdAtMs, 0);

  AnnotationEdit edit;
  edit.categoryId = 2;
  edit.mask = boxMask(64, 48, 0, 0, 4, 4);
  ASSERT_TRUE(anns.edit(id, edit).ok());
  a = take(anns.get(id));
  EXPECT_EQ(a.categoryId, 2);
  EXPECT_EQ(a.area, 16);
  EXPECT_EQ(a.review, ReviewStatus::Accepted);  // a human annotation stays accepted
  EXPECT_GE(a.updatedAtMs, a.createdAtMs);

  EXPECT_EQ(take(anns.forImage(1)).size(), 1u);
  EXPECT_TRUE(take(anns.forImage(2)).empty());
  ASSERT_TRUE(anns.remove(id).ok());
  EXPECT_FALSE(anns.get(id).ok());
  EXPECT_FALSE(anns.remove(id).ok());
  EXPECT_EQ(take(anns.counts()).total(), 0);
}

TEST(AnnotationStoreTest, BadAnnotationsAreRefusedWithReasonsAndChangeNothing) {
  Project project = test::makeProject("ann-bad", 1);
  AnnotationStore& anns = project.annotations();
  NewAnnotation wrongSize = human(1, 1, 0);
  wrongSize.mask = boxMask(32, 32, 0, 0, 4, 4);
  auto r = anns.add(wrongSize);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("expected the image's size 64x48"), std::string::npos)
      << r.status().message();
  r = anns.add(human(7, 1, 0));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("image 7 does not exist"), std::string::npos);
  r = anns.add(human(1, 9, 0));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("category 9 does not exist"), std::string::npos);
  // A batch with one bad annotation adds none.
  auto many = anns.addMany({human(1, 1, 0), human(1, 9, 1)});
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(take(anns.counts()).total(), 0);
  EXPECT_FALSE(anns.edit(42, AnnotationEdit{}).ok());
}

TEST(AnnotationStoreTest, ExternalKeyMakesAddsIdempotent) {
  Project project = test::makeProject("ann-key", 1);
  NewAnnotation a = human(1, 1, 0);
  a.externalKey = "coco:17";
  EXPECT_GT(take(project.annotations().addMany({a})).front(), 0);
  EXPECT_EQ(take(project.annotations().addMany({a})).front(), 0);
  EXPECT_EQ(take(project.annotations().counts()).human, 1);
}

TEST(AnnotationStoreTest, PredictionsNeverReplaceHumanOrReviewedAnnotations) {
  Project project = test::makeProject("ann-protect", 1);
  AnnotationStore& anns = project.annotations();
  const int64_t humanId = take(anns.add(human(1, 1, 0)));
  ASSERT_EQ(take(anns.replacePredictions({{1, {prediction(30, 0.9), prediction(40, 0.8)}, 0.5}},
                                         Source::Teacher)),
            2);
  auto teacher = take(anns.forImage(1));
  ASSERT_EQ(teacher.size(), 3u);
  const int64_t keptId = teacher[1].id;
  ASSERT_TRUE(anns.setReviewStatus({keptId}, ReviewStatus::Accepted).ok());

  // A second teacher pass replaces only the still-pending prediction.
  ASSERT_EQ(take(anns.replacePredictions({{1, {prediction(50, 0.7)}, 0.2}}, Source::Teacher)), 1);
  const auto after = take(anns.forImage(1));
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0].id, humanId);
  EXPECT_EQ(after[0].mask, boxMask(64, 48, 0, 5, 10, 10));
  EXPECT_EQ(after[1].id, keptId);
  EXPECT_EQ(after[1].review, ReviewStatus::Accepted);
  EXPECT_EQ(after[2].score, 0.7);
  EXPECT_EQ(take(project.images().get(1)).uncertainty, 0.2);

  // Model writes to a human or reviewed annotation are refused by the API...
  Status s = anns.updatePrediction(humanId, Source::Student, boxMask(64, 48, 1, 1, 2, 2), 0.5);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("human annotation"), std::string::npos) << s.message();
  EXPECT_FALSE(
      anns.updatePrediction(keptId, Source::Teacher, boxMask(64, 48, 1, 1, 2, 2), 0.5).ok());
  EXPECT_TRUE(
      anns.updatePrediction(after[2].id, Source::Teacher, boxMask(64, 48, 1, 1, 2, 2), 0.6).ok());
  EXPECT_FALSE(anns.replacePredictions({{1, {}, std::nullopt}}, Source::Human).ok());
  EXPECT_EQ(take(anns.get(humanId)).mask, boxMask(64, 48, 0, 5, 10, 10));
}

TEST(AnnotationStoreTest, SqlTriggerRefusesModelUpdatesOfHumanAnnotations) {
  Project project = test::makeProject("ann-trigger", 1);
  const int64_t humanId = take(project.annotations().add(human(1, 1, 0)));
  SQLite::Database db(project.databaseFile().string(), SQLite::OPEN_READWRITE, 5000);
  const std::string id = std::to_string(humanId);
  EXPECT_THROW(db.exec("UPDATE annotations SET rle = 'x', updated_by = 'teacher' WHERE id = " + id),
               SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE annotations SET source = 'student' WHERE id = " + id),
               SQLite::Exception);
  db.exec("UPDATE annotations SET score = 1, updated_by = 'human' WHERE id = " +
          id);  // a human write passes
  EXPECT_EQ(take(project.annotations().get(humanId)).source, Source::Human);
}

TEST(AnnotationStoreTest, ReviewStatusChangesAreLogged) {
  Project project = test::makeProject("ann-review", 1);
  AnnotationStore& anns = project.annotations();
  take(anns.replacePredictions({{1, {prediction(10, 0.9), prediction(30, 0.4)}, std::nullopt}},
                               Source::Teacher));
  const auto preds = take(anns.forImage(1));
  ASSERT_EQ(preds.size(), 2u);
  EXPECT_EQ(preds[0].review, ReviewStatus::Pending);
  ASSERT_TRUE(anns.setReviewStatus({preds[0].id}, ReviewStatus::Accepted).ok());
  ASSERT_TRUE(anns.setReviewStatus({preds[0].id}, ReviewStatus::Rejected).ok());
  ASSERT_TRUE(
      anns.setReviewStatus({preds[0].id}, ReviewStatus::Rejected).ok());  // no change: not logged
  AnnotationEdit edit;
  edit.mask = boxMask(64, 48, 31, 20, 6, 6);
  ASSERT_TRUE(anns.edit(preds[1].id, edit).ok());  // editing model output marks it Edited

  const auto log0 = take(anns.reviewLog(preds[0].id));
  ASSERT_EQ(log0.size(), 2u);
  EXPECT_EQ(log0[0].oldStatus, ReviewStatus::Pending);
  EXPECT_EQ(log0[0].newStatus, ReviewStatus::Accepted);
  EXPECT_EQ(log0[1].oldStatus, ReviewStatus::Accepted);
  EXPECT_EQ(log0[1].newStatus, ReviewStatus::Rejected);
  EXPECT_GT(log0[1].atMs, 0);
  const auto log1 = take(anns.reviewLog(preds[1].id));
  ASSERT_EQ(log1.size(), 1u);
  EXPECT_EQ(log1[0].newStatus, ReviewStatus::Edited);
  EXPECT_EQ(take(anns.get(preds[1].id)).review, ReviewStatus::Edited);
  EXPECT_FALSE(anns.setReviewStatus({999}, ReviewStatus::Accepted).ok());
}

TEST(AnnotationStoreTest, ImageStatusFollowsItsAnnotations) {
  Project project = test::makeProject("ann-status", 1);
  ImageStore& images = project.images();
  EXPECT_EQ(take(images.get(1)).status, ImageStatus::Unlabelled);
  take(project.annotations().replacePredictions({{1, {prediction(10, 0.9)}, std::nullopt}},
                                                Source::Teacher));
  EXPECT_EQ(take(images.get(1)).status, ImageStatus::Pending);
  const int64_t id = take(project.annotations().forImage(1)).front().id;
  ASSERT_TRUE(project.annotations().setReviewStatus({id}, ReviewStatus::Rejected).ok());
  EXPECT_EQ(take(images.get(1)).status, ImageStatus::Rejected);
  ASSERT_TRUE(project.annotations().setReviewStatus({id}, ReviewStatus::Accepted).ok());
  EXPECT_EQ(take(images.get(1)).status, ImageStatus::Accepted);
  EXPECT_EQ(take(images.get(1)).split, Split::Unlabelled);
  const int64_t h = take(project.annotations().add(human(1, 2, 0)));
  ImageEntry e = take(images.get(1));
  EXPECT_EQ(e.status, ImageStatus::Human);
  EXPECT_EQ(e.split, Split::Labelled);  // a human label makes it a seed image
  EXPECT_EQ(e.humanCount, 1);
  EXPECT_EQ(e.acceptedCount, 1);
  ASSERT_TRUE(project.annotations().remove(h).ok());
  EXPECT_EQ(take(images.get(1)).status, ImageStatus::Accepted);
  EXPECT_TRUE(project.checkIntegrity().ok());
}

}  // namespace
}  // namespace distillery
