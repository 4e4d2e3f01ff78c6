// distillery-gui-bench: GUI benchmarks (canvas fps, event-loop stall during training).
// Each benchmark is a function registered in guiBenchmarks(); run one by name.
#include <QApplication>
#include <cstdio>
#include <cstring>

#include "bench/gui/gui_benchmarks.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  const auto& benches = distillery::bench::guiBenchmarks();
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
    std::printf("usage: distillery-gui-bench NAME [args]\n");
    for (const auto& b : benches) std::printf("  %-12s %s\n", b.name.c_str(), b.description.c_str());
    return argc < 2 ? 2 : 0;
  }
  for (const auto& b : benches)
    if (b.name == argv[1]) return b.run(argc - 1, argv + 1);
  std::fprintf(stderr, "distillery-gui-bench: unknown benchmark '%s'\n", argv[1]);
  return 2;
}
