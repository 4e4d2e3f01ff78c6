// ONNX operators: shape family (see onnx_op_registry.h).
//
// Shape tensors (Shape, Size and what is computed from them) stay int64 on the CPU;
// data tensors stay on their device and outputs are made where the data lives.
// Reshape, Transpose, Squeeze, Unsqueeze, Flatten, Split, positive-step Slice and
// Expand return views: the executor never writes into a tensor, so sharing is safe.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "engine/onnx/onnx_op_registry.h"
#include "engine/onnx/onnx_tensor_proto.h"

namespace distillery {

namespace {

using Tensors = std::vector<torch::Tensor>;

std::string str(int64_t v) {
  return std::to_string(v);
}

std::string shapeText(at::IntArrayRef dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + str(dims[i]);
  return s + "]";
}

torch::Tensor int64Tensor(const std::vector<int64_t>& values) {
  return torch::tensor(at::ArrayRef<int64_t>(values), torch::kLong);
}

int64_t scalarInt(const torch::Tensor& t, const char* what) {
  if (t.numel() != 1)
    throw OnnxError(std::string(what) + " must hold one value, got shape " + shapeText(t.sizes()));
  return toInt64Vector(t)[0];
}

const onnx::AttributeProto* attrOf(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::string attrString(const onnx::NodeProto& node, const std::string& name,
                       const std::string& fallback) {
  const auto* a = attrOf(node, name);
  return a ? a->s() : fallback;
}

// Axes from the attribute (opset <= 12) or from input `index` (opset >= 13);
// empty when not given.
std::vector<int64_t> axesOf(const OnnxNodeContext& ctx, int index, const char* name = "axes") {
  if (ctx.opset() <= 12) return ctx.ints(name);
  return ctx.hasInput(index) ? toInt64Vector(ctx.input(index)) : std::vector<int64_t>{};
}

// Normalised, distinct axes.
std::vector<int64_t> normalizeAxes(std::vector<int64_t> axes, int64_t rank) {
  std::set<int64_t> seen;
  for (auto& a : axes) {
    a = normalizeAxis(a, rank);
    if (!seen.insert(a).second) throw OnnxError("axis " + str(a) + " is given twice");
  }
  return axes;
}

// Indices as int64 on `device`, negatives counted from the end of an axis of size
// `dim`; anything outside [-dim, dim) is an error (ATen would abort on CUDA).
torch::Tensor wrapIndices(const torch::Tensor& indices, int64_t dim, const torch::Device& device) {
  auto idx = indices.to(device, torch::kLong);
  if (idx.numel() == 0) return idx;
  const auto bounds = torch::stack({idx.min(), idx.max()}).cpu();  // one device sync
  const int64_t lo = bounds[0].item<int64_t>(), hi = bounds[1].item<int64_t>();
  if (lo < -dim || hi >= dim)
    throw OnnxError("index " + str(lo < -dim ? lo : hi) + " is outside [-" + str(dim) + ", " +
                    str(dim) + ")");
  return lo < 0 ? torch::where(idx < 0, idx + dim, idx) : idx;
}

// ---- shapes ----------------------------------------------------------------------

Tensors shapeOp(const OnnxNodeContext& ctx) {
  const auto dims = ctx.input(0).sizes().vec();
  const int64_t rank = static_cast<int64_t>(dims.size());
  auto clampAxis = [&](int64_t a) { return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank); };
  int64_t start = 0, end = rank;
  if (ctx.opset() >= 15) {
    start = clampAxis(ctx.i("start", 0));
    end = clampAxis(ctx.i("end", rank));
  }
  end = std::max(start, end);
  return {int64Tensor(std::vector<int64_t>(dims.begin() + start, dims.begin() + end))};
}

Tensors sizeOp(const OnnxNodeContext& ctx) {
  return {torch::scalar_tensor(ctx.input(0).numel(), torch::kLong)};
}

Tensors reshapeOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  auto shape = toInt64Vector(ctx.input(1));
  const bool allowZero = ctx.opset() >= 14 && ctx.i("allowzero", 0) != 0;
  int64_t inferred = -1, known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= x.dim())
        throw OnnxError("shape " + shapeText(shape) + " copies dimension " + str(i) +
                        " of an input of rank " + str(x.dim()));
      shape[i] = x.size(static_cast<int64_t>(i));
    }
    if (shape[i] == -1) {
      if (inferred >= 0) throw OnnxError("shape " + shapeText(shape) + " has more than one -1");
      inferred = static_cast<int64_t>(i);
    } else if (shape[i] < 0) {
      throw OnnxError("shape " + shapeText(shape) + " has a negative dimension");
    } else {
      known *= shape[i];
    }
  }
  if (inferred >= 0) {
    if (known == 0 || x.numel() % known != 0)
      throw OnnxError("cannot reshape " + shapeText(x.sizes()) + " to " + shapeText(shape));
    shape[inferred] = x.numel() / known;
  } else if (known != x.numel()) {
    throw OnnxError("cannot reshape " + shapeText(x.sizes()) + " to " + shapeText(shape));
  }
  return {x.reshape(shape)};
}

Tensors flattenOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  int64_t axis = ctx.i("axis", 1);
  if (axis < 0) axis += x.dim();
  if (axis < 0 || axis > x.dim()) throw OnnxError("axis is outside [-rank, rank]");
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < x.dim(); ++d) (d < axis ? outer : inner) *= x.size(d);
  return {x.reshape({outer, inner})};
}

Tensors squeezeOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  auto axes = axesOf(ctx, 1);
  std::vector<int64_t> shape;
  if (axes.empty()) {
    for (int64_t d : x.sizes())
      if (d != 1) shape.push_back(d);
  } else {
    axes = normalizeAxes(axes, x.dim());
    for (int64_t d = 0; d < x.dim(); ++d) {
      const bool drop = std::find(axes.begin(), axes.end(), d) != axes.end();
      if (drop && x.size(d) != 1)
        throw OnnxError("cannot squeeze axis " + str(d) + " of size " + str(x.size(d)));
      if (!drop) shape.push_back(x.size(d));
    }
  }
  return {x.reshape(shape)};
}

Tensors unsqueezeOp(const OnnxNodeContext& ctx) {
  auto x = ctx.input(0);
  auto axes = axesOf(ctx, 1);
  if (axes.empty()) throw OnnxError("axes are required");
  // Axes refer to the output; inserting in ascending order keeps them right.
  axes = normalizeAxes(axes, x.dim() + static_cast<int64_t>(axes.size()));
  std::sort(axes.begin(), axes.end());
  for (int64_t a : axes) x = x.unsqueeze(a);
  return {x};
}

Tensors transposeOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  std::vector<int64_t> perm = ctx.ints("perm");
  if (!ctx.has("perm")) {
    perm.resize(x.dim());
    std::iota(perm.rbegin(), perm.rend(), 0);
  }
  if (static_cast<int64_t>(perm.size()) != x.dim())
    throw OnnxError("perm " + shapeText(perm) + " does not match rank " + str(x.dim()));
  return {x.permute(normalizeAxes(perm, x.dim()))};
}

// Mixed devices happen when a shape computed on the CPU meets a constant that
// was moved to the accelerator: tiny int64 results stay on the CPU, others go to
// the accelerator.
torch::Device commonDevice(const Tensors& xs) {
  torch::Device cpu(torch::kCPU), other = cpu;
  int64_t numel = 0;
  bool allLong = true;
  for (const auto& x : xs) {
    if (!x.defined()) continue;
    if (!x.device().is_cpu() && other.is_cpu()) other = x.device();
    numel += x.numel();
    allLong = allLong && x.scalar_type() == torch::kLong && x.dim() <= 1;
  }
  if (other.is_cpu()) return cpu;
  bool anyCpu = false;
  for (const auto& x : xs) anyCpu = anyCpu || (x.defined() && x.device().is_cpu());
  if (!anyCpu) return other;
  return allLong && numel <= 64 ? cpu : other;
}

Tensors concatOp(const OnnxNodeContext& ctx) {
  Tensors xs;
  for (const auto& x : ctx.inputs())
    if (x.defined()) xs.push_back(x);
  if (xs.empty()) throw OnnxError("needs at least one input");
  const int64_t axis = normalizeAxis(ctx.i("axis", 0), xs[0].dim());
  const auto device = commonDevice(xs);
  for (auto& x : xs) {
    x = x.to(device);
    if (x.dim() != xs[0].dim())
      throw OnnxError("inputs of ranks " + str(xs[0].dim()) + " and " + str(x.dim()));
  }
  return {torch::cat(xs, axis)};
}

Tensors splitOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const int64_t axis = normalizeAxis(ctx.i("axis", 0), x.dim());
  const int64_t dim = x.size(axis);
  const int64_t n = ctx.numOutputs();
  std::vector<int64_t> sizes = axesOf(ctx, 1, "split");
  if (sizes.empty()) {
    // Opsets 11-17 split into equal parts only (uneven splits need 'split').
    if (n <= 0 || dim % n != 0)
      throw OnnxError("axis of size " + str(dim) + " does not split into " + str(n) +
                      " equal parts");
    sizes.assign(n, dim / n);
  }
  if (static_cast<int64_t>(sizes.size()) != n)
    throw OnnxError("split has " + str(sizes.size()) + " parts for " + str(n) + " outputs");
  if (std::accumulate(sizes.begin(), sizes.end(), int64_t{0}) != dim ||
      std::any_of(sizes.begin(), sizes.end(), [](int64_t s) { return s < 0; }))
    throw OnnxError("split " + shapeText(sizes) + " does not add up to " + str(dim));
  Tensors out;
  int64_t offset = 0;
  for (int64_t s : sizes) {
    out.push_back(x.narrow(axis, offset, s));
    offset += s;
  }
  return out;
}

Tensors sliceOp(const OnnxNodeContext& ctx) {
  auto x = ctx.input(0);
  const auto starts = toInt64Vector(ctx.input(1));
  const auto ends = toInt64Vector(ctx.input(2));
  const size_t n = starts.size();
  std::vector<int64_t> axes(n), steps(n, 1);
  std::iota(axes.begin(), axes.end(), 0);
  if (ctx.hasInput(3)) axes = toInt64Vector(ctx.input(3));
  if (ctx.hasInput(4)) steps = toInt64Vector(ctx.input(4));
  if (ends.size() != n || axes.size() != n || steps.size() != n)
    throw OnnxError("starts, ends, axes and steps differ in length");
  axes = normalizeAxes(axes, x.dim());
  for (size_t i = 0; i < n; ++i) {
    const int64_t d = axes[i], dim = x.size(d), step = steps[i];
    if (step == 0) throw OnnxError("steps must not be 0");
    int64_t start = starts[i] < 0 ? starts[i] + dim : starts[i];
    int64_t end = ends[i] < 0 ? ends[i] + dim : ends[i];
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      x = x.slice(d, start, std::max(start, end), step);
      continue;
    }
    // Negative steps: ATen views cannot stride backwards, so gather the indices.
    start = std::clamp<int64_t>(start, 0, std::max<int64_t>(dim - 1, 0));
    end = std::clamp<int64_t>(end, -1, dim - 1);
    if (dim == 0 || end >= start) {
      x = x.narrow(d, 0, 0);
    } else {
      auto idx = torch::arange(start, end, step, torch::dtype(torch::kLong).device(x.device()));
      x = x.index_select(d, idx);
    }
  }
  return {x};
}

// ---- gather / scatter ---------------------------------------------------------------

Tensors gatherOp(const OnnxNodeContext& ctx) {
  const auto& data = ctx.input(0);
  const auto& indices = ctx.input(1);
  const int64_t axis = normalizeAxis(ctx.i("axis", 0), data.dim());
  const int64_t dim = data.size(axis);
  if (indices.dim() == 0) {
    int64_t i = scalarInt(indices, "indices");
    if (i < -dim || i >= dim)
      throw OnnxError("index " + str(i) + " is outside [-" + str(dim) + ", " + str(dim) + ")");
    return {data.select(axis, i < 0 ? i + dim : i)};
  }
  auto idx = wrapIndices(indices, dim, data.device());
  std::vector<int64_t> shape(data.sizes().begin(), data.sizes().begin() + axis);
  shape.insert(shape.end(), indices.sizes().begin(), indices.sizes().end());
  shape.insert(shape.end(), data.sizes().begin() + axis + 1, data.sizes().end());
  return {data.index_select(axis, idx.reshape({-1})).view(shape)};
}

Tensors gatherElementsOp(const OnnxNodeContext& ctx) {
  const auto& data = ctx.input(0);
  const auto& indices = ctx.input(1);
  const int64_t axis = normalizeAxis(ctx.i("axis", 0), data.dim());
  if (indices.dim() != data.dim())
    throw OnnxError("indices of rank " + str(indices.dim()) + " for data of rank " +
                    str(data.dim()));
  return {torch::gather(data, axis, wrapIndices(indices, data.size(axis), data.device()))};
}

// Rows of `data` viewed as [batch * prod(dims[b:b+k]), rest] that index tuples
// (the last axis of `indices`, after b batch axes) address: shape [batch*m].
torch::Tensor linearRows(const torch::Tensor& data, const torch::Tensor& indices, int64_t b) {
  const int64_t k = indices.size(-1);
  if (k < 1 || k > data.dim() - b)
    throw OnnxError("index tuples of length " + str(k) + " for data of rank " + str(data.dim()) +
                    " with " + str(b) + " batch dims");
  const auto device = data.device();
  auto idx = indices.to(device, torch::kLong);
  int64_t batch = 1;
  for (int64_t d = 0; d < b; ++d) {
    if (indices.size(d) != data.size(d))
      throw OnnxError("batch dimension " + str(d) + " differs between data and indices");
    batch *= data.size(d);
  }
  idx = idx.reshape({batch, -1, k});
  auto rows = torch::zeros({batch, idx.size(1)}, torch::dtype(torch::kLong).device(device));
  int64_t block = 1;  // rows per batch entry
  for (int64_t j = k - 1; j >= 0; --j) {
    const int64_t dim = data.size(b + j);
    rows += wrapIndices(idx.select(2, j), dim, device) * block;
    block *= dim;
  }
  rows += torch::arange(batch, torch::dtype(torch::kLong).device(device)).unsqueeze(1) * block;
  return rows.reshape({-1});
}

Tensors gatherNdOp(const OnnxNodeContext& ctx) {
  const auto& data = ctx.input(0);
  const auto& indices = ctx.input(1);
  const int64_t b = ctx.opset() >= 12 ? ctx.i("batch_dims", 0) : 0;
  if (b < 0 || b >= std::min(data.dim(), indices.dim()))
    throw OnnxError("batch_dims must be in [0, min(rank(data), rank(indices)))");
  const int64_t k = indices.size(-1);
  auto rows = linearRows(data, indices, b);
  std::vector<int64_t> shape(indices.sizes().begin(), indices.sizes().end() - 1);
  shape.insert(shape.end(), data.sizes().begin() + b + k, data.sizes().end());
  int64_t lead = 1, rest = 1;
  for (int64_t d = 0; d < data.dim(); ++d) (d < b + k ? lead : rest) *= data.size(d);
  return {data.reshape({lead, rest}).index_select(0, rows).view(shape)};
}

std::string reductionOf(const OnnxNodeContext& ctx) {
  return ctx.opset() >= 16 ? ctx.s("reduction", "none") : "none";
}

std::string refuseReduction(const onnx::NodeProto& node, int) {
  const auto r = attrString(node, "reduction", "none");
  if (r == "none" || r == "add" || r == "mul") return {};
  return "reduction '" + r + "' not supported";
}

Tensors scatterNdOp(const OnnxNodeContext& ctx) {
  const auto& data = ctx.input(0);
  const auto& indices = ctx.input(1);
  const auto& updates = ctx.input(2);
  const int64_t k = indices.size(-1);
  auto rows = linearRows(data, indices, 0);
  int64_t lead = 1, rest = 1;
  for (int64_t d = 0; d < data.dim(); ++d) (d < k ? lead : rest) *= data.size(d);
  if (updates.numel() != rows.numel() * rest)
    throw OnnxError("updates of shape " + shapeText(updates.sizes()) + " do not match indices " +
                    shapeText(indices.sizes()) + " into data " + shapeText(data.sizes()));
  auto out = data.clone(at::MemoryFormat::Contiguous);
  auto flat = out.view({lead, rest});
  auto src = updates.to(data.device(), data.scalar_type()).reshape({rows.numel(), rest});
  auto index = rows.unsqueeze(1).expand({rows.numel(), rest});
  const auto reduction = reductionOf(ctx);
  if (reduction == "none")
    flat.scatter_(0, index, src);
  else if (reduction == "add")
    flat.scatter_add_(0, index, src);
  else
    flat.scatter_reduce_(0, index, src, "prod");
  return {out};
}

Tensors scatterElementsOp(const OnnxNodeContext& ctx) {
  const auto& data = ctx.input(0);
  const auto& indices = ctx.input(1);
  const auto& updates = ctx.input(2);
  const int64_t axis = normalizeAxis(ctx.i("axis", 0), data.dim());
  if (indices.sizes() != updates.sizes() || indices.dim() != data.dim())
    throw OnnxError("indices " + shapeText(indices.sizes()) + " and updates " +
                    shapeText(updates.sizes()) + " must match and have the rank of data");
  auto idx = wrapIndices(indices, data.size(axis), data.device());
  auto src = updates.to(data.device(), data.scalar_type());
  auto out = data.clone();
  const auto reduction = reductionOf(ctx);
  if (reduction == "none")
    out.scatter_(axis, idx, src);
  else if (reduction == "add")
    out.scatter_add_(axis, idx, src);
  else
    out.scatter_reduce_(axis, idx, src, "prod");
  return {out};
}

// ---- broadcast / repeat ------------------------------------------------------------

Tensors expandOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const auto shape = toInt64Vector(ctx.input(1));
  const int64_t rank = std::max<int64_t>(x.dim(), shape.size());
  std::vector<int64_t> out(rank), in(rank, 1);
  for (int64_t i = 0; i < x.dim(); ++i) in[rank - x.dim() + i] = x.size(i);
  for (int64_t i = 0; i < rank; ++i) {
    const int64_t offset = rank - static_cast<int64_t>(shape.size());
    const int64_t s = i >= offset ? shape[i - offset] : 1;
    if (s != in[i] && s != 1 && in[i] != 1)
      throw OnnxError("cannot broadcast " + shapeText(x.sizes()) + " to " + shapeText(shape));
    out[i] = s == 1 ? in[i] : s;
  }
  return {x.reshape(in).expand(out)};
}

Tensors tileOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const auto repeats = toInt64Vector(ctx.input(1));
  if (static_cast<int64_t>(repeats.size()) != x.dim())
    throw OnnxError("repeats " + shapeText(repeats) + " do not match rank " + str(x.dim()));
  if (x.dim() == 0) return {x.clone()};
  return {x.repeat(repeats)};
}

// ---- generators -----------------------------------------------------------------------

Tensors rangeOp(const OnnxNodeContext& ctx) {
  const auto& startT = ctx.input(0);
  const auto type = startT.scalar_type();
  const auto options = torch::TensorOptions().device(startT.device());
  for (int i = 0; i < 3; ++i)
    if (ctx.input(i).numel() != 1) throw OnnxError("start, limit and delta must be scalars");
  if (c10::isIntegralType(type, false)) {
    const int64_t start = startT.item<int64_t>(), limit = ctx.input(1).item<int64_t>(),
                  delta = ctx.input(2).item<int64_t>();
    if (delta == 0) throw OnnxError("delta must not be 0");
    const int64_t diff = limit - start;
    int64_t n = 0;
    if (delta > 0 && diff > 0) n = (diff + delta - 1) / delta;
    if (delta < 0 && diff < 0) n = (-diff - delta - 1) / -delta;
    return {(torch::arange(n, options.dtype(torch::kLong)) * delta + start).to(type)};
  }
  const double start = startT.item<double>(), limit = ctx.input(1).item<double>(),
               delta = ctx.input(2).item<double>();
  if (delta == 0) throw OnnxError("delta must not be 0");
  // The count follows the spec (and ONNX Runtime): the difference in the input
  // type, the division in double.
  const double diff = type == torch::kFloat ? double(float(limit) - float(start)) : limit - start;
  const int64_t n = std::max<int64_t>(static_cast<int64_t>(std::ceil(diff / delta)), 0);
  return {(torch::arange(n, options.dtype(torch::kDouble)) * delta + start).to(type)};
}

std::string refuseConstantOfShape(const onnx::NodeProto& node, int) {
  const auto* a = attrOf(node, "value");
  if (a && !torchTypeOf(a->t().data_type()))
    return "value of type " + onnxTypeName(a->t().data_type()) + " not supported";
  return {};
}

Tensors constantOfShapeOp(const OnnxNodeContext& ctx) {
  const auto& shapeT = ctx.input(0);
  const auto shape = toInt64Vector(shapeT);
  for (int64_t d : shape)
    if (d < 0) throw OnnxError("shape " + shapeText(shape) + " has a negative dimension");
  torch::Tensor value = ctx.has("value") ? ctx.t("value") : torch::zeros({1}, torch::kFloat);
  if (value.numel() != 1) throw OnnxError("value must hold one element");
  auto out = torch::empty(shape, torch::dtype(value.scalar_type()).device(shapeT.device()));
  return {out.fill_(value.reshape({}).to(shapeT.device()))};
}

std::string refuseConstant(const onnx::NodeProto& node, int) {
  if (attrOf(node, "sparse_value")) return "sparse_value not supported";
  if (attrOf(node, "value_string") || attrOf(node, "value_strings"))
    return "string constants not supported";
  const auto* a = attrOf(node, "value");
  if (a && !torchTypeOf(a->t().data_type()))
    return "value of type " + onnxTypeName(a->t().data_type()) + " not supported";
  return {};
}

Tensors constantOp(const OnnxNodeContext& ctx) {
  if (ctx.has("value")) return {ctx.t("value")};
  if (ctx.has("value_float")) return {torch::scalar_tensor(ctx.f("value_float", 0), torch::kFloat)};
  if (ctx.has("value_int")) return {torch::scalar_tensor(ctx.i("value_int", 0), torch::kLong)};
  if (ctx.has("value_floats")) {
    const auto v = ctx.floats("value_floats");
    return {torch::tensor(at::ArrayRef<float>(v), torch::kFloat)};
  }
  if (ctx.has("value_ints")) return {int64Tensor(ctx.ints("value_ints"))};
  throw OnnxError("no value attribute");
}

Tensors oneHotOp(const OnnxNodeContext& ctx) {
  const auto& values = ctx.input(2);
  if (values.numel() != 2) throw OnnxError("values must be [off_value, on_value]");
  const auto device = values.device();
  auto indices = ctx.input(0).to(device);
  const auto& depthT = ctx.input(1);
  if (depthT.numel() != 1) throw OnnxError("depth must be a scalar");
  const int64_t depth = depthT.is_floating_point() ? static_cast<int64_t>(depthT.item<double>())
                                                   : depthT.item<int64_t>();
  if (depth < 1) throw OnnxError("depth must be positive, got " + str(depth));
  const int64_t rank = indices.dim();
  int64_t axis = ctx.i("axis", -1);
  if (axis < 0) axis += rank + 1;
  if (axis < 0 || axis > rank) throw OnnxError("axis is outside [-rank-1, rank]");
  auto idx = indices.to(torch::kLong);  // float indices truncate, as casting does
  // [-depth, -1] counts from the end; anything else out of range matches nothing.
  idx = torch::where(idx < 0, idx + depth, idx);
  auto hot = idx.unsqueeze(-1) == torch::arange(depth, idx.options());
  auto flat = values.reshape({2});
  auto out = torch::where(hot, flat[1], flat[0]);
  return {out.movedim(-1, axis).contiguous()};
}

Tensors eyeLikeOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  if (x.dim() != 2) throw OnnxError("input must be 2-D, got " + shapeText(x.sizes()));
  auto type = x.scalar_type();
  if (ctx.has("dtype")) type = *torchTypeOf(static_cast<int>(ctx.i("dtype", 0)));
  const auto options = torch::dtype(torch::kLong).device(x.device());
  auto rows = torch::arange(x.size(0), options).unsqueeze(1);
  auto cols = torch::arange(x.size(1), options).unsqueeze(0);
  return {(cols - rows == ctx.i("k", 0)).to(type)};
}

std::string refuseEyeLike(const onnx::NodeProto& node, int) {
  const auto* a = attrOf(node, "dtype");
  if (a && !torchTypeOf(static_cast<int>(a->i())))
    return "dtype " + onnxTypeName(static_cast<int>(a->i())) + " not supported";
  return {};
}

// ---- padding / selection ------------------------------------------------------------

std::string refusePad(const onnx::NodeProto& node, int) {
  const auto mode = attrString(node, "mode", "constant");
  if (mode == "constant" || mode == "reflect" || mode == "edge") return {};
  return "mode '" + mode + "' not supported";
}

Tensors padOp(const OnnxNodeContext& ctx) {
  auto x = ctx.input(0);
  const auto pads = toInt64Vector(ctx.input(1));
  const int64_t rank = x.dim();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    throw OnnxError("pads " + shapeText(pads) + " must hold 2 * rank = " + str(2 * rank) +
                    " values");
  const auto mode = ctx.s("mode", "constant");
  if (mode == "constant") {
    std::vector<int64_t> torchPads;  // last axis first, (begin, end) each
    for (int64_t d = rank - 1; d >= 0; --d) {
      torchPads.push_back(pads[d]);
      torchPads.push_back(pads[d + rank]);
    }
    at::Scalar value = 0;
    if (ctx.hasInput(2) && ctx.input(2).numel() > 0) value = ctx.input(2).reshape({-1})[0].item();
    if (std::all_of(pads.begin(), pads.end(), [](int64_t p) { return p == 0; })) return {x};
    return {torch::constant_pad_nd(x, torchPads, value)};
  }
  // reflect / edge: each padded axis gathers the source position of every output one.
  for (int64_t d = 0; d < rank; ++d) {
    const int64_t begin = pads[d], end = pads[d + rank], dim = x.size(d);
    if (begin == 0 && end == 0) continue;
    if (dim + begin + end < 0) throw OnnxError("pads remove more than axis " + str(d) + " holds");
    if (dim == 0) throw OnnxError("cannot " + mode + "-pad an empty axis");
    auto pos = torch::arange(-begin, dim + end, torch::kLong);
    if (mode == "edge" || dim == 1) {
      pos = pos.clamp(0, dim - 1);
    } else {
      const int64_t period = 2 * (dim - 1);
      pos = torch::remainder(pos, period);
      pos = torch::where(pos >= dim, period - pos, pos);
    }
    x = x.index_select(d, pos.to(x.device()));
  }
  return {x};
}

Tensors nonZeroOp(const OnnxNodeContext& ctx) {
  auto x = ctx.input(0);
  if (x.dim() == 0) x = x.reshape({1});
  return {torch::nonzero(x).t().contiguous()};
}

Tensors triluOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  if (x.dim() < 2) throw OnnxError("input must have rank >= 2");
  const int64_t k = ctx.hasInput(1) ? scalarInt(ctx.input(1), "k") : 0;
  return {ctx.i("upper", 1) ? x.triu(k) : x.tril(k)};
}

Tensors compressOp(const OnnxNodeContext& ctx) {
  auto x = ctx.input(0);
  const auto& condition = ctx.input(1);
  if (condition.dim() != 1) throw OnnxError("condition must be 1-D");
  int64_t axis = 0;
  if (ctx.has("axis"))
    axis = normalizeAxis(ctx.i("axis", 0), x.dim());
  else
    x = x.reshape({-1});
  auto idx = torch::nonzero(condition.to(torch::kBool)).reshape({-1});
  if (idx.numel() > 0 && idx.max().item<int64_t>() >= x.size(axis))
    throw OnnxError("condition selects beyond the axis of size " + str(x.size(axis)));
  return {x.index_select(axis, idx.to(x.device()))};
}

// ---- depth / space -------------------------------------------------------------------

std::string refuseDepthToSpace(const onnx::NodeProto& node, int) {
  const auto mode = attrString(node, "mode", "DCR");
  if (mode == "DCR" || mode == "CRD") return {};
  return "mode '" + mode + "' not supported";
}

int64_t blockSizeOf(const OnnxNodeContext& ctx, const torch::Tensor& x) {
  const int64_t bs = ctx.i("blocksize", 0);
  if (bs < 1) throw OnnxError("blocksize must be positive");
  if (x.dim() != 4) throw OnnxError("input must be 4-D (N, C, H, W)");
  return bs;
}

Tensors depthToSpaceOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const int64_t bs = blockSizeOf(ctx, x);
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  if (c % (bs * bs) != 0) throw OnnxError("channels not divisible by blocksize^2");
  const int64_t oc = c / (bs * bs);
  torch::Tensor y;
  if (ctx.s("mode", "DCR") == "DCR")
    y = x.reshape({n, bs, bs, oc, h, w}).permute({0, 3, 4, 1, 5, 2});
  else
    y = x.reshape({n, oc, bs, bs, h, w}).permute({0, 1, 4, 2, 5, 3});
  return {y.reshape({n, oc, h * bs, w * bs})};
}

Tensors spaceToDepthOp(const OnnxNodeContext& ctx) {
  const auto& x = ctx.input(0);
  const int64_t bs = blockSizeOf(ctx, x);
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  if (h % bs != 0 || w % bs != 0) throw OnnxError("height and width not divisible by blocksize");
  auto y = x.reshape({n, c, h / bs, bs, w / bs, bs}).permute({0, 3, 5, 1, 2, 4});
  return {y.reshape({n, c * bs * bs, h / bs, w / bs})};
}

}  // namespace

void registerShapeOps(OnnxOpRegistry& registry) {
  auto add = [&](const char* op, OnnxKernel kernel, OnnxRefusal refuse = {}, int since = 11) {
    registry.add({op, since, OnnxOpRegistry::kMaxOpset, std::move(kernel), std::move(refuse)});
  };
  add("Shape", shapeOp);
  add("Size", sizeOp);
  add("Reshape", reshapeOp);
  add("Flatten", flattenOp);
  add("Squeeze", squeezeOp);
  add("Unsqueeze", unsqueezeOp);
  add("Transpose", transposeOp);
  add("Concat", concatOp);
  add("Split", splitOp);
  add("Slice", sliceOp);
  add("Gather", gatherOp);
  add("GatherElements", gatherElementsOp);
  add("GatherND", gatherNdOp);
  add("ScatterND", scatterNdOp, refuseReduction);
  add("ScatterElements", scatterElementsOp, refuseReduction);
  add("Expand", expandOp);
  add("Tile", tileOp);
  add("Range", rangeOp);
  add("ConstantOfShape", constantOfShapeOp, refuseConstantOfShape);
  add("Constant", constantOp, refuseConstant);
  add("OneHot", oneHotOp);
  add("EyeLike", eyeLikeOp, refuseEyeLike);
  add("Pad", padOp, refusePad);
  add("NonZero", nonZeroOp);
  add("Trilu", triluOp, {}, 14);
  add("Compress", compressOp);
  add("DepthToSpace", depthToSpaceOp, refuseDepthToSpace);
  add("SpaceToDepth", spaceToDepthOp);
}

}  // namespace distillery
