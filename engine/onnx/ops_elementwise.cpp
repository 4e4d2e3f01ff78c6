// ONNX operators: elementwise family (see onnx_op_registry.h): unary math and
// activations, broadcasting binary arithmetic, comparisons and logic, the variadic
// Min/Max/Sum/Mean, Where, Clip, Cast, Identity, Dropout (inference), IsNaN, IsInf.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/onnx/onnx_op_registry.h"
#include "engine/onnx/ops_support.h"
#include "engine/onnx/onnx_tensor_proto.h"

namespace distillery {
namespace {

using Tensors = std::vector<torch::Tensor>;
using UnaryFn = std::function<torch::Tensor(const torch::Tensor&, const OnnxNodeContext&)>;
using BinaryFn = std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>;

void addOp(OnnxOpRegistry& registry, const std::string& type, OnnxKernel kernel,
           int sinceOpset = OnnxOpRegistry::kMinOpset, OnnxRefusal refuse = {}) {
  addOnnxOp(registry, type, std::move(kernel), sinceOpset, std::move(refuse));
}

// ONNX arithmetic returns its (first) input's type; a cast guards against torch
// promoting a malformed pair or an integer input to float.
torch::Tensor keepType(torch::Tensor result, const torch::Tensor& like) {
  if (result.scalar_type() != like.scalar_type()) return result.to(like.scalar_type());
  return result;
}

// One input, one output of the input's type.
void addUnary(OnnxOpRegistry& registry, const std::string& type, UnaryFn fn, int sinceOpset = 11) {
  addOp(registry, type, viaFloat([fn = std::move(fn)](const OnnxNodeContext& ctx) -> Tensors {
          return {keepType(fn(ctx.input(0), ctx), ctx.input(0))};
        }),
        sinceOpset);
}

// Add, Sub, Mul: torch has float16 CPU kernels for these, so no float detour.
void addBinary(OnnxOpRegistry& registry, const std::string& type, BinaryFn fn) {
  addOp(registry, type, [fn = std::move(fn)](const OnnxNodeContext& ctx) -> Tensors {
    return {keepType(fn(ctx.input(0), ctx.input(1)), ctx.input(0))};
  });
}

// Comparisons and logic return bool.
void addPredicate(OnnxOpRegistry& registry, const std::string& type, BinaryFn fn,
                  int sinceOpset = 11) {
  addOp(
      registry, type,
      [fn = std::move(fn)](const OnnxNodeContext& ctx) -> Tensors {
        return {fn(ctx.input(0), ctx.input(1))};
      },
      sinceOpset);
}

torch::Tensor asBool(const torch::Tensor& t) {
  return t.scalar_type() == torch::kBool ? t : t.to(torch::kBool);
}

// Min, Max, Sum, Mean: one or more inputs, broadcast together.
void addVariadic(OnnxOpRegistry& registry, const std::string& type, BinaryFn fold,
                 bool mean = false) {
  addOp(registry, type,
        viaFloat([fold = std::move(fold), mean](const OnnxNodeContext& ctx) -> Tensors {
          const int n = ctx.numInputs();
          if (n < 1) throw OnnxError("expected at least one input");
          torch::Tensor acc = ctx.input(0);
          for (int k = 1; k < n; ++k) acc = fold(acc, ctx.input(k));
          if (mean && n > 1) acc = acc.div(n);
          return {keepType(std::move(acc), ctx.input(0))};
        }));
}

Tensors divKernel(const OnnxNodeContext& ctx) {
  const auto& a = ctx.input(0);
  const auto& b = ctx.input(1);
  // Integer Div truncates toward zero (C semantics, as ONNX's reference and runtimes do).
  if (c10::isIntegralType(a.scalar_type(), /*includeBool=*/false))
    return {keepType(torch::div(a, b, "trunc"), a)};
  return {keepType(a / b, a)};
}

// The exponent may have another type; the result has the base's type.
Tensors powKernel(const OnnxNodeContext& ctx) {
  const auto& base = ctx.input(0);
  const auto& exponent = ctx.input(1);
  // A one-element CPU exponent that does not widen the shape (x^2 in LayerNorm) takes
  // torch's scalar path, which special-cases 2, 3, 0.5, -1... (reading a CUDA one
  // would synchronise).
  if (base.is_floating_point() && exponent.is_cpu() && exponent.numel() == 1 &&
      exponent.dim() <= base.dim())
    return {base.pow(exponent.item<double>())};
  return {keepType(base.pow(exponent), base)};
}

Tensors modKernel(const OnnxNodeContext& ctx) {
  const auto& a = ctx.input(0);
  const auto& b = ctx.input(1);
  // fmod=1: the sign of the dividend (C fmod); fmod=0: the sign of the divisor (Python %).
  if (ctx.i("fmod", 0) != 0) return {keepType(torch::fmod(a, b), a)};
  return {keepType(torch::remainder(a, b), a)};
}

Tensors preluKernel(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const auto& slope = ctx.input(1);  // broadcasts to x (unidirectional)
  return {keepType(torch::where(x < 0, x * slope, x), x)};
}

// Opset 11+: min and max are optional scalar inputs.
Tensors clipKernel(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const bool hasLo = ctx.hasInput(1), hasHi = ctx.hasInput(2);
  if (!hasLo && !hasHi) return {x};
  for (int k = 1; k <= 2; ++k)
    if (ctx.hasInput(k) && ctx.input(k).numel() != 1)
      throw OnnxError(k == 1 ? "min must be a scalar" : "max must be a scalar");
  // Bounds on the CPU become scalars; reading CUDA ones would synchronise.
  if ((!hasLo || ctx.input(1).is_cpu()) && (!hasHi || ctx.input(2).is_cpu())) {
    c10::optional<c10::Scalar> lo, hi;
    if (hasLo) lo = ctx.input(1).item();
    if (hasHi) hi = ctx.input(2).item();
    return {keepType(x.clamp(lo, hi), x)};
  }
  c10::optional<torch::Tensor> lo, hi;
  if (hasLo) lo = ctx.input(1).reshape({});
  if (hasHi) hi = ctx.input(2).reshape({});
  return {keepType(x.clamp(lo, hi), x)};
}

Tensors whereKernel(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(1);
  return {keepType(torch::where(asBool(ctx.input(0)), x, ctx.input(2)), x)};
}

std::string castRefusal(const onnx::NodeProto& node, int) {
  for (const auto& a : node.attribute())
    if (a.name() == "to") {
      if (!torchTypeOf(static_cast<int>(a.i())))
        return "cast to " + onnxTypeName(static_cast<int>(a.i())) + " not supported";
      return {};
    }
  return "attribute 'to' is missing";
}

Tensors castKernel(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const int to = static_cast<int>(ctx.i("to", 0));
  const auto type = torchTypeOf(to);
  if (!type) throw OnnxError("cast to " + onnxTypeName(to) + " not supported");
  if (x.scalar_type() == *type) return {x};
  // Rounds to nearest even (also into bfloat16, as ONNX specifies from opset 19;
  // ONNX 1.12's Cast test data truncated instead).
  return {x.to(*type)};
}

// Training mode (opset 12+) is an input, whose value a refusal cannot see: a node
// that wires one is refused, so a random training-mode Dropout never runs.
std::string dropoutRefusal(const onnx::NodeProto& node, int opset) {
  if (opset >= 12 && node.input_size() > 2 && !node.input(2).empty())
    return "training_mode input not supported (inference only)";
  return {};
}

// Inference only: the data passes through and the mask is all true (what training
// mode with ratio 0 gives too).
Tensors dropoutKernel(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  if (ctx.opset() >= 12 && ctx.hasInput(2) && ctx.input(2).item<bool>()) {
    const double ratio = ctx.hasInput(1) ? ctx.input(1).item<double>() : 0.5;
    if (ratio != 0.0)
      throw OnnxError("training-mode Dropout (random, ratio " + std::to_string(ratio) +
                      ") is not supported; export the model for inference");
  }
  Tensors out{x};
  if (ctx.wantsOutput(1)) out.push_back(torch::ones_like(x, torch::kBool));
  return out;
}

Tensors isInfKernel(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const bool pos = ctx.i("detect_positive", 1) != 0;
  const bool neg = ctx.i("detect_negative", 1) != 0;
  if (pos && neg) return {x.isinf()};
  if (pos) return {x.isposinf()};
  if (neg) return {x.isneginf()};
  return {torch::zeros_like(x, torch::kBool)};
}

void registerUnaryOps(OnnxOpRegistry& r) {
  using T = torch::Tensor;
  using C = OnnxNodeContext;
  addUnary(r, "Neg", [](const T& x, const C&) { return x.neg(); });
  addUnary(r, "Abs", [](const T& x, const C&) { return x.abs(); });
  addUnary(r, "Sqrt", [](const T& x, const C&) { return x.sqrt(); });
  addUnary(r, "Reciprocal", [](const T& x, const C&) { return x.reciprocal(); });
  addUnary(r, "Exp", [](const T& x, const C&) { return x.exp(); });
  addUnary(r, "Log", [](const T& x, const C&) { return x.log(); });
  addUnary(r, "Erf", [](const T& x, const C&) { return x.erf(); });
  addUnary(r, "Floor", [](const T& x, const C&) { return x.floor(); });
  addUnary(r, "Ceil", [](const T& x, const C&) { return x.ceil(); });
  // torch rounds halves to even, as ONNX Round does.
  addUnary(r, "Round", [](const T& x, const C&) { return x.round(); });
  // torch gives sign(NaN) = 0; ONNX (numpy) keeps NaN.
  addUnary(r, "Sign", [](const T& x, const C&) {
    return x.is_floating_point() ? torch::where(x.isnan(), x, x.sign()) : x.sign();
  });
  addUnary(r, "Sin", [](const T& x, const C&) { return x.sin(); });
  addUnary(r, "Cos", [](const T& x, const C&) { return x.cos(); });
  addUnary(r, "Tanh", [](const T& x, const C&) { return x.tanh(); });
  addUnary(r, "Sigmoid", [](const T& x, const C&) { return x.sigmoid(); });
  addUnary(r, "Relu", [](const T& x, const C&) { return torch::relu(x); });
  addUnary(r, "HardSigmoid", [](const T& x, const C& ctx) {
    return x.mul(ctx.f("alpha", 0.2f)).add_(ctx.f("beta", 0.5f)).clamp_(0, 1);
  });
  // ONNX HardSwish is x * HardSigmoid(x; alpha 1/6, beta 0.5), torch's hardswish.
  addUnary(
      r, "HardSwish", [](const T& x, const C&) { return torch::hardswish(x); }, 14);
  addUnary(r, "LeakyRelu",
           [](const T& x, const C& ctx) { return torch::leaky_relu(x, ctx.f("alpha", 0.01f)); });
  addUnary(r, "Elu", [](const T& x, const C& ctx) { return torch::elu(x, ctx.f("alpha", 1.0f)); });
  addUnary(r, "Selu", [](const T& x, const C& ctx) {
    // elu(x; alpha, scale=gamma) is gamma * (x > 0 ? x : alpha * (e^x - 1)).
    return torch::elu(x, ctx.f("alpha", 1.67326319217681884765625f),
                      ctx.f("gamma", 1.05070102214813232421875f), 1.0);
  });
  // log(1 + e^x); torch returns x itself above 20, within float precision.
  addUnary(r, "Softplus", [](const T& x, const C&) { return torch::softplus(x); });
}

void registerBinaryOps(OnnxOpRegistry& r) {
  using T = torch::Tensor;
  addBinary(r, "Add", [](const T& a, const T& b) { return a + b; });
  addBinary(r, "Sub", [](const T& a, const T& b) { return a - b; });
  addBinary(r, "Mul", [](const T& a, const T& b) { return a * b; });
  addOp(r, "Div", divKernel);
  addOp(r, "Pow", viaFloat(powKernel));
  addOp(r, "Mod", viaFloat(modKernel));
  addOp(r, "PRelu", viaFloat(preluKernel));
  addOp(r, "Clip", viaFloat(clipKernel));

  addVariadic(r, "Min", [](const T& a, const T& b) { return torch::minimum(a, b); });
  addVariadic(r, "Max", [](const T& a, const T& b) { return torch::maximum(a, b); });
  addVariadic(r, "Sum", [](const T& a, const T& b) { return a + b; });
  addVariadic(
      r, "Mean", [](const T& a, const T& b) { return a + b; }, /*mean=*/true);

  addPredicate(r, "Equal", [](const T& a, const T& b) { return torch::eq(a, b); });
  addPredicate(r, "Less", [](const T& a, const T& b) { return torch::lt(a, b); });
  addPredicate(r, "Greater", [](const T& a, const T& b) { return torch::gt(a, b); });
  addPredicate(
      r, "LessOrEqual", [](const T& a, const T& b) { return torch::le(a, b); }, 12);
  addPredicate(
      r, "GreaterOrEqual", [](const T& a, const T& b) { return torch::ge(a, b); }, 12);
  addPredicate(r, "And",
               [](const T& a, const T& b) { return torch::logical_and(asBool(a), asBool(b)); });
  addPredicate(r, "Or",
               [](const T& a, const T& b) { return torch::logical_or(asBool(a), asBool(b)); });
  addPredicate(r, "Xor",
               [](const T& a, const T& b) { return torch::logical_xor(asBool(a), asBool(b)); });
}

}  // namespace

void registerElementwiseOps(OnnxOpRegistry& registry) {
  registerUnaryOps(registry);
  registerBinaryOps(registry);
  addOp(registry, "Not", [](const OnnxNodeContext& ctx) -> Tensors {
    return {torch::logical_not(asBool(ctx.input(0)))};
  });
  addOp(registry, "Where", whereKernel);
  addOp(registry, "Cast", castKernel, 11, castRefusal);
  addOp(registry, "Identity", [](const OnnxNodeContext& ctx) -> Tensors { return {ctx.input(0)}; });
  addOp(registry, "Dropout", dropoutKernel, 11, dropoutRefusal);
  addOp(registry, "IsNaN",
        [](const OnnxNodeContext& ctx) -> Tensors { return {ctx.input(0).isnan()}; });
  addOp(registry, "IsInf", isInfKernel);
}

}  // namespace distillery
