#include "widgets/gallery/synthetic_gallery.h"

#include <algorithm>
#include <random>
#include <thread>

#include <QPainter>

namespace distillery {
namespace {

// A stable per-id hash (splitmix64) so thumbnails need no shared state.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

QSize imageSize(int64_t id) {
  static const QSize kSizes[] = {{640, 480}, {1024, 768}, {800, 800}, {1920, 1080}, {480, 640}};
  return kSizes[mix(static_cast<uint64_t>(id)) % 5];
}

}  // namespace

SyntheticGallery::SyntheticGallery(int64_t imageCount, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  rows_.resize(static_cast<size_t>(std::max<int64_t>(0, imageCount)));
  for (size_t i = 0; i < rows_.size(); ++i) {
    GalleryRow& r = rows_[i];
    r.imageId = static_cast<int64_t>(i) + 1;
    r.fileName = QStringLiteral("img_%1.jpg").arg(r.imageId, 7, 10, QChar('0'));
    const QSize s = imageSize(r.imageId);
    r.width = s.width();
    r.height = s.height();
    // Roughly a project mid-review: few seeds, many pseudo-labels pending.
    const double p = unit(rng);
    r.status = p < 0.02   ? GalleryStatus::Human
               : p < 0.55 ? GalleryStatus::Unlabelled
               : p < 0.80 ? GalleryStatus::Pending
               : p < 0.95 ? GalleryStatus::Accepted
                          : GalleryStatus::Rejected;
    if (r.status == GalleryStatus::Human) r.humanCount = 1 + static_cast<int>(rng() % 6);
    if (r.status >= GalleryStatus::Pending) {
      r.teacherCount = 1 + static_cast<int>(rng() % 9);
      r.uncertainty = unit(rng);
    }
  }
}

const std::vector<int64_t>& SyntheticGallery::ordered(const GalleryFilter& filter,
                                                      GalleryOrder order) {
  const auto key = std::make_pair(filter.status ? static_cast<int>(*filter.status) : -1,
                                  static_cast<int>(order));
  auto it = orders_.find(key);
  if (it != orders_.end()) return it->second;
  std::vector<int64_t> ids;
  for (const GalleryRow& r : rows_)
    if (!filter.status || r.status == *filter.status) ids.push_back(r.imageId);
  if (order == GalleryOrder::Uncertainty) {
    // Most uncertain first; unscored last, in name order (= id order here).
    std::stable_sort(ids.begin(), ids.end(), [this](int64_t a, int64_t b) {
      const auto& ua = row(a).uncertainty;
      const auto& ub = row(b).uncertainty;
      if (ua.has_value() != ub.has_value()) return ua.has_value();
      return ua && *ua > *ub;
    });
  }
  return orders_.emplace(key, std::move(ids)).first->second;
}

int64_t SyntheticGallery::count(const GalleryFilter& filter) {
  return static_cast<int64_t>(ordered(filter, GalleryOrder::Name).size());
}

std::vector<GalleryRow> SyntheticGallery::page(const GalleryFilter& filter, GalleryOrder order,
                                               int64_t offset, int limit) {
  const auto& ids = ordered(filter, order);
  std::vector<GalleryRow> out;
  for (int64_t i = std::max<int64_t>(0, offset);
       i < static_cast<int64_t>(ids.size()) && i < offset + limit; ++i)
    out.push_back(row(ids[static_cast<size_t>(i)]));
  return out;
}

int64_t SyntheticGallery::indexOf(const GalleryFilter& filter, GalleryOrder order,
                                  int64_t imageId) {
  const auto& ids = ordered(filter, order);
  auto it = std::find(ids.begin(), ids.end(), imageId);
  return it == ids.end() ? -1 : static_cast<int64_t>(it - ids.begin());
}

GalleryCounts SyntheticGallery::counts() {
  GalleryCounts c;
  c.total = static_cast<int64_t>(rows_.size());
  for (const GalleryRow& r : rows_) ++c.byStatus[static_cast<int>(r.status)];
  return c;
}

void SyntheticGallery::setStatus(int64_t imageId, GalleryStatus status) {
  rows_.at(static_cast<size_t>(imageId - 1)).status = status;
  orders_.clear();
}

QImage SyntheticGallery::thumbnail(int64_t imageId, QSize size) {
  if (thumbnailDelayUs_ > 0)
    std::this_thread::sleep_for(std::chrono::microseconds(thumbnailDelayUs_));
  const uint64_t h = mix(static_cast<uint64_t>(imageId));
  const QSize s = imageSize(imageId).scaled(size, Qt::KeepAspectRatio);
  QImage image(s, QImage::Format_RGB32);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  // A sky-and-ground scene with a few "objects", different per id.
  const QColor sky = QColor::fromHsv(static_cast<int>(h % 360), 60, 235);
  const QColor ground = QColor::fromHsv(static_cast<int>((h >> 9) % 360), 110, 150);
  p.fillRect(0, 0, s.width(), s.height() * 3 / 5, sky);
  p.fillRect(0, s.height() * 3 / 5, s.width(), s.height(), ground);
  const int objects = 1 + static_cast<int>((h >> 18) % 4);
  for (int k = 0; k < objects; ++k) {
    const uint64_t g = mix(h + static_cast<uint64_t>(k));
    const int w = s.width() / 6 + static_cast<int>(g % static_cast<uint64_t>(s.width() / 4 + 1));
    const int x = static_cast<int>((g >> 12) % static_cast<uint64_t>(std::max(1, s.width() - w)));
    const int y =
        s.height() / 3 + static_cast<int>((g >> 24) % static_cast<uint64_t>(s.height() / 3 + 1));
    p.setPen(Qt::NoPen);
    p.setBrush(QColor::fromHsv(static_cast<int>((g >> 32) % 360), 170, 200));
    p.drawEllipse(QRect(x, y - w / 2, w, w * 2 / 3));
  }
  return image;
}

}  // namespace distillery
