#include "driver/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

namespace deployc::driver {

namespace {

std::string os_message(int error) {
  return std::generic_category().message(error);
}

bool write_all(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

struct Temp {
  std::filesystem::path path;
  std::filesystem::path target;
};

/// Creates and fills a temporary file next to `write.target`.
std::optional<FileError> write_temp(const PendingWrite& write, Temp& temp) {
  const std::filesystem::path dir = write.target.parent_path();
  const std::string stem =
      fmt::format(".{}.tmp-{}-", write.target.filename().string(), static_cast<long>(::getpid()));
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temp.path = dir / fmt::format("{}{}", stem, attempt);
    fd = ::open(temp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) {
      return FileError{write.target, os_message(errno)};
    }
  }
  temp.target = write.target;
  struct stat existing {};
  bool ok = true;
  if (::stat(write.target.c_str(), &existing) == 0)
    ok = ::fchmod(fd, existing.st_mode & 07777) == 0;
  // No fsync: the rename already keeps readers from ever seeing a partial file, and outputs
  // are derived files that the next build rewrites. Flushing them to the disk cost 2 ms of
  // a 6 ms build of the bundled example, for a guarantee no build tool gives its outputs.
  ok = ok && write_all(fd, write.bytes);
  int error = ok ? 0 : errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    ::unlink(temp.path.c_str());
    return FileError{write.target, os_message(error)};
  }
  return std::nullopt;
}

}  // namespace

bool read_to_end(std::FILE* file, std::size_t size_hint, std::size_t limit, std::string& out) {
  constexpr std::size_t kStep = 64 * 1024;
  // One byte more than the hint, to see the end of the file in the same read. A large file is
  // then neither copied through a buffer nor moved each time its string outgrows its capacity.
  std::size_t step = size_hint > 0 ? size_hint + 1 : kStep;
  while (out.size() <= limit) {
    const std::size_t used = out.size();
    out.resize(used + step);
    const std::size_t n = std::fread(out.data() + used, 1, step, file);
    out.resize(used + n);
    if (n < step) break;
    step = kStep;
  }
  return std::ferror(file) == 0;
}

std::optional<SourceText> map_file(const std::string& path, std::size_t size) {
  if (size == 0) return std::nullopt;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  // The size again, on the file opened: the one the caller saw may be stale.
  struct stat info {};
  const bool same = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
                    static_cast<std::uintmax_t>(info.st_size) == size;
  // MAP_POPULATE: the page table is filled in one call, not one fault per 64 KB read.
  void* const bytes =
      same ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
  ::close(fd);  // the mapping keeps the file
  if (bytes == MAP_FAILED) return std::nullopt;
  std::shared_ptr<const void> owner(
      bytes, [size](const void* p) { ::munmap(const_cast<void*>(p), size); });
  return SourceText(std::string_view(static_cast<const char*>(bytes), size), std::move(owner));
}

Existing read_existing(const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    if (errno == ENOENT) return {};
    return {std::nullopt, FileError{path, os_message(errno)}};
  }
  // At N = 10000 services an output is 16 MB, and `check` reads both.
  struct stat info {};
  std::size_t size = 0;
  if (::fstat(::fileno(file), &info) == 0 && S_ISREG(info.st_mode)) {
    size = static_cast<std::size_t>(info.st_size);
  }
  std::string bytes;
  const bool read = read_to_end(file, size, SIZE_MAX, bytes);
  const int error = errno;
  std::fclose(file);
  if (!read) return {std::nullopt, FileError{path, os_message(error)}};
  return {std::move(bytes), std::nullopt};
}

Comparison compare_existing(const std::filesystem::path& path, std::string_view expected) {
  using Outcome = Comparison::Outcome;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return {};
    return {Outcome::Unreadable, FileError{path, os_message(errno)}};
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
      static_cast<std::uintmax_t>(info.st_size) != expected.size()) {
    ::close(fd);
    return {Outcome::Different, std::nullopt};
  }
  // Not a regular file, or one of the same size: read to its end, or to the first difference.
  // A quarter of a megabyte a read: a 17 MB output in 68 reads, and little memory.
  constexpr std::size_t kBlock = 256 * 1024;
  const std::unique_ptr<char[]> block = std::make_unique_for_overwrite<char[]>(kBlock);
  Comparison result{Outcome::Same, std::nullopt};
  std::size_t compared = 0;
  for (;;) {
    const ssize_t n = ::read(fd, block.get(), kBlock);
    if (n < 0) {
      if (errno == EINTR) continue;
      result = {Outcome::Unreadable, FileError{path, os_message(errno)}};
      break;
    }
    if (n == 0) {
      if (compared != expected.size()) result.outcome = Outcome::Different;
      break;
    }
    const auto count = static_cast<std::size_t>(n);
    if (count > expected.size() - compared ||
        std::memcmp(block.get(), expected.data() + compared, count) != 0) {
      result.outcome = Outcome::Different;
      break;
    }
    compared += count;
  }
  ::close(fd);
  return result;
}

namespace {

/// Ignores SIGXFSZ while alive: over a file size limit (`ulimit -f`), `write` then fails with
/// EFBIG, which is reported and cleaned up, instead of the signal killing the process with a
/// temp file left behind.
class IgnoreFileSizeSignal {
 public:
  IgnoreFileSizeSignal() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    installed_ = ::sigaction(SIGXFSZ, &ignore, &previous_) == 0;
  }
  ~IgnoreFileSizeSignal() {
    if (installed_) ::sigaction(SIGXFSZ, &previous_, nullptr);
  }
  IgnoreFileSizeSignal(const IgnoreFileSizeSignal&) = delete;
  IgnoreFileSizeSignal& operator=(const IgnoreFileSizeSignal&) = delete;

 private:
  struct sigaction previous_ {};
  bool installed_ = false;
};

}  // namespace

std::optional<FileError> write_atomically(const std::vector<PendingWrite>& writes) {
  // A folder where an output goes would fail its rename after the outputs before it were
  // replaced: refuse before anything changes, so the pair stays consistent.
  for (const PendingWrite& write : writes) {
    struct stat existing {};
    if (::stat(write.target.c_str(), &existing) == 0 && S_ISDIR(existing.st_mode)) {
      return FileError{write.target, os_message(EISDIR)};
    }
  }
  const IgnoreFileSizeSignal ignore_file_size;
  std::vector<Temp> temps;
  auto remove_temps = [&](std::size_t from) {
    for (std::size_t i = from; i < temps.size(); ++i) ::unlink(temps[i].path.c_str());
  };
  for (const PendingWrite& write : writes) {
    Temp temp;
    if (auto error = write_temp(write, temp)) {
      remove_temps(0);
      return error;
    }
    temps.push_back(std::move(temp));
  }
  for (std::size_t i = 0; i < temps.size(); ++i) {
    if (::rename(temps[i].path.c_str(), temps[i].target.c_str()) != 0) {
      const int error = errno;
      remove_temps(i);
      return FileError{temps[i].target, os_message(error)};
    }
  }
  return std::nullopt;
}

}  // namespace deployc::driver
