#include "driver/heap.hpp"

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#endif

namespace deployc::driver {

#if defined(__linux__) && defined(__GLIBC__)

namespace {

// Below this a compile touches less than a huge page of heap, and one fault per 4 KB page costs
// about what a huge page's zeroing does. Above it the faults add up fast: interleaved runs at
// 100 services (188 KB of spec, about 650 faults) were 22 % faster on huge pages, at 400
// services 35 %; the bundled example and 10 services were the same either way.
constexpr std::uintmax_t kMinSpecBytes = std::uintmax_t{64} << 10;
// Heap bytes per spec byte at the peak, measured on the benchmark stacks (bench/README.md),
// rounded up so one growth covers the whole compile.
constexpr std::uintmax_t kHeapPerSpecByte = 20;
constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
// glibc's largest mmap threshold (32 MB on 64-bit): blocks below it come from the heap.
constexpr int kMaxMmapThreshold = 32 << 20;
constexpr int kDefaultTopPad = 128 << 10;  // glibc's DEFAULT_TOP_PAD

}  // namespace

void prepare_heap(std::uintmax_t spec_bytes) {
  // A large spec is parsed, checked, lowered and written on two threads. In a malloc arena of its
  // own, the second thread's memory would grow a page-protection step at a time (about 400
  // mprotect calls at N = 1000), fault in 4 KB pages outside the prepared heap, and stay
  // resident, unused, once freed. In the one arena it draws on the prepared heap, for a lock per
  // allocation: tree nodes come from the syntax tree's arena and texts from stores, and only
  // checking services allocates much on both threads at once.
  mallopt(M_ARENA_MAX, 1);
  if (spec_bytes < kMinSpecBytes) return;
  const std::uintmax_t expected = spec_bytes * kHeapPerSpecByte;
  if (expected > INT_MAX) return;  // mallopt takes an int; a spec this large is left alone
  // Large blocks would otherwise be mmap-ed one by one, outside the prepared heap, and the heap
  // would be trimmed when the syntax trees are freed, only to fault back in for the output.
  mallopt(M_MMAP_THRESHOLD, kMaxMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  mallopt(M_TOP_PAD, static_cast<int>(expected));

  // One allocation the free space cannot hold makes glibc move the break by the pad at once
  // (volatile: an unused malloc/free pair may otherwise be removed by the compiler).
  const auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
  void* volatile probe = std::malloc(kMaxMmapThreshold / 2);
  const auto after = reinterpret_cast<std::uintptr_t>(sbrk(0));
  std::free(probe);
  mallopt(M_TOP_PAD, kDefaultTopPad);  // later growth, if any, in ordinary steps

  const std::uintptr_t begin = (before + kHugePage - 1) & ~(kHugePage - 1);
  if (after > begin + kHugePage) {
    madvise(reinterpret_cast<void*>(begin), after - begin, MADV_HUGEPAGE);
  }
}

#else

void prepare_heap(std::uintmax_t) {}

#endif

}  // namespace deployc::driver
