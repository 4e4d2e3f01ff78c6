// Annotations of a project: instance masks (COCO RLE) with their source,
// score and review status.
//
// Human annotations are never overwritten by model output: model writes go
// through replacePredictions()/updatePrediction(), which touch only pending
// teacher/student annotations, and a trigger in the schema rejects any other
// model UPDATE of a human or reviewed annotation (schema.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/store/store_types.h"

namespace distillery {

class Connection;

// Model output for one image: replaces that model's pending annotations.
struct ImagePredictions {
  int64_t imageId = 0;
  std::vector<NewAnnotation> annotations;  // their source/runId are set by the call
  std::optional<double> uncertainty;       // the teacher's per-image uncertainty
};

class AnnotationStore {
 public:
  explicit AnnotationStore(Connection& connection) : c_(&connection) {}

  // One annotation, one transaction. Human ones start Accepted, model ones Pending.
  Result<int64_t> add(const NewAnnotation& annotation);
  // Many in one transaction; one with an externalKey already present is
  // skipped (id 0 in the result), which makes re-imports idempotent.
  Result<std::vector<int64_t>> addMany(const std::vector<NewAnnotation>& annotations);

  // A human edit of mask and/or category; model output becomes Edited.
  Status edit(int64_t id, const AnnotationEdit& edit);
  // A human delete.
  Status remove(int64_t id);
  // Review decision for one or more annotations (one transaction, logged).
  Status setReviewStatus(const std::vector<int64_t>& ids, ReviewStatus status);

  // Model output for a batch of images, one transaction: for each image,
  // deletes `source`'s pending annotations and inserts the new ones. Human
  // and reviewed annotations stay. source must be Teacher or Student.
  Result<int64_t> replacePredictions(const std::vector<ImagePredictions>& batch, Source source,
                                     std::optional<int64_t> runId = std::nullopt);
  // A model refining its own pending annotation; refused for human or reviewed ones.
  Status updatePrediction(int64_t id, Source author, const Rle& mask, double score);

  Result<AnnotationRecord> get(int64_t id) const;
  Result<std::vector<AnnotationRecord>> forImage(int64_t imageId) const;
  Result<AnnotationCounts> counts() const;
  // The review history of one annotation, oldest first.
  Result<std::vector<ReviewLogEntry>> reviewLog(int64_t annotationId) const;

 private:
  Connection* c_;
};

}  // namespace distillery
