// GELU and last-axis layer norm, spelled out op by op as exporters write them, run
// fused and unfused: same result, and only intact patterns fuse.
#include "engine/onnx/onnx_fusion.h"

#include <gtest/gtest.h>

#include "engine/onnx/onnx_module.h"
#include "tests/engine/onnx/graph_builder.h"

namespace distillery {
namespace {

using test::GraphBuilder;

// x -> GELU -> layer norm (last axis) -> y, both as exporters spell them.
GraphBuilder geluThenLayerNorm(bool extraReader) {
  GraphBuilder b(13);
  b.input("x", {"batch", "5", "16"});
  b.initializer("sqrt2", torch::tensor(1.4142135f));
  b.initializer("one", torch::tensor(1.0f));
  b.initializer("half", torch::tensor(0.5f));
  b.initializer("two", torch::tensor(2.0f));
  b.initializer("eps", torch::tensor(1e-5f));
  b.initializer("gamma", torch::randn({16}));
  b.initializer("beta", torch::randn({16}));
  b.node("Div", {"x", "sqrt2"}, {"d"});
  b.node("Erf", {"d"}, {"e"});
  b.node("Add", {"e", "one"}, {"a"});
  b.node("Mul", {"x", "a"}, {"m"});
  b.node("Mul", {"m", "half"}, {"g"});
  auto* mean = b.node("ReduceMean", {"g"}, {"mu"});
  auto axes = [](onnx::NodeProto* n) {
    auto* a = n->add_attribute();
    a->set_name("axes");
    a->set_type(onnx::AttributeProto::INTS);
    a->add_ints(-1);
  };
  axes(mean);
  b.node("Sub", {"g", "mu"}, {"c"});
  b.node("Pow", {"c", "two"}, {"sq"});
  axes(b.node("ReduceMean", {"sq"}, {"var"}));
  b.node("Add", {"var", "eps"}, {"ve"});
  b.node("Sqrt", {"ve"}, {"sd"});
  b.node("Div", {"c", "sd"}, {"n"});
  b.node("Mul", {"n", "gamma"}, {"s"});
  b.node("Add", {"s", "beta"}, {"y"});
  b.output("y", {"batch", "5", "16"});
  if (extraReader) {  // the GELU's inner value is also an output: it cannot fuse
    b.output("e", {"batch", "5", "16"});
  }
  return b;
}

TEST(OnnxFusion, GeluAndLayerNormFuseAndEqualTheUnfusedGraph) {
  auto path = geluThenLayerNorm(false).save("fusion.onnx");
  auto fused = OnnxModuleImpl::load(path);
  OnnxModuleImpl::Options plain;
  plain.fuse = false;
  auto unfused = OnnxModuleImpl::load(path, plain);
  ASSERT_TRUE(fused && unfused) << fused.status().message() << unfused.status().message();
  EXPECT_EQ((*fused)->fusedSubgraphs(), 2);
  EXPECT_EQ((*unfused)->fusedSubgraphs(), 0);
  auto x = torch::randn({3, 5, 16}) * 3;
  auto a = (*fused)->forward(std::vector<torch::Tensor>{x})[0];
  auto b = (*unfused)->forward(std::vector<torch::Tensor>{x})[0];
  EXPECT_TRUE(torch::allclose(a, b, 1e-4, 1e-5)) << (a - b).abs().max().item<float>();
}

TEST(OnnxFusion, AnIntermediateSomeoneElseReadsBlocksTheFusion) {
  auto fused = OnnxModuleImpl::load(geluThenLayerNorm(true).save("fusion_blocked.onnx"));
  ASSERT_TRUE(fused) << fused.status().message();
  EXPECT_EQ((*fused)->fusedSubgraphs(), 1);  // layer norm only
  auto x = torch::randn({2, 5, 16});
  auto out = (*fused)->forward(std::vector<torch::Tensor>{x});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(torch::allclose(out[1], torch::erf(x / 1.4142135f), 1e-5, 1e-6));
}

}  // namespace
}  // namespace distillery
