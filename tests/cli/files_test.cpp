// driver::map_file: a large spec is mapped instead of read. It must give the file's bytes, and
// decline (so that the caller reads the file and reports what reading reports) whenever the
// mapping would not be the file the caller measured.
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
