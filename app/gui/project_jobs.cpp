#include "app/gui/project_jobs.h"

#include <QObject>

#include <algorithm>
#include <set>

#include "engine/data/formats/dataset_conversion.h"
#include "engine/store/dataset_io.h"
#include "engine/store/project.h"

namespace distillery {
namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

void addIssues(QStringList& out, const std::vector<ImportIssue>& issues, const QString& what) {
  for (const ImportIssue& i : issues)
    out << QStringLiteral("%1: %2 (%3)").arg(q(i.file), q(i.reason), what);
}

// Adds `more` (from the same project: same ids) to `into`.
void mergeInto(Dataset& into, Dataset more) {
  std::set<int64_t> categories, images;
  for (const Category& c : into.categories) categories.insert(c.id);
  for (const ImageRecord& i : into.images) images.insert(i.id);
  for (Category& c : more.categories)
    if (categories.insert(c.id).second) into.categories.push_back(std::move(c));
  for (ImageRecord& i : more.images)
    if (images.insert(i.id).second) into.images.push_back(std::move(i));
  for (Instance& i : more.instances) into.instances.push_back(std::move(i));
  std::sort(into.categories.begin(), into.categories.end(),
            [](const Category& a, const Category& b) { return a.id < b.id; });
  std::sort(into.images.begin(), into.images.end(),
            [](const ImageRecord& a, const ImageRecord& b) { return a.id < b.id; });
}

}  // namespace

ImportOutcome importDatasetInto(Project& project, const QString& format, const QString& input,
                                const QString& images, const JobProgress& progress) {
  ImportOutcome out;
  ConvertRequest request;
  request.from = format.toStdString();
  request.input = input.toStdString();
  request.images = images.toStdString();
  ConversionReport read;
  auto dataset = importDataset(request, &read);
  if (!dataset) {
    out.error = q(dataset.status().message());
    return out;
  }
  for (const std::string& s : read.skipped) out.issues << q(s);
  const std::filesystem::path root =
      images.isEmpty() ? defaultImageRoot(request.from, request.input) : request.images;
  DatasetImportOptions options(root, 64, progress);
  auto report = importDataset(project, *dataset, options);
  if (!report) {
    out.error = q(report.status().message());
    return out;
  }
  addIssues(out.issues, report->skipped, QObject::tr("skipped"));
  out.summary = QObject::tr(
                    "Imported %1: %2 images added (%3 already there), %4 annotations "
                    "added (%5 already there), %6 classes added, %7 items skipped")
                    .arg(input)
                    .arg(report->imagesAdded)
                    .arg(report->imagesPresent)
                    .arg(report->annotationsAdded)
                    .arg(report->annotationsPresent)
                    .arg(report->categoriesAdded)
                    .arg(out.issues.size());
  return out;
}

ImportOutcome importFolderInto(Project& project, const QString& folder,
                               const JobProgress& progress) {
  ImportOutcome out;
  auto report = project.images().importFolder(folder.toStdString(), progress);
  if (!report) {
    out.error = q(report.status().message());
    return out;
  }
  addIssues(out.issues, report->duplicates, QObject::tr("duplicate content, skipped"));
  addIssues(out.issues, report->failed, QObject::tr("not imported"));
  out.summary = QObject::tr(
                    "Imported %1: %2 images added, %3 already there, %4 duplicates "
                    "skipped, %5 failed")
                    .arg(folder)
                    .arg(report->added)
                    .arg(report->alreadyPresent)
                    .arg(report->duplicates.size())
                    .arg(report->failed.size());
  return out;
}

ExportReport exportLabelsFrom(const Project& project, const ExportOptions& options) {
  ExportReport out;
  if (options.kind == ExportOptions::Kind::Student) {
    out.error = QObject::tr(
        "This project has no trained student yet: run Pipeline > Distill "
        "first, then export it here.");
    return out;
  }
  ExportFilter filter;
  filter.sources.clear();
  for (const QString& s : options.sources) {
    auto source = sourceFromString(s.toStdString());
    if (!source) {
      out.error = q(source.status().message());
      return out;
    }
    filter.sources.insert(*source);
  }
  filter.statuses.clear();
  for (const QString& s : options.statuses) {
    auto status = reviewStatusFromString(s.toStdString());
    if (!status) {
      out.error = q(status.status().message());
      return out;
    }
    filter.statuses.insert(*status);
  }
  filter.includeImagesWithoutAnnotations = options.includeImagesWithoutAnnotations;
  // The dialog's review states are about teacher/student output; human labels
  // (always accepted) are exported whenever "human" is ticked.
  ExportFilter models = filter;
  models.sources.erase(Source::Human);
  Dataset dataset;
  if (filter.sources.count(Source::Human)) {
    ExportFilter human = filter;
    human.sources = {Source::Human};
    human.statuses = {ReviewStatus::Accepted, ReviewStatus::Edited, ReviewStatus::Pending,
                      ReviewStatus::Rejected};
    auto d = exportDataset(project, human);
    if (!d) {
      out.error = q(d.status().message());
      return out;
    }
    dataset = std::move(*d);
  }
  if (!models.sources.empty() && !models.statuses.empty()) {
    auto d = exportDataset(project, models);
    if (!d) {
      out.error = q(d.status().message());
      return out;
    }
    mergeInto(dataset, std::move(*d));
  }
  auto root = project.imageRoot();
  ConvertRequest request;
  request.to = options.format.toStdString();
  request.output = options.labelsPath.toStdString();
  ConversionReport report;
  Status written = exportDataset(dataset, request, root ? *root : std::filesystem::path(), &report);
  if (!written.ok()) {
    out.error = q(written.message());
    return out;
  }
  out.imagesWritten = report.imagesWritten;
  out.instancesWritten = report.instancesWritten;
  out.files << options.labelsPath;
  for (const std::string& s : report.skipped) out.skipped << q(s);
  for (const std::string& s : report.notes) out.notes << q(s);
  if (root && !root->empty())
    out.notes << QObject::tr("image file names are relative to %1").arg(q(root->string()));
  return out;
}

}  // namespace distillery
