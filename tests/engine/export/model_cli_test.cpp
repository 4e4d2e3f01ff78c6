// The model commands of distillery-cli, run as a user would: info, export, teacher
// check and predict.
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/data/formats/coco_json.h"
#include "engine/data/formats/coco_results.h"
#include "engine/export/segmenter_trace.h"
#include "engine/modeling/teacher_adapter.h"
#include "engine/training/checkpoint.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

std::string cli() {
  return test::cliPath();
}

nlohmann::json infoJson(const std::string& arch) {
  auto r = test::runCommand(cli() + " model info --arch " + arch + " --json");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  return nlohmann::json::parse(r.output.substr(r.output.find('{')));
}

TEST(ModelCliTest, InfoReportsParamsFlopsAndParts) {
  const auto student = infoJson("student-s");
  const auto teacher = infoJson("teacher-l");
  const long long s = student["params"], t = teacher["params"];
  EXPECT_GE(s, 500'000);
  EXPECT_LE(s, 1'000'000);
  EXPECT_GE(t, 11 * s);
  EXPECT_GT(student["flops"].get<double>(), 1e7);
  EXPECT_GT(teacher["flops"].get<double>(), 8 * student["flops"].get<double>());
  long long sum = 0;
  for (const auto& p : student["parts"]) sum += p["params"].get<long long>();
  EXPECT_EQ(sum, s);
  auto bad = test::runCommand(cli() + " model info --arch huge");
  EXPECT_NE(bad.exitCode, 0);
  EXPECT_NE(bad.output.find("unknown architecture 'huge'"), std::string::npos) << bad.output;
}

TEST(ModelCliTest, ExportedCheckpointKeepsWeightsAndClassNames) {
  const auto dir = test::freshTempDir("model-cli");
  torch::manual_seed(8);
  InstanceSegmenter model(presetConfig("tiny", 2).value());
  {
    torch::NoGradGuard noGrad;
    for (auto& p : model->parameters()) p.add_(torch::randn_like(p) * 0.01);
  }
  TrainingState st;
  st.meta = {{"model_config", toJson(model->config())},
             {"class_names", nlohmann::json::array({"balloon", "kite"})},
             {"category_ids", nlohmann::json::array({3, 5})},
             {"input_size", 96}};
  ASSERT_TRUE(saveCheckpoint(dir / "student.ckpt", *model, nullptr, st).ok());

  auto r =
      test::runCommand(cli() + " model export --checkpoint " + (dir / "student.ckpt").string() +
                       " --out " + (dir / "student.pt").string());
  ASSERT_EQ(r.exitCode, 0) << r.output;
  auto sidecar = readSidecar(dir / "student.json");
  ASSERT_TRUE(sidecar.ok()) << sidecar.status().message();
  EXPECT_EQ(sidecar->classNames, (std::vector<std::string>{"balloon", "kite"}));
  EXPECT_EQ(sidecar->categoryIds, (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(sidecar->inputSize, 96);

  auto teacher = TeacherAdapter::load(dir / "student.pt");
  ASSERT_TRUE(teacher.ok()) << teacher.status().message();
  torch::Tensor x = torch::rand({2, 3, 64, 64});
  model->eval();
  torch::NoGradGuard noGrad;
  EXPECT_TRUE(
      torch::allclose(teacher->predict(x).predMasks, model->forward(x).predMasks, 1e-5, 1e-5));

  auto check = test::runCommand(cli() + " teacher check " + (dir / "student.pt").string());
  EXPECT_EQ(check.exitCode, 0) << check.output;
  EXPECT_NE(check.output.find("balloon, kite"), std::string::npos) << check.output;

  auto wrongArch =
      test::runCommand(cli() + " model export --arch student-s --checkpoint " +
                       (dir / "student.ckpt").string() + " --out " + (dir / "x.pt").string());
  EXPECT_NE(wrongArch.exitCode, 0);
  EXPECT_NE(wrongArch.output.find("holds a 'tiny' model, not 'student-s'"), std::string::npos)
      << wrongArch.output;
}

TEST(ModelCliTest, PredictWritesCocoResultsWithSequentialIds) {
  const auto dir = test::freshTempDir("model-cli");
  ASSERT_EQ(test::runCommand(cli() + " model export --arch tiny --classes 2 --out " +
                             (dir / "m.pt").string())
                .exitCode,
            0);
  std::filesystem::create_directories(dir / "images" / "sub");
  cv::Mat a(70, 90, CV_8UC3, cv::Scalar(20, 40, 60)), b(50, 40, CV_8UC3, cv::Scalar(200, 10, 10));
  cv::circle(a, {30, 30}, 15, cv::Scalar(255, 255, 255), cv::FILLED);
  cv::imwrite((dir / "images" / "b.png").string(), a);
  cv::imwrite((dir / "images" / "sub" / "a.png").string(), b);
  std::ofstream(dir / "images" / "notes.txt") << "not an image";
  auto r = test::runCommand(cli() + " predict --model " + (dir / "m.pt").string() + " --images " +
                            (dir / "images").string() + " --out " +
                            (dir / "results.json").string() + " --top-k 5");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  std::ifstream in(dir / "results.json");
  auto results = nlohmann::json::parse(in);
  ASSERT_TRUE(results.is_array());
  EXPECT_LE(results.size(), 10u);
  std::set<int64_t> ids;
  for (const auto& d : results) {
    ids.insert(d["image_id"].get<int64_t>());
    EXPECT_TRUE(d["category_id"] == 1 || d["category_id"] == 2);
    const auto size = d["segmentation"]["size"];
    // b.png (id 1, sorted first) is 70x90, sub/a.png (id 2) 50x40.
    if (d["image_id"] == 1) EXPECT_EQ(size, nlohmann::json::array({70, 90}));
    if (d["image_id"] == 2) EXPECT_EQ(size, nlohmann::json::array({50, 40}));
  }
  for (int64_t id : ids) EXPECT_TRUE(id == 1 || id == 2);

  auto missing =
      test::runCommand(cli() + " predict --model " + (dir / "none.pt").string() + " --images " +
                       (dir / "images").string() + " --out " + (dir / "r2.json").string());
  EXPECT_NE(missing.exitCode, 0);
  EXPECT_NE(missing.output.find("none.pt: teacher file not found"), std::string::npos)
      << missing.output;
}

TEST(ModelCliTest, PredictTakesImageIdsFromGroundTruthAndItsResultsLoadAgainstIt) {
  DST_REQUIRE_SHARED_DATA();
  const auto coco = test::sharedData() / "coco128";
  const auto dir = test::freshTempDir("model-cli");
  ASSERT_EQ(
      test::runCommand(cli() + " model export --arch tiny --classes-from " +
                       (coco / "instances.json").string() + " --out " + (dir / "m.pt").string())
          .exitCode,
      0);
  // Six images in their own folder (links, not copies).
  auto gt = readCocoJson(coco / "instances.json");
  ASSERT_TRUE(gt.ok());
  std::filesystem::create_directories(dir / "images");
  for (size_t i = 0; i < 6; ++i)
    std::filesystem::create_symlink(coco / "images" / gt->images[i].file,
                                    dir / "images" / gt->images[i].file);
  auto r =
      test::runCommand(cli() + " predict --model " + (dir / "m.pt").string() + " --images " +
                       (dir / "images").string() + " --gt " + (coco / "instances.json").string() +
                       " --out " + (dir / "results.json").string() + " --max-side 128 --top-k 3");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  ConversionReport report;
  auto results = readCocoResults(dir / "results.json", *gt, &report);
  ASSERT_TRUE(results.ok()) << results.status().message();
  EXPECT_TRUE(report.skipped.empty()) << report.summary();
  // At most 3 per image (--top-k 3); a random model may predict empty masks, which are dropped.
  EXPECT_LE(results->size(), 18u);
  EXPECT_GT(results->size(), 0u);
  std::set<int64_t> expectedIds;
  for (size_t i = 0; i < 6; ++i) expectedIds.insert(gt->images[i].id);
  for (const auto& inst : *results) EXPECT_TRUE(expectedIds.count(inst.imageId)) << inst.imageId;
}

}  // namespace
}  // namespace distillery
