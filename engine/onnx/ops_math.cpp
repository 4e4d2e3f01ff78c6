// ONNX operators: math family (see onnx_op_registry.h): MatMul, Gemm, Einsum,
// Softmax/LogSoftmax, the Reduce* family, ArgMax/ArgMin, TopK, CumSum.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "engine/onnx/onnx_op_registry.h"
#include "engine/onnx/ops_support.h"

namespace distillery {
namespace {

using Tensors = std::vector<torch::Tensor>;

// LibTorch 1.13 lacks CPU kernels for float16 matmul, softmax, topk, cumsum, prod:
// every math kernel takes the float detour for such inputs.
void addOp(OnnxOpRegistry& registry, const std::string& type, OnnxKernel kernel,
           int sinceOpset = OnnxOpRegistry::kMinOpset) {
  addOnnxOp(registry, type, viaFloat(std::move(kernel)), sinceOpset);
}

torch::Tensor keepType(torch::Tensor result, const torch::Tensor& like) {
  if (result.scalar_type() != like.scalar_type()) return result.to(like.scalar_type());
  return result;
}

// ---- products -----------------------------------------------------------------

Tensors matMulKernel(const OnnxNodeContext& ctx) {
  // torch::matmul follows numpy (1-D operands promoted and squeezed, batch broadcast).
  return {torch::matmul(ctx.input(0), ctx.input(1))};
}

// alpha/beta for torch: integer tensors take integer scalars.
c10::Scalar gemmScalar(float value, const torch::Tensor& like, const char* name) {
  if (like.is_floating_point()) return static_cast<double>(value);
  if (value != std::nearbyint(value))
    throw OnnxError(std::string(name) + " must be an integer for integer Gemm");
  return static_cast<int64_t>(value);
}

Tensors gemmKernel(const OnnxNodeContext& ctx) {
  torch::Tensor a = ctx.input(0);
  torch::Tensor b = ctx.input(1);
  if (a.dim() != 2 || b.dim() != 2) throw OnnxError("A and B must be 2-D");
  if (ctx.i("transA", 0) != 0) a = a.t();
  if (ctx.i("transB", 0) != 0) b = b.t();
  const float alpha = ctx.f("alpha", 1.0f);
  const float beta = ctx.f("beta", 1.0f);
  // C broadcasts to (M, N); addmm does the scaling and the sum in one pass.
  if (ctx.hasInput(2) && beta != 0.0f)
    return {torch::addmm(ctx.input(2), a, b, gemmScalar(beta, a, "beta"),
                         gemmScalar(alpha, a, "alpha"))};
  torch::Tensor y = a.mm(b);
  if (alpha != 1.0f) y.mul_(gemmScalar(alpha, a, "alpha"));
  return {y};
}

Tensors einsumKernel(const OnnxNodeContext& ctx) {
  std::string equation = ctx.s("equation", "");
  equation.erase(std::remove_if(equation.begin(), equation.end(),
                                [](unsigned char c) { return std::isspace(c) != 0; }),
                 equation.end());
  if (equation.empty()) throw OnnxError("attribute 'equation' is required");
  return {torch::einsum(equation, ctx.inputs())};
}

// ---- softmax ------------------------------------------------------------------

Tensors softmaxKernel(const OnnxNodeContext& ctx, bool log) {
  const auto& x = ctx.input(0);
  const int64_t rank = x.dim();
  auto apply = [log](const torch::Tensor& t, int64_t dim) {
    return log ? torch::log_softmax(t, dim) : torch::softmax(t, dim);
  };
  if (ctx.opset() >= 13) return {apply(x, normalizeAxis(ctx.i("axis", -1), rank))};
  // Before opset 13 the input is coerced to 2-D [prod(dims < axis), prod(dims >= axis)]
  // and normalised along the second dimension.
  const int64_t axis = normalizeAxis(ctx.i("axis", 1), rank);
  if (axis == rank - 1) return {apply(x, axis)};
  const auto sizes = x.sizes();
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= sizes[d];
  int64_t inner = 1;
  for (int64_t d = axis; d < rank; ++d) inner *= sizes[d];
  return {apply(x.reshape({outer, inner}), 1).reshape(sizes)};
}

// ---- reductions ---------------------------------------------------------------

using ReduceFn =
    std::function<torch::Tensor(const torch::Tensor&, const std::vector<int64_t>&, bool)>;

// axesAsInput: ReduceSum takes axes as an input (and noop_with_empty_axes) from
// opset 13; the others keep the attribute through opset 17.
Tensors reduceKernel(const OnnxNodeContext& ctx, const ReduceFn& fn, bool axesAsInput) {
  const auto& x = ctx.input(0);
  const int64_t rank = x.dim();
  std::vector<int64_t> axes;
  bool noop = false;
  if (axesAsInput && ctx.opset() >= 13) {
    if (ctx.hasInput(1)) axes = toInt64Vector(ctx.input(1));
    noop = ctx.i("noop_with_empty_axes", 0) != 0;
  } else {
    axes = ctx.ints("axes");
  }
  if (axes.empty()) {
    if (noop) return {x};
    axes.resize(static_cast<size_t>(rank));
    std::iota(axes.begin(), axes.end(), 0);
  } else {
    for (auto& a : axes) a = normalizeAxis(a, rank);
    std::sort(axes.begin(), axes.end());
    axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  }
  const bool keep = ctx.i("keepdims", 1) != 0;
  return {keepType(fn(x, axes, keep), x)};
}

bool isIntegral(const torch::Tensor& x) {
  return c10::isIntegralType(x.scalar_type(), /*includeBool=*/true);
}

torch::Tensor reduceMean(const torch::Tensor& x, const std::vector<int64_t>& dims, bool keep) {
  if (!isIntegral(x)) return x.mean(dims, keep);
  // Integer mean truncates, like integer Div.
  int64_t count = 1;
  for (int64_t d : dims) count *= x.size(d);
  return torch::div(x.sum(dims, keep, torch::kLong), std::max<int64_t>(count, 1), "trunc");
}

torch::Tensor reduceProd(const torch::Tensor& x, const std::vector<int64_t>& dims, bool keep) {
  // torch::prod reduces one dimension at a time; keep them, then squeeze from the back.
  torch::Tensor y = x;
  for (auto it = dims.rbegin(); it != dims.rend(); ++it)
    y = y.prod(*it, /*keepdim=*/true, x.scalar_type());
  if (!keep)
    for (auto it = dims.rbegin(); it != dims.rend(); ++it) y = y.squeeze(*it);
  return y;
}

// Floating math on integer tensors runs in double; keepType casts back.
torch::Tensor floating(const torch::Tensor& x) {
  return x.is_floating_point() ? x : x.to(torch::kDouble);
}

void registerReductions(OnnxOpRegistry& r) {
  using T = torch::Tensor;
  using D = std::vector<int64_t>;
  auto add = [&r](const std::string& type, ReduceFn fn, bool axesAsInput = false) {
    addOp(r, type, [fn = std::move(fn), axesAsInput](const OnnxNodeContext& ctx) {
      return reduceKernel(ctx, fn, axesAsInput);
    });
  };
  // The dtype argument stops torch widening integer sums to int64.
  add(
      "ReduceSum", [](const T& x, const D& d, bool k) { return x.sum(d, k, x.scalar_type()); },
      /*axesAsInput=*/true);
  add("ReduceMean", reduceMean);
  add("ReduceMax", [](const T& x, const D& d, bool k) { return x.amax(d, k); });
  add("ReduceMin", [](const T& x, const D& d, bool k) { return x.amin(d, k); });
  add("ReduceProd", reduceProd);
  add("ReduceL1", [](const T& x, const D& d, bool k) {
    if (isIntegral(x)) return x.abs().sum(d, k, x.scalar_type());
    return at::linalg_vector_norm(x, 1, d, k);
  });
  add("ReduceL2",
      [](const T& x, const D& d, bool k) { return at::linalg_vector_norm(floating(x), 2, d, k); });
  add("ReduceSumSquare",
      [](const T& x, const D& d, bool k) { return x.square().sum(d, k, x.scalar_type()); });
  add("ReduceLogSum", [](const T& x, const D& d, bool k) { return floating(x).sum(d, k).log(); });
  // torch's logsumexp subtracts the max first: the same value without overflow.
  add("ReduceLogSumExp",
      [](const T& x, const D& d, bool k) { return torch::logsumexp(floating(x), d, k); });
}

// ---- ArgMax / ArgMin, TopK, CumSum --------------------------------------------------

Tensors argKernel(const OnnxNodeContext& ctx, bool max) {
  const auto& x = ctx.input(0);
  const int64_t axis = normalizeAxis(ctx.i("axis", 0), x.dim());
  const bool keep = ctx.i("keepdims", 1) != 0;
  auto pick = [&](const torch::Tensor& t) {
    return max ? t.argmax(axis, keep) : t.argmin(axis, keep);
  };
  // torch returns the first extreme; the last one is the first of the flipped tensor.
  if (ctx.i("select_last_index", 0) == 0) return {pick(x)};
  return {pick(x.flip(axis)).neg_().add_(x.size(axis) - 1)};
}

Tensors topKKernel(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const auto kv = toInt64Vector(ctx.input(1));
  if (kv.size() != 1) throw OnnxError("K must hold one value");
  const int64_t axis = normalizeAxis(ctx.i("axis", -1), x.dim());
  const int64_t k = kv[0];
  if (k < 0 || k > x.size(axis))
    throw OnnxError("K = " + std::to_string(k) + " is outside [0, " + std::to_string(x.size(axis)) +
                    "]");
  const bool largest = ctx.i("largest", 1) != 0;
  // ONNX puts equal values in index order; torch::topk does not promise that, a
  // stable sort does. 'sorted=0' leaves the order free, so sorted output is valid.
  auto [values, indices] = x.sort(/*stable=*/true, axis, /*descending=*/largest);
  return {values.narrow(axis, 0, k), indices.narrow(axis, 0, k)};
}

Tensors cumSumKernel(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const auto av = toInt64Vector(ctx.input(1));
  if (av.size() != 1) throw OnnxError("axis must hold one value");
  const int64_t axis = normalizeAxis(av[0], x.dim());
  const bool reverse = ctx.i("reverse", 0) != 0;
  torch::Tensor y = reverse ? x.flip(axis) : x;
  y = y.cumsum(axis, x.scalar_type());
  // Exclusive: shift by one along the axis, a zero first.
  const int64_t n = y.size(axis);
  if (ctx.i("exclusive", 0) != 0 && n > 0)
    y = torch::cat({torch::zeros_like(y.narrow(axis, 0, 1)), y.narrow(axis, 0, n - 1)}, axis);
  return {reverse ? y.flip(axis) : y};
}

}  // namespace

void registerMathOps(OnnxOpRegistry& registry) {
  addOp(registry, "MatMul", matMulKernel);
  addOp(registry, "Gemm", gemmKernel);
  addOp(registry, "Einsum", einsumKernel, 12);
  addOp(registry, "Softmax", [](const OnnxNodeContext& ctx) { return softmaxKernel(ctx, false); });
  addOp(registry, "LogSoftmax",
        [](const OnnxNodeContext& ctx) { return softmaxKernel(ctx, true); });
  registerReductions(registry);
  addOp(registry, "ArgMax", [](const OnnxNodeContext& ctx) { return argKernel(ctx, true); });
  addOp(registry, "ArgMin", [](const OnnxNodeContext& ctx) { return argKernel(ctx, false); });
  addOp(registry, "TopK", topKKernel);
  addOp(registry, "CumSum", cumSumKernel);
}

}  // namespace distillery
