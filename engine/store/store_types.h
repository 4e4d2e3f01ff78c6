// Value types of the project store: what the GUI and the trainer read and write.
// Plain structs, no SQLite: app/ includes this header (see docs/store.md).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/rle.h"
#include "engine/util/status.h"

namespace distillery {

// Review state of one annotation. Human annotations start Accepted, model
// output (teacher/student) starts Pending; a human edit of model output is Edited.
enum class ReviewStatus { Pending, Accepted, Rejected, Edited };

// Gallery state of one image, derived from its annotations (first match wins):
// Human = has a human (seed) annotation; Pending = model output awaiting review;
// Accepted = reviewed, at least one kept; Rejected = every model annotation rejected.
enum class ImageStatus { Unlabelled, Human, Pending, Accepted, Rejected };
constexpr int kImageStatusCount = 5;

// The partition the trainer uses. Adding a human annotation moves an
// unlabelled image to Labelled (val/test stay as they are).
enum class Split { Labelled, Unlabelled, Val, Test };

enum class GallerySort { Name, Id, Uncertainty };

enum class RunStatus { Running, Finished, Failed, Cancelled };

const char* toString(ReviewStatus s);
const char* toString(ImageStatus s);
const char* toString(Split s);
const char* toString(GallerySort s);
const char* toString(RunStatus s);
Result<ReviewStatus> reviewStatusFromString(const std::string& s);
Result<ImageStatus> imageStatusFromString(const std::string& s);
Result<Split> splitFromString(const std::string& s);
Result<GallerySort> gallerySortFromString(const std::string& s);
Result<RunStatus> runStatusFromString(const std::string& s);

struct CategoryInfo {
  int64_t id = 0;
  std::string name;
  std::string colour;  // "#rrggbb"
  std::string supercategory;
};

// One gallery row: everything a thumbnail tile needs, no annotation masks.
struct ImageEntry {
  int64_t id = 0;
  std::string path;  // relative to the project's image root, '/'-separated
  int width = 0;
  int height = 0;
  std::string hash;  // content hash, 16 hex digits (see contentHash)
  Split split = Split::Unlabelled;
  std::optional<double> uncertainty;  // set by a teacher run; empty = not scored
  ImageStatus status = ImageStatus::Unlabelled;
  int humanCount = 0;     // human annotations
  int pendingCount = 0;   // model annotations awaiting review
  int acceptedCount = 0;  // model annotations accepted or edited
  int rejectedCount = 0;  // model annotations rejected
};

// One page of the gallery: `limit` rows from `offset` in the chosen order.
// Uncertainty descending is the review order: most uncertain (most
// informative) first, images the teacher has not scored last, ties by name;
// ascending is its exact reverse.
struct GalleryQuery {
  std::optional<ImageStatus> status;  // empty = every image
  GallerySort sort = GallerySort::Name;
  bool descending = false;
  int64_t offset = 0;
  int limit = 200;
  bool forceTableScan = false;  // benchmarks only: the same query without indexes
};

struct StatusCounts {
  std::array<int64_t, kImageStatusCount> byStatus{};  // indexed by ImageStatus
  int64_t total = 0;
  int64_t operator[](ImageStatus s) const { return byStatus[static_cast<int>(s)]; }
};

// An image record without reading the file (bulk loads, benchmarks).
struct NewImage {
  std::string path;  // relative to the image root
  int width = 0;
  int height = 0;
  std::string hash;
  Split split = Split::Unlabelled;
};

struct ImportIssue {
  std::string file;
  std::string reason;
};

struct ImportReport {
  int64_t added = 0;
  int64_t alreadyPresent = 0;           // same relative path already in the project
  std::vector<ImportIssue> duplicates;  // same content as another image: skipped
  std::vector<ImportIssue> failed;      // unreadable or undecodable: skipped
};

// Progress of a long import: items done of total (called after each commit).
using ProgressFn = std::function<void(int64_t done, int64_t total)>;

struct AnnotationRecord {
  int64_t id = 0;
  int64_t imageId = 0;
  int64_t categoryId = 0;
  Rle mask;
  double area = 0;
  bool iscrowd = false;
  Source source = Source::Human;
  double score = 1.0;
  ReviewStatus review = ReviewStatus::Accepted;
  std::optional<int64_t> runId;
  int64_t createdAtMs = 0;
  int64_t updatedAtMs = 0;
};

struct NewAnnotation {
  int64_t imageId = 0;
  int64_t categoryId = 0;
  Rle mask;  // must have the image's size
  Source source = Source::Human;
  double score = 1.0;
  bool iscrowd = false;
  double area = -1;  // -1 = the mask's pixel count
  std::optional<int64_t> runId;
  std::string externalKey;  // optional stable key; a second insert with it is ignored
};

// A human edit of an annotation; unset fields stay as they are.
struct AnnotationEdit {
  std::optional<int64_t> categoryId;
  std::optional<Rle> mask;
};

struct AnnotationCounts {
  int64_t human = 0;
  int64_t teacher = 0;
  int64_t student = 0;
  int64_t total() const { return human + teacher + student; }
};

struct ReviewLogEntry {
  int64_t id = 0;
  int64_t annotationId = 0;
  ReviewStatus oldStatus = ReviewStatus::Pending;
  ReviewStatus newStatus = ReviewStatus::Pending;
  int64_t atMs = 0;
};

struct RunRecord {
  int64_t id = 0;
  std::string recipe;
  std::string configJson;
  RunStatus status = RunStatus::Running;
  std::string message;
  int64_t startedAtMs = 0;
  std::optional<int64_t> endedAtMs;
};

// NaN values are stored as SQL NULL and read back as NaN.
struct MetricPoint {
  int64_t runId = 0;
  int64_t step = 0;
  std::string name;
  double value = 0;
};

struct CheckpointRecord {
  int64_t id = 0;
  int64_t runId = 0;
  std::string stage;
  int64_t step = 0;
  std::string file;  // relative to the project folder when inside it
  std::string metricsJson;
  int64_t createdAtMs = 0;
};

}  // namespace distillery
