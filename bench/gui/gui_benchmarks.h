#pragma once

#include <functional>
#include <string>
#include <vector>

namespace distillery::bench {

struct GuiBenchmark {
  std::string name;
  std::string description;
  std::function<int(int argc, char** argv)> run;
};

// Benchmarks add themselves with a static GuiBenchmarkRegistration in their own file.
std::vector<GuiBenchmark>& guiBenchmarks();

struct GuiBenchmarkRegistration {
  explicit GuiBenchmarkRegistration(GuiBenchmark b) { guiBenchmarks().push_back(std::move(b)); }
};

}  // namespace distillery::bench
