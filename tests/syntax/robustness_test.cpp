// Hostile input: deep nesting, NUL bytes, malformed UTF-8, megabyte lines, truncations of the
// example and random bytes. The parser must report, never crash, hang or throw.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>

#include "parse_helpers.hpp"

using namespace deployc;

namespace {

bool has_code(const test::Parsed& p, std::string_view id) {
  for (const auto& d : p.located()) {
    if (d.code == id) return true;
  }
  return false;
}

/// Every span of every diagnostic lies inside the text.
void check_diagnostic_spans(const test::Parsed& p) {
  const std::size_t size = p.sources.text(p.id).size();
  for (const diag::Diagnostic& d : p.diags.unsorted()) {
    for (const diag::Label& l : d.labels) {
      CHECK(l.span.begin <= l.span.end);
      CHECK(l.span.end <= size);
    }
  }
}

}  // namespace

TEST_CASE("deep nesting is a diagnostic, not a stack overflow") {
  SECTION("blocks") {
    std::string source;
    for (int i = 0; i < 5000; ++i) source += "a {\n";
    auto p = test::parse_text(source);
    CHECK(has_code(*p, "D0124"));
    check_diagnostic_spans(*p);
  }
  SECTION("blocks on one line") {
    std::string source = "a ";
    for (int i = 0; i < 100000; ++i) source += "{ b ";
    auto p = test::parse_text(source);
    CHECK(has_code(*p, "D0124"));
  }
  SECTION("lists") {
    auto p = test::parse_text("a " + std::string(100000, '[') + "\n");
    const auto found = p->located();
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "D0124");
    CHECK(found[0].column == 3 + 64);  // the 65th `[`
  }
  SECTION("type arguments") {
    std::string source = "param x: ";
    for (int i = 0; i < 100000; ++i) source += "list<";
    auto p = test::parse_text(source);
    CHECK(has_code(*p, "D0124"));
  }
  SECTION("64 levels are fine") {
    std::string source;
    for (int i = 0; i < 64; ++i) source += "a {\n";
    for (int i = 0; i < 64; ++i) source += "}\n";
    auto p = test::parse_text(source);
    CHECK(p->diags.unsorted().empty());
  }
}

TEST_CASE("NUL bytes and malformed UTF-8 are reported with their byte offset") {
  const std::string cases[] = {
      std::string("a \"x\0y\"\n", 8),  // NUL inside a string
      "# caf\xC3\n",                   // truncated sequence in a comment
      "a \"\xC0\xAF\"\n",              // overlong encoding
      "a \"\xED\xA0\x80\"\n",          // UTF-16 surrogate
      "a \"\xF5\x80\x80\x80\"\n",      // above U+10FFFF
      "\x80\n",                        // stray continuation byte
  };
  for (const std::string& source : cases) {
    auto p = test::parse_text(source);
    REQUIRE_FALSE(p->diags.unsorted().empty());
    const diag::Diagnostic d = p->diags.sorted().front();
    const std::string id(diag::info(d.code).id);
    CHECK((id == "D0125" || id == "D0126"));
    CHECK(d.message.find("byte offset " + std::to_string(d.labels[0].span.begin)) !=
          std::string::npos);
    CHECK(p->diags.unsorted().size() == 1);  // one report per malformed sequence
    check_diagnostic_spans(*p);
  }
  // Valid multi-byte text is not an error, in strings and in comments.
  auto ok = test::parse_text("# caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x9A\x80\na \"\xC3\xA9\"\n");
  CHECK(ok->diags.unsorted().empty());
}

TEST_CASE("a megabyte on one line is handled") {
  const std::string mb(1 << 20, 'x');
  SECTION("an unterminated string") {
    auto p = test::parse_text("a \"" + mb);
    CHECK(has_code(*p, "D0104"));
  }
  SECTION("junk") {
    auto p = test::parse_text("a " + std::string(1 << 20, ')'));
    CHECK(p->located().size() == 1);
  }
  SECTION("a valid statement") {
    auto p = test::parse_text("a \"" + mb + "\" x=1\n");
    CHECK(p->diags.unsorted().empty());
    const auto& args = std::get<ast::Setting>(p->file.stmts.at(0).node).args;
    REQUIRE(args.size() == 2);
    CHECK(std::get<std::string_view>(std::get<ast::String>(args[0].value.node).parts.at(0)).size() ==
          mb.size());
  }
  SECTION("many arguments") {
    std::string source = "a";
    for (int i = 0; i < (1 << 15); ++i) source += " x=1";
    auto p = test::parse_text(source);
    CHECK(p->diags.unsorted().empty());
    CHECK(std::get<ast::Setting>(p->file.stmts.at(0).node).args.size() == (1u << 15));
  }
  SECTION("NUL bytes") {
    auto p = test::parse_text(std::string(1 << 20, '\0'));
    CHECK(has_code(*p, "D0126"));
    CHECK(p->diags.unsorted().size() <= 25);  // encoding errors are capped too
  }
}

TEST_CASE("every truncation of the example parses without crashing") {
  const std::string text = test::read_file(DEPLOYC_SOURCE_DIR "/examples/acme-shop/app.deploy");
  REQUIRE(text.size() > 1000);
  // Every 7th prefix, and the whole file.
  std::vector<std::size_t> cuts;
  for (std::size_t n = 0; n < text.size(); n += 7) cuts.push_back(n);
  cuts.push_back(text.size());
  for (std::size_t n : cuts) {
    auto p = test::parse_text(text.substr(0, n));
    check_diagnostic_spans(*p);
    // Output is a function of the input alone.
    auto again = test::parse_text(text.substr(0, n));
    CHECK(syntax::dump(p->file, p->sources) == syntax::dump(again->file, again->sources));
  }
}

TEST_CASE("random bytes and random edits never crash the parser") {
  const std::string text = test::read_file(DEPLOYC_SOURCE_DIR "/examples/acme-shop/app.deploy");
  std::mt19937 rng(12345);  // fixed seed: failures reproduce
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 100; ++round) {
    std::string noise(static_cast<std::size_t>(round * 7), '\0');
    for (char& c : noise) c = static_cast<char>(byte(rng));
    auto p = test::parse_text(noise);
    check_diagnostic_spans(*p);

    std::string edited = text;
    std::uniform_int_distribution<std::size_t> pos(0, edited.size() - 1);
    const char punct[] = "{}[]\"=,;#\\\n<>()|! ";
    for (int k = 0; k < 5; ++k)
      edited[pos(rng)] = punct[static_cast<std::size_t>(byte(rng)) % (sizeof(punct) - 1)];
    auto q = test::parse_text(edited);
    check_diagnostic_spans(*q);
  }
}
