// What the gallery asks of the app: pages of rows and thumbnails.
//
// The app implements both over the project store (a page of 200 rows is an
// indexed query of a few ms). The gallery asks only for the pages it shows and
// never holds the whole project in memory.
#pragma once

#include <cstdint>
#include <vector>

#include <QImage>
#include <QSize>

#include "widgets/gallery/gallery_types.h"

namespace distillery {

// Called on the GUI thread only.
class GalleryPageProvider {
 public:
  virtual ~GalleryPageProvider() = default;

  // Number of images that pass the filter.
  virtual int64_t count(const GalleryFilter& filter) = 0;

  // Rows [offset, offset + limit) of the filtered images in the given order;
  // fewer at the end.
  virtual std::vector<GalleryRow> page(const GalleryFilter& filter, GalleryOrder order,
                                       int64_t offset, int limit) = 0;

  // Position of an image in the filtered, ordered list; -1 if it is not there.
  // Lets the gallery jump to an image it has not paged in. The default says "unknown".
  virtual int64_t indexOf(const GalleryFilter& /*filter*/, GalleryOrder /*order*/,
                          int64_t /*imageId*/) {
    return -1;
  }

  // Totals for the filter buttons; override when one query does it.
  virtual GalleryCounts counts() {
    GalleryCounts c;
    c.total = count({});
    for (int s = 0; s < kGalleryStatusCount; ++s)
      c.byStatus[s] = count(GalleryFilter{static_cast<GalleryStatus>(s)});
    return c;
  }
};

// Called on worker threads, possibly several at once: implementations must be
// thread-safe (e.g. decode the file, or read a per-thread store connection).
class ThumbnailProvider {
 public:
  virtual ~ThumbnailProvider() = default;

  // The image scaled to fit `size`; a null QImage if it cannot be read.
  virtual QImage thumbnail(int64_t imageId, QSize size) = 0;
};

}  // namespace distillery
