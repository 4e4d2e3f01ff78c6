#include "engine/store/annotation_store.h"

#include <cmath>

#include "engine/store/annotation_rows.h"
#include "engine/store/connection.h"

namespace distillery {
namespace {

std::string annotationLabel(int64_t id) {
  return "annotation " + std::to_string(id);
}

// source and review of an existing annotation; throws when it does not exist.
std::pair<Source, ReviewStatus> ownership(SQLite::Database& db, int64_t id) {
  SQLite::Statement q(db, "SELECT source, review FROM annotations WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) throw UserError(annotationLabel(id) + " does not exist in the project");
  return {sourceFromString(q.getColumn(0).getString()).value(),
          reviewStatusFromString(q.getColumn(1).getString()).value()};
}

}  // namespace

Result<int64_t> AnnotationStore::add(const NewAnnotation& annotation) {
  auto ids = addMany({annotation});
  if (!ids) return ids.status();
  if (ids->front() == 0)
    return Status::error("an annotation with external key '" + annotation.externalKey +
                         "' already exists");
  return ids->front();
}

Result<std::vector<int64_t>> AnnotationStore::addMany(
    const std::vector<NewAnnotation>& annotations) {
  std::vector<int64_t> ids;
  Status s = c_->write(
      annotations.size() == 1 ? "add the annotation" : "add annotations",
      [&](SQLite::Database& db) {
        AnnotationWriter writer(db);
        for (size_t i = 0; i < annotations.size(); ++i)
          ids.push_back(writer.insert(annotations[i], "new annotation " + std::to_string(i)));
      });
  if (!s.ok()) return s;
  return ids;
}

Status AnnotationStore::edit(int64_t id, const AnnotationEdit& edit) {
  return c_->write("edit " + annotationLabel(id), [&](SQLite::Database& db) {
    ownership(db, id);  // exists
    if (edit.categoryId) {
      SQLite::Statement cat(db, "SELECT 1 FROM categories WHERE id = ?");
      cat.bind(1, *edit.categoryId);
      if (!cat.executeStep())
        throw UserError(annotationLabel(id) + ": category " + std::to_string(*edit.categoryId) +
                        " does not exist");
    }
    if (edit.mask) {
      SQLite::Statement size(db,
                             "SELECT i.width, i.height FROM annotations a JOIN images i ON i.id = "
                             "a.image_id WHERE a.id = ?");
      size.bind(1, id);
      size.executeStep();
      if (edit.mask->width != size.getColumn(0).getInt() ||
          edit.mask->height != size.getColumn(1).getInt())
        throw UserError(annotationLabel(id) + ": mask is " + std::to_string(edit.mask->width) +
                        "x" + std::to_string(edit.mask->height) + ", expected the image's size " +
                        std::to_string(size.getColumn(0).getInt()) + "x" +
                        std::to_string(size.getColumn(1).getInt()));
    }
    // A human edit of model output marks it Edited: a reviewed, human-owned mask.
    SQLite::Statement q(
        db,
        "UPDATE annotations SET category_id = coalesce(?, category_id), rle = coalesce(?, rle), "
        "height = coalesce(?, height), width = coalesce(?, width), area = coalesce(?, area), "
        "review = CASE WHEN source <> 'human' THEN 'edited' ELSE review END, "
        "updated_by = 'human', updated_at = ? WHERE id = ?");
    if (edit.categoryId)
      q.bind(1, *edit.categoryId);
    else
      q.bind(1);
    if (edit.mask) {
      q.bind(2, rle::toString(*edit.mask));
      q.bind(3, edit.mask->height);
      q.bind(4, edit.mask->width);
      q.bind(5, static_cast<double>(rle::area(*edit.mask)));
    } else {
      for (int i = 2; i <= 5; ++i) q.bind(i);
    }
    q.bind(6, nowMs());
    q.bind(7, id);
    q.exec();
  });
}

Status AnnotationStore::remove(int64_t id) {
  return c_->write("delete " + annotationLabel(id), [&](SQLite::Database& db) {
    SQLite::Statement q(db, "DELETE FROM annotations WHERE id = ?");
    q.bind(1, id);
    if (q.exec() == 0) throw UserError(annotationLabel(id) + " does not exist in the project");
  });
}

Status AnnotationStore::setReviewStatus(const std::vector<int64_t>& ids, ReviewStatus status) {
  return c_->write(std::string("mark annotations ") + toString(status), [&](SQLite::Database& db) {
    SQLite::Statement q(
        db, "UPDATE annotations SET review = ?, updated_by = 'human', updated_at = ? WHERE id = ?");
    const int64_t now = nowMs();
    for (int64_t id : ids) {
      q.reset();
      q.bind(1, toString(status));
      q.bind(2, now);
      q.bind(3, id);
      if (q.exec() == 0) throw UserError(annotationLabel(id) + " does not exist in the project");
    }
  });
}

Result<int64_t> AnnotationStore::replacePredictions(const std::vector<ImagePredictions>& batch,
                                                    Source source, std::optional<int64_t> runId) {
  if (source == Source::Human)
    return Status::error(
        "replacePredictions writes model output; human annotations are added with add()");
  int64_t added = 0;
  Status s = c_->write(
      std::string("store ") + toString(source) + " predictions", [&](SQLite::Database& db) {
        // Only this model's pending output is replaced: the WHERE clause is the guarantee.
        SQLite::Statement clear(
            db, "DELETE FROM annotations WHERE image_id = ? AND source = ? AND review = 'pending'");
        SQLite::Statement uncertainty(db, "UPDATE images SET uncertainty = ? WHERE id = ?");
        AnnotationWriter writer(db);
        for (const ImagePredictions& image : batch) {
          clear.reset();
          clear.bind(1, image.imageId);
          clear.bind(2, toString(source));
          clear.exec();
          if (image.uncertainty) {
            uncertainty.reset();
            if (std::isnan(*image.uncertainty))
              uncertainty.bind(1);
            else
              uncertainty.bind(1, *image.uncertainty);
            uncertainty.bind(2, image.imageId);
            if (uncertainty.exec() == 0)
              throw UserError("predictions: image " + std::to_string(image.imageId) +
                              " does not exist in the project");
          }
          for (size_t i = 0; i < image.annotations.size(); ++i) {
            NewAnnotation a = image.annotations[i];
            a.imageId = image.imageId;
            a.source = source;
            a.runId = runId;
            writer.insert(
                a, "image " + std::to_string(image.imageId) + ": prediction " + std::to_string(i));
            ++added;
          }
        }
      });
  if (!s.ok()) return s;
  return added;
}

Status AnnotationStore::updatePrediction(int64_t id, Source author, const Rle& mask, double score) {
  if (author == Source::Human)
    return Status::error("updatePrediction is for model output; human edits use edit()");
  return c_->write(
      std::string("store ") + toString(author) + " output in " + annotationLabel(id),
      [&](SQLite::Database& db) {
        const auto [source, review] = ownership(db, id);
        if (source == Source::Human || review != ReviewStatus::Pending) {
          throw UserError(annotationLabel(id) + " is " +
                          (source == Source::Human ? "a human annotation" : "reviewed") + "; " +
                          toString(author) + " output never overwrites it");
        }
        SQLite::Statement q(db,
                            "UPDATE annotations SET rle = ?, height = ?, width = ?, area = ?, "
                            "score = ?, updated_by = ?, "
                            "updated_at = ? WHERE id = ?");
        q.bind(1, rle::toString(mask));
        q.bind(2, mask.height);
        q.bind(3, mask.width);
        q.bind(4, static_cast<double>(rle::area(mask)));
        q.bind(5, score);
        q.bind(6, toString(author));
        q.bind(7, nowMs());
        q.bind(8, id);
        q.exec();
      });
}

Result<AnnotationRecord> AnnotationStore::get(int64_t id) const {
  auto found = c_->read<std::vector<AnnotationRecord>>(
      "read " + annotationLabel(id), [id](SQLite::Database& db) {
        SQLite::Statement q(
            db, std::string("SELECT ") + kAnnotationColumns + " FROM annotations WHERE id = ?");
        q.bind(1, id);
        std::vector<AnnotationRecord> out;
        if (q.executeStep()) out.push_back(readAnnotation(q));
        return out;
      });
  if (!found) return found.status();
  if (found->empty()) return Status::error(annotationLabel(id) + " does not exist in the project");
  return found->front();
}

Result<std::vector<AnnotationRecord>> AnnotationStore::forImage(int64_t imageId) const {
  return c_->read<std::vector<AnnotationRecord>>(
      "read the annotations of image " + std::to_string(imageId), [imageId](SQLite::Database& db) {
        SQLite::Statement q(db, std::string("SELECT ") + kAnnotationColumns +
                                    " FROM annotations WHERE image_id = ? ORDER BY id");
        q.bind(1, imageId);
        std::vector<AnnotationRecord> out;
        while (q.executeStep()) out.push_back(readAnnotation(q));
        return out;
      });
}

Result<AnnotationCounts> AnnotationStore::counts() const {
  return c_->read<AnnotationCounts>("count annotations", [](SQLite::Database& db) {
    AnnotationCounts counts;
    SQLite::Statement q(db, "SELECT source, count(*) FROM annotations GROUP BY source");
    while (q.executeStep()) {
      const int64_t n = q.getColumn(1).getInt64();
      switch (sourceFromString(q.getColumn(0).getString()).value()) {
        case Source::Human:
          counts.human = n;
          break;
        case Source::Teacher:
          counts.teacher = n;
          break;
        case Source::Student:
          counts.student = n;
          break;
      }
    }
    return counts;
  });
}

Result<std::vector<ReviewLogEntry>> AnnotationStore::reviewLog(int64_t annotationId) const {
  return c_->read<std::vector<ReviewLogEntry>>(
      "read the review log", [annotationId](SQLite::Database& db) {
        SQLite::Statement q(db,
                            "SELECT id, annotation_id, old_status, new_status, at FROM review_log "
                            "WHERE annotation_id = ? ORDER BY id");
        q.bind(1, annotationId);
        std::vector<ReviewLogEntry> out;
        while (q.executeStep()) {
          out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                         reviewStatusFromString(q.getColumn(2).getString()).value(),
                         reviewStatusFromString(q.getColumn(3).getString()).value(),
                         q.getColumn(4).getInt64()});
        }
        return out;
      });
}

}  // namespace distillery
