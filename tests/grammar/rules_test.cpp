// Accept/reject tables for single grammar rules, each matched against the whole input
// (`seq<Rule, eof>`). A rejection is either a plain mismatch or a raised error point.
#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "grammar/deploy.hpp"

namespace pegtl = tao::pegtl;
namespace g = deployc::grammar;

namespace {

struct Case {
  std::string_view text;
  bool accepted;
};

template <typename Rule>
bool accepts(std::string_view text) {
  pegtl::memory_input in(text.data(), text.size(), "test");
  try {
    return pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in);
  } catch (const pegtl::parse_error&) {
    return false;
  }
}

template <typename Rule>
void check_table(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    DYNAMIC_SECTION((c.accepted ? "accepts " : "rejects ") << '`' << c.text << '`') {
      CHECK(accepts<Rule>(c.text) == c.accepted);
    }
  }
}

}  // namespace

TEST_CASE("identifiers") {
  check_table<g::ident>({
      {"backend", true},
      {"on-failure", true},
      {"json-file", true},
      {"max_size", true},
      {"_private", true},
      {"a.b", true},
      {"X1", true},
      {"1abc", false},
      {"-x", false},
      {"", false},
      {"a b", false},
      {"a+b", false},
      {"caf\xC3\xA9", false},
  });
}

TEST_CASE("reserved words") {
  check_table<g::kw_env>({{"env", true}, {"envx", false}, {"env-x", false}, {"env.x", false}});
  // A reserved word never starts a setting, so `env` without a declaration is an error.
  check_table<g::statement>({
      {"envx = 1", true},
      {"environment { }", true},
      {"env", false},
      {"when", false},
  });
}

TEST_CASE("strings") {
  check_table<g::string_lit>({
      {R"("")", true},
      {R"("hello")", true},
      {R"("a \"quoted\" word")", true},
      {R"("back\\slash \n \t")", true},
      {R"("\{literal\}")", true},
      {R"("{{literal}}")", true},
      {R"("{project_slug}-network")", true},
      {R"("{a}{b}")", true},
      {R"("$HOME ${X}")", true},  // `$` is a plain character; `{X}` substitutes X
      {R"("caf)"
       "\xC3\xA9\"",
       true},
      {R"("unterminated)", false},
      {"\"two\nlines\"", false},
      {R"("\q")", false},
      {R"("{ name}")", false},
      {R"("{name")", false},
      {R"("a}b")", false},
      {R"("{}")", false},
  });
}

TEST_CASE("numbers and quantities") {
  check_table<g::number>({
      {"8000", true},   {"0", true},     {"1.0", true},   {"0.25", true},  {"512M", true},
      {"1G", true},     {"30s", true},   {"1m30s", true}, {"500ms", true}, {"10m", true},
      {"1h2m3s", true}, {"1.5GB", true}, {"1.", false},   {".5", false},   {"1.2.3", false},
      {"1_000", false}, {"10m-", false}, {"-1", false},   {"", false},
  });
}

TEST_CASE("types") {
  check_table<g::type_expr>({
      {"string", true},
      {"url<postgresql+asyncpg>", true},
      {"url<redis, rediss>", true},
      {"url<http,https>", true},
      {"list<host>", true},
      {"list<list<int>>", true},
      {"enum(debug|info|warning|error)", true},
      {"enum( a | b )", true},
      {"list<enum(a|b)>", true},
      {"url<>", false},
      {"url<a b>", false},
      {"url<a,>", false},
      {"url<a", false},
      {"enum()", false},
      {"enum(a|)", false},
      {"enum(a b)", false},
      {"1int", false},
  });
}

TEST_CASE("lists") {
  check_table<g::value>({
      {"[]", true},
      {"[a]", true},
      {"[a, b, c]", true},
      {"[a, b, c,]", true},
      {"[\n  \"x\",\n  8000, # comment\n  [nested],\n]", true},
      {"[1m30s, 512M]", true},
      {"[a b]", false},
      {"[,]", false},
      {"[a,,b]", false},
      {"[a", false},
      {"[a,\n", false},
  });
}

TEST_CASE("arguments") {
  check_table<g::arg>({
      {"tunable", true},
      {"\"/health\"", true},
      {"cpu=1.0", true},
      {"path=\"{backend_api_prefix}/health\"", true},
      {"interval=30s", true},
      {"hosts=[a, b]", true},
      {"key=", false},
      {"=value", false},
      {"\"a\"\"b\"", false},
      {"[a]b", false},
  });
  check_table<g::args>({
      {"http port=8000 path=\"/health\" interval=30s", true},
      {"cpu=1.0 memory=512M tunable", true},
      {"on-failure delay=5s max_attempts=3 window=120s", true},
  });
}

// A top-level statement with what may follow it on its line (a comment, `;`).
struct stmt_line : pegtl::seq<g::top_stmt, g::sep> {};

TEST_CASE("statements") {
  check_table<stmt_line>({
      {"import \"std/logging\"", true},
      {"param project_slug: string = \"acme_shop\"", true},
      {"param x: int", true},
      {"flag include_sentry = false", true},
      {"flag f", true},
      {"env LOG_LEVEL: enum(debug|info) = info", true},
      {"env X: url<https> secret optional example=\"x\" { example \"y\" }", true},
      {"when include_sentry { SENTRY_DSN }", true},
      {"when !include_sentry { }", true},
      {"ENV = \"production\"", true},
      {"service backend {\n  image \"nginx\"\n}", true},
      {"network main { name \"n\"; driver bridge }", true},
      {"limits cpu=1.0 memory=512M tunable # why", true},
      {"a b;  # next statement follows", true},
      {"import std", false},
      {"param x = 1", false},
      {"param x:", false},
      {"env X int", false},
      {"when f", false},
      {"when { }", false},
      {"a b )", false},
      {"s {", false},
      {"s { a b c", false},
      {"KEY =", false},
  });
}
