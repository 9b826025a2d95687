// Files on disk: read a whole file, read or compare what is at an output's place, replace
// outputs atomically. Private to the driver.
//
// A write never leaves a half-written output: each file is written to a temporary file in the
// same directory, then renamed over the target. Nothing is renamed until every
// temporary file of the batch has been written, and temporary files are removed on failure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "source/source_manager.hpp"

namespace deployc::driver {

struct FileError {
  std::filesystem::path path;
  std::string message;  ///< the OS's words, e.g. "Not a directory"
};

/// Reads `file` to its end into `out`, straight into the string: in one read when `size_hint`
/// is the file's size, in 64 KB steps when it is 0 (a pipe) or wrong (a file that grew). Stops
/// once `out` holds more than `limit` bytes. False on a read error, with errno set.
bool read_to_end(std::FILE* file, std::size_t size_hint, std::size_t limit, std::string& out);

/// From this size on a spec is mapped (map_file) rather than read: below it a read costs less
/// than a mapping's system calls.
inline constexpr std::size_t kMapFromBytes = 64 * 1024;

/// The first `size` bytes of the regular file `path`, mapped read-only, or nullopt when they
/// cannot be mapped (the caller then reads the file). A read copies the file into new memory,
/// which the kernel zeroes first; the mapping uses the page cache's pages as they are.
/// As compilers that map their sources do, this trusts the file not to shrink while it is
/// compiled: reading past a new end would stop the process (SIGBUS). Editors and generators
/// replace a file (write, then rename) rather than truncate it, which leaves the mapping intact.
std::optional<SourceText> map_file(const std::string& path, std::size_t size);

/// The bytes of `path`; nullopt (and no error) when nothing exists there.
struct Existing {
  std::optional<std::string> bytes;
  std::optional<FileError> error;
};
Existing read_existing(const std::filesystem::path& path);

/// What is at an output's place, against the bytes it should hold.
struct Comparison {
  enum class Outcome : std::uint8_t { Missing, Same, Different, Unreadable };
  Outcome outcome = Outcome::Missing;
  std::optional<FileError> error;  ///< why it is Unreadable
};
/// Compares the file at `path` with `expected` a block at a time, without reading it whole:
/// `check` and `build` compare every output with the file at its place, and a whole read copied
/// a large stack's compose file (17 MB at N = 10000 services) into new memory, which the kernel
/// zeroes first. A regular file of another size differs without being read.
Comparison compare_existing(const std::filesystem::path& path, std::string_view expected);

struct PendingWrite {
  std::filesystem::path target;
  std::string_view bytes;  ///< the caller's, alive until write_atomically returns
};

/// Replaces every target with its bytes. A new file gets mode 0666 minus the umask; a replaced
/// file keeps its mode. Returns the first failure.
std::optional<FileError> write_atomically(const std::vector<PendingWrite>& writes);

}  // namespace deployc::driver
