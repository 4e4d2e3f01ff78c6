#include "app/gui/store_review_queue.h"

#include <QColor>
#include <QFileInfo>
#include <unordered_map>

#include "engine/store/project.h"

namespace distillery {

Result<std::vector<ReviewItem>> collectReviewQueue(const QString& projectDir) {
  auto project = Project::open(projectDir.toStdString(), OpenMode::ReadOnly);
  if (!project) return project.status();
  auto categories = project->categories().list();
  if (!categories) return categories.status();
  std::unordered_map<int64_t, const CategoryInfo*> byId;
  for (const CategoryInfo& c : *categories) byId[c.id] = &c;

  std::vector<ReviewItem> items;
  GalleryQuery query;
  query.sort = GallerySort::Uncertainty;
  query.descending = true;  // most uncertain (most informative) first
  query.limit = 500;
  for (;; query.offset += query.limit) {
    auto page = project->images().page(query);
    if (!page) return page.status();
    for (const ImageEntry& image : *page) {
      if (image.pendingCount == 0) continue;
      auto records = project->annotations().forImage(image.id);
      if (!records) return records.status();
      const QString name = QFileInfo(QString::fromStdString(image.path)).fileName();
      for (const AnnotationRecord& r : *records) {
        if (r.source == Source::Human || r.review != ReviewStatus::Pending) continue;
        ReviewItem item;
        item.annotationId = r.id;
        item.imageId = image.id;
        item.imageName = name;
        item.classId = r.categoryId;
        if (auto it = byId.find(r.categoryId); it != byId.end()) {
          item.className = QString::fromStdString(it->second->name);
          item.colour = QColor(QString::fromStdString(it->second->colour));
        }
        // The store keeps one score per label; it stands for both thresholds
        // until the teacher contract delivers a separate mask-quality score.
        item.classScore = r.score;
        item.maskScore = r.score;
        item.status = LabelReview::Pending;
        items.push_back(std::move(item));
      }
    }
    if (int(page->size()) < query.limit) break;
  }
  return items;
}

}  // namespace distillery
