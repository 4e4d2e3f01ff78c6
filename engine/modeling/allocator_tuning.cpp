#include "engine/modeling/allocator_tuning.h"

#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace distillery {

void keepFreedTensorMemory() {
  static std::once_flag once;
  std::call_once(once, [] {
#if defined(__GLIBC__)
    constexpr int kMb = 1 << 20;
    mallopt(M_MMAP_THRESHOLD, 32 * kMb);  // glibc's maximum: blocks below come from the heap
    mallopt(M_TRIM_THRESHOLD, 1024 * kMb);
    mallopt(M_TOP_PAD, 64 * kMb);
#endif
  });
}

}  // namespace distillery
