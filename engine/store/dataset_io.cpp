#include "engine/store/dataset_io.h"

#include <map>
#include <optional>
#include <unordered_map>

#include "engine/store/annotation_rows.h"
#include "engine/store/connection.h"
#include "engine/store/content_hash.h"
#include "engine/store/image_root.h"
#include "engine/store/image_scan.h"

namespace distillery {

namespace fs = std::filesystem;

namespace {

struct PlannedImage {
  const ImageRecord* record = nullptr;
  std::string path;                   // relative to the image root
  std::optional<ProbedImage> probed;  // set when the image is new to the project
};

// Category mapping and image root, in one transaction.
Status prepare(Connection& c, const fs::path& projectDir, const Dataset& dataset,
               const fs::path& imagesFolder, std::map<int64_t, int64_t>& categoryMap,
               fs::path& root, DatasetImportReport& report) {
  return c.write("import dataset categories", [&](SQLite::Database& db) {
    root = rootForImport(db, projectDir, imagesFolder);
    SQLite::Statement byName(db, "SELECT id FROM categories WHERE name = ?");
    SQLite::Statement idFree(db, "SELECT 1 FROM categories WHERE id = ?");
    SQLite::Statement insert(
        db, "INSERT INTO categories(id, name, colour, supercategory) VALUES (?, ?, ?, ?)");
    int64_t count = db.execAndGet("SELECT count(*) FROM categories").getInt64();
    for (const Category& cat : dataset.categories) {
      byName.reset();
      byName.bind(1, cat.name);
      if (byName.executeStep()) {
        categoryMap[cat.id] = byName.getColumn(0).getInt64();
        continue;
      }
      // Keep the dataset's id when it is free, so exports round-trip.
      idFree.reset();
      idFree.bind(1, cat.id);
      insert.reset();
      if (cat.id > 0 && !idFree.executeStep())
        insert.bind(1, cat.id);
      else
        insert.bind(1);
      insert.bind(2, cat.name);
      insert.bind(3, CategoryStore::paletteColour(count++));
      insert.bind(4, cat.supercategory);
      insert.exec();
      categoryMap[cat.id] = db.getLastInsertRowid();
      ++report.categoriesAdded;
    }
  });
}

}  // namespace

std::string annotationExternalKey(const std::string& imagePath, const std::string& categoryName,
                                  const Instance& instance, int occurrence) {
  const std::string content =
      imagePath + '\n' + categoryName + '\n' + std::to_string(instance.mask.height) + 'x' +
      std::to_string(instance.mask.width) + '\n' + rle::toString(instance.mask) + '\n' +
      (instance.iscrowd ? "crowd" : "object") + '\n' + toString(instance.source);
  return "import:" + contentHash(content) + "." + std::to_string(occurrence);
}

Result<DatasetImportReport> importDataset(Project& project, const Dataset& dataset,
                                          const DatasetImportOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.imagesFolder, ec))
    return Status::error(options.imagesFolder.string() + ": images folder not found");
  Connection& c = project.connection();
  DatasetImportReport report;
  std::map<int64_t, int64_t> categoryMap;
  std::map<int64_t, std::string> categoryNames;
  for (const Category& cat : dataset.categories) categoryNames[cat.id] = cat.name;
  fs::path root;
  if (Status s =
          prepare(c, project.dir(), dataset, options.imagesFolder, categoryMap, root, report);
      !s.ok())
    return s;
  const fs::path folder = fs::weakly_canonical(fs::absolute(options.imagesFolder));
  const auto byImage = dataset.instancesByImage();

  const size_t chunk = static_cast<size_t>(std::max(1, options.chunk));
  for (size_t begin = 0; begin < dataset.images.size(); begin += chunk) {
    const size_t end = std::min(dataset.images.size(), begin + chunk);
    // Outside the transaction: find new images and hash their files.
    std::vector<PlannedImage> planned;
    auto known = c.read<std::vector<bool>>("look up imported images", [&](SQLite::Database& db) {
      SQLite::Statement q(db, "SELECT 1 FROM images WHERE path = ?");
      std::vector<bool> out;
      for (size_t i = begin; i < end; ++i) {
        q.reset();
        q.bind(1, relativeInside(root, folder / dataset.images[i].file));
        out.push_back(q.executeStep());
      }
      return out;
    });
    if (!known) return known.status();
    for (size_t i = begin; i < end; ++i) {
      const ImageRecord& record = dataset.images[i];
      const auto instances = byImage.find(record.id);
      const size_t nInstances = instances == byImage.end() ? 0 : instances->second.size();
      PlannedImage p{&record, relativeInside(root, folder / record.file), std::nullopt};
      if (Status valid = validateImagePath(record.file); !valid.ok() || p.path.empty()) {
        report.skipped.push_back(
            {record.file, "image " + std::to_string(record.id) + ": " +
                              (valid.ok() ? "path leaves the images folder" : valid.message()) +
                              "; its " + std::to_string(nInstances) + " annotations were skipped"});
        continue;
      }
      if (!(*known)[i - begin]) {
        auto probed = (record.width > 0 && record.height > 0) ? hashImage(folder / record.file)
                                                              : probeImage(folder / record.file);
        if (!probed) {
          report.skipped.push_back({record.file, probed.status().message() + "; image " +
                                                     std::to_string(record.id) + " and its " +
                                                     std::to_string(nInstances) +
                                                     " annotations were skipped"});
          continue;
        }
        if (record.width > 0 && record.height > 0) {
          probed->width = record.width;
          probed->height = record.height;
        }
        p.probed = *probed;
      }
      planned.push_back(std::move(p));
    }

    Status s = c.write("import dataset images and annotations", [&](SQLite::Database& db) {
      SQLite::Statement byPath(db, "SELECT id, width, height FROM images WHERE path = ?");
      SQLite::Statement insertImage(db,
                                    "INSERT INTO images(path, width, height, hash, split, "
                                    "added_at) VALUES (?, ?, ?, ?, ?, ?)");
      AnnotationWriter writer(db);
      for (const PlannedImage& p : planned) {
        int64_t imageId = 0;
        int width = 0, height = 0;
        byPath.reset();
        byPath.bind(1, p.path);
        if (byPath.executeStep()) {
          imageId = byPath.getColumn(0).getInt64();
          width = byPath.getColumn(1).getInt();
          height = byPath.getColumn(2).getInt();
          ++report.imagesPresent;
        } else {
          DST_CHECK(p.probed.has_value());
          insertImage.reset();
          insertImage.bind(1, p.path);
          insertImage.bind(2, p.probed->width);
          insertImage.bind(3, p.probed->height);
          insertImage.bind(4, p.probed->hash);
          insertImage.bind(5, toString(options.labelled ? Split::Labelled : Split::Unlabelled));
          insertImage.bind(6, nowMs());
          insertImage.exec();
          imageId = db.getLastInsertRowid();
          width = p.probed->width;
          height = p.probed->height;
          ++report.imagesAdded;
        }
        const auto instances = byImage.find(p.record->id);
        if (instances == byImage.end()) continue;
        std::unordered_map<std::string, int> occurrences;
        for (const Instance* inst : instances->second) {
          const std::string label = p.record->file + ": annotation " + std::to_string(inst->id);
          const auto category = categoryMap.find(inst->categoryId);
          if (category == categoryMap.end()) {
            report.skipped.push_back(
                {p.record->file, "annotation " + std::to_string(inst->id) + ": category " +
                                     std::to_string(inst->categoryId) + " is not in the dataset"});
            continue;
          }
          if (inst->mask.width != width || inst->mask.height != height) {
            report.skipped.push_back(
                {p.record->file, "annotation " + std::to_string(inst->id) + ": mask is " +
                                     std::to_string(inst->mask.width) + "x" +
                                     std::to_string(inst->mask.height) +
                                     ", expected the image's size " + std::to_string(width) + "x" +
                                     std::to_string(height)});
            continue;
          }
          const std::string base =
              annotationExternalKey(p.path, categoryNames[inst->categoryId], *inst, 0);
          NewAnnotation a;
          a.imageId = imageId;
          a.categoryId = category->second;
          a.mask = inst->mask;
          a.source = inst->source;
          a.score = inst->source == Source::Human ? 1.0 : std::clamp(inst->score, 0.0, 1.0);
          a.iscrowd = inst->iscrowd;
          a.area = inst->area;
          a.externalKey = annotationExternalKey(p.path, categoryNames[inst->categoryId], *inst,
                                                occurrences[base]++);
          if (writer.insert(a, label) != 0)
            ++report.annotationsAdded;
          else
            ++report.annotationsPresent;
        }
      }
    });
    if (!s.ok()) {
      return Status::error(s.message() + " (" + std::to_string(begin) + " of " +
                           std::to_string(dataset.images.size()) +
                           " images were imported before this; re-run the import to complete it)");
    }
    if (options.progress)
      options.progress(static_cast<int64_t>(end), static_cast<int64_t>(dataset.images.size()));
  }
  return report;
}

Result<Dataset> exportDataset(const Project& project, const ExportFilter& filter) {
  std::string sources, statuses;
  for (Source s : filter.sources)
    sources += std::string(sources.empty() ? "" : ",") + "'" + toString(s) + "'";
  for (ReviewStatus s : filter.statuses)
    statuses += std::string(statuses.empty() ? "" : ",") + "'" + toString(s) + "'";
  if (sources.empty() || statuses.empty())
    return Status::error("export filter selects no source or no review status");
  return project.connection().read<Dataset>("export the project", [&](SQLite::Database& db) {
    Dataset out;
    SQLite::Statement cats(db, "SELECT id, name, supercategory FROM categories ORDER BY id");
    while (cats.executeStep())
      out.categories.push_back({cats.getColumn(0).getInt64(), cats.getColumn(1).getString(),
                                cats.getColumn(2).getString()});
    SQLite::Statement anns(db, std::string("SELECT ") + kAnnotationColumns +
                                   " FROM annotations WHERE source IN (" + sources +
                                   ") AND review IN (" + statuses + ") ORDER BY image_id, id");
    std::set<int64_t> withAnnotations;
    while (anns.executeStep()) {
      const AnnotationRecord a = readAnnotation(anns);
      Instance inst;
      inst.id = a.id;
      inst.imageId = a.imageId;
      inst.categoryId = a.categoryId;
      inst.mask = a.mask;
      inst.score = a.score;
      inst.source = a.source;
      inst.iscrowd = a.iscrowd;
      inst.area = a.area;
      out.instances.push_back(std::move(inst));
      withAnnotations.insert(a.imageId);
    }
    const bool labelledToo = filter.sources.count(Source::Human) > 0;
    SQLite::Statement images(db, "SELECT id, path, width, height, split FROM images ORDER BY id");
    while (images.executeStep()) {
      const int64_t id = images.getColumn(0).getInt64();
      const bool labelled = images.getColumn(4).getString() != toString(Split::Unlabelled);
      if (!filter.includeImagesWithoutAnnotations && !withAnnotations.count(id) &&
          !(labelledToo && labelled))
        continue;
      out.images.push_back({id, images.getColumn(1).getString(), images.getColumn(2).getInt(),
                            images.getColumn(3).getInt()});
    }
    return out;
  });
}

}  // namespace distillery
