// ONNX operators: nn family (see onnx_op_registry.h): Conv, ConvTranspose, the
// pools and the normalisations. Kernels call ATen's convolution / pooling /
// normalisation directly; ONNX's asymmetric and auto pads become an explicit
// constant pad around the ATen call only when ATen cannot express them.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "engine/onnx/onnx_op_registry.h"

namespace distillery {
namespace {

using Ints = std::vector<int64_t>;

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::string str(const Ints& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

// Half / bfloat16 run through float: ATen's CPU kernels lack them.
torch::ScalarType computeType(torch::ScalarType t) {
  return (t == torch::kHalf || t == torch::kBFloat16) ? torch::kFloat : t;
}

bool isFloating(torch::ScalarType t) {
  return t == torch::kFloat || t == torch::kDouble || t == torch::kHalf || t == torch::kBFloat16;
}

Ints spatialAttr(const OnnxNodeContext& ctx, const char* name, size_t n, int64_t fallback) {
  Ints v = ctx.ints(name);
  if (v.empty()) return Ints(n, fallback);
  if (v.size() != n)
    throw OnnxError(std::string(name) + " has " + std::to_string(v.size()) + " values, expected " +
                    std::to_string(n) + " (one per spatial axis)");
  return v;
}

std::string checkAutoPad(const onnx::NodeProto& node) {
  for (const auto& a : node.attribute())
    if (a.name() == "auto_pad" && a.s() != "NOTSET" && a.s() != "VALID" && a.s() != "SAME_UPPER" &&
        a.s() != "SAME_LOWER")
      return "auto_pad '" + a.s() + "' is not a valid value";
  return {};
}

const onnx::AttributeProto* attr(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

// Kernel, strides, dilations and begin/end pads of a conv or pool window over the
// spatial axes of x ([N, C, spatial...]). SAME_* pads make out = ceil(in / stride);
// an odd total puts the extra pixel at the end (SAME_UPPER) or the beginning.
struct Window {
  Ints kernel, strides, dilations, padBegin, padEnd;
  std::string autoPad;
  size_t rank() const { return kernel.size(); }
  int64_t extent(size_t i) const { return (kernel[i] - 1) * dilations[i] + 1; }
};

Window makeWindow(const OnnxNodeContext& ctx, const torch::Tensor& x, Ints kernel,
                  bool hasDilations) {
  const size_t n = kernel.size();
  if (x.dim() != static_cast<int64_t>(n) + 2)
    throw OnnxError("input has rank " + std::to_string(x.dim()) + ", expected " +
                    std::to_string(n + 2) + " for a " + std::to_string(n) + "-D window");
  Window w;
  w.kernel = std::move(kernel);
  w.strides = spatialAttr(ctx, "strides", n, 1);
  w.dilations = hasDilations ? spatialAttr(ctx, "dilations", n, 1) : Ints(n, 1);
  w.autoPad = ctx.s("auto_pad", "NOTSET");
  for (size_t i = 0; i < n; ++i)
    if (w.kernel[i] < 1 || w.strides[i] < 1 || w.dilations[i] < 1)
      throw OnnxError("kernel_shape, strides and dilations must be positive");
  w.padBegin.assign(n, 0);
  w.padEnd.assign(n, 0);
  if (w.autoPad == "NOTSET") {
    Ints pads = ctx.ints("pads");
    if (!pads.empty()) {
      if (pads.size() != 2 * n)
        throw OnnxError("pads has " + std::to_string(pads.size()) + " values, expected " +
                        std::to_string(2 * n));
      for (size_t i = 0; i < n; ++i) {
        w.padBegin[i] = pads[i];
        w.padEnd[i] = pads[i + n];
      }
    }
  } else if (w.autoPad == "SAME_UPPER" || w.autoPad == "SAME_LOWER") {
    for (size_t i = 0; i < n; ++i) {
      const int64_t in = x.size(static_cast<int64_t>(i) + 2);
      const int64_t out = (in + w.strides[i] - 1) / w.strides[i];
      const int64_t total = std::max<int64_t>(0, (out - 1) * w.strides[i] + w.extent(i) - in);
      w.padBegin[i] = w.autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.padEnd[i] = total - w.padBegin[i];
    }
  }
  return w;
}

// at::constant_pad_nd's pad list (last axis first) for spatial begin/end amounts.
Ints padList(const Ints& begin, const Ints& end) {
  Ints p;
  for (size_t i = begin.size(); i-- > 0;) {
    p.push_back(begin[i]);
    p.push_back(end[i]);
  }
  return p;
}

bool anyNonZero(const Ints& v) {
  return std::any_of(v.begin(), v.end(), [](int64_t x) { return x != 0; });
}

torch::Tensor channelView(const torch::Tensor& v, int64_t rank) {
  Ints shape(rank, 1);
  shape[1] = -1;
  return v.reshape(shape);
}

Ints weightKernel(const OnnxNodeContext& ctx, const torch::Tensor& x, const torch::Tensor& w) {
  if (x.dim() < 3 || x.dim() > 5)
    throw OnnxError("input rank " + std::to_string(x.dim()) + " is not supported (3 to 5)");
  if (w.dim() != x.dim())
    throw OnnxError("weights have rank " + std::to_string(w.dim()) + ", expected " +
                    std::to_string(x.dim()));
  Ints kernel(w.sizes().begin() + 2, w.sizes().end());
  Ints given = ctx.ints("kernel_shape");
  if (!given.empty() && given != kernel)
    throw OnnxError("kernel_shape " + str(given) + " disagrees with the weights' " + str(kernel));
  return kernel;
}

// --- Conv ---------------------------------------------------------------------------------

std::vector<torch::Tensor> conv(const OnnxNodeContext& ctx) {
  torch::Tensor x = ctx.input(0);
  const torch::ScalarType type = x.scalar_type();
  if (!isFloating(type)) throw OnnxError("Conv needs a floating-point input");
  const torch::ScalarType ct = computeType(type);
  torch::Tensor w = ctx.input(1);
  const Ints kernel = weightKernel(ctx, x, w);
  const int64_t group = ctx.i("group", 1);
  if (group < 1 || x.size(1) != w.size(1) * group || w.size(0) % group != 0)
    throw OnnxError("input channels " + std::to_string(x.size(1)) + ", weights " +
                    str(w.sizes().vec()) + " and group " + std::to_string(group) + " do not fit");
  const Window win = makeWindow(ctx, x, kernel, true);
  const size_t n = win.rank();
  // ATen pads symmetrically; the excess of one side is padded explicitly.
  Ints sym(n), extraBegin(n), extraEnd(n);
  for (size_t i = 0; i < n; ++i) {
    sym[i] = std::max<int64_t>(0, std::min(win.padBegin[i], win.padEnd[i]));
    extraBegin[i] = win.padBegin[i] - sym[i];
    extraEnd[i] = win.padEnd[i] - sym[i];
  }
  x = x.to(ct);
  if (anyNonZero(extraBegin) || anyNonZero(extraEnd))
    x = at::constant_pad_nd(x, padList(extraBegin, extraEnd), 0);
  c10::optional<torch::Tensor> bias;
  if (ctx.hasInput(2)) bias = ctx.input(2).to(ct);
  torch::Tensor y = at::convolution(x, w.to(ct), bias, win.strides, sym, win.dilations,
                                    /*transposed=*/false, Ints(n, 0), group);
  return {y.to(type)};
}

// --- ConvTranspose -------------------------------------------------------------------------

std::vector<torch::Tensor> convTranspose(const OnnxNodeContext& ctx) {
  torch::Tensor x = ctx.input(0);
  const torch::ScalarType type = x.scalar_type();
  if (!isFloating(type)) throw OnnxError("ConvTranspose needs a floating-point input");
  const torch::ScalarType ct = computeType(type);
  torch::Tensor w = ctx.input(1);
  const Ints kernel = weightKernel(ctx, x, w);
  const int64_t group = ctx.i("group", 1);
  if (group < 1 || w.size(0) != x.size(1) || x.size(1) % group != 0)
    throw OnnxError("input channels " + std::to_string(x.size(1)) + ", weights " +
                    str(w.sizes().vec()) + " and group " + std::to_string(group) + " do not fit");
  const size_t n = kernel.size();
  const Ints strides = spatialAttr(ctx, "strides", n, 1);
  const Ints dilations = spatialAttr(ctx, "dilations", n, 1);
  const Ints outPad = spatialAttr(ctx, "output_padding", n, 0);
  Ints outShape = ctx.ints("output_shape");
  if (outShape.size() == n + 2) outShape.erase(outShape.begin(), outShape.begin() + 2);
  if (!outShape.empty() && outShape.size() != n)
    throw OnnxError("output_shape " + str(outShape) + " does not have one value per spatial axis");
  const std::string autoPad = ctx.s("auto_pad", "NOTSET");
  const bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  Ints head(n, 0), tail(n, 0), full(n), outLen(n);
  Ints pads = ctx.ints("pads");
  if (!pads.empty() && pads.size() != 2 * n)
    throw OnnxError("pads has " + std::to_string(pads.size()) + " values, expected " +
                    std::to_string(2 * n));
  for (size_t i = 0; i < n; ++i) {
    if (strides[i] < 1 || dilations[i] < 1)
      throw OnnxError("strides and dilations must be positive");
    const int64_t in = x.size(static_cast<int64_t>(i) + 2);
    full[i] = strides[i] * (in - 1) + (kernel[i] - 1) * dilations[i] + 1;
    if (!outShape.empty() || same) {
      // ONNX's equations: total padding from the wanted size; SAME_UPPER puts the
      // odd pixel at the end, otherwise at the beginning (floor division, as ONNX's
      // reference, so a negative total extends the end).
      const int64_t target = outShape.empty() ? in * strides[i] : outShape[i];
      const int64_t total = full[i] + outPad[i] - target;
      if (autoPad == "SAME_UPPER") {
        head[i] = floorDiv(total, 2);
        tail[i] = total - head[i];
      } else {
        tail[i] = floorDiv(total, 2);
        head[i] = total - tail[i];
      }
    } else if (!pads.empty() && autoPad == "NOTSET") {
      head[i] = pads[i];
      tail[i] = pads[i + n];
    }
    outLen[i] = full[i] + outPad[i] - head[i] - tail[i];
    if (outLen[i] < 1)
      throw OnnxError("the output would be empty along spatial axis " + std::to_string(i));
  }
  x = x.to(ct);
  w = w.to(ct);
  c10::optional<torch::Tensor> bias;
  if (ctx.hasInput(2)) bias = ctx.input(2).to(ct);
  bool direct = true;  // ATen: symmetric pads, output_padding < stride or dilation
  for (size_t i = 0; i < n; ++i)
    direct = direct && head[i] == tail[i] && head[i] >= 0 && outPad[i] >= 0 &&
             (outPad[i] < strides[i] || outPad[i] < dilations[i]);
  if (direct) {
    torch::Tensor y =
        at::convolution(x, w, bias, strides, head, dilations, /*transposed=*/true, outPad, group);
    return {y.to(type)};
  }
  // The full result, then cropped / zero-extended to [head, head + outLen).
  torch::Tensor y = at::convolution(x, w, c10::nullopt, strides, Ints(n, 0), dilations,
                                    /*transposed=*/true, Ints(n, 0), group);
  Ints before(n), after(n);
  for (size_t i = 0; i < n; ++i) {
    before[i] = -head[i];
    after[i] = head[i] + outLen[i] - full[i];
  }
  y = at::constant_pad_nd(y, padList(before, after), 0);
  if (bias) y = y + channelView(*bias, y.dim());
  return {y.to(type)};
}

// --- Pools ---------------------------------------------------------------------------------

// Output sizes per ONNX; with ceil_mode a window starting in the end padding is
// dropped (as ATen and ONNX's current spec do).
Ints poolOutput(const Window& w, const torch::Tensor& x, bool ceilMode) {
  Ints out(w.rank());
  for (size_t i = 0; i < w.rank(); ++i) {
    const int64_t in = x.size(static_cast<int64_t>(i) + 2);
    const int64_t s = w.strides[i];
    if (w.autoPad == "SAME_UPPER" || w.autoPad == "SAME_LOWER") {
      out[i] = (in + s - 1) / s;
    } else {
      const int64_t span = in + w.padBegin[i] + w.padEnd[i] - w.extent(i);
      if (span < 0) throw OnnxError("the pooling window is larger than the padded input");
      out[i] = (ceilMode ? (span + s - 1) / s : span / s) + 1;
      if (ceilMode && (out[i] - 1) * s >= in + w.padBegin[i]) --out[i];
    }
  }
  return out;
}

// Whether ATen's own padding and ceil_mode give exactly ONNX's windows.
bool atenPads(const Window& w, const torch::Tensor& x, const Ints& out, bool ceilMode) {
  for (size_t i = 0; i < w.rank(); ++i) {
    const int64_t p = w.padBegin[i];
    if (p != w.padEnd[i] || p < 0 || p > w.kernel[i] / 2) return false;
    const int64_t in = x.size(static_cast<int64_t>(i) + 2);
    const int64_t s = w.strides[i];
    int64_t o = (in + 2 * p - w.extent(i) + (ceilMode ? s - 1 : 0)) / s + 1;
    if (ceilMode && (o - 1) * s >= in + p) --o;
    if (o != out[i]) return false;
  }
  return true;
}

// End padding that makes floor-mode windows over the explicitly padded input
// produce exactly `out` windows (negative crops).
Ints endPadFor(const Window& w, const torch::Tensor& x, const Ints& out) {
  Ints end(w.rank());
  for (size_t i = 0; i < w.rank(); ++i)
    end[i] = (out[i] - 1) * w.strides[i] + w.extent(i) - x.size(static_cast<int64_t>(i) + 2) -
             w.padBegin[i];
  return end;
}

Ints poolKernel(const OnnxNodeContext& ctx) {
  Ints k = ctx.ints("kernel_shape");
  if (k.empty()) throw OnnxError("kernel_shape is required");
  return k;
}

std::string refusePool(const onnx::NodeProto& node, int) {
  const auto* k = attr(node, "kernel_shape");
  if (!k || k->ints_size() == 0) return "kernel_shape is required";
  if (k->ints_size() > 3) return "pooling over more than 3 spatial axes is not supported";
  if (const auto* so = attr(node, "storage_order"); so && so->i() != 0 && so->i() != 1)
    return "storage_order must be 0 or 1";
  return checkAutoPad(node);
}

// 1-D pooling runs as 2-D over a unit height.
struct PoolArgs {
  Ints kernel, strides, pads, dilations;
};

PoolArgs atenArgs(const Window& w, bool usePads) {
  PoolArgs a{w.kernel, w.strides, usePads ? w.padBegin : Ints(w.rank(), 0), w.dilations};
  if (w.rank() == 1) {
    a.kernel.insert(a.kernel.begin(), 1);
    a.strides.insert(a.strides.begin(), 1);
    a.pads.insert(a.pads.begin(), 0);
    a.dilations.insert(a.dilations.begin(), 1);
  }
  return a;
}

// ONNX's Indices: flat over [N, C, spatial...], spatial order per storage_order
// (0 row-major, 1 column-major). `idx` is ATen's flat index over `atenSizes`
// (the possibly padded plane), `shift` the begin padding to remove.
torch::Tensor onnxIndices(const torch::Tensor& idx, const Ints& atenSizes, const Ints& shift,
                          const Ints& inSizes, int64_t storageOrder, int64_t n, int64_t c) {
  const size_t r = atenSizes.size();
  std::vector<torch::Tensor> coord(r);
  torch::Tensor rest = idx;
  for (size_t d = r; d-- > 0;) {
    coord[d] = rest.remainder(atenSizes[d]) - shift[d];
    rest = rest.div(atenSizes[d], "floor");
  }
  torch::Tensor flat = torch::zeros_like(idx);
  if (storageOrder == 0) {
    for (size_t d = 0; d < r; ++d) flat = flat * inSizes[d] + coord[d];
  } else {
    for (size_t d = r; d-- > 0;) flat = flat * inSizes[d] + coord[d];
  }
  int64_t plane = 1;
  for (int64_t s : inSizes) plane *= s;
  Ints baseShape(idx.dim(), 1);
  baseShape[0] = n;
  baseShape[1] = c;
  return flat + torch::arange(n * c, idx.options()).reshape(baseShape) * plane;
}

std::vector<torch::Tensor> maxPool(const OnnxNodeContext& ctx) {
  torch::Tensor x = ctx.input(0);
  const torch::ScalarType type = x.scalar_type();
  if (type == torch::kBool) throw OnnxError("MaxPool of a bool tensor is not supported");
  // Integers pool as float (exact for 8-bit) or double (exact below 2^53).
  const torch::ScalarType ct = isFloating(type)
                                   ? computeType(type)
                                   : (c10::elementSize(type) <= 2 ? torch::kFloat : torch::kDouble);
  const Window w = makeWindow(ctx, x, poolKernel(ctx), true);
  if (w.rank() > 3) throw OnnxError("pooling over more than 3 spatial axes is not supported");
  const bool ceilMode = ctx.i("ceil_mode", 0) != 0 && w.autoPad == "NOTSET";
  const Ints out = poolOutput(w, x, ceilMode);
  const bool native = atenPads(w, x, out, ceilMode);
  x = x.to(ct);
  Ints atenSizes(x.sizes().begin() + 2, x.sizes().end());
  if (!native) {
    const Ints end = endPadFor(w, x, out);
    x = at::constant_pad_nd(x, padList(w.padBegin, end), -std::numeric_limits<double>::infinity());
    for (size_t i = 0; i < w.rank(); ++i) atenSizes[i] += w.padBegin[i] + end[i];
  }
  const PoolArgs a = atenArgs(w, native);
  const bool oneD = w.rank() == 1;
  if (oneD) x = x.unsqueeze(2);
  const bool ceil = native && ceilMode;
  const bool wantIndices = ctx.wantsOutput(1);
  torch::Tensor y, idx;
  if (!wantIndices) {
    y = a.kernel.size() == 2 ? at::max_pool2d(x, a.kernel, a.strides, a.pads, a.dilations, ceil)
                             : at::max_pool3d(x, a.kernel, a.strides, a.pads, a.dilations, ceil);
  } else {
    std::tie(y, idx) =
        a.kernel.size() == 2
            ? at::max_pool2d_with_indices(x, a.kernel, a.strides, a.pads, a.dilations, ceil)
            : at::max_pool3d_with_indices(x, a.kernel, a.strides, a.pads, a.dilations, ceil);
  }
  if (oneD) {
    y = y.squeeze(2);
    if (idx.defined()) idx = idx.squeeze(2);
  }
  y = y.to(type);
  if (!wantIndices) return {y};
  const Ints inSizes(ctx.input(0).sizes().begin() + 2, ctx.input(0).sizes().end());
  const Ints shift = native ? Ints(w.rank(), 0) : w.padBegin;
  const int64_t storageOrder = ctx.i("storage_order", 0);
  return {y, onnxIndices(idx, atenSizes, shift, inSizes, storageOrder, y.size(0), y.size(1))};
}

torch::Tensor avgPoolAten(const torch::Tensor& x, const PoolArgs& a, bool ceil, bool includePad) {
  switch (a.kernel.size()) {
    case 2:
      return at::avg_pool2d(x, a.kernel, a.strides, a.pads, ceil, includePad);
    default:
      return at::avg_pool3d(x, a.kernel, a.strides, a.pads, ceil, includePad);
  }
}

std::vector<torch::Tensor> averagePool(const OnnxNodeContext& ctx) {
  torch::Tensor x = ctx.input(0);
  const torch::ScalarType type = x.scalar_type();
  if (!isFloating(type)) throw OnnxError("AveragePool needs a floating-point input");
  const Window w = makeWindow(ctx, x, poolKernel(ctx), false);
  if (w.rank() > 3) throw OnnxError("pooling over more than 3 spatial axes is not supported");
  const bool ceilMode = ctx.i("ceil_mode", 0) != 0 && w.autoPad == "NOTSET";
  const bool includePad = ctx.i("count_include_pad", 0) != 0;
  const Ints out = poolOutput(w, x, ceilMode);
  const bool native = atenPads(w, x, out, ceilMode);
  const PoolArgs a = atenArgs(w, native);
  const bool oneD = w.rank() == 1;
  x = x.to(computeType(type));
  torch::Tensor y;
  if (native) {
    y = avgPoolAten(oneD ? x.unsqueeze(2) : x, a, ceilMode, includePad);
  } else {
    // Sum over the zero-padded input divided by the count of counted cells: a
    // mask of ones over the input (plus the declared pads when they count).
    const Ints end = endPadFor(w, x, out);
    const torch::Tensor xp = at::constant_pad_nd(x, padList(w.padBegin, end), 0);
    Ints maskShape{1, 1}, maskBegin(w.rank()), maskEnd(w.rank());
    for (size_t i = 0; i < w.rank(); ++i) {
      const int64_t in = x.size(static_cast<int64_t>(i) + 2);
      maskShape.push_back(includePad ? in + w.padBegin[i] + w.padEnd[i] : in);
      maskBegin[i] = includePad ? 0 : w.padBegin[i];
      maskEnd[i] = includePad ? end[i] - w.padEnd[i] : end[i];
    }
    torch::Tensor mask =
        at::constant_pad_nd(torch::ones(maskShape, x.options()), padList(maskBegin, maskEnd), 0);
    torch::Tensor sum = avgPoolAten(oneD ? xp.unsqueeze(2) : xp, a, false, true);
    torch::Tensor cnt = avgPoolAten(oneD ? mask.unsqueeze(2) : mask, a, false, true);
    y = sum / cnt;
  }
  if (oneD) y = y.squeeze(2);
  return {y.to(type)};
}

Ints spatialDims(const torch::Tensor& x) {
  if (x.dim() < 3)
    throw OnnxError("input needs [N, C, spatial...], got rank " + std::to_string(x.dim()));
  Ints dims;
  for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
  return dims;
}

std::vector<torch::Tensor> globalAveragePool(const OnnxNodeContext& ctx) {
  const torch::Tensor& x = ctx.input(0);
  if (!isFloating(x.scalar_type())) throw OnnxError("GlobalAveragePool needs a floating input");
  return {x.mean(spatialDims(x), /*keepdim=*/true)};
}

std::vector<torch::Tensor> globalMaxPool(const OnnxNodeContext& ctx) {
  const torch::Tensor& x = ctx.input(0);
  return {x.amax(spatialDims(x), /*keepdim=*/true)};
}

// --- Normalisations ------------------------------------------------------------------------

std::string refuseBatchNorm(const onnx::NodeProto& node, int opset) {
  if (opset < 14) {
    for (int i = 1; i < node.output_size(); ++i)
      if (!node.output(i).empty())
        return "BatchNormalization-9's training outputs (mean, var, saved_*) are not supported";
  }
  return {};
}

std::vector<torch::Tensor> batchNormalization(const OnnxNodeContext& ctx) {
  const torch::Tensor& x = ctx.input(0);
  const torch::ScalarType type = x.scalar_type();
  if (!isFloating(type)) throw OnnxError("BatchNormalization needs a floating-point input");
  if (x.dim() < 2) throw OnnxError("input needs [N, C, ...]");
  const torch::ScalarType ct = computeType(type);
  const double eps = ctx.f("epsilon", 1e-5f);
  const torch::Tensor xc = x.to(ct);
  const torch::Tensor scale = ctx.input(1).to(ct), bias = ctx.input(2).to(ct);
  const torch::Tensor& mean = ctx.input(3);
  const torch::Tensor& var = ctx.input(4);
  const bool training = ctx.opset() >= 14 && ctx.i("training_mode", 0) != 0;
  if (!training) {
    return {
        at::batch_norm(xc, scale, bias, mean.to(ct), var.to(ct), false, 0.0, eps, false).to(type)};
  }
  // Batch statistics (population variance, as ONNX's reference), and the
  // running ones blended with `momentum`.
  const double momentum = ctx.f("momentum", 0.9f);
  Ints dims{0};
  for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
  auto [batchVar, batchMean] = at::var_mean(xc, dims, /*unbiased=*/false, /*keepdim=*/false);
  torch::Tensor y = at::batch_norm(xc, scale, bias, batchMean, batchVar, false, 0.0, eps, false);
  const torch::ScalarType st = mean.scalar_type();
  torch::Tensor runMean = mean * momentum + batchMean.to(st) * (1.0 - momentum);
  torch::Tensor runVar = var * momentum + batchVar.to(st) * (1.0 - momentum);
  return {y.to(type), runMean, runVar};
}

std::vector<torch::Tensor> instanceNormalization(const OnnxNodeContext& ctx) {
  const torch::Tensor& x = ctx.input(0);
  const torch::ScalarType type = x.scalar_type();
  if (!isFloating(type)) throw OnnxError("InstanceNormalization needs a floating-point input");
  if (x.dim() < 2) throw OnnxError("input needs [N, C, ...]");
  const torch::ScalarType ct = computeType(type);
  const double eps = ctx.f("epsilon", 1e-5f);
  // One group per channel is instance normalisation.
  return {at::group_norm(x.to(ct), x.size(1), ctx.input(1).to(ct), ctx.input(2).to(ct), eps, false)
              .to(type)};
}

std::string refuseLayerNorm(const onnx::NodeProto& node, int) {
  if (const auto* a = attr(node, "stash_type"); a && a->i() != 1)
    return "stash_type " + std::to_string(a->i()) + " is not supported (only 1, float)";
  return {};
}

std::vector<torch::Tensor> layerNormalization(const OnnxNodeContext& ctx) {
  const torch::Tensor& x = ctx.input(0);
  const torch::ScalarType type = x.scalar_type();
  if (!isFloating(type)) throw OnnxError("LayerNormalization needs a floating-point input");
  const int64_t rank = x.dim();
  const int64_t axis = normalizeAxis(ctx.i("axis", -1), rank);
  const double eps = ctx.f("epsilon", 1e-5f);
  const Ints normShape(x.sizes().begin() + axis, x.sizes().end());
  const torch::Tensor& scale = ctx.input(1);
  torch::Tensor bias = ctx.hasInput(2) ? ctx.input(2) : torch::Tensor();
  // stash_type 1: statistics in float. A float input with full-shaped scale / bias
  // goes through ATen in one call; otherwise the affine part follows in the input
  // type, as ONNX's function body does.
  const bool fused =
      type == torch::kFloat && scale.sizes().vec() == normShape && scale.scalar_type() == type &&
      (!bias.defined() || (bias.sizes().vec() == normShape && bias.scalar_type() == type));
  torch::Tensor y, mean, rstd;
  if (fused) {
    std::tie(y, mean, rstd) = at::native_layer_norm(x, normShape, scale, bias, eps);
  } else {
    std::tie(y, mean, rstd) =
        at::native_layer_norm(x.to(torch::kFloat), normShape, c10::nullopt, c10::nullopt, eps);
    y = y.to(type) * scale;
    if (bias.defined()) y = y + bias;
  }
  Ints statShape(x.sizes().begin(), x.sizes().begin() + axis);
  statShape.resize(rank, 1);
  std::vector<torch::Tensor> outs{y};
  if (ctx.wantsOutput(1))
    outs.push_back(mean.reshape(statShape));
  else
    outs.emplace_back();
  if (ctx.wantsOutput(2))
    outs.push_back(rstd.reshape(statShape));
  else
    outs.emplace_back();
  return outs;
}

std::string refuseConv(const onnx::NodeProto& node, int) {
  if (const auto* k = attr(node, "kernel_shape"); k && k->ints_size() > 3)
    return "convolution over more than 3 spatial axes is not supported";
  return checkAutoPad(node);
}

}  // namespace

void registerNnOps(OnnxOpRegistry& registry) {
  registry.add({"Conv", 11, 17, conv, refuseConv});
  registry.add({"ConvTranspose", 11, 17, convTranspose, refuseConv});
  registry.add({"MaxPool", 11, 17, maxPool, refusePool});
  registry.add({"AveragePool", 11, 17, averagePool, refusePool});
  registry.add({"GlobalAveragePool", 11, 17, globalAveragePool, nullptr});
  registry.add({"GlobalMaxPool", 11, 17, globalMaxPool, nullptr});
  registry.add({"BatchNormalization", 11, 17, batchNormalization, refuseBatchNorm});
  registry.add({"InstanceNormalization", 11, 17, instanceNormalization, nullptr});
  registry.add({"LayerNormalization", 17, 17, layerNormalization, refuseLayerNorm});
}

}  // namespace distillery
