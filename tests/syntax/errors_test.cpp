// Syntax errors: each error point's code and position, the wording of a few messages, and
// recovery (several errors per run, good statements kept).
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"

using namespace deployc;

namespace {

struct ErrorCase {
  const char* source;
  const char* code;
  std::uint32_t line;
  std::uint32_t column;
};

// One row per error point; line:column is where the primary label starts.
const ErrorCase error_cases[] = {
    {"}\n", "D0101", 1, 1},
    {"ok x\n= 1\n", "D0101", 2, 1},
    {"\xEF\xBB\xBF}\n", "D0101", 1, 4},
    {"a b c )\n", "D0102", 1, 7},
    {"s { } x\n", "D0102", 1, 7},
    {"service x {\n  image y\n", "D0103", 3, 1},
    {"service x {\n  = y\n}\n", "D0103", 2, 3},
    {"a \"abc\n", "D0104", 1, 3},
    {"a \"x\\qy\"\n", "D0105", 1, 5},
    {"a \"x{ }\"\n", "D0106", 1, 6},
    {"a \"{name\"\n", "D0107", 1, 9},
    {"a \"x}y\"\n", "D0108", 1, 5},
    {"import std\n", "D0109", 1, 8},
    {"param : int\n", "D0110", 1, 7},
    {"service x {\n  env = 1\n}\n", "D0110", 2, 7},
    {"param x int\n", "D0111", 1, 9},
    {"param x\r\nflag y\r\n", "D0111", 1, 8},
    {"env X: = 1\n", "D0112", 1, 8},
    {"env X: url<>\n", "D0113", 1, 12},
    {"env X: url<a b>\n", "D0114", 1, 14},
    {"param x: list<list<a>\n", "D0114", 1, 22},
    {"env X: enum()\n", "D0115", 1, 13},
    {"env X: enum(a b)\n", "D0116", 1, 15},
    {"flag f =\n", "D0117", 1, 9},
    {"ENV = \n", "D0117", 1, 7},
    {"a b=\n", "D0117", 1, 5},
    {"a [1 2]\n", "D0118", 1, 6},
    {"a [1,\n  2\n  3]\n", "D0118", 3, 3},
    {"a [1,,]\n", "D0119", 1, 6},
    {"when {\n}\n", "D0120", 1, 6},
    {"when f\n", "D0121", 1, 7},
    {"x {\n  when !f y\n}\n", "D0121", 2, 11},
    {"a 1.2.3\n", "D0122", 1, 6},
    {"a 0.0.0.0\n", "D0122", 1, 6},
    {"a \"x\"\"y\"\n", "D0123", 1, 6},
    {"a \xFF\n", "D0125", 1, 3},
    {"a <NUL>\n", "D0126", 1, 3},  // the NUL is put in below: a C string cannot hold it
};

}  // namespace

TEST_CASE("every syntax error point reports its code at its position") {
  for (const ErrorCase& c : error_cases) {
    std::string source = c.source;
    if (auto nul = source.find("<NUL>"); nul != std::string::npos) {
      source.replace(nul, 5, std::string(1, '\0'));
    }
    DYNAMIC_SECTION(c.code << " for `" << source << "`") {
      auto p = test::parse_text(source);
      const auto found = p->located();
      for (const auto& d : found)
        UNSCOPED_INFO(d.code << " " << d.line << ":" << d.column << " " << d.message);
      REQUIRE(found.size() == 1);
      CHECK(found[0].code == c.code);
      CHECK(found[0].line == c.line);
      CHECK(found[0].column == c.column);
    }
  }
}

TEST_CASE("syntax error messages name what was expected and what was found") {
  auto first = [](const std::string& source) {
    auto p = test::parse_text(source);
    REQUIRE(!p->diags.unsorted().empty());
    return p->diags.unsorted().front();
  };

  SECTION("an unclosed block names its statement and points at its `{`") {
    const diag::Diagnostic d = first("service backend {\n  image x\n");
    CHECK(d.message == "expected `}` to close the block of `service`, found end of file");
    REQUIRE(d.labels.size() == 2);
    CHECK(d.labels[1].span.begin == 16);
    CHECK(d.labels[1].text == "the block of `service` opens here");
  }
  SECTION("an unterminated string covers the string and says how to close it") {
    const diag::Diagnostic d = first("a \"abc\n");
    CHECK(d.message == "unterminated string");
    CHECK(d.labels[0].span.begin == 2);
    CHECK(d.labels[0].span.end == 6);
    REQUIRE(d.help);
    CHECK(*d.help == "strings end on the same line; close it with `\"`");
  }
  SECTION("declarations quote the declaration so far") {
    CHECK(first("param x = 1\n").message == "expected `:` and a type after `param x`, found `=`");
    CHECK(first("env X: url<a b>\n").message == "expected `,` or `>` in `url<…>`, found `b`");
    CHECK(first("a memory=\n").message == "expected a value after `memory=`, found end of line");
    CHECK(first("a \"\\x\"\n").message == "unknown escape `\\x` in string");
    CHECK(first("a 1.2.3\n").message == "expected the end of the number `1.2`, found `.`");
  }
  SECTION("an unclosed list points at its `[`") {
    const diag::Diagnostic d = first("a [1 2]\n");
    REQUIRE(d.labels.size() == 2);
    CHECK(d.labels[1].span.begin == 2);
    CHECK(d.labels[1].text == "the list opens here");
  }
  SECTION("long tokens are clipped in messages") {
    const diag::Diagnostic d = first("a )" + std::string(1000, 'x') + "\n");
    CHECK(d.message.size() < 100);
  }
}

TEST_CASE("one run reports the syntax errors of several statements") {
  auto p = test::parse_text(
      "param a: int = 1\n"
      "param b int\n"  // D0111
      "flag c = true\n"
      "service s {\n"
      "  image = \n"  // D0117
      "  restart always\n"
      "}\n"
      "## kept\n"
      "network n { driver bridge }\n"
      "env E: url<x\n"  // D0114
      "flag d\n");
  const auto found = p->located();
  REQUIRE(found.size() == 3);
  CHECK(found[0].code == "D0111");
  CHECK(found[0].line == 2);
  CHECK(found[1].code == "D0117");
  CHECK(found[1].line == 5);
  CHECK(found[2].code == "D0114");
  CHECK(found[2].line == 10);

  // The good statements survive, and the doc comment after a skipped block still attaches.
  std::vector<std::string> kinds;
  for (const ast::Stmt& s : p->file.stmts) {
    kinds.push_back(std::visit(
        [](const auto& n) -> std::string {
          using N = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<N, ast::Param>) return "param " + std::string(n.name.text());
          if constexpr (std::is_same_v<N, ast::Flag>) return "flag " + std::string(n.name.text());
          if constexpr (std::is_same_v<N, ast::Setting>) return std::string(n.keyword.text());
          return "other";
        },
        s.node));
  }
  CHECK(kinds == std::vector<std::string>{"param a", "flag c", "network", "flag d"});
  REQUIRE(p->file.stmts[2].doc.size() == 1);
  CHECK(p->file.stmts[2].doc[0].text == "kept");
}

TEST_CASE("the number of syntax errors per file is capped") {
  std::string source;
  for (int i = 0; i < 500; ++i) source += "a )\n";
  auto p = test::parse_text(source);
  const auto found = p->located();
  REQUIRE(found.size() == 101);
  CHECK(found.back().code == "D0127");
  CHECK(found.back().line == 101);
}
