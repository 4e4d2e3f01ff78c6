// Value types of the gallery dock: one row per image, the filter and the order.
// Plain structs so the app can fill them from the project store without the
// widgets knowing SQLite. GalleryStatus has the order of the store's ImageStatus.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include <QString>

namespace distillery {

// Labelling state of one image, as the gallery badge shows it.
enum class GalleryStatus {
  Unlabelled,  // no annotation yet
  Human,       // seed-labelled: has a human annotation
  Pending,     // teacher pseudo-labels waiting for review
  Accepted,    // reviewed, at least one pseudo-label kept
  Rejected,    // every pseudo-label rejected
};
constexpr int kGalleryStatusCount = 5;

// The gallery's order. Uncertainty puts the most uncertain (most informative)
// image first; images the teacher has not scored come last, by name.
enum class GalleryOrder { Name, Uncertainty };

struct GalleryFilter {
  std::optional<GalleryStatus> status;  // empty = every image
  bool operator==(const GalleryFilter& o) const { return status == o.status; }
  bool operator!=(const GalleryFilter& o) const { return !(*this == o); }
};

struct GalleryRow {
  int64_t imageId = 0;
  QString fileName;
  int width = 0;
  int height = 0;
  GalleryStatus status = GalleryStatus::Unlabelled;
  int humanCount = 0;                 // human (seed) annotations
  int teacherCount = 0;               // teacher pseudo-labels, any review state
  std::optional<double> uncertainty;  // empty = not scored by a teacher run
};

struct GalleryCounts {
  int64_t total = 0;
  std::array<int64_t, kGalleryStatusCount> byStatus{};
  int64_t operator[](GalleryStatus s) const { return byStatus[static_cast<int>(s)]; }
};

// Display name ("Unlabelled", "Seed-labelled", ...), translated.
QString galleryStatusName(GalleryStatus status);

}  // namespace distillery
