// ONNX operators: resize family (see onnx_op_registry.h): Resize-11 and -13.
// Interpolation is separable, as ONNX's reference computes it: each resized axis
// maps every output coordinate to a source coordinate with ONNX's formula, then
// gathers the 1, 2 or 4 neighbouring slices (edge-clamped) and weights them. The
// common 4-D bilinear case (SAM's mask upsampling) goes to ATen's
// upsample_bilinear2d, whose coordinates and clamping are the same.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <numeric>
#include <string>
#include <vector>

#include "engine/onnx/onnx_op_registry.h"

namespace distillery {
namespace {

enum class Mode { Nearest, Linear, Cubic };
enum class Coord {
  HalfPixel,
  PytorchHalfPixel,
  AlignCorners,
  Asymmetric,
  TfHalfPixelForNn,
  TfCropAndResize
};
enum class Rounding { PreferFloor, PreferCeil, Floor, Ceil };

struct Options {
  Mode mode = Mode::Nearest;
  Coord coord = Coord::HalfPixel;
  Rounding rounding = Rounding::PreferFloor;
  double cubicA = -0.75;
  bool excludeOutside = false;
  double extrapolation = 0.0;
};

// Attribute strings and their values; false for a string ONNX does not define.
template <typename T>
bool parseName(const std::string& s, std::initializer_list<std::pair<const char*, T>> names,
               T* out) {
  for (const auto& [name, value] : names)
    if (s == name) {
      *out = value;
      return true;
    }
  return false;
}

bool parseMode(const std::string& s, Mode* m) {
  return parseName(
      s, {{"nearest", Mode::Nearest}, {"linear", Mode::Linear}, {"cubic", Mode::Cubic}}, m);
}

bool parseCoord(const std::string& s, Coord* c) {
  return parseName(s,
                   {{"half_pixel", Coord::HalfPixel},
                    {"pytorch_half_pixel", Coord::PytorchHalfPixel},
                    {"align_corners", Coord::AlignCorners},
                    {"asymmetric", Coord::Asymmetric},
                    {"tf_half_pixel_for_nn", Coord::TfHalfPixelForNn},
                    {"tf_crop_and_resize", Coord::TfCropAndResize}},
                   c);
}

bool parseRounding(const std::string& s, Rounding* r) {
  return parseName(s,
                   {{"round_prefer_floor", Rounding::PreferFloor},
                    {"round_prefer_ceil", Rounding::PreferCeil},
                    {"floor", Rounding::Floor},
                    {"ceil", Rounding::Ceil}},
                   r);
}

std::string refuseResize(const onnx::NodeProto& node, int) {
  for (const auto& a : node.attribute()) {
    Mode m;
    Coord c;
    Rounding r;
    if (a.name() == "mode" && !parseMode(a.s(), &m)) return "mode '" + a.s() + "' is not known";
    if (a.name() == "coordinate_transformation_mode" && !parseCoord(a.s(), &c))
      return "coordinate_transformation_mode '" + a.s() + "' is not known";
    if (a.name() == "nearest_mode" && !parseRounding(a.s(), &r))
      return "nearest_mode '" + a.s() + "' is not known";
  }
  return {};
}

Options readOptions(const OnnxNodeContext& ctx) {
  Options o;
  parseMode(ctx.s("mode", "nearest"), &o.mode);
  parseCoord(ctx.s("coordinate_transformation_mode", "half_pixel"), &o.coord);
  parseRounding(ctx.s("nearest_mode", "round_prefer_floor"), &o.rounding);
  o.cubicA = ctx.f("cubic_coeff_a", -0.75f);
  o.excludeOutside = ctx.i("exclude_outside", 0) != 0;
  o.extrapolation = ctx.f("extrapolation_value", 0.0f);
  return o;
}

// One axis: input length, output length, the scale and the resized length
// ONNX's formulas use (out / in for sizes; the given scale and in * scale, not
// floored, for scales, as ONNX's reference), and the roi for tf_crop_and_resize.
struct Axis {
  int64_t in = 0, out = 0;
  double scale = 1.0, lengthResized = 0.0;
  double roiStart = 0.0, roiEnd = 1.0;
};

double sourceCoord(const Options& o, const Axis& a, int64_t x) {
  const double xr = static_cast<double>(x);
  const double in = static_cast<double>(a.in);
  switch (o.coord) {
    case Coord::HalfPixel:
      return (xr + 0.5) / a.scale - 0.5;
    case Coord::PytorchHalfPixel:
      return a.lengthResized > 1 ? (xr + 0.5) / a.scale - 0.5 : 0.0;
    case Coord::AlignCorners:
      return a.lengthResized == 1 ? 0.0 : xr * (in - 1) / (a.lengthResized - 1);
    case Coord::Asymmetric:
      return xr / a.scale;
    case Coord::TfHalfPixelForNn:
      return (xr + 0.5) / a.scale;
    case Coord::TfCropAndResize:
      if (a.lengthResized == 1) return 0.5 * (a.roiStart + a.roiEnd) * (in - 1);
      return xr * (a.roiEnd - a.roiStart) * (in - 1) / (a.lengthResized - 1) +
             a.roiStart * (in - 1);
  }
  return 0.0;
}

int64_t nearestIndex(Rounding r, double src) {
  const double fl = std::floor(src);
  if (fl == src) return static_cast<int64_t>(fl);
  const double frac = src - fl;
  bool up = false;
  switch (r) {
    case Rounding::PreferFloor:
      up = frac > 0.5;
      break;
    case Rounding::PreferCeil:
      up = frac >= 0.5;
      break;
    case Rounding::Floor:
      up = false;
      break;
    case Rounding::Ceil:
      up = true;
      break;
  }
  return static_cast<int64_t>(fl) + (up ? 1 : 0);
}

// Keys' cubic convolution weights for the 4 taps at floor-1 .. floor+2.
void cubicWeights(double t, double A, double* w) {
  const double t1 = t + 1, u = 1 - t, u1 = u + 1;
  w[0] = ((A * t1 - 5 * A) * t1 + 8 * A) * t1 - 4 * A;
  w[1] = ((A + 2) * t - (A + 3)) * t * t + 1;
  w[2] = ((A + 2) * u - (A + 3)) * u * u + 1;
  w[3] = ((A * u1 - 5 * A) * u1 + 8 * A) * u1 - 4 * A;
}

// Resizes one axis of x: out[..., o, ...] = sum_k w[k][o] * x[..., idx[k][o], ...].
torch::Tensor resizeAxis(const torch::Tensor& x, int64_t dim, const Axis& a, const Options& o) {
  const int taps = o.mode == Mode::Nearest ? 1 : o.mode == Mode::Linear ? 2 : 4;
  std::vector<int64_t> idx(static_cast<size_t>(taps * a.out));
  std::vector<double> w(idx.size(), 1.0);
  for (int64_t x0 = 0; x0 < a.out; ++x0) {
    const double src = sourceCoord(o, a, x0);
    int64_t at[4];
    double wt[4] = {1.0, 0, 0, 0};
    if (o.mode == Mode::Nearest) {
      at[0] = nearestIndex(o.rounding, src);
    } else {
      const double fl = std::floor(src);
      const double t = src - fl;
      const int64_t base = static_cast<int64_t>(fl) - (taps == 4 ? 1 : 0);
      for (int k = 0; k < taps; ++k) at[k] = base + k;
      if (taps == 2) {
        wt[0] = 1 - t;
        wt[1] = t;
      } else {
        cubicWeights(t, o.cubicA, wt);
      }
      if (o.excludeOutside) {
        double sum = 0;
        for (int k = 0; k < taps; ++k) {
          if (at[k] < 0 || at[k] >= a.in) wt[k] = 0;
          sum += wt[k];
        }
        for (int k = 0; k < taps; ++k) wt[k] /= sum;
      }
    }
    for (int k = 0; k < taps; ++k) {
      idx[static_cast<size_t>(k * a.out + x0)] = std::clamp<int64_t>(at[k], 0, a.in - 1);
      w[static_cast<size_t>(k * a.out + x0)] = wt[k];
    }
  }
  const torch::Tensor index = torch::tensor(idx, torch::kLong).reshape({taps, a.out});
  if (taps == 1) return x.index_select(dim, index[0]);
  std::vector<int64_t> wShape(static_cast<size_t>(x.dim()), 1);
  wShape[static_cast<size_t>(dim)] = a.out;
  const torch::Tensor weight =
      torch::tensor(w, torch::kDouble).to(x.scalar_type()).reshape({taps, a.out});
  torch::Tensor acc = x.index_select(dim, index[0]) * weight[0].reshape(wShape);
  for (int k = 1; k < taps; ++k)
    acc.addcmul_(x.index_select(dim, index[k]), weight[k].reshape(wShape));
  return acc;
}

// ATen's bilinear kernel: same source coordinates (half_pixel, or align_corners
// with integer resized lengths), same edge clamping. N and C must be unchanged.
bool bilinearFastPath(const torch::Tensor& x, const std::vector<Axis>& axes, const Options& o,
                      bool* alignCorners) {
  if (x.dim() != 4 || o.mode != Mode::Linear) return false;
  if (x.scalar_type() != torch::kFloat && x.scalar_type() != torch::kDouble) return false;
  for (int d = 0; d < 2; ++d)
    if (axes[d].out != axes[d].in || axes[d].scale != 1.0) return false;
  bool halfPixel = o.coord == Coord::HalfPixel;
  if (o.coord == Coord::PytorchHalfPixel)
    halfPixel = axes[2].lengthResized > 1 && axes[3].lengthResized > 1;
  const bool corners = o.coord == Coord::AlignCorners &&
                       axes[2].lengthResized == static_cast<double>(axes[2].out) &&
                       axes[3].lengthResized == static_cast<double>(axes[3].out);
  *alignCorners = corners;
  return halfPixel || corners;
}

std::vector<double> toDoubles(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kCPU, torch::kDouble).contiguous().reshape({-1});
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

std::vector<torch::Tensor> resize(const OnnxNodeContext& ctx) {
  const torch::Tensor& x = ctx.input(0);
  const int64_t rank = x.dim();
  const Options o = readOptions(ctx);
  const bool floating = x.is_floating_point();
  if (o.mode != Mode::Nearest && !floating)
    throw OnnxError("linear / cubic Resize of a non-floating tensor is not supported");

  std::vector<Axis> axes(static_cast<size_t>(rank));
  if (o.coord == Coord::TfCropAndResize) {
    if (!ctx.hasInput(1)) throw OnnxError("tf_crop_and_resize needs the roi input");
    const std::vector<double> roi = toDoubles(ctx.input(1));
    if (static_cast<int64_t>(roi.size()) != 2 * rank)
      throw OnnxError("roi has " + std::to_string(roi.size()) + " values, expected " +
                      std::to_string(2 * rank));
    for (int64_t d = 0; d < rank; ++d) {
      axes[d].roiStart = roi[d];
      axes[d].roiEnd = roi[d + rank];
    }
  }
  const bool hasScales = ctx.hasInput(2) && ctx.input(2).numel() > 0;
  const bool hasSizes = ctx.hasInput(3) && ctx.input(3).numel() > 0;
  if (hasScales) {
    if (o.coord == Coord::TfCropAndResize)
      throw OnnxError("tf_crop_and_resize with scales is not supported (give sizes)");
    const std::vector<double> scales = toDoubles(ctx.input(2).to(torch::kFloat));
    if (static_cast<int64_t>(scales.size()) != rank)
      throw OnnxError("scales has " + std::to_string(scales.size()) + " values, expected " +
                      std::to_string(rank));
    for (int64_t d = 0; d < rank; ++d) {
      if (!(scales[d] > 0)) throw OnnxError("scales must be positive");
      Axis& a = axes[d];
      a.in = x.size(d);
      a.scale = scales[d];
      a.lengthResized = a.scale * static_cast<double>(a.in);
      a.out = static_cast<int64_t>(std::floor(a.lengthResized));
    }
  } else if (hasSizes) {
    const std::vector<int64_t> sizes = toInt64Vector(ctx.input(3));
    if (static_cast<int64_t>(sizes.size()) != rank)
      throw OnnxError("sizes has " + std::to_string(sizes.size()) + " values, expected " +
                      std::to_string(rank));
    for (int64_t d = 0; d < rank; ++d) {
      Axis& a = axes[d];
      a.in = x.size(d);
      a.out = sizes[d];
      if (a.out < 0) throw OnnxError("sizes must not be negative");
      a.scale = a.in > 0 ? static_cast<double>(a.out) / static_cast<double>(a.in) : 1.0;
      a.lengthResized = static_cast<double>(a.out);
    }
  } else {
    throw OnnxError("one of scales and sizes must be given (non-empty)");
  }
  std::vector<int64_t> outShape;
  for (const Axis& a : axes) {
    if (a.in == 0 && a.out > 0) throw OnnxError("cannot resize an empty axis to a non-empty one");
    outShape.push_back(a.out);
  }
  if (x.numel() == 0 || std::find(outShape.begin(), outShape.end(), 0) != outShape.end())
    return {torch::empty(outShape, x.options())};

  bool alignCorners = false;
  if (bilinearFastPath(x, axes, o, &alignCorners)) {
    c10::optional<double> sh, sw;
    if (!alignCorners) {
      sh = axes[2].scale;
      sw = axes[3].scale;
    }
    const std::vector<int64_t> size{axes[2].out, axes[3].out};
    return {at::upsample_bilinear2d(x, size, alignCorners, sh, sw)};
  }

  // Half / bfloat16 interpolate in float; gathers (nearest) keep any dtype.
  const torch::ScalarType type = x.scalar_type();
  torch::Tensor y =
      (floating && o.mode != Mode::Nearest && type != torch::kDouble) ? x.to(torch::kFloat) : x;
  // Identity axes are skipped (every coordinate maps onto itself); shrinking
  // axes go first so later gathers touch less data.
  std::vector<int64_t> order;
  for (int64_t d = 0; d < rank; ++d) {
    const Axis& a = axes[d];
    const bool identity = a.out == a.in && a.scale == 1.0 && o.coord != Coord::TfHalfPixelForNn &&
                          o.coord != Coord::TfCropAndResize;
    if (!identity) order.push_back(d);
  }
  std::stable_sort(order.begin(), order.end(), [&](int64_t l, int64_t r) {
    return axes[l].out * axes[r].in < axes[r].out * axes[l].in;
  });
  for (int64_t d : order) y = resizeAxis(y, d, axes[d], o);

  if (o.coord == Coord::TfCropAndResize) {
    // A source coordinate outside [0, in - 1] on any axis gives extrapolation_value.
    torch::Tensor outside = torch::zeros(outShape, torch::kBool);
    for (int64_t d = 0; d < rank; ++d) {
      const Axis& a = axes[d];
      std::vector<uint8_t> m(static_cast<size_t>(a.out));
      for (int64_t i = 0; i < a.out; ++i) {
        const double src = sourceCoord(o, a, i);
        m[static_cast<size_t>(i)] = src < 0 || src > static_cast<double>(a.in - 1);
      }
      std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
      shape[static_cast<size_t>(d)] = a.out;
      const torch::Tensor md =
          torch::tensor(std::vector<int64_t>(m.begin(), m.end())).to(torch::kBool).reshape(shape);
      outside = outside.logical_or(md);
    }
    y = y.masked_fill(outside, o.extrapolation);
  }
  return {y.to(type)};
}

}  // namespace

void registerResizeOps(OnnxOpRegistry& registry) {
  registry.add({"Resize", 11, 17, resize, refuseResize});
}

}  // namespace distillery
