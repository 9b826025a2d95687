// Mangled versions of every example must compile to a success or a clear error, never to a
// crash, an exception, a span outside the file, or a different answer the second time. The
// inputs are every prefix and every single-line deletion of each examples/**/*.deploy, and the
// regression inputs the fuzzer found (tests/fuzz/regressions/), compiled whole and by prefix.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "dotenv_invariants.hpp"
#include "invariants.hpp"

namespace fs = std::filesystem;

namespace {

// Files at most this big are cut at every byte; larger ones at every line boundary plus
// kEvenCuts evenly spaced offsets, which keeps the suite fast on big examples.
constexpr std::size_t kEveryByteLimit = 4096;
constexpr std::size_t kEvenCuts = 200;

fs::path source_dir() {
  return fs::path(DEPLOYC_SOURCE_DIR);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> files_under(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && (extension.empty() || entry.path().extension() == extension)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> examples() {
  return files_under(source_dir() / "examples", ".deploy");
}

/// Inputs that once broke fuzz_compile (tests/fuzz/regressions/*.deploy).
std::vector<fs::path> regressions() {
  return files_under(source_dir() / "tests/fuzz/regressions", ".deploy");
}

std::string relative_name(const fs::path& path) {
  return fs::relative(path, source_dir()).generic_string();
}

/// Prefix lengths to try: every byte of a small file, else line boundaries plus even cuts.
std::vector<std::size_t> cut_points(const std::string& text) {
  std::vector<std::size_t> cuts;
  if (text.size() < kEveryByteLimit) {
    for (std::size_t n = 0; n <= text.size(); ++n) cuts.push_back(n);
    return cuts;
  }
  cuts.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      cuts.push_back(i);      // the line without its end
      cuts.push_back(i + 1);  // the line with it
    }
  }
  for (std::size_t k = 0; k <= kEvenCuts; ++k) cuts.push_back(text.size() * k / kEvenCuts);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

/// Offsets of the start of every line, and the end of the text.
std::vector<std::size_t> line_starts(const std::string& text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size()) starts.push_back(i + 1);
  }
  starts.push_back(text.size());
  return starts;
}

void check_prefixes(const fs::path& path) {
  std::string name = relative_name(path);
  std::string text = read_file(path);
  INFO(name << " (" << text.size() << " bytes)");
  for (std::size_t cut : cut_points(text)) {
    auto broken = deployc::testing::check_input(name, text.substr(0, cut));
    if (broken) FAIL("prefix of " << cut << " bytes: " << *broken);
  }
}

void check_line_deletions(const fs::path& path) {
  std::string name = relative_name(path);
  std::string text = read_file(path);
  INFO(name);
  std::vector<std::size_t> starts = line_starts(text);
  for (std::size_t line = 0; line + 1 < starts.size(); ++line) {
    std::string mangled = text.substr(0, starts[line]) + text.substr(starts[line + 1]);
    auto broken = deployc::testing::check_input(name, mangled);
    if (broken) FAIL("without line " << line + 1 << ": " << *broken);
  }
}

}  // namespace

TEST_CASE("every example, whole") {
  std::vector<fs::path> files = examples();
  REQUIRE_FALSE(files.empty());
  for (const fs::path& path : files) {
    std::string name = relative_name(path);
    auto broken = deployc::testing::check_input(name, read_file(path));
    if (broken) FAIL(name << ": " << *broken);
  }
}

TEST_CASE("every prefix of every example") {
  for (const fs::path& path : examples()) check_prefixes(path);
}

TEST_CASE("every single-line deletion of every example") {
  for (const fs::path& path : examples()) check_line_deletions(path);
}

TEST_CASE("every env file the dotenv fuzzer broke, and every env file in the tree") {
  std::vector<fs::path> files = files_under(source_dir() / "tests/fuzz/regressions/dotenv", "");
  for (const fs::path& dir : {source_dir() / "examples", source_dir() / "tests"}) {
    for (const fs::path& p : files_under(dir, "")) {
      if (p.filename().string().find(".env") != std::string::npos) files.push_back(p);
    }
  }
  REQUIRE_FALSE(files.empty());
  for (const fs::path& path : files) {
    std::string text = read_file(path);
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      auto broken = deployc::testing::check_dotenv(std::string_view(text).substr(0, cut));
      if (broken) FAIL(relative_name(path) << ", prefix of " << cut << " bytes: " << *broken);
    }
  }
}

TEST_CASE("every fuzzer regression input, whole and by prefix") {
  for (const fs::path& path : regressions()) check_prefixes(path);
  SUCCEED(regressions().size() << " regression inputs");
}

TEST_CASE("the invariants reject what they promise to reject") {
  using deployc::diag::Code;
  using deployc::diag::Diagnostic;
  using deployc::diag::Severity;
  auto make = [] {
    deployc::driver::CompileResult r;
    deployc::FileId file = r.sources.add("x.deploy", "project \"demo\"\n");
    r.diagnostics.push_back(Diagnostic{Code::UnknownSetting,
                                       Severity::Error,
                                       "unknown setting",
                                       {{{file, 0, 7}, "", true}},
                                       {},
                                       {}});
    r.error_count = 1;
    return r;
  };
  CHECK_FALSE(deployc::testing::check_result(make()).has_value());

  auto span_past_end = make();
  span_past_end.diagnostics[0].labels[0].span.end = 99;
  CHECK(deployc::testing::check_result(span_past_end).has_value());

  auto reversed_span = make();
  reversed_span.diagnostics[0].labels[0].span.begin = 5;
  reversed_span.diagnostics[0].labels[0].span.end = 4;
  CHECK(deployc::testing::check_result(reversed_span).has_value());

  auto wrong_count = make();
  wrong_count.error_count = 0;
  CHECK(deployc::testing::check_result(wrong_count).has_value());

  auto error_with_outputs = make();
  error_with_outputs.files = deployc::driver::CompiledFiles{};
  CHECK(deployc::testing::check_result(error_with_outputs).has_value());

  auto nothing_at_all = make();
  nothing_at_all.diagnostics.clear();
  nothing_at_all.error_count = 0;
  CHECK(deployc::testing::check_result(nothing_at_all).has_value());

  auto internal = make();
  internal.diagnostics[0].code = Code::InternalError;
  CHECK(deployc::testing::check_result(internal).has_value());

  auto unsorted = make();
  unsorted.diagnostics.push_back(unsorted.diagnostics[0]);
  unsorted.diagnostics[0].labels[0].span = {unsorted.diagnostics[0].labels[0].span.file, 8, 9};
  unsorted.error_count = 2;
  CHECK(deployc::testing::check_result(unsorted).has_value());
}
