#include "widgets/canvas/instance_colors.h"

#include <cstdint>

namespace distillery {

QColor stableInstanceColor(qint64 id) {
  // splitmix64 finaliser: neighbouring ids land far apart in hue.
  uint64_t z = uint64_t(id) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  const int hue = int(z % 360);
  const int saturation = 170 + int((z >> 16) % 70);  // 170..239
  const int value = 200 + int((z >> 24) % 56);       // 200..255
  return QColor::fromHsv(hue, saturation, value);
}

}  // namespace distillery
