// Output files on disk: read what is there, replace it atomically. Private to the driver.
//
// A write never leaves a half-written output: each file is written to a temporary file in the
// same directory, then renamed over the target. Nothing is renamed until every
// temporary file of the batch has been written, and temporary files are removed on failure.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deployc::driver {

struct FileError {
  std::filesystem::path path;
  std::string message;  ///< the OS's words, e.g. "Not a directory"
};

/// The bytes of `path`; nullopt (and no error) when nothing exists there.
struct Existing {
  std::optional<std::string> bytes;
  std::optional<FileError> error;
};
Existing read_existing(const std::filesystem::path& path);

struct PendingWrite {
  std::filesystem::path target;
  std::string_view bytes;  ///< the caller's, alive until write_atomically returns
};

/// Replaces every target with its bytes. A new file gets mode 0666 minus the umask; a replaced
/// file keeps its mode. Returns the first failure.
std::optional<FileError> write_atomically(const std::vector<PendingWrite>& writes);

}  // namespace deployc::driver
