// Golden runner for one diagnostics case: `deployc_diag_runner tests/diagnostics/D0201-x.deploy`,
// run from the repository root (CTest registers one run per file). It compiles the file
// in-process through the same driver::compile_file the CLI uses and checks:
//   1. the (line, code) pairs emitted equal the inline annotations `# ~ Dnnnn [Dnnnn…]`
//      (`# ~^ Dnnnn` points at the line above, `# ~global Dnnnn` at a file-less diagnostic),
//      and the code in the file name is among them. A module the case imports from
//      tests/diagnostics/ (e.g. modules/x.deploy) is read for annotations too;
//   2. the text rendering (no colour) equals the `.stderr` file beside the input, byte for
//      byte; on mismatch a unified diff is printed. DEPLOYC_BLESS=1 rewrites the `.stderr`;
//   3. exit semantics: errors ⇔ no output files, i.e. the CLI would exit 1 exactly when an
//      error was reported.
// Options for the compilation come from a first-line comment:
//   # deployc-args: -D name=value -Werror -Wno-D0601
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "diag/diagnostic.hpp"
#include "diag/render.hpp"
#include "driver/compile.hpp"
#include "unified_diff.hpp"

namespace {

using namespace deployc;

/// (file, line, code id); ("", 0) stands for a diagnostic without a location.
using Expectation = std::tuple<std::string, std::uint32_t, std::string>;

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct Case {
  std::set<Expectation> expected;
  driver::CompileOptions options;
  std::vector<std::string> problems;  // malformed annotations or arguments
};

/// Parses `# deployc-args:` on the first line.
void parse_args(const std::string& args, Case& c) {
  std::istringstream in(args);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    std::string define;
    if (w == "-D" && i + 1 < words.size()) {
      define = words[++i];
    } else if (w.rfind("-D", 0) == 0 && w.size() > 2) {
      define = w.substr(2);
    } else if (w == "-Werror") {
      c.options.warnings.warnings_as_errors = true;
      continue;
    } else if (w.rfind("-Wno-", 0) == 0) {
      if (auto code = diag::code_from_id(w.substr(5))) {
        c.options.warnings.silenced.insert(*code);
      } else {
        c.problems.push_back(fmt::format("deployc-args: unknown code in `{}`", w));
      }
      continue;
    } else {
      c.problems.push_back(fmt::format("deployc-args: unsupported argument `{}`", w));
      continue;
    }
    auto eq = define.find('=');
    if (eq == std::string::npos) {
      c.problems.push_back(fmt::format("deployc-args: `-D {}` lacks `=value`", define));
      continue;
    }
    c.options.defines.push_back({define.substr(0, eq), define.substr(eq + 1)});
  }
}

/// Reads the annotations of `text`, the file `file`; the first-line arguments only when `root`.
void parse_annotations(const std::string& text, const std::string& file, bool root, Case& c) {
  static const std::regex args_re(R"(^#\s*deployc-args:([^#]*)(#.*)?$)");
  // `# ~ D0201 D0301`, `# ~^^ D0101` (two lines up), `# ~global D0901`.
  static const std::regex note_re(R"(#\s*~(\^*|global)((?:\s+D\d{4})+)\s*$)");
  static const std::regex code_re(R"(D\d{4})");
  std::vector<std::string> lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::smatch m;
    if (root && i == 0 && std::regex_match(line, m, args_re)) parse_args(m[1].str(), c);
    if (!std::regex_search(line, m, note_re)) {
      if (line.find("# ~") != std::string::npos) {
        c.problems.push_back(fmt::format("{}:{}: malformed annotation", file, i + 1));
      }
      continue;
    }
    std::string where = m[1].str();
    std::uint32_t target = 0;
    if (where != "global") {
      if (where.size() > i) {
        c.problems.push_back(fmt::format("{}:{}: `~{}` points above the file", file, i + 1, where));
        continue;
      }
      target = static_cast<std::uint32_t>(i + 1 - where.size());
    }
    std::string codes = m[2].str();
    for (auto it = std::sregex_iterator(codes.begin(), codes.end(), code_re);
         it != std::sregex_iterator(); ++it) {
      c.expected.insert({target == 0 ? std::string() : file, target, it->str()});
    }
  }
}

std::string format_pair(const Expectation& e, const std::string& root) {
  const auto& [file, line, code] = e;
  if (line == 0) return fmt::format("{}@global", code);
  if (file == root) return fmt::format("{}@{}", code, line);
  return fmt::format("{}@{}:{}", code, file, line);
}

/// Exactly what the CLI prints on stderr: default error limit, no colour.
std::string render_text(const driver::CompileResult& result) {
  return diag::render_text(result.diagnostics, result.sources, diag::TextOptions{});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: deployc_diag_runner tests/diagnostics/Dnnnn-name.deploy\n"
                 "(run from the repository root; DEPLOYC_BLESS=1 rewrites the .stderr)\n";
    return 2;
  }
  const std::string path = argv[1];
  const std::string stderr_path = std::filesystem::path(path).replace_extension(".stderr").string();
  std::optional<std::string> text = read_file(path);
  if (!text) {
    std::cerr << path << ": cannot read (is the working directory the repository root?)\n";
    return 2;
  }

  Case c;
  parse_annotations(*text, path, true, c);
  std::vector<std::string> failures = c.problems;

  driver::CompileResult result = driver::compile_file(path, c.options);
  // Modules of the case (tests/diagnostics/modules/…) carry annotations of their own.
  const std::string case_dir = std::filesystem::path(path).parent_path().generic_string() + "/";
  for (std::uint32_t i = 0; i < result.sources.file_count(); ++i) {
    const std::string name(result.sources.name(FileId{i}));
    if (name != path && name.rfind(case_dir, 0) == 0) {
      parse_annotations(std::string(result.sources.text(FileId{i})), name, false, c);
    }
  }

  // The code in the file name must be one of the expected codes.
  static const std::regex name_re(R"(^(D\d{4})-[a-z0-9-]+\.deploy$)");
  std::smatch name_match;
  std::string file_name = std::filesystem::path(path).filename().string();
  if (!std::regex_match(file_name, name_match, name_re)) {
    failures.push_back("file name must look like `Dnnnn-short-name.deploy`");
  } else {
    std::string code = name_match[1].str();
    bool annotated = std::any_of(c.expected.begin(), c.expected.end(),
                                 [&](const Expectation& e) { return std::get<2>(e) == code; });
    if (!annotated)
      failures.push_back(fmt::format("no `# ~ {}` annotation in the case or its modules", code));
  }

  // 1. Annotations against what was emitted.
  std::set<Expectation> actual;
  for (const diag::Diagnostic& d : result.diagnostics) {
    std::uint32_t line = 0;
    std::string file;
    if (const diag::Label* primary = d.primary()) {
      file = std::string(result.sources.name(primary->span.file));
      line = result.sources.line_col(primary->span.file, primary->span.begin).line;
    }
    actual.insert({file, line, std::string(diag::info(d.code).id)});
  }
  for (const Expectation& e : c.expected) {
    if (!actual.count(e))
      failures.push_back(fmt::format("expected {}, not emitted", format_pair(e, path)));
  }
  for (const Expectation& e : actual) {
    if (!c.expected.count(e)) {
      failures.push_back(fmt::format("emitted {}, not annotated", format_pair(e, path)));
    }
  }

  // 2. Rendered text against the .stderr snapshot.
  std::string rendered = render_text(result);
  const char* bless = std::getenv("DEPLOYC_BLESS");
  if (bless && std::string(bless) == "1") {
    std::ofstream out(stderr_path, std::ios::binary | std::ios::trunc);
    out << rendered;
    if (!out.flush()) failures.push_back(fmt::format("cannot write {}", stderr_path));
    std::cout << "blessed " << stderr_path << "\n";
  } else if (std::optional<std::string> expected = read_file(stderr_path)) {
    if (*expected != rendered) {
      failures.push_back(
          fmt::format("rendered diagnostics differ from {}:\n{}", stderr_path,
                      deployc::testing::unified_diff(*expected, rendered, stderr_path, "actual")));
    }
  } else {
    failures.push_back(
        fmt::format("{} is missing; run with DEPLOYC_BLESS=1 to create it\n"
                    "actual rendering:\n{}",
                    stderr_path, rendered));
  }

  // 3. Exit semantics: error ⇔ no outputs ⇔ exit status 1.
  std::size_t errors = static_cast<std::size_t>(
      std::count_if(result.diagnostics.begin(), result.diagnostics.end(),
                    [](const diag::Diagnostic& d) { return d.severity == diag::Severity::Error; }));
  if (errors != result.error_count) {
    failures.push_back(
        fmt::format("error_count {} but {} error diagnostics", result.error_count, errors));
  }
  if ((result.error_count > 0) == result.files.has_value()) {
    failures.push_back(fmt::format("{} error(s) but output files {}", result.error_count,
                                   result.files ? "were produced" : "are missing"));
  }
  if (result.diagnostics.empty()) failures.push_back("no diagnostic at all");

  if (failures.empty()) {
    std::cout << path << ": ok (" << actual.size() << " annotated diagnostics, exit "
              << (result.error_count > 0 ? 1 : 0) << ")\n";
    return 0;
  }
  std::cerr << path << ": FAILED\n";
  for (const std::string& f : failures) std::cerr << "  - " << f << "\n";
  std::cerr << "--- actual rendering ---\n" << rendered;
  return 1;
}
