#include "engine/export/torchscript_export.h"

#include <gtest/gtest.h>
#include <torch/script.h>

#include <fstream>

#include "engine/export/segmenter_trace.h"
#include "engine/modeling/model_sidecar.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

c10::Dict<c10::IValue, c10::IValue> runScripted(torch::jit::Module& m,
                                                const torch::Tensor& images) {
  torch::NoGradGuard noGrad;
  return m.forward({images}).toGenericDict();
}

void writeRaw(const std::filesystem::path& file, const torch::Tensor& t) {
  torch::Tensor c = t.contiguous().to(torch::kFloat32);
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(c.data_ptr<float>()),
            static_cast<std::streamsize>(c.numel() * 4));
}

nlohmann::json rawEntry(const std::filesystem::path& dir, const std::string& name,
                        const torch::Tensor& t) {
  writeRaw(dir / (name + ".f32"), t);
  return {{"file", name + ".f32"}, {"shape", t.sizes().vec()}};
}

TEST(TorchScriptExportTest, TracedModelFollowsInputSizeAndBatchExactly) {
  torch::manual_seed(3);
  InstanceSegmenter model(presetConfig("tiny", 3).value());
  model->eval();
  const auto dir = test::freshTempDir("export");
  ASSERT_TRUE(
      exportSegmenter(model, segmenterSidecar(model->config(), {}, {}, 0), dir / "tiny.pt", 64)
          .ok());
  ASSERT_TRUE(std::filesystem::exists(dir / "tiny.json"));

  torch::jit::Module loaded = torch::jit::load((dir / "tiny.pt").string());
  // Traced at 1x3x64x64; run at another batch and a non-square size.
  torch::Tensor images = torch::rand({3, 3, 96, 64});
  auto out = runScripted(loaded, images);
  torch::NoGradGuard noGrad;
  SegmenterOutput ref = model->forward(images);
  ASSERT_TRUE(out.contains("pred_logits") && out.contains("pred_masks") &&
              out.contains("pixel_embed"));
  EXPECT_EQ(out.size(), 3u);
  EXPECT_TRUE(torch::allclose(out.at("pred_logits").toTensor(), ref.predLogits, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(out.at("pred_masks").toTensor(), ref.predMasks, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(out.at("pixel_embed").toTensor(), ref.pixelEmbed, 1e-5, 1e-5));
  // The parameters keep their module paths, e.g. for freezing by prefix.
  bool found = false;
  for (const auto& p : loaded.named_parameters())
    if (p.name == "transformer_decoder.class_head.weight") found = true;
  EXPECT_TRUE(found);
}

TEST(TorchScriptExportTest, ExportModelWritesSidecarWithClassesAndConfig) {
  const auto dir = test::freshTempDir("export");
  ExportRequest r;
  r.arch = "tiny";
  r.classNames = {"cat", "dog"};
  r.categoryIds = {17, 18};
  r.out = dir / "pets.pt";
  auto summary = exportModel(r);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->numClasses, 2);
  auto sidecar = readSidecar(dir / "pets.json");
  ASSERT_TRUE(sidecar.ok()) << sidecar.status().message();
  EXPECT_EQ(sidecar->classNames, (std::vector<std::string>{"cat", "dog"}));
  EXPECT_EQ(sidecar->categoryId(1), 18);
  EXPECT_EQ(sidecar->arch, "tiny");
  EXPECT_TRUE(sidecar->normalizationInside);
  auto config = segmenterConfigFromJson(sidecar->modelConfig, "sidecar");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->numClasses, 2);
}

TEST(TorchScriptExportTest, ExportRejectsUnknownArchAndMismatchedClassNames) {
  const auto dir = test::freshTempDir("export");
  ExportRequest r;
  r.arch = "giant";
  r.out = dir / "x.pt";
  auto bad = exportModel(r);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown architecture 'giant'"), std::string::npos);
  r.arch = "tiny";
  r.numClasses = 3;
  r.classNames = {"a"};
  bad = exportModel(r);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("1 class names for a model with 3 classes"),
            std::string::npos);
}

TEST(TorchScriptExportTest, StudentLoadsInPythonTorchAndAgreesWithCpp) {
  const std::string python = DISTILLERY_REFERENCE_PYTHON;
  if (python.empty() || test::runCommand(python + " -c 'import torch'").exitCode != 0)
    GTEST_SKIP() << "no python3 with torch for the outside check";
  torch::manual_seed(5);
  InstanceSegmenter model(presetConfig("student-s", 4).value());
  model->eval();
  const auto dir = test::freshTempDir("export-py");
  ASSERT_TRUE(
      exportSegmenter(model, segmenterSidecar(model->config(), {}, {}, 128), dir / "student.pt")
          .ok());

  torch::Tensor images = torch::rand({2, 3, 64, 96});
  torch::NoGradGuard noGrad;
  SegmenterOutput ref = model->forward(images);
  nlohmann::json c;
  c["input"] = rawEntry(dir, "input", images);
  c["outputs"]["pred_logits"] = rawEntry(dir, "pred_logits", ref.predLogits);
  c["outputs"]["pred_masks"] = rawEntry(dir, "pred_masks", ref.predMasks);
  c["outputs"]["pixel_embed"] = rawEntry(dir, "pixel_embed", ref.pixelEmbed);
  c["tolerance"] = 1e-5;
  c["parameter_prefixes"] = {"backbone.stem.", "pixel_decoder.", "transformer_decoder.layers.2."};
  std::ofstream(dir / "case.json") << c.dump();
  const std::string script =
      std::string(DISTILLERY_TEST_SOURCE_DIR) + "/engine/export/check_torchscript.py";
  auto run = test::runCommand(python + " " + script + " " + (dir / "student.pt").string() + " " +
                              dir.string());
  EXPECT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.output.find("ok:"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace distillery
