#include "bench/gui/gui_benchmarks.h"

namespace distillery::bench {

std::vector<GuiBenchmark>& guiBenchmarks() {
  static std::vector<GuiBenchmark> all;
  return all;
}

}  // namespace distillery::bench
