#include "engine/store/store_types.h"

#include <iterator>

namespace distillery {
namespace {

// Name tables in enum order; the strings are also the values stored in SQL.
constexpr const char* kReview[] = {"pending", "accepted", "rejected", "edited"};
constexpr const char* kImageStatus[] = {"unlabelled", "human", "pending", "accepted", "rejected"};
constexpr const char* kSplit[] = {"labelled", "unlabelled", "val", "test"};
constexpr const char* kSort[] = {"name", "id", "uncertainty"};
constexpr const char* kRun[] = {"running", "finished", "failed", "cancelled"};

template <class Enum, size_t N>
Result<Enum> parse(const std::string& s, const char* const (&names)[N], const char* what) {
  std::string expected;
  for (size_t i = 0; i < N; ++i) {
    if (s == names[i]) return static_cast<Enum>(i);
    expected += (i ? (i + 1 == N ? " or " : ", ") : "") + std::string(names[i]);
  }
  return Status::error("unknown " + std::string(what) + " '" + s + "' (expected " + expected + ")");
}

}  // namespace

const char* toString(ReviewStatus s) {
  return kReview[static_cast<int>(s)];
}
const char* toString(ImageStatus s) {
  return kImageStatus[static_cast<int>(s)];
}
const char* toString(Split s) {
  return kSplit[static_cast<int>(s)];
}
const char* toString(GallerySort s) {
  return kSort[static_cast<int>(s)];
}
const char* toString(RunStatus s) {
  return kRun[static_cast<int>(s)];
}

Result<ReviewStatus> reviewStatusFromString(const std::string& s) {
  return parse<ReviewStatus>(s, kReview, "review status");
}
Result<ImageStatus> imageStatusFromString(const std::string& s) {
  return parse<ImageStatus>(s, kImageStatus, "image status");
}
Result<Split> splitFromString(const std::string& s) {
  return parse<Split>(s, kSplit, "split");
}
Result<GallerySort> gallerySortFromString(const std::string& s) {
  return parse<GallerySort>(s, kSort, "sort key");
}
Result<RunStatus> runStatusFromString(const std::string& s) {
  return parse<RunStatus>(s, kRun, "run status");
}

}  // namespace distillery
