// The executor on tiny graphs built here: refusal before running, bad files, bad
// inputs, dynamic shape arithmetic, memory released after last use, trainable
// initializers.
#include "engine/onnx/onnx_module.h"

#include <gtest/gtest.h>

#include <fstream>

#include "engine/onnx/onnx_tensor_proto.h"
#include "tests/engine/onnx/graph_builder.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;
using test::GraphBuilder;

TEST(OnnxModule, RefusesBeforeRunningAndListsEveryUnsupportedNode) {
  GraphBuilder b;
  b.input("x", {"2"});
  b.node("Relu", {"x"}, {"a"}, "ok_relu");
  auto* foreign = b.node("FusedGelu", {"a"}, {"b"}, "ms_gelu");
  foreign->set_domain("com.microsoft");
  auto* o = b.model.add_opset_import();
  o->set_domain("com.microsoft");
  o->set_version(1);
  b.node("Hardmax", {"b"}, {"c"}, "hardmax_1");
  b.node("Bernoulli", {"c"}, {"y"});
  b.output("y", {"2"});
  auto path = b.save("unsupported.onnx");
  auto module = OnnxModuleImpl::load(path);
  ASSERT_FALSE(module);
  const auto& msg = module.status().message();
  EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("3 node(s)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("FusedGelu (domain 'com.microsoft', opset 1, node ms_gelu)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Hardmax (domain 'ai.onnx', opset 17, node hardmax_1)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Bernoulli (domain 'ai.onnx', opset 17, node #3)"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("Relu"), std::string::npos) << msg;
}

TEST(OnnxModule, RefusesAnOpsetOutsideTheClaimedRange) {
  // Relu's definition at opset 11 dates from opset 6, so the claim is 6-17.
  GraphBuilder b(5);
  b.input("x", {"2"});
  b.node("Relu", {"x"}, {"y"}, "r");
  b.output("y", {"2"});
  auto module = OnnxModuleImpl::load(b.save("opset5.onnx"));
  ASSERT_FALSE(module);
  EXPECT_NE(module.status().message().find("opset 5 outside the supported 6-17"), std::string::npos)
      << module.status().message();
  // Softmax changed at opset 13: its claim starts at 11, where our semantics begin.
  GraphBuilder c(10);
  c.input("x", {"2"});
  c.node("Softmax", {"x"}, {"y"}, "s");
  c.output("y", {"2"});
  auto softmax = OnnxModuleImpl::load(c.save("opset10.onnx"));
  ASSERT_FALSE(softmax);
  EXPECT_NE(softmax.status().message().find("opset 10 outside the supported 11-17"),
            std::string::npos) << softmax.status().message();
}

TEST(OnnxModule, TruncatedAndGarbageFilesAreClearErrors) {
  GraphBuilder b;
  b.input("x", {"1", "4"});
  b.initializer("w", torch::randn({4, 4}));
  b.node("MatMul", {"x", "w"}, {"y"});
  b.output("y", {"1", "4"});
  std::string bytes;
  b.model.SerializeToString(&bytes);
  auto truncated = fs::temp_directory_path() / "distillery_onnx_truncated.onnx";
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  auto garbage = fs::temp_directory_path() / "distillery_onnx_garbage.onnx";
  std::ofstream(garbage) << "this is not a model\n";
  for (const auto& path : {truncated, garbage, fs::path("/nonexistent/model.onnx")}) {
    auto m = OnnxModel::load(path);
    ASSERT_FALSE(m) << path;
    EXPECT_EQ(m.status().message().rfind(path.string() + ": ", 0), 0u) << m.status().message();
  }
}

// y = Reshape(x, [batch, -1]) with the batch read through Shape -> Gather -> Unsqueeze -> Concat.
GraphBuilder dynamicReshape() {
  GraphBuilder b(13);
  b.input("x", {"batch", "3", "n"});
  b.initializer("zero", torch::tensor(int64_t{0}));
  b.initializer("minus_one", torch::tensor({int64_t{-1}}));
  b.initializer("axes0", torch::tensor({int64_t{0}}));
  b.node("Shape", {"x"}, {"shape"});
  b.node("Gather", {"shape", "zero"}, {"batch"});
  b.node("Unsqueeze", {"batch", "axes0"}, {"batch1"});
  b.node("Concat", {"batch1", "minus_one"}, {"target"})->add_attribute()->CopyFrom([] {
    onnx::AttributeProto a;
    a.set_name("axis");
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(0);
    return a;
  }());
  b.node("Reshape", {"x", "target"}, {"y"});
  b.output("y", {"batch", "m"});
  return b;
}

TEST(OnnxModule, ShapeArithmeticFollowsADynamicBatch) {
  auto module = OnnxModuleImpl::load(dynamicReshape().save("dynamic.onnx"));
  ASSERT_TRUE(module) << module.status().message();
  for (int64_t batch : {1, 2, 5}) {
    auto x = torch::randn({batch, 3, 7});
    auto y = (*module)->forward(std::vector<torch::Tensor>{x});
    ASSERT_EQ(y.size(), 1u);
    EXPECT_EQ(y[0].sizes(), (std::vector<int64_t>{batch, 21}));
    EXPECT_TRUE(torch::equal(y[0], x.reshape({batch, 21})));
  }
}

TEST(OnnxModule, AWrongInputNamesTheInputWithExpectedAndGiven) {
  auto module = OnnxModuleImpl::load(dynamicReshape().save("dynamic2.onnx"));
  ASSERT_TRUE(module) << module.status().message();
  auto s = (*module)->validateInputs({torch::zeros({2, 4, 7})});
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("input 'x': expected float32 [batch,3,n], given float32 [2,4,7]"),
            std::string::npos)
      << s.message();
  s = (*module)->validateInputs({torch::zeros({2, 3, 7}, torch::kLong)});
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("given int64 [2,3,7]"), std::string::npos) << s.message();
  EXPECT_THROW((*module)->forward(std::vector<torch::Tensor>{}), OnnxError);
}

TEST(OnnxModule, IntermediatesAreFreedAfterTheirLastUse) {
  // A chain of 12 Adds: without releasing, 12 intermediates would be live at the end.
  GraphBuilder b;
  b.input("x", {"256", "256"});
  b.initializer("one", torch::ones({1}));
  std::string prev = "x";
  for (int i = 0; i < 12; ++i) {
    std::string next = i == 11 ? "y" : "t" + std::to_string(i);
    b.node("Add", {prev, "one"}, {next});
    prev = next;
  }
  b.output("y", {"256", "256"});
  auto module = OnnxModuleImpl::load(b.save("chain.onnx"));
  ASSERT_TRUE(module) << module.status().message();
  auto x = torch::zeros({256, 256});
  auto y = (*module)->forward(std::vector<torch::Tensor>{x});
  EXPECT_TRUE(torch::allclose(y[0], torch::full({256, 256}, 12.0f)));
  const int64_t one = x.nbytes();
  EXPECT_LE((*module)->lastPeakIntermediateBytes(), 3 * one);
  EXPECT_GE((*module)->lastPeakIntermediateBytes(), 2 * one);  // the input and one result
}

TEST(OnnxModule, InitializersAreOwnedFrozenParametersThatCanTrain) {
  GraphBuilder b;
  b.input("x", {"1", "2", "5", "5"});
  b.initializer("conv.weight", torch::randn({3, 2, 3, 3}));
  b.initializer("conv.bias", torch::randn({3}));
  b.node("Conv", {"x", "conv.weight", "conv.bias"}, {"y"});
  b.output("y", {"1", "3", "3", "3"});
  auto module = OnnxModuleImpl::load(b.save("conv.onnx"));
  ASSERT_TRUE(module) << module.status().message();
  auto& m = **module;
  EXPECT_EQ(m.parameterCount(), 3 * 2 * 9 + 3);
  for (const auto& p : m.parameters()) EXPECT_FALSE(p.requires_grad());
  m.setTrainable(true);
  auto y = m.forward(std::vector<torch::Tensor>{torch::randn({1, 2, 5, 5})});
  y[0].sum().backward();
  int withGrad = 0;
  for (const auto& p : m.parameters()) withGrad += p.grad().defined() && p.grad().abs().sum().item<float>() > 0;
  EXPECT_EQ(withGrad, 2);
  auto named = m.named_parameters();
  EXPECT_TRUE(named.contains("conv_weight"));
}

}  // namespace
}  // namespace distillery
