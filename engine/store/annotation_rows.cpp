#include "engine/store/annotation_rows.h"

#include "engine/store/connection.h"

namespace distillery {

const char* const kAnnotationColumns =
    "id, image_id, category_id, rle, height, width, area, iscrowd, source, score, review, run_id, "
    "created_at, updated_at";

AnnotationRecord readAnnotation(SQLite::Statement& q) {
  AnnotationRecord a;
  a.id = q.getColumn(0).getInt64();
  a.imageId = q.getColumn(1).getInt64();
  a.categoryId = q.getColumn(2).getInt64();
  auto mask =
      rle::fromString(q.getColumn(3).getString(), q.getColumn(4).getInt(), q.getColumn(5).getInt());
  if (!mask)
    throw UserError("annotation " + std::to_string(a.id) +
                    ": stored mask is invalid: " + mask.status().message());
  a.mask = std::move(*mask);
  a.area = q.getColumn(6).getDouble();
  a.iscrowd = q.getColumn(7).getInt() != 0;
  a.source = sourceFromString(q.getColumn(8).getString()).value();
  a.score = q.getColumn(9).getDouble();
  a.review = reviewStatusFromString(q.getColumn(10).getString()).value();
  if (!q.isColumnNull(11)) a.runId = q.getColumn(11).getInt64();
  a.createdAtMs = q.getColumn(12).getInt64();
  a.updatedAtMs = q.getColumn(13).getInt64();
  return a;
}

AnnotationWriter::AnnotationWriter(SQLite::Database& db)
    : db_(db),
      imageSize_(db, "SELECT width, height FROM images WHERE id = ?"),
      category_(db, "SELECT 1 FROM categories WHERE id = ?"),
      byKey_(db, "SELECT 1 FROM annotations WHERE external_key = ?"),
      insert_(db,
              "INSERT INTO annotations(image_id, category_id, rle, height, width, area, iscrowd, "
              "source, score, "
              "review, run_id, external_key, updated_by, created_at, updated_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      now_(nowMs()) {}

int64_t AnnotationWriter::insert(const NewAnnotation& a, const std::string& label) {
  if (!a.externalKey.empty()) {
    byKey_.reset();
    byKey_.bind(1, a.externalKey);
    if (byKey_.executeStep()) return 0;
  }
  auto size = sizes_.find(a.imageId);
  if (size == sizes_.end()) {
    imageSize_.reset();
    imageSize_.bind(1, a.imageId);
    if (!imageSize_.executeStep())
      throw UserError(label + ": image " + std::to_string(a.imageId) +
                      " does not exist in the project");
    size = sizes_
               .emplace(a.imageId, std::make_pair(imageSize_.getColumn(0).getInt(),
                                                  imageSize_.getColumn(1).getInt()))
               .first;
  }
  auto category = categories_.find(a.categoryId);
  if (category == categories_.end()) {
    category_.reset();
    category_.bind(1, a.categoryId);
    category = categories_.emplace(a.categoryId, category_.executeStep()).first;
  }
  if (!category->second)
    throw UserError(label + ": category " + std::to_string(a.categoryId) +
                    " does not exist in the project");
  const auto [width, height] = size->second;
  if (a.mask.width != width || a.mask.height != height) {
    throw UserError(label + ": mask is " + std::to_string(a.mask.width) + "x" +
                    std::to_string(a.mask.height) + ", expected the image's size " +
                    std::to_string(width) + "x" + std::to_string(height));
  }
  if (!(a.score >= 0 && a.score <= 1))
    throw UserError(label + ": score " + std::to_string(a.score) + " is outside [0, 1]");
  const bool human = a.source == Source::Human;
  insert_.reset();
  insert_.bind(1, a.imageId);
  insert_.bind(2, a.categoryId);
  insert_.bind(3, rle::toString(a.mask));
  insert_.bind(4, a.mask.height);
  insert_.bind(5, a.mask.width);
  insert_.bind(6, a.area >= 0 ? a.area : static_cast<double>(rle::area(a.mask)));
  insert_.bind(7, a.iscrowd ? 1 : 0);
  insert_.bind(8, toString(a.source));
  insert_.bind(9, a.score);
  insert_.bind(10, toString(human ? ReviewStatus::Accepted : ReviewStatus::Pending));
  if (a.runId)
    insert_.bind(11, *a.runId);
  else
    insert_.bind(11);
  if (a.externalKey.empty())
    insert_.bind(12);
  else
    insert_.bind(12, a.externalKey);
  insert_.bind(13, toString(a.source));
  insert_.bind(14, now_);
  insert_.bind(15, now_);
  insert_.exec();
  return db_.getLastInsertRowid();
}

}  // namespace distillery
