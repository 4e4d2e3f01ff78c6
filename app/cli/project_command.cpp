// distillery-cli project: create, import into, inspect and export projects.
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli/commands.h"
#include "engine/data/formats/coco_json.h"
#include "engine/store/dataset_io.h"
#include "engine/store/project.h"

namespace distillery::cli {
namespace {

namespace fs = std::filesystem;

// "a,b , c" -> {"a", "b", "c"}; empty items dropped.
std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

int fail(const std::string& what, const std::string& message) {
  std::cerr << "distillery-cli project " << what << ": " << message << "\n";
  return kExitBadInput;
}

// Prints at most `limit` issues, then how many more there were.
void printIssues(const char* title, const std::vector<ImportIssue>& issues, size_t limit = 20) {
  if (issues.empty()) return;
  std::cout << title << " (" << issues.size() << "):\n";
  for (size_t i = 0; i < issues.size() && i < limit; ++i)
    std::cout << "  " << issues[i].file << ": " << issues[i].reason << "\n";
  if (issues.size() > limit) std::cout << "  ... and " << issues.size() - limit << " more\n";
}

int runCreate(const std::string& dir, const std::string& classes, const std::string& imagesRoot) {
  ProjectOptions options;
  options.classes = splitList(classes);
  options.imageRoot = imagesRoot;
  if (!imagesRoot.empty() && !fs::is_directory(imagesRoot))
    return fail("create", imagesRoot + ": image root is not a folder");
  auto project = Project::create(dir, options);
  if (!project) return fail("create", project.status().message());
  std::cout << "created project " << dir << " with " << options.classes.size() << " classes\n";
  return kExitOk;
}

int runImport(const std::string& dir, const std::string& images) {
  auto project = Project::open(dir);
  if (!project) return fail("import", project.status().message());
  auto report = project->images().importFolder(images, [](int64_t done, int64_t total) {
    std::cerr << "\rimporting " << done << "/" << total << std::flush;
  });
  std::cerr << "\n";
  if (!report) return fail("import", report.status().message());
  std::cout << "added " << report->added << " images, " << report->alreadyPresent
            << " already in the project, " << report->duplicates.size() << " duplicates skipped, "
            << report->failed.size() << " failed\n";
  printIssues("duplicates (same content as an image already imported)", report->duplicates);
  printIssues("not imported", report->failed);
  return kExitOk;
}

int runImportCoco(const std::string& dir, const std::string& coco, const std::string& images) {
  auto project = Project::open(dir);
  if (!project) return fail("import-coco", project.status().message());
  ConversionReport readReport;
  auto dataset = readCocoJson(coco, &readReport);
  if (!dataset) return fail("import-coco", dataset.status().message());
  for (const std::string& s : readReport.skipped)
    std::cout << "skipped while reading: " << s << "\n";
  DatasetImportOptions options(images, 64, [](int64_t done, int64_t total) {
    std::cerr << "\rimporting " << done << "/" << total << std::flush;
  });
  auto report = importDataset(*project, *dataset, options);
  std::cerr << "\n";
  if (!report) return fail("import-coco", report.status().message());
  std::cout << "images: " << report->imagesAdded << " added, " << report->imagesPresent
            << " already present\n"
            << "annotations: " << report->annotationsAdded << " added, "
            << report->annotationsPresent
            << " already present\ncategories: " << report->categoriesAdded << " added\n";
  printIssues("skipped", report->skipped);
  return kExitOk;
}

int runExportCoco(const std::string& dir, const std::string& out, const std::string& sources,
                  const std::string& statuses, bool polygons) {
  auto project = Project::open(dir, OpenMode::ReadOnly);
  if (!project) return fail("export-coco", project.status().message());
  ExportFilter filter;
  if (!sources.empty()) {
    filter.sources.clear();
    for (const std::string& s : splitList(sources)) {
      auto source = sourceFromString(s);
      if (!source) return fail("export-coco", "--source: " + source.status().message());
      filter.sources.insert(*source);
    }
  }
  if (!statuses.empty()) {
    filter.statuses.clear();
    for (const std::string& s : splitList(statuses)) {
      auto status = reviewStatusFromString(s);
      if (!status) return fail("export-coco", "--status: " + status.status().message());
      filter.statuses.insert(*status);
    }
  }
  auto dataset = exportDataset(*project, filter);
  if (!dataset) return fail("export-coco", dataset.status().message());
  ConversionReport report;
  CocoWriteOptions options;
  options.polygons = polygons;
  if (Status s = writeCocoJson(*dataset, out, options, &report); !s.ok())
    return fail("export-coco", s.message());
  auto root = project->imageRoot();
  std::cout << "wrote " << dataset->images.size() << " images, " << dataset->instances.size()
            << " annotations, " << dataset->categories.size() << " categories to " << out << "\n"
            << "image file names are relative to " << (root ? root->string() : std::string("?"))
            << "\n";
  for (const std::string& s : report.skipped) std::cout << "skipped: " << s << "\n";
  for (const std::string& s : report.notes) std::cout << "note: " << s << "\n";
  return kExitOk;
}

int runInfo(const std::string& dir, bool json) {
  auto project = Project::open(dir, OpenMode::ReadOnly);
  if (!project) return fail("info", project.status().message());
  auto images = project->images().counts();
  auto annotations = project->annotations().counts();
  auto categories = project->categories().list();
  auto runs = project->runs().list();
  auto root = project->imageRoot();
  for (const Status* s : {&images.status(), &annotations.status(), &categories.status(),
                          &runs.status(), &root.status()})
    if (!s->ok()) return fail("info", s->message());
  nlohmann::json status = nlohmann::json::object();
  for (int i = 0; i < kImageStatusCount; ++i)
    status[toString(static_cast<ImageStatus>(i))] = images->byStatus[i];
  nlohmann::json info = {
      {"images", images->total},
      {"annotations",
       {{"human", annotations->human},
        {"teacher", annotations->teacher},
        {"student", annotations->student}}},
      {"categories", categories->size()},
      {"image_status", status},
      {"runs", runs->size()},
      {"schema_version", project->schemaVersion()},
      {"image_root", root->string()},
  };
  if (json) {
    std::cout << info.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "project " << dir << " (schema version " << project->schemaVersion() << ")\n"
            << "image root: " << (root->empty() ? "(not set)" : root->string()) << "\n"
            << "images: " << images->total << " (";
  for (int i = 0; i < kImageStatusCount; ++i)
    std::cout << (i ? ", " : "") << images->byStatus[i] << " "
              << toString(static_cast<ImageStatus>(i));
  std::cout << ")\nannotations: " << annotations->human << " human, " << annotations->teacher
            << " teacher, " << annotations->student
            << " student\ncategories: " << categories->size() << "\nruns: " << runs->size() << "\n";
  return kExitOk;
}

}  // namespace

void addProjectCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("project", "Create, import into, inspect and export projects");
  cmd->group("Project");
  cmd->require_subcommand(1);

  struct Args {
    std::string dir, classes, imagesRoot, images, coco, out, sources, statuses;
    bool json = false, polygons = false;
  };
  auto args = std::make_shared<Args>();

  CLI::App* create = cmd->add_subcommand("create", "Create a project folder");
  create->add_option("DIR", args->dir, "Project folder (created if missing)")->required();
  create->add_option("--classes", args->classes, "Class names, comma-separated");
  create->add_option("--images-root", args->imagesRoot,
                     "Folder image paths are stored relative to");
  create->callback(
      [args, &exitCode] { exitCode = runCreate(args->dir, args->classes, args->imagesRoot); });

  CLI::App* import =
      cmd->add_subcommand("import", "Import every image under a folder (recursively)");
  import->add_option("DIR", args->dir, "Project folder")->required();
  import->add_option("--images", args->images, "Folder of images")->required();
  import->callback([args, &exitCode] { exitCode = runImport(args->dir, args->images);
});

CLI::App* importCoco =
    cmd->add_subcommand("import-coco", "Import a COCO instances file (idempotent)");
importCoco->add_option("DIR", args->dir, "Project folder")->required();
importCoco->add_option("--coco", args->coco, "COCO instances JSON")->required();
importCoco->add_option("--images", args->images, "Folder the file_name entries are relative to")
    ->required();
importCoco->callback([args, &exitCode] {
  exitCode = runImportCoco(args->dir, args->coco, args->images);
});

CLI::App* exportCoco =
    cmd->add_subcommand("export-coco", "Export annotations as COCO instances JSON");
exportCoco->add_option("DIR", args->dir, "Project folder")->required();
exportCoco->add_option("--out", args->out, "Output JSON file")->required();
exportCoco->add_option("--source", args->sources,
                       "Sources to export: human,teacher,student (default all)");
exportCoco->add_option(
    "--status", args->statuses,
    "Review statuses to export: pending,accepted,rejected,edited (default all but rejected)");
exportCoco->add_flag("--polygons", args->polygons, "Write polygons instead of RLE where possible");
exportCoco->callback([args, &exitCode] {
  exitCode = runExportCoco(args->dir, args->out, args->sources, args->statuses, args->polygons);
});

CLI::App* info = cmd->add_subcommand("info", "Counts of images, annotations and categories");
info->add_option("DIR", args->dir, "Project folder")->required();
info->add_flag("--json", args->json, "Print JSON");
info->callback([args, &exitCode] { exitCode = runInfo(args->dir, args->json); });
}  // namespace distillery::cli

}  // namespace distillery::cli
