#include "engine/training/ema_teacher.h"

#include "engine/util/status.h"

namespace distillery {
namespace {

template <class Fn>
void forEachPair(torch::nn::Module& target, const torch::nn::Module& source, Fn fn) {
  torch::NoGradGuard noGrad;
  auto tp = target.named_parameters(true);
  const auto sp = source.named_parameters(true);
  DST_CHECK(tp.size() == sp.size());
  for (const auto& item : sp) {
    auto* t = tp.find(item.key());
    DST_CHECK(t != nullptr);
    fn(*t, item.value(), /*isParameter=*/true);
  }
  auto tb = target.named_buffers(true);
  const auto sb = source.named_buffers(true);
  DST_CHECK(tb.size() == sb.size());
  for (const auto& item : sb) {
    auto* t = tb.find(item.key());
    DST_CHECK(t != nullptr);
    fn(*t, item.value(), /*isParameter=*/false);
  }
}

}  // namespace

void emaUpdate(torch::nn::Module& teacher, const torch::nn::Module& student, double decay) {
  forEachPair(teacher, student, [decay](torch::Tensor& t, const torch::Tensor& s, bool) {
    if (t.is_floating_point()) t.mul_(decay).add_(s.detach(), 1.0 - decay);
    else t.copy_(s);
  });
}

void copyWeights(torch::nn::Module& target, const torch::nn::Module& source) {
  forEachPair(target, source, [](torch::Tensor& t, const torch::Tensor& s, bool) { t.copy_(s); });
}

}  // namespace distillery
