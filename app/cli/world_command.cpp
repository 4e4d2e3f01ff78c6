// distillery-cli world: list the synthetic world's domains, generate a dataset, or
// draw a contact sheet of a domain.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "app/cli/commands.h"
#include "engine/data/world/domain_spec.h"
#include "engine/data/world/world_generator.h"
#include "engine/data/world/world_preview.h"
#include "engine/data/world/world_probe.h"
#include "engine/data/world/world_writer.h"

namespace distillery::cli {
namespace {

struct DomainChoice {
  std::string name;
  std::string file;  // a JSON domain (fields over "base", default studio)
};

void addDomainOptions(CLI::App* cmd, DomainChoice& choice) {
  cmd->add_option("--domain", choice.name, "Named domain (see `world domains`)");
  cmd->add_option("--domain-file", choice.file,
                  "JSON domain: {\"base\": \"studio\", \"name\": ..., <fields to change>}");
}

Result<DomainSpec> resolveDomain(const DomainChoice& choice) {
  if (choice.file.empty() && choice.name.empty()) {
    std::string names;
    for (const DomainSpec& d : worldDomains()) names += " " + d.name;
    return Status::error("expected --domain NAME or --domain-file FILE; domains:" + names);
  }
  if (choice.file.empty()) return findDomain(choice.name);
  std::ifstream in(choice.file);
  if (!in) return Status::error(choice.file + ": cannot open the domain file");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return Status::error(choice.file + ": not valid JSON");
  std::string baseName = choice.name.empty() ? "studio" : choice.name;
  if (j.is_object() && j.contains("base")) {
    if (!j["base"].is_string())
      return Status::error(choice.file + ": field 'base': expected a domain name");
    baseName = j["base"].get<std::string>();
  }
  Result<DomainSpec> base = findDomain(baseName);
  if (!base) return Status::error(choice.file + ": " + base.status().message());
  return domainFromJson(j, *base, choice.file);
}

int fail(const Status& st) {
  std::cerr << "distillery-cli world: " << st.message() << "\n";
  return kExitBadInput;
}

void addDomainsCommand(CLI::App* world, int& exitCode) {
  CLI::App* cmd = world->add_subcommand("domains", "List the domains and their parameters");
  static bool asJson = false;
  cmd->add_flag("--json", asJson, "Print the domains as JSON");
  cmd->callback([&exitCode] {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const DomainSpec& d : worldDomains()) all.push_back(domainToJson(d));
    if (asJson) {
      std::cout << all.dump(2) << "\n";
    } else {
      std::cout << "classes:";
      for (const Category& c : worldCategories()) std::cout << " " << c.id << "=" << c.name;
      std::cout << "\n";
      for (const auto& d : all) {
        std::cout << "\n" << d["name"].get<std::string>()
                  << (d["isSource"].get<bool>() ? " (source)" : " (target)") << ": "
                  << d["description"].get<std::string>() << "\n";
        for (const auto& item : d.items()) {
          if (item.key() == "name" || item.key() == "description" || item.key() == "isSource")
            continue;
          std::cout << "  " << item.key() << " = " << item.value().dump() << "\n";
        }
      }
    }
    exitCode = kExitOk;
  });
}

void addGenerateCommand(CLI::App* world, int& exitCode) {
  CLI::App* cmd = world->add_subcommand("generate", "Write a COCO dataset of one domain");
  struct Options {
    DomainChoice domain;
    int count = 0;
    uint64_t seed = 0;
    int size = 128;
    std::string out;
  };
  static Options o;
  addDomainOptions(cmd, o.domain);
  cmd->add_option("--count", o.count, "Number of images")->required()->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", o.seed, "Seed; sample i is the same for the same domain, seed, size")
      ->required();
  cmd->add_option("--size", o.size, "Image side in pixels")->capture_default_str();
  cmd->add_option("--out", o.out, "Output folder (images/ and instances.json)")->required();
  cmd->callback([&exitCode] {
    Result<DomainSpec> spec = resolveDomain(o.domain);
    if (!spec) {
      exitCode = fail(spec.status());
      return;
    }
    const auto start = std::chrono::steady_clock::now();
    Result<Dataset> ds = generateWorld(*spec, o.count, o.seed, o.size, o.out);
    if (!ds) {
      exitCode = fail(ds.status());
      return;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "world " << spec->name << ": " << ds->images.size() << " images, "
              << ds->instances.size() << " instances -> " << o.out << " ("
              << static_cast<int>(ds->images.size() / std::max(seconds, 1e-9)) << " images/s)\n";
    exitCode = kExitOk;
  });
}

void addSheetCommand(CLI::App* world, int& exitCode) {
  CLI::App* cmd = world->add_subcommand("sheet", "Draw a contact sheet of a domain as a PNG");
  struct Options {
    DomainChoice domain;
    uint64_t seed = 0;
    int size = 128;
    int rows = 2, cols = 4;
    bool masks = false;
    int levels = 256;
    std::string out;
  };
  static Options o;
  addDomainOptions(cmd, o.domain);
  cmd->add_option("--seed", o.seed, "Seed")->capture_default_str();
  cmd->add_option("--levels", o.levels, "Levels per colour channel (fewer = smaller PNG)")
      ->check(CLI::Range(2, 256))
      ->capture_default_str();
  cmd->add_option("--size", o.size, "Image side in pixels")->capture_default_str();
  cmd->add_option("--rows", o.rows, "Rows")->check(CLI::Range(1, 64))->capture_default_str();
  cmd->add_option("--cols", o.cols, "Columns")->check(CLI::Range(1, 64))->capture_default_str();
  cmd->add_flag("--masks", o.masks, "Show each image's masks beside it");
  cmd->add_option("--out", o.out, "PNG file to write")->required();
  cmd->callback([&exitCode] {
    Result<DomainSpec> spec = resolveDomain(o.domain);
    if (!spec) {
      exitCode = fail(spec.status());
      return;
    }
    if (o.size < kMinWorldSize || o.size > 1024) {
      exitCode = fail(Status::error("--size " + std::to_string(o.size) + ": expected " +
                                    std::to_string(kMinWorldSize) + " to 1024"));
      return;
    }
    cv::Mat sheet =
        worldContactSheet(WorldGenerator(*spec, o.size, o.seed), o.rows, o.cols, o.masks);
    if (o.levels < 256) posterise(sheet, o.levels);
    bool written = false;
    try {
      written = cv::imwrite(o.out, sheet, {cv::IMWRITE_PNG_COMPRESSION, 9});
    } catch (const cv::Exception&) {
      written = false;
    }
    if (!written) {
      exitCode = fail(Status::error(o.out + ": cannot write the PNG"));
      return;
    }
    std::cout << "wrote " << o.out << " (" << sheet.cols << "x" << sheet.rows << ")\n";
    exitCode = kExitOk;
  });
}

void addProbeCommand(CLI::App* world, int& exitCode) {
  CLI::App* cmd = world->add_subcommand(
      "probe", "Measure the shift: colour and shape probes fitted on a source, scored everywhere");
  struct Options {
    std::string source = "studio";
    int images = 200;
    int size = 128;
    uint64_t seed = 0;
  };
  static Options o;
  cmd->add_option("--source", o.source, "Domain the probes are fitted on")->capture_default_str();
  cmd->add_option("--images", o.images, "Images per domain")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--size", o.size, "Image side in pixels")
      ->check(CLI::Range(kMinWorldSize, 1024))
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed")->capture_default_str();
  cmd->callback([&exitCode] {
    Result<DomainSpec> source = findDomain(o.source);
    if (!source) {
      exitCode = fail(source.status());
      return;
    }
    const auto report = probeShift(*source, worldDomains(), o.images, o.size, o.seed);
    std::printf("probes fitted on %s (%d images, %dx%d); chance = %.3f\n", o.source.c_str(),
                o.images, o.size, o.size, 1.0 / static_cast<double>(worldCategories().size()));
    std::printf("%-10s %10s %10s %10s\n", "domain", "instances", "colour", "shape");
    for (const ShiftProbe& p : report)
      std::printf("%-10s %10d %10.3f %10.3f\n", p.domain.c_str(), p.instances, p.colourAccuracy,
                  p.shapeAccuracy);
    exitCode = kExitOk;
  });
}

}  // namespace

void addWorldCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("world", "Generate the synthetic domain-shift world");
  cmd->group("Data");
  cmd->require_subcommand(1);
  addDomainsCommand(cmd, exitCode);
  addGenerateCommand(cmd, exitCode);
  addSheetCommand(cmd, exitCode);
  addProbeCommand(cmd, exitCode);
}

}  // namespace distillery::cli
