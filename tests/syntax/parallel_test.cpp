// A large file is parsed in two parts on two threads (syntax::ParseOptions). The result must be
// the one-thread parse's, byte for byte: the same dump, the same diagnostics. Checked on every
// spec of the repository, split at every line, and on inputs built to break the split: lines
// inside blocks and lists, doc comments, CRLF, a BOM, errors in either part, and the limits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "parse_helpers.hpp"

using namespace deployc;

namespace {

constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();

struct Outcome {
  std::string dump;
  std::vector<std::string> diagnostics;  ///< every field, in the engine's order
  bool in_two_parts = false;
};

std::string describe(const diag::Diagnostic& d) {
  std::string out = std::string(diag::info(d.code).id) + " " + d.message;
  for (const diag::Label& l : d.labels) {
    out += " | label " + std::to_string(l.span.begin) + "-" + std::to_string(l.span.end) + " " +
           l.text;
  }
  for (const std::string& n : d.notes) out += " | note " + n;
  if (d.help) out += " | help " + *d.help;
  return out;
}

Outcome parse_with(const std::string& text, syntax::ParseOptions options) {
  SourceManager sources;
  const FileId id = sources.add("test.deploy", text);
  diag::DiagnosticEngine diags;
  Outcome out;
  options.parsed_in_two_parts = &out.in_two_parts;
  const ast::File file = syntax::parse(sources, id, diags, options);
  out.dump = syntax::dump(file, sources);
  for (const diag::Diagnostic& d : diags.unsorted()) out.diagnostics.push_back(describe(d));
  return out;
}

syntax::ParseOptions options(std::size_t min_parallel_bytes,
                             std::optional<std::size_t> split_near = {}) {
  syntax::ParseOptions out;
  out.min_parallel_bytes = min_parallel_bytes;
  out.split_near = split_near;
  return out;
}

Outcome serial(const std::string& text) {
  return parse_with(text, options(kNever));
}

Outcome in_parts(const std::string& text, std::optional<std::size_t> split_near = {}) {
  return parse_with(text, options(0, split_near));
}

/// Parses `text` both ways and checks they agree; returns whether two parts were used.
bool check_same(const std::string& text, std::optional<std::size_t> split_near = {}) {
  const Outcome one = serial(text);
  const Outcome two = in_parts(text, split_near);
  CHECK_FALSE(one.in_two_parts);
  CHECK(one.diagnostics == two.diagnostics);
  CHECK(one.dump == two.dump);
  return two.in_two_parts;
}

std::vector<std::size_t> line_starts(const std::string& text) {
  std::vector<std::size_t> out{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') out.push_back(i + 1);
  }
  return out;
}

/// The benchmark's shape: top-level services with doc comments, blocks, lists and `when`.
std::string services(int count, std::string_view eol = "\n") {
  std::string out;
  const auto line = [&](std::string_view text) {
    out += text;
    out += eol;
  };
  line("# generated");
  line("flag tracing = true");
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    line("");
    line("## Service " + n);
    line("## second doc line");
    line("service svc" + n + " {");
    line("  image \"ghcr.io/org/svc" + n + ":1.0\"  # trailing comment");
    line("  environment {");
    line("    ENV = \"production\"");
    line("    when tracing {");
    line("      OTEL_SERVICE_NAME = \"svc" + n + "\"");
    line("    }");
    line("  }");
    line("  networks [main,");
    line("            edge]");
    line("  limits cpu=0.5 memory=256M tunable");
    line("}");
  }
  return out;
}

}  // namespace

TEST_CASE("every spec of the repository parses the same in two parts, split at every line") {
  std::vector<std::filesystem::path> specs;
  for (const char* dir : {"examples", "stdlib", "tests"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::string(DEPLOYC_SOURCE_DIR) + "/" + dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".deploy") {
        specs.push_back(entry.path());
      }
    }
  }
  std::sort(specs.begin(), specs.end());
  REQUIRE(specs.size() > 10);
  std::size_t split_files = 0;
  for (const auto& path : specs) {
    INFO(path.string());
    const std::string text = test::read_file(path.string());
    if (check_same(text)) ++split_files;
    // Every line of small files, about 40 of larger ones.
    const std::vector<std::size_t> lines = line_starts(text);
    const std::size_t step = std::max<std::size_t>(1, lines.size() / 40);
    for (std::size_t i = 0; i < lines.size(); i += step) {
      INFO("split near byte " << lines[i]);
      check_same(text, lines[i]);
    }
  }
  // The examples themselves are split (they parse without errors).
  CHECK(split_files > 0);
}

TEST_CASE("a generated stack is split and parses the same") {
  const std::string text = services(200);
  CHECK(check_same(text));
  const std::vector<std::size_t> lines = line_starts(text);
  for (std::size_t i = 0; i < lines.size(); i += 7) {
    INFO("split near byte " << lines[i]);
    check_same(text, lines[i]);
  }
}

TEST_CASE("doc comments stay with their statement across the split") {
  // Near the middle, the only lines that start in column 1 are the service lines, each right
  // below its doc comment, and the doc comments' first lines.
  const std::string text = services(50);
  for (const std::size_t at : line_starts(text)) {
    INFO("split near byte " << at);
    check_same(text, at);
  }
  // Every statement's doc comments are copies that outlive the parse state.
  SourceManager sources;
  const FileId id = sources.add("test.deploy", text);
  diag::DiagnosticEngine diags;
  bool two = false;
  syntax::ParseOptions split = options(0);
  split.parsed_in_two_parts = &two;
  const ast::File file = syntax::parse(sources, id, diags, split);
  REQUIRE(two);
  std::size_t documented = 0;
  for (const ast::Stmt& s : file.stmts) {
    if (std::holds_alternative<ast::Setting>(s.node)) {
      REQUIRE(s.doc.size() == 2);
      CHECK(s.doc[1].text == "second doc line");
      ++documented;
    }
  }
  CHECK(documented == 50);
}

TEST_CASE("column-1 lines inside a block or a list fall back to one parse") {
  // Column-1 names inside a block: every candidate near the middle is inside the block.
  std::string block = "service a {\n";
  for (int i = 0; i < 200; ++i) block += "x" + std::to_string(i) + " = \"v\"\n";
  block += "}\nservice b {\n}\n";
  CHECK_FALSE(check_same(block));

  std::string list = "service a {\n  networks [\n";
  for (int i = 0; i < 200; ++i) list += "n" + std::to_string(i) + ",\n";
  list += "last]\n}\n";
  CHECK_FALSE(check_same(list));

  // Column-1 comments inside a list.
  std::string commented = "networks [\n";
  for (int i = 0; i < 200; ++i) commented += "# c" + std::to_string(i) + "\n  n,\n";
  commented += "]\n";
  CHECK_FALSE(check_same(commented));
}

TEST_CASE("CRLF line ends and a BOM split the same") {
  CHECK(check_same(services(60, "\r\n")));
  CHECK(check_same("\xEF\xBB\xBF" + services(60)));
  CHECK(check_same("\xEF\xBB\xBF" + services(60, "\r\n")));
  // A BOM line with a doc comment above a statement that starts the second part.
  CHECK(check_same("\xEF\xBB\xBF## doc\nflag a = true\n" + services(1), 10));
  // A lone `\r` is not a line end: the line after it is not a split candidate alone.
  std::string cr = "flag a = true # x\r";
  cr += "flag b = true\n";
  for (const std::size_t at : line_starts(cr)) check_same(cr, at);
}

TEST_CASE("a syntax error in one part gives the one-thread diagnostics") {
  const std::string good = services(60);
  const std::vector<std::size_t> lines = line_starts(good);
  const std::size_t first_half = lines[lines.size() / 4];
  const std::size_t second_half = lines[lines.size() * 3 / 4];

  SECTION("in the first part") {
    std::string text = good;
    text.insert(first_half, "service oops {\n  image \"unterminated\n}\n");
    CHECK_FALSE(check_same(text));
    CHECK_FALSE(serial(text).diagnostics.empty());
  }
  SECTION("in the second part") {
    std::string text = good;
    text.insert(second_half, "service oops { limits cpu= }\n");
    CHECK_FALSE(check_same(text));
    CHECK_FALSE(serial(text).diagnostics.empty());
  }
  SECTION("in both parts") {
    std::string text = good;
    text.insert(second_half, "}\n");
    text.insert(first_half, "[x]\n");
    CHECK_FALSE(check_same(text));
    CHECK_FALSE(serial(text).diagnostics.empty());
  }
  SECTION("the error limit in the second part") {
    std::string text = good;
    std::string junk;
    for (int i = 0; i < 150; ++i) junk += "service s" + std::to_string(i) + " { a = }\n";
    text.insert(second_half, junk);
    CHECK_FALSE(check_same(text));
    CHECK(serial(text).diagnostics.back().rfind("D0127", 0) == 0);
  }
  SECTION("the nesting limit in the second part") {
    std::string text = good;
    std::string deep;
    for (int i = 0; i < 70; ++i) deep += "a {\n";
    for (int i = 0; i < 70; ++i) deep += "}\n";
    text += deep;
    CHECK_FALSE(check_same(text));
    CHECK(serial(text).diagnostics.back().rfind("D0124", 0) == 0);
  }
  SECTION("bad UTF-8 anywhere") {
    std::string text = good;
    text.insert(second_half, "# caf\xC3\n");
    CHECK_FALSE(check_same(text));
    CHECK(serial(text).diagnostics.size() == 1);
  }
}

TEST_CASE("a file without a line to split at is parsed in one part") {
  // One block around everything: no line near the middle starts in column 1.
  std::string text = "section \"all\" {\n";
  for (int i = 0; i < 300; ++i) text += "  env X" + std::to_string(i) + ": int = 1\n";
  text += "}\n";
  CHECK_FALSE(check_same(text));
  // Every line near the middle is a comment line or right below one.
  std::string comments = "flag a = true\n";
  for (int i = 0; i < 300; ++i) comments += "## doc " + std::to_string(i) + "\n";
  comments += "flag b = true\n";
  CHECK_FALSE(check_same(comments));
  // Tiny and degenerate inputs.
  for (const std::string& tiny :
       {std::string(), std::string("\n"), std::string("a"), std::string("a\nb\n"),
        std::string("\n\n\n"), std::string("#\n#\n")}) {
    check_same(tiny);
    for (std::size_t at = 0; at <= tiny.size() + 1; ++at) check_same(tiny, at);
  }
}

TEST_CASE("the default threshold keeps small files on one thread") {
  const std::string small = services(2);
  REQUIRE(small.size() < syntax::ParseOptions{}.min_parallel_bytes);
  CHECK_FALSE(parse_with(small, {}).in_two_parts);
  const std::string large = services(4000);
  REQUIRE(large.size() >= syntax::ParseOptions{}.min_parallel_bytes);
  const Outcome big = parse_with(large, {});
  CHECK(big.in_two_parts);
  CHECK(big.dump == serial(large).dump);
}

TEST_CASE("without keep_comments a parse keeps the statements' doc comments and no list") {
  // A compile asks for no comment list (only the AST dump shows it): the tree must be the same
  // but for the list, in one part and in two.
  const std::string text = services(40);
  const Outcome with_list = serial(text);
  std::string expected;  // the dump without the list: its lines are `  Comment …`/`  DocComment …`
  for (std::size_t at = 0; at < with_list.dump.size();) {
    const std::size_t end = with_list.dump.find('\n', at) + 1;
    const std::string_view line(with_list.dump.data() + at, end - at);
    if (line.rfind("  Comment ", 0) != 0 && line.rfind("  DocComment ", 0) != 0) expected += line;
    at = end;
  }
  REQUIRE(expected.size() < with_list.dump.size());
  REQUIRE(expected.find("doc \"second doc line\"") != std::string::npos);
  for (const std::size_t min_parallel_bytes : {kNever, std::size_t{0}}) {
    syntax::ParseOptions without = options(min_parallel_bytes);
    without.keep_comments = false;
    const Outcome parsed = parse_with(text, without);
    CHECK(parsed.in_two_parts == (min_parallel_bytes == 0));
    CHECK(parsed.dump == expected);
  }
}

TEST_CASE("a file parsed in two parts is two chunks, which are freed apart") {
  const std::string text =
      "flag tracing = true\nsection \"Config\" {\n  env A: string\n}\n" + services(6);
  SourceManager sources;
  const FileId id = sources.add("test.deploy", text);
  diag::DiagnosticEngine diags;
  // Split just after the section: the first part holds the flag and the section.
  const std::size_t after_section = text.find("\n# generated") + 1;
  bool in_two_parts = false;
  syntax::ParseOptions split = options(0, after_section);
  split.parsed_in_two_parts = &in_two_parts;
  ast::File file = syntax::parse(sources, id, diags, split);
  REQUIRE(in_two_parts);
  REQUIRE(diags.unsorted().empty());
  REQUIRE(file.chunks.size() == 2);
  CHECK(file.chunks[0].first == 0);
  CHECK(file.chunks[0].count == 2);
  CHECK(file.chunks[1].first == 2);
  CHECK(file.chunks[1].count == file.stmts.size() - 2);
  const std::string whole = syntax::dump(file, sources);

  // A chunk with a statement the caller still needs stays.
  const auto is_service = [](const ast::Stmt& stmt) {
    const auto* s = std::get_if<ast::Setting>(&stmt.node);
    return s && s->keyword.text() == "service";
  };
  CHECK(file.release([](const ast::Stmt&) { return false; }) == 0);
  CHECK(file.release([&](const ast::Stmt& stmt) { return !is_service(stmt); }) == 1);
  CHECK(file.chunks[0].arena == nullptr);
  REQUIRE(file.chunks[1].arena != nullptr);
  CHECK(file.release([&](const ast::Stmt& stmt) { return !is_service(stmt); }) == 0);

  // The freed chunk's statements keep their heads; the other chunk is untouched.
  REQUIRE(file.stmts.size() > 2);
  const auto* flag = std::get_if<ast::Flag>(&file.stmts[0].node);
  REQUIRE(flag != nullptr);
  CHECK(flag->name.text() == "tracing");
  CHECK_FALSE(flag->default_value.has_value());
  const auto* section = std::get_if<ast::Setting>(&file.stmts[1].node);
  REQUIRE(section != nullptr);
  CHECK(section->keyword.text() == "section");
  CHECK(section->args.empty());
  CHECK_FALSE(section->body.has_value());
  CHECK(file.stmts[1].span.begin == text.find("section"));
  const std::string after = syntax::dump(file, sources);
  const std::string services_part = whole.substr(whole.find("Setting service"));
  CHECK(after.find(services_part) != std::string::npos);
}

TEST_CASE("a file parsed in one part has no chunks and frees nothing") {
  SourceManager sources;
  const FileId id = sources.add("test.deploy", services(3));
  diag::DiagnosticEngine diags;
  ast::File file = syntax::parse(sources, id, diags, options(kNever));
  CHECK(file.chunks.empty());
  CHECK(file.release([](const ast::Stmt&) { return true; }) == 0);
  CHECK(syntax::dump(file, sources) == serial(services(3)).dump);
}
