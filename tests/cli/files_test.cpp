// driver::map_file: a large spec is mapped instead of read. It must give the file's bytes, and
// decline (so that the caller reads the file and reports what reading reports) whenever the
// mapping would not be the file the caller measured.
// driver::compare_existing: `build` and `check` compare each output with the file at its place a
// block at a time. Any difference, wherever it falls against the blocks, must be seen.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "driver/files.hpp"

namespace fs = std::filesystem;
using deployc::SourceText;
using deployc::driver::compare_existing;
using deployc::driver::Comparison;
using deployc::driver::map_file;

namespace {

/// A file of `bytes` in a fresh temporary folder, removed with it.
class TempFile {
 public:
  explicit TempFile(const std::string& bytes)
      : dir_(fs::temp_directory_path() / ("deployc-files-test-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    std::ofstream(path(), std::ios::binary) << bytes;
  }
  ~TempFile() { fs::remove_all(dir_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  std::string path() const { return (dir_ / "app.deploy").string(); }
  std::string dir() const { return dir_.string(); }

 private:
  fs::path dir_;
};

std::string spec_of(std::size_t size) {
  std::string text;
  for (std::size_t i = 0; text.size() < size; ++i) text += "# line " + std::to_string(i) + "\n";
  text.resize(size);
  return text;
}

}  // namespace

TEST_CASE("map_file gives the file's bytes, and they outlive every copy of the text") {
  // Sizes around a page, so that the last byte of the file is the last byte of the mapping.
  for (std::size_t size : {std::size_t{1}, std::size_t{4095}, std::size_t{4096}, std::size_t{70000},
                           std::size_t{1} << 20}) {
    INFO(size << " bytes");
    const std::string bytes = spec_of(size);
    const TempFile file(bytes);
    std::optional<SourceText> mapped = map_file(file.path(), size);
    REQUIRE(mapped);
    CHECK(mapped->view() == bytes);
    const SourceText moved = std::move(*mapped);
    mapped.reset();
    CHECK(moved.view() == bytes);
  }
}

TEST_CASE("map_file declines what is not the file the caller measured") {
  const std::string bytes = spec_of(70000);
  const TempFile file(bytes);
  CHECK_FALSE(map_file(file.path(), bytes.size() - 1));  // the file grew since
  CHECK_FALSE(map_file(file.path(), bytes.size() + 1));  // or shrank
  CHECK_FALSE(map_file(file.path(), 0));                 // nothing to map
  CHECK_FALSE(map_file(file.dir(), 4096));               // a folder
  CHECK_FALSE(map_file(file.path() + ".missing", bytes.size()));
}

TEST_CASE("compare_existing tells the same bytes from any difference, block by block") {
  using Outcome = Comparison::Outcome;
  // Around the 256 KB blocks it reads: within the first, at a boundary, past several.
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{4096},
                           std::size_t{256} * 1024, std::size_t{600'000}}) {
    INFO(size << " bytes");
    const std::string bytes = spec_of(size);
    const TempFile file(bytes);
    CHECK(compare_existing(file.path(), bytes).outcome == Outcome::Same);
    CHECK(compare_existing(file.path(), bytes + "x").outcome == Outcome::Different);
    if (size == 0) continue;
    CHECK(compare_existing(file.path(), bytes.substr(0, size - 1)).outcome == Outcome::Different);
    for (std::size_t at : {std::size_t{0}, size / 2, size - 1}) {
      std::string changed = bytes;
      changed[at] = changed[at] == '#' ? '$' : '#';
      INFO("byte " << at << " changed");
      CHECK(compare_existing(file.path(), changed).outcome == Outcome::Different);
    }
  }
}

TEST_CASE("compare_existing: nothing there, a folder, and a file that is not a regular one") {
  using Outcome = Comparison::Outcome;
  const TempFile file("x");
  const Comparison missing = compare_existing(file.path() + ".missing", "x");
  CHECK(missing.outcome == Outcome::Missing);
  CHECK_FALSE(missing.error);
  const Comparison folder = compare_existing(file.dir(), "x");
  CHECK(folder.outcome == Outcome::Unreadable);
  REQUIRE(folder.error);
  CHECK(folder.error->message == "Is a directory");
  // No size to compare first: read to its end.
  CHECK(compare_existing("/dev/null", "").outcome == Outcome::Same);
  CHECK(compare_existing("/dev/null", "x").outcome == Outcome::Different);
}
