// Click-to-segment's fallback without a promptable model: the loaded teacher's instances
// under the click (app/gui/teacher_proposals.h), with a real tiny TorchScript teacher.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "app/gui/sam_controller.h"
#include "app/gui/teacher_controller.h"
#include "app/gui/teacher_proposals.h"
#include "tests/app/models_fixture.h"
#include "widgets/canvas/image_canvas.h"
#include "widgets/tools/click_segment_tool.h"

namespace distillery::test {
namespace {

SegmentPrompt pointPrompt(QPointF p, bool positive = true) {
  SegmentPrompt prompt;
  prompt.points.push_back(PromptPoint{p, positive});
  return prompt;
}

TEST(TeacherProposalsTest, AProposalContainsTheIncludePointAndNeverAnExcludedOne) {
  const auto dir = freshTempDir("teacher-proposals");
  const auto model = tinyModel(dir / "t.pt", {"cat", "dog"});
  cv::Mat image(kImageHeight, kImageWidth, CV_8UC3);
  cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
  TeacherProposals teacher(model.string());
  int found = 0;
  for (int y = 6; y < kImageHeight; y += 12) {
    for (int x = 6; x < kImageWidth; x += 12) {
      const QPointF p(x + 0.5, y + 0.5);
      auto proposal = teacher.propose(7, image, pointPrompt(p));
      if (!proposal.ok()) {
        EXPECT_NE(proposal.status().message().find("no instance here"), std::string::npos)
            << proposal.status().message();
        continue;
      }
      ++found;
      ASSERT_EQ(proposal->mask.size(), image.size());
      EXPECT_NE(proposal->mask.at<uchar>(y, x), 0);
      EXPECT_GT(proposal->predictedIou, 0.0);
      EXPECT_LE(proposal->predictedIou, 1.0);
      // Including and excluding the same pixel: no instance can satisfy both.
      SegmentPrompt both = pointPrompt(p);
      both.points.push_back(PromptPoint{p, false});
      EXPECT_FALSE(teacher.propose(7, image, both).ok());
    }
  }
  std::cout << "[ teacher  ] " << found << " of 48 grid points had a teacher instance\n";
}

TEST(TeacherProposalsTest, AFileThatIsNotATeacherIsTheError) {
  const auto dir = freshTempDir("teacher-proposals-bad");
  const auto bad = dir / "not-a-model.pt";
  std::ofstream(bad) << "text";
  TeacherProposals teacher(bad.string());
  cv::Mat image(kImageHeight, kImageWidth, CV_8UC3, cv::Scalar::all(90));
  auto proposal = teacher.propose(1, image, pointPrompt(QPointF(10, 10)));
  ASSERT_FALSE(proposal.ok());
  EXPECT_NE(proposal.status().message().find("not-a-model.pt"), std::string::npos)
      << proposal.status().message();
}

// With no model fetched, a loaded teacher answers the clicks instead of the fetch message.
TEST(TeacherProposalsTest, WithoutMiniSamTheLoadedTeacherAnswersClicks) {
  const SyntheticProject p = makeProject("teacher-proposals-window", 1);
  const auto model = tinyModel(p.dir.parent_path() / "t.pt", {"cat", "dog"});
  const auto emptyCache = freshTempDir("teacher-proposals-models");
  const QByteArray before = qgetenv("DISTILLERY_MODEL_CACHE");
  qputenv("DISTILLERY_MODEL_CACHE", QByteArray::fromStdString(emptyCache.string()));
  auto w = openWindow(p.dir);
  w->teacherController()->load(QString::fromStdString(model.string()));
  ASSERT_TRUE(w->teacherController()->waitForIdle(120000));
  ASSERT_FALSE(w->teacherController()->teacherPath().isEmpty());
  ASSERT_TRUE(QTest::qWaitFor([&] { return w->samController()->modelsChecked(); }, 30000));
  ImageCanvas* canvas = w->canvas();
  w->action("actionToolSegment")->trigger();  // the teacher panel may hold the focus
  ASSERT_EQ(canvas->toolId(), ImageCanvas::ToolId::ClickSegment);
  ClickSegmentTool* tool = canvas->clickSegmentTool();
  QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, canvas->rect().center());
  ASSERT_TRUE(QTest::qWaitFor([&] { return !tool->isWaiting(); }, 60000));
  EXPECT_TRUE(!tool->proposal().empty() || tool->lastError().contains("no instance here"))
      << tool->lastError().toStdString();
  EXPECT_FALSE(tool->lastError().contains("No promptable model"));
  w.reset();
  if (before.isEmpty())
    qunsetenv("DISTILLERY_MODEL_CACHE");
  else
    qputenv("DISTILLERY_MODEL_CACHE", before);
}

}  // namespace
}  // namespace distillery::test
