// Keeps src/diag/codes.def and tests/diagnostics/ in step:
//   - every code has a `tests/diagnostics/Dnnnn-*.deploy` case, or an entry in
//     tests/diagnostics/not-covered-here.txt naming the test that covers it instead;
//   - no case, annotation or snapshot names a code that is not in the registry;
//   - every message format renders (a malformed fmt string would otherwise only throw the day
//     its diagnostic fires) and follows the house style.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/args.h>
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "diag/diagnostic.hpp"

namespace fs = std::filesystem;
using deployc::diag::all_codes;
using deployc::diag::CodeInfo;

namespace {

fs::path source_dir() {
  return fs::path(DEPLOYC_SOURCE_DIR);
}
fs::path cases_dir() {
  return source_dir() / "tests/diagnostics";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct RegistryLine {
  std::string name;
  std::string id;
  std::string group;  // "D02" for an entry under the `// ---- D02xx` banner
  int line = 0;
};

/// codes.def read as text, independently of the compiled registry.
std::vector<RegistryLine> parse_codes_def() {
  static const std::regex banner_re(R"(^//\s*-+\s*(D\d\d)xx\b)");
  static const std::regex entry_re(R"(DEPLOYC_DIAG\(\s*(\w+)\s*,\s*"([^"]*)\")");
  std::istringstream in(read_file(source_dir() / "src/diag/codes.def"));
  std::vector<RegistryLine> entries;
  std::string group;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::smatch m;
    std::string trimmed = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
    if (trimmed.rfind("//", 0) == 0) {
      if (std::regex_search(trimmed, m, banner_re)) group = m[1].str();
      continue;
    }
    if (std::regex_search(line, m, entry_re)) entries.push_back({m[1], m[2], group, number});
  }
  return entries;
}

std::set<std::string> registry_ids() {
  std::set<std::string> ids;
  for (const CodeInfo& c : all_codes()) ids.insert(std::string(c.id));
  return ids;
}

std::vector<fs::path> case_files(const std::string& extension) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(cases_dir())) {
    if (entry.is_regular_file() && entry.path().extension() == extension) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// "D0201" from "D0201-unknown-setting.deploy", or "" when the name does not fit.
std::string code_of(const fs::path& file) {
  static const std::regex name_re(R"(^(D\d{4})-[a-z0-9-]+$)");
  std::smatch m;
  std::string stem = file.stem().string();
  return std::regex_match(stem, m, name_re) ? m[1].str() : "";
}

struct AllowEntry {
  std::string test;    // the test file that covers the code instead, or `-` for internal codes
  std::string reason;  // why no .deploy file can trigger it
  int line = 0;
};

/// tests/diagnostics/not-covered-here.txt: `Dnnnn <test file>: <reason>` per line.
std::map<std::string, AllowEntry> allow_list() {
  static const std::regex entry_re(R"(^(D\d{4})\s+(\S+):\s*(.*\S)\s*$)");
  std::map<std::string, AllowEntry> entries;
  std::istringstream in(read_file(cases_dir() / "not-covered-here.txt"));
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::smatch m;
    INFO("not-covered-here.txt:" << number << ": " << line);
    REQUIRE(std::regex_match(line, m, entry_re));
    CHECK(entries.count(m[1]) == 0);
    entries[m[1]] = {m[2], m[3], number};
  }
  return entries;
}

/// How many arguments an fmt format string needs: the number of `{}` fields, or the highest
/// `{N}` index plus one; -1 when braces do not pair up.
int arguments_needed(std::string_view format) {
  int automatic = 0;
  int indexed = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '{') {
      if (i + 1 < format.size() && format[i + 1] == '{') {
        ++i;
        continue;
      }
      std::size_t close = format.find('}', i);
      if (close == std::string_view::npos) return -1;
      std::string_view field = format.substr(i + 1, close - i - 1);
      std::size_t digits = 0;
      while (digits < field.size() && field[digits] >= '0' && field[digits] <= '9') ++digits;
      if (digits > 0) {
        indexed = std::max(indexed, std::stoi(std::string(field.substr(0, digits))) + 1);
      } else {
        ++automatic;
      }
      i = close;
    } else if (format[i] == '}') {
      if (i + 1 < format.size() && format[i + 1] == '}') {
        ++i;
        continue;
      }
      return -1;
    }
  }
  return std::max(automatic, indexed);
}

}  // namespace

TEST_CASE("codes.def is well formed") {
  std::vector<RegistryLine> entries = parse_codes_def();
  const auto& registry = all_codes();
  // The text parse and the compiled registry agree, so the checks below see every code.
  REQUIRE(entries.size() == registry.size());
  std::set<std::string> ids, names;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const RegistryLine& e = entries[i];
    INFO("codes.def:" << e.line << ": " << e.name << " " << e.id);
    CHECK(e.id == registry[i].id);
    CHECK(e.name == registry[i].name);
    CHECK(std::regex_match(e.id, std::regex(R"(D\d{4})")));
    CHECK(ids.insert(e.id).second);      // codes are unique
    CHECK(names.insert(e.name).second);  // so are names
    // An entry sits under the banner of its phase (D0203 under `---- D02xx`).
    CHECK(e.id.substr(0, 3) == e.group);
  }
}

TEST_CASE("every code has a diagnostics case or a named test elsewhere") {
  std::set<std::string> covered;
  for (const fs::path& file : case_files(".deploy")) covered.insert(code_of(file));
  std::map<std::string, AllowEntry> allowed = allow_list();

  std::vector<std::string> missing;
  for (const CodeInfo& c : all_codes()) {
    std::string id(c.id);
    auto allow = allowed.find(id);
    if (allow == allowed.end()) {
      if (!covered.count(id)) missing.push_back(fmt::format("{} ({})", id, c.name));
      continue;
    }
    const AllowEntry& entry = allow->second;
    INFO("not-covered-here.txt:" << entry.line << ": " << id << " " << entry.test);
    CHECK_FALSE(covered.count(id));  // stale entry: the code now has a case here
    if (entry.test == "-") {
      // No input reaches an internal error: only internal codes may say so.
      CHECK((c.id.substr(0, 3) == "D00" || c.name.rfind("Internal", 0) == 0));
    } else {
      // The test named instead exists and checks this very code.
      fs::path test = source_dir() / entry.test;
      REQUIRE(fs::is_regular_file(test));
      std::string text = read_file(test);
      CHECK((text.find(id) != std::string::npos ||
             text.find(std::string(c.name)) != std::string::npos));
    }
  }
  INFO(
      "codes without tests/diagnostics/Dnnnn-*.deploy (add a case, or an entry in "
      "not-covered-here.txt naming the test that covers it):\n  "
      << fmt::format("{}", fmt::join(missing, "\n  ")));
  CHECK(missing.empty());

  std::set<std::string> ids = registry_ids();
  for (const auto& [id, entry] : allowed) {
    INFO("not-covered-here.txt:" << entry.line << " names " << id);
    CHECK(ids.count(id));
  }
}

TEST_CASE("no case names a code that does not exist") {
  std::set<std::string> ids = registry_ids();
  static const std::regex annotation_re(R"(#\s*~(?:\^*|global)((?:\s+D\d{4})+))");
  static const std::regex snapshot_re(R"((?:error|warning)\[(D\d{4})\])");
  static const std::regex code_re(R"(D\d{4})");

  for (const fs::path& file : case_files(".deploy")) {
    INFO(file.filename().string());
    std::string code = code_of(file);
    CHECK_FALSE(code.empty());  // name must be `Dnnnn-short-name.deploy`
    CHECK(ids.count(code));
    CHECK(fs::exists(fs::path(file).replace_extension(".stderr")));
    std::string text = read_file(file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), annotation_re);
         it != std::sregex_iterator(); ++it) {
      std::string codes = (*it)[1].str();
      for (auto c = std::sregex_iterator(codes.begin(), codes.end(), code_re);
           c != std::sregex_iterator(); ++c) {
        INFO("annotation " << c->str());
        CHECK(ids.count(c->str()));
      }
    }
  }
  for (const fs::path& file : case_files(".stderr")) {
    INFO(file.filename().string());
    CHECK(fs::exists(fs::path(file).replace_extension(".deploy")));  // orphaned snapshot
    std::string text = read_file(file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), snapshot_re);
         it != std::sregex_iterator(); ++it) {
      INFO("snapshot names " << (*it)[1].str());
      CHECK(ids.count((*it)[1].str()));
    }
  }
}

TEST_CASE("every message format renders and follows the house style") {
  for (const CodeInfo& c : all_codes()) {
    INFO(c.id << " " << c.name << ": \"" << c.format << "\"");
    int fields = arguments_needed(c.format);
    REQUIRE(fields >= 0);
    fmt::dynamic_format_arg_store<fmt::format_context> args;
    for (int i = 0; i < fields; ++i) args.push_back(fmt::format("arg{}", i));
    std::string message;
    REQUIRE_NOTHROW(message = fmt::vformat(c.format, args));
    INFO("rendered: " << message);
    REQUIRE_FALSE(message.empty());
    // Lowercase start, no trailing period, one line, no stray whitespace.
    // (an acronym such as `NUL` may start it: it is written in capitals anywhere)
    std::string first_word = message.substr(0, message.find(' '));
    bool acronym =
        first_word.size() > 1 && std::all_of(first_word.begin(), first_word.end(),
                                             [](char ch) { return ch >= 'A' && ch <= 'Z'; });
    CHECK((acronym || !(message.front() >= 'A' && message.front() <= 'Z')));
    CHECK(message.back() != '.');
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.front() != ' ');
    CHECK(message.back() != ' ');
  }
}
