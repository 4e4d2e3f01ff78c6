// distillery-cli bench world: how fast the synthetic world is made, against PNG
// encoding and writing of the same images measured in the same run (the floor any
// generator that writes PNGs has to pay).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>

#include "app/cli/commands.h"
#include "engine/data/world/world_generator.h"
#include "engine/data/world/world_writer.h"

namespace distillery::cli {
namespace {

namespace fs = std::filesystem;

template <class F>
double perSecond(int count, F&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return count / std::max(s, 1e-9);
}

struct Row {
  double generate = 0, encode = 0, write = 0, full = 0;
  size_t instances = 0;
};

Result<Row> benchDomain(const DomainSpec& spec, int count, int size, const fs::path& scratch) {
  Row row;
  const WorldGenerator gen(spec, size, 2024);
  std::vector<cv::Mat> images(static_cast<size_t>(count));
  row.generate = perSecond(count, [&] {
    for (int i = 0; i < count; ++i) {
      WorldSample s = gen.sample(i);
      row.instances += s.instances.size();
      images[static_cast<size_t>(i)] = std::move(s.image);
    }
  });
  const std::vector<int> png{};  // OpenCV's fast default, as generateWorld
  std::vector<uchar> buffer;
  row.encode = perSecond(count, [&] {
    for (const cv::Mat& im : images) cv::imencode(".png", im, buffer, png);
  });
  const fs::path writeDir = scratch / ("write-" + spec.name);
  fs::create_directories(writeDir);
  row.write = perSecond(count, [&] {
    for (int i = 0; i < count; ++i)
      cv::imwrite((writeDir / worldImageName(i)).string(), images[static_cast<size_t>(i)], png);
  });
  Status failed;
  row.full = perSecond(count, [&] {
    const auto ds = generateWorld(spec, count, 2024, size, scratch / ("full-" + spec.name));
    if (!ds) failed = ds.status();
  });
  if (!failed.ok()) return failed;
  return row;
}

}  // namespace

void addWorldBench(CLI::App& bench, int& exitCode) {
  CLI::App* cmd = bench.add_subcommand("world", "Synthetic world generation speed");
  struct Options {
    std::string domain = "all";
    int count = 300;
    int size = 128;
    int threads = 1;
  };
  static Options o;
  cmd->add_option("--domain", o.domain, "A domain, or all")->capture_default_str();
  cmd->add_option("--count", o.count, "Images per domain")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--size", o.size, "Image side in pixels")
      ->check(CLI::Range(kMinWorldSize, 1024))
      ->capture_default_str();
  cmd->add_option("--cv-threads", o.threads, "OpenCV threads (1 = one core)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->callback([&exitCode] {
    std::vector<DomainSpec> domains;
    if (o.domain == "all") {
      domains = worldDomains();
    } else {
      Result<DomainSpec> d = findDomain(o.domain);
      if (!d) {
        std::fprintf(stderr, "distillery-cli bench world: %s\n", d.status().message().c_str());
        exitCode = kExitBadInput;
        return;
      }
      domains.push_back(*d);
    }
    cv::setNumThreads(o.threads);
    const fs::path scratch =
        fs::temp_directory_path() / ("distillery-bench-world-" + std::to_string(::getpid()));
    fs::remove_all(scratch);
    std::printf("bench world: %d images per domain, %dx%d, %d OpenCV thread(s), OpenCV's default PNG settings\n",
                o.count, o.size, o.size, o.threads);
    std::printf("  generate   = WorldGenerator::sample only\n"
                "  encode     = PNG encoding of the same images in memory (baseline)\n"
                "  write      = PNG files of the same images written to disk (baseline)\n"
                "  full       = generateWorld: generate + PNG files + instances.json\n"
                "  full/write = share of the write-only baseline speed that full keeps\n\n");
    std::printf("%-10s %9s %12s %12s %12s %12s %10s\n", "domain", "inst/img", "generate/s",
                "encode/s", "write/s", "full/s", "full/write");
    for (const DomainSpec& d : domains) {
      const Result<Row> r = benchDomain(d, o.count, o.size, scratch);
      if (!r) {
        std::fprintf(stderr, "distillery-cli bench world: %s\n", r.status().message().c_str());
        fs::remove_all(scratch);
        exitCode = kExitFailure;
        return;
      }
      std::printf("%-10s %9.2f %12.0f %12.0f %12.0f %12.0f %10.2f\n", d.name.c_str(),
                  static_cast<double>(r->instances) / o.count, r->generate, r->encode, r->write,
                  r->full, r->full / r->write);
      std::fflush(stdout);
    }
    fs::remove_all(scratch);
    exitCode = kExitOk;
  });
}

}  // namespace distillery::cli
