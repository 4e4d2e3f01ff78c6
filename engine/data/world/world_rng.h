// The synthetic world's random numbers: a small, fully specified generator so that
// a sample depends only on (domain, seed, index), never on the standard library's
// distributions (implementation-defined) or on OpenCV's global RNG (shared state).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

namespace distillery::world {

// SplitMix64 step: a good 64-bit mixer, used to derive independent seeds.
inline uint64_t splitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a of a name, so that domains with the same seed draw different scenes.
inline uint64_t hashName(const std::string& name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

// xoshiro256** seeded through SplitMix64.
class WorldRng {
 public:
  explicit WorldRng(uint64_t seed) {
    for (uint64_t& s : s_) {
      seed = splitMix64(seed);
      s = seed;
    }
  }
  // The generator of sample `index` of a (domain, seed) stream.
  static WorldRng forSample(const std::string& domain, uint64_t seed, int64_t index) {
    return WorldRng(splitMix64(splitMix64(seed ^ hashName(domain)) + static_cast<uint64_t>(index)));
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  // Uniform integer in [lo, hi] (inclusive); returns lo when hi < lo.
  int uniformInt(int lo, int hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return unit() < p; }
  // Standard normal by Box-Muller (one value per call; simple beats fast here).
  double normal() {
    const double u1 = 1.0 - unit();  // (0, 1]
    const double u2 = unit();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace distillery::world
