// A tiled mip pyramid of one image: level L is the image downsampled by 2^L, cut into
// kTileSize tiles stored as ready-to-paint QImages (Format_RGB32). The canvas paints only
// the tiles of one level that intersect the view, so a frame costs about one screenful of
// pixels whatever the image size. Building is slow: it runs on a worker thread.
#pragma once

#include <QImage>
#include <QRectF>
#include <QSize>
#include <atomic>
#include <memory>
#include <opencv2/core.hpp>
#include <vector>

namespace distillery {

struct PyramidLevel {
  QSize size;                 // pixels of this level
  int columns = 0;            // tiles across
  int rows = 0;               // tiles down
  std::vector<QImage> tiles;  // row-major

  const QImage& tile(int column, int row) const { return tiles[size_t(row * columns + column)]; }
};

class ImagePyramid {
 public:
  static constexpr int kTileSize = 512;

  // Builds every level from an 8-bit BGR image; stops once a level fits one tile.
  // Returns nullptr when `cancel` becomes true midway.
  static std::shared_ptr<const ImagePyramid> build(const cv::Mat& bgr,
                                                   const std::atomic<bool>* cancel = nullptr);

  QSize imageSize() const { return imageSize_; }
  int levelCount() const { return int(levels_.size()); }
  const PyramidLevel& level(int index) const { return levels_[size_t(index)]; }
  // The part of the full-resolution image that tile (column, row) of `level` shows.
  QRectF tileImageRect(int level, int column, int row) const;
  // Bytes held by all tiles (for the benchmark's report).
  size_t byteSize() const;

 private:
  QSize imageSize_;
  std::vector<PyramidLevel> levels_;
};

}  // namespace distillery
