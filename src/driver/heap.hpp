// Allocator set-up for the command line: large specs are compiled on transparent huge pages.
//
// A compile allocates about sixteen bytes of trees per byte of spec and touches each of them
// once, so on a large spec the kernel's page faults, not the compiler, take most of the time:
// at N = 10000 (18 MB of spec, 300 MB of heap) 75,000 faults were a third of the run, and TLB
// misses a good part of the rest. Backing the heap with 2 MB pages removes both (bench/README.md).
// Only the command line calls this: a library must not change its host program's allocator.
#pragma once

#include <cstdint>

namespace deployc::driver {

/// Before compiling a spec of `spec_bytes`: on Linux with glibc, grows the heap once by what the
/// compile is expected to need and asks for huge pages on it (MADV_HUGEPAGE, honoured when the
/// system's transparent huge pages are `always` or `madvise`); small specs, where a process ends
/// before faults matter, are left on the ordinary heap. A spec large enough to be compiled on
/// several threads also gets a second arena, prepared the same way, for the threads other than
/// the main one. Does nothing elsewhere. Never fails.
void prepare_heap(std::uintmax_t spec_bytes);

}  // namespace deployc::driver
