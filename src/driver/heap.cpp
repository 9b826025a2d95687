#include "driver/heap.hpp"

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <system_error>
#include <thread>
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
// From this size of spec on, the compile's stages run on second threads too (a spec of 1 MB is
// parsed in two parts, and has about 530 services: sema and lower split from 512).
constexpr std::uintmax_t kWorkerArenaFromBytes = std::uintmax_t{1} << 20;
// glibc gives an arena other than the main one heaps of HEAP_MAX_SIZE, aligned to their size:
// twice the largest mmap threshold on 64-bit.
constexpr std::uintptr_t kArenaHeapBytes = std::uintptr_t{64} << 20;
// Too large for the thread's cache of small blocks, so that it goes back to the arena when freed.
constexpr std::size_t kChunkProbeBytes = 4 << 10;

/// Never freed, and never touched past their first bytes: the space below the first huge page
/// of the main heap and of the workers' arena (see start_allocating_at).
void* volatile below_huge_pages = nullptr;
void* volatile below_worker_huge_pages = nullptr;

/// Makes the heap's next allocations start at `boundary`, where its huge pages begin, and
/// returns the block that fills the space below it (null when there is none to fill). glibc
/// serves the lowest free address first, and the pages below the boundary cannot be huge ones:
/// the main heap's break starts at a random address, and an arena's own header lies at the start
/// of its heap, written before it could be advised. Without this, a compile's first megabyte or
/// two were faulted in one 4 KB page at a time (at 100 services, 137 to 399 page faults a build
/// against 107 with the heap on a boundary). A block that fills the space up to the boundary
/// takes it, at the cost of address space only: it is never written.
void* start_allocating_at(std::uintptr_t boundary) {
  // Where the free space begins: a block as large as the filler will be comes from there, as
  // nothing freed so far is that large, and goes back there when freed.
  constexpr std::size_t kChunkHeader = 2 * sizeof(std::size_t);
  constexpr std::size_t kMinFiller = std::size_t{64} << 10;
  void* const first = std::malloc(kMinFiller);
  if (first == nullptr) return nullptr;
  const auto start = reinterpret_cast<std::uintptr_t>(first);
  std::free(first);
  if (start >= boundary || boundary - start < kMinFiller + kChunkHeader) return nullptr;
  // The next block's header goes just below the boundary and its bytes from the boundary on.
  return std::malloc(boundary - start - kChunkHeader);
}

/// Makes the malloc arena the compile's other threads share, while the top pad is large, and
/// asks for huge pages on it. glibc maps a new arena's heap whole when the pad asks for that
/// much, instead of widening it a page-protection step at a time; and a thread that ends leaves
/// its arena to the next thread created, so every later worker draws on this one.
void prepare_worker_arena() {
  try {
    std::thread([] {
      // A small block, so that the free space's header after it stays on the heap's first 2 MB,
      // which the arena's own header has already put on small pages. A huge page cannot replace
      // small ones once one of them is written: a first block of 2 MB put the next 2 MB on small
      // pages too, and the whole parse of the second half of a 1000-service spec, 4 MB of tree,
      // took a thousand page faults.
      void* volatile probe = std::malloc(kChunkProbeBytes);
      if (probe == nullptr) return;
      const std::uintptr_t heap = reinterpret_cast<std::uintptr_t>(probe) & ~(kArenaHeapBytes - 1);
      madvise(reinterpret_cast<void*>(heap), kArenaHeapBytes, MADV_HUGEPAGE);
      std::free(probe);
      below_worker_huge_pages = start_allocating_at(heap + kHugePage);
    }).join();
  } catch (const std::system_error&) {
    // No thread now: the first worker makes the arena when it starts, on small pages.
  }
}

}  // namespace

void prepare_heap(std::uintmax_t spec_bytes) {
  // A large spec is parsed, checked, lowered and written on two threads. Sharing the one malloc
  // arena, they took turns on its lock: at N = 10000 services checking the services on two
  // threads took 97 ms instead of 52, lowering them 32 ms instead of 17 (about 2,300 futex calls
  // per compile). So from kWorkerArenaFromBytes on the other threads share a second arena, made
  // ready here. Memory one arena frees cannot serve the other, so each thread's large frees
  // should come back to the threads that allocate after them: the syntax tree of the part of the
  // file a worker parses is in the workers' arena (syntax/parse.cpp), and the back end's workers
  // reuse it. Smaller specs keep one arena: only the diagnostics renderer may run beside the
  // compile there, and a second arena would cost more than it saves.
  mallopt(M_ARENA_MAX, spec_bytes >= kWorkerArenaFromBytes ? 2 : 1);
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
  if (spec_bytes >= kWorkerArenaFromBytes) prepare_worker_arena();
  mallopt(M_TOP_PAD, kDefaultTopPad);  // later growth, if any, in ordinary steps

  const std::uintptr_t begin = (before + kHugePage - 1) & ~(kHugePage - 1);
  if (after > begin + kHugePage) {
    madvise(reinterpret_cast<void*>(begin), after - begin, MADV_HUGEPAGE);
    below_huge_pages = start_allocating_at(begin);
  }
}

#else

void prepare_heap(std::uintmax_t) {}

#endif

}  // namespace deployc::driver
