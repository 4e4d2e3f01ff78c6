#include "engine/modeling/teacher_adapter.h"

#include <gtest/gtest.h>

#include <fstream>

#include "engine/export/segmenter_trace.h"
#include "engine/losses/set_criterion.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

std::filesystem::path exportTiny(const std::filesystem::path& dir, int classes,
                                 InstanceSegmenter* keep = nullptr) {
  torch::manual_seed(11);
  InstanceSegmenter model(presetConfig("tiny", classes).value());
  std::vector<std::string> names;
  for (int k = 0; k < classes; ++k) names.push_back("thing" + std::to_string(k));
  const auto file = dir / "tiny.pt";
  EXPECT_TRUE(
      exportSegmenter(model, segmenterSidecar(model->config(), names, {}, 64), file, 64).ok());
  if (keep != nullptr) *keep = model;
  return file;
}

// A scripted module from TorchScript source, saved to dir/name.pt.
std::filesystem::path scripted(const std::filesystem::path& dir, const std::string& name,
                               const std::string& body) {
  torch::jit::Module m("__torch__." + name);
  m.define("def forward(self, x):\n" + body);
  const auto file = dir / (name + ".pt");
  m.save(file.string());
  return file;
}

TEST(TeacherAdapterTest, DistilleryExportMeetsTheContract) {
  const auto dir = test::freshTempDir("teacher");
  const auto file = exportTiny(dir, 3);
  auto t = TeacherAdapter::load(file, {{"a", "b", "c"}});
  ASSERT_TRUE(t.ok()) << t.status().message();
  const TeacherSummary& s = t->summary();
  EXPECT_EQ(s.numClasses, 3);
  EXPECT_EQ(s.numQueries, presetConfig("tiny").value().numQueries);
  EXPECT_EQ(s.maskHeight, s.probeSize / 4);
  EXPECT_TRUE(s.hasPixelEmbed);
  EXPECT_EQ(s.classNames[2], "thing2");
  EXPECT_EQ(s.sidecarFile, (dir / "tiny.json").string());
  EXPECT_GT(s.params, 50'000);
}

TEST(TeacherAdapterTest, AStudentExportTeachesLikeTheModuleItCameFrom) {
  const auto dir = test::freshTempDir("teacher");
  InstanceSegmenter model(nullptr);
  const auto file = exportTiny(dir, 2, &model);
  auto t = TeacherAdapter::load(file);
  ASSERT_TRUE(t.ok()) << t.status().message();
  torch::Tensor images = torch::rand({2, 3, 96, 64});
  ContractOutput out = t->predict(images);
  model->eval();
  torch::NoGradGuard noGrad;
  SegmenterOutput ref = model->forward(images);
  EXPECT_TRUE(torch::allclose(out.predLogits, ref.predLogits, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(out.predMasks, ref.predMasks, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(out.pixelEmbed, ref.pixelEmbed, 1e-5, 1e-5));
  // A single image (run as a pair internally) gives its row of the batch.
  ContractOutput single = t->predict(images.narrow(0, 1, 1));
  ASSERT_EQ(single.predMasks.size(0), 1);
  EXPECT_TRUE(torch::allclose(single.predMasks, ref.predMasks.narrow(0, 1, 1), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(single.predLogits, ref.predLogits.narrow(0, 1, 1), 1e-5, 1e-5));
}

TEST(TeacherAdapterTest, MissingPredLogitsIsNamed) {
  const auto dir = test::freshTempDir("teacher");
  // A traced module, as an export would make it, but returning other keys.
  torch::nn::Linear lin(3, 4);
  torch::jit::Module traced = traceModule(
      *lin, torch::rand({2, 3, 8, 8}),
      [&](const torch::Tensor& x) {
        c10::Dict<std::string, at::Tensor> d;
        torch::Tensor pooled = x.mean({2, 3});
        d.insert("logits", lin(pooled).unsqueeze(1));
        d.insert("pred_masks", x.narrow(1, 0, 1));
        return d;
      },
      "WrongKeys");
  const auto file = dir / "wrong_keys.pt";
  traced.save(file.string());
  auto t = TeacherAdapter::load(file);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find(
                "wrong_keys.pt: output 'pred_logits' missing; expected Dict[str,Tensor] with "
                "pred_logits [B,Q,K+1]"),
            std::string::npos)
      << t.status().message();

  auto cli = test::runCommand(test::cliPath() + " teacher check " + file.string());
  EXPECT_NE(cli.exitCode, 0);
  EXPECT_NE(cli.output.find("'pred_logits' missing"), std::string::npos) << cli.output;
}

TEST(TeacherAdapterTest, CliAcceptsAGoodTeacherAndSummarisesIt) {
  const auto dir = test::freshTempDir("teacher");
  const auto file = exportTiny(dir, 3);
  auto cli = test::runCommand(test::cliPath() + " teacher check " + file.string());
  EXPECT_EQ(cli.exitCode, 0) << cli.output;
  EXPECT_NE(cli.output.find("meets the teacher contract"), std::string::npos) << cli.output;
  EXPECT_NE(cli.output.find("classes        3"), std::string::npos) << cli.output;
}

TEST(TeacherAdapterTest, EachViolationGetsItsOwnMessage) {
  const auto dir = test::freshTempDir("teacher");
  struct Case {
    std::string name, body, expected;
  };
  const std::vector<Case> cases{
      {"not_a_dict", "    return x\n", "forward returned Tensor"},
      {"bad_ranks",
       "    b = x.size(0)\n    return {'pred_logits': torch.zeros(b, 5), 'pred_masks': "
       "torch.zeros(b, 5, 8, 8)}\n",
       "output 'pred_logits' has shape [2, 5] (rank 2), expected rank 3 [B,Q,K+1]"},
      {"int_masks",
       "    b = x.size(0)\n    return {'pred_logits': torch.zeros(b, 5, 3), 'pred_masks': "
       "torch.zeros(b, 5, 8, 8).long()}\n",
       "output 'pred_masks' has dtype Long, expected a floating-point tensor"},
      {"query_mismatch",
       "    b = x.size(0)\n    return {'pred_logits': torch.zeros(b, 5, 3), 'pred_masks': "
       "torch.zeros(b, 7, 8, 8)}\n",
       "'pred_logits' has 5 queries but 'pred_masks' has 7"},
      {"baked_batch",
       "    return {'pred_logits': torch.zeros(1, 5, 3), 'pred_masks': torch.zeros(1, 5, 8, 8)}\n",
       "output 'pred_logits' has batch 1 for an input batch of 2"},
      {"throws", "    return {'pred_logits': x.view(7, 7)}\n",
       "forward on a [2,3,64,64] float32 batch failed"},
  };
  for (const auto& c : cases) {
    auto t = TeacherAdapter::load(scripted(dir, c.name, c.body));
    ASSERT_FALSE(t.ok()) << c.name;
    EXPECT_NE(t.status().message().find(c.expected), std::string::npos)
        << c.name << ": " << t.status().message();
    EXPECT_NE(t.status().message().find(c.name + ".pt"), std::string::npos) << t.status().message();
  }
}

TEST(TeacherAdapterTest, ClassCountIsCheckedAgainstProjectAndSidecar) {
  const auto dir = test::freshTempDir("teacher");
  const auto file = exportTiny(dir, 3);
  auto t = TeacherAdapter::load(file, {{"cat", "dog"}});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("expected 2 classes + no-object for this project"),
            std::string::npos)
      << t.status().message();

  ModelSidecar wrong = readSidecar(dir / "tiny.json").value();
  wrong.classNames = {"only-one"};
  ASSERT_TRUE(writeSidecar(wrong, dir / "tiny.json").ok());
  t = TeacherAdapter::load(file);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("tiny.json: 1 class_names, but 'pred_logits' has 3 classes"),
            std::string::npos)
      << t.status().message();
}

TEST(TeacherAdapterTest, UnreadableFilesAreUserErrors) {
  const auto dir = test::freshTempDir("teacher");
  std::ofstream(dir / "garbage.pt") << "not a zip";
  auto t = TeacherAdapter::load(dir / "garbage.pt");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("garbage.pt: cannot load as TorchScript"), std::string::npos);
  EXPECT_FALSE(TeacherAdapter::load(dir / "absent.pt").ok());
}

TEST(TeacherAdapterTest, ParameterBlocksFollowNumericComponents) {
  EXPECT_EQ(parameterBlock("transformer_decoder.layers.5.cross_attn.q.weight"),
            "transformer_decoder.layers.5");
  EXPECT_EQ(parameterBlock("backbone.stages.2.0.expand.weight"), "backbone.stages.2.0");
  EXPECT_EQ(parameterBlock("transformer_decoder.class_head.weight"),
            "transformer_decoder.class_head");
  EXPECT_EQ(parameterBlock("transformer_decoder.query_feat"), "transformer_decoder");
  EXPECT_EQ(parameterBlock("weight"), "");
}

TEST(TeacherAdapterTest, AdaptationTrainsOnlyTheChosenBlocks) {
  const auto dir = test::freshTempDir("teacher");
  const auto file = exportTiny(dir, 2);
  auto t = TeacherAdapter::load(file);
  ASSERT_TRUE(t.ok()) << t.status().message();
  const auto blocks = t->parameterBlocks();
  ASSERT_GT(blocks.size(), 3u);
  const int n = t->setTrainable({TrainableSelection::Mode::LastBlocks, 2, {}});
  EXPECT_GT(n, 0);
  const std::set<std::string> chosen{blocks.end() - 2, blocks.end()};
  t->train(true);
  ContractOutput out = t->forward(torch::rand({2, 3, 64, 64}));
  TargetInstances target{torch::tensor({1}, torch::kInt64), torch::zeros({1, 64, 64})};
  target.masks[0].narrow(0, 8, 20).narrow(1, 8, 30).fill_(1);
  SetCriterionOptions co;
  co.numClasses = 2;
  SetCriterion criterion(co);
  criterion.total(criterion({out.prediction()}, {target, target})).backward();
  int withGrad = 0;
  for (const auto& p : t->module().named_parameters()) {
    const bool inChosen = chosen.count(parameterBlock(p.name)) > 0;
    EXPECT_EQ(p.value.requires_grad(), inChosen) << p.name;
    if (inChosen && p.value.grad().defined()) ++withGrad;
    if (!inChosen) EXPECT_FALSE(p.value.grad().defined()) << p.name;
  }
  EXPECT_GT(withGrad, 0);
  EXPECT_EQ(t->setTrainable({TrainableSelection::Mode::Prefixes, 0, {"backbone.stem."}}), 2);
  EXPECT_EQ(t->trainableParameters().size(), 2u);
}

TEST(TeacherAdapterTest, AnAdaptedTeacherSavesAndReloads) {
  const auto dir = test::freshTempDir("teacher");
  auto t = TeacherAdapter::load(exportTiny(dir, 2));
  ASSERT_TRUE(t.ok());
  torch::NoGradGuard noGrad;
  for (auto p : t->trainableParameters()) p.add_(0.01);
  ASSERT_TRUE(t->save(dir / "adapted" / "teacher.pt").ok());
  auto again = TeacherAdapter::load(dir / "adapted" / "teacher.pt");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->summary().classNames, t->summary().classNames);
  torch::Tensor x = torch::rand({2, 3, 64, 64});
  EXPECT_TRUE(torch::allclose(again->predict(x).predLogits, t->predict(x).predLogits));
}

}  // namespace
}  // namespace distillery
