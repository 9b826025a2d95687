// The env file parser against Docker Compose's reading (compose-go's dotenv package): each case
// is what `docker compose --env-file` would see.
#include "driver/dotenv.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>

namespace dotenv = deployc::driver::dotenv;

namespace {

/// key → value (nullopt for a bare KEY), the last assignment winning, like Compose's map.
std::map<std::string, std::optional<std::string>> values(std::string_view text) {
  const dotenv::File file = dotenv::parse(text);
  INFO("error: " << (file.error ? file.error->message : std::string("none")));
  REQUIRE_FALSE(file.error);
  std::map<std::string, std::optional<std::string>> out;
  for (const dotenv::Entry& e : file.entries) out[e.key] = e.value;
  return out;
}

std::string value(std::string_view text, const std::string& key = "K") {
  const auto all = values(text);
  const auto it = all.find(key);
  REQUIRE(it != all.end());
  REQUIRE(it->second.has_value());
  return *it->second;
}

std::string error_of(std::string_view text) {
  const dotenv::File file = dotenv::parse(text);
  REQUIRE(file.error);
  return file.error->message;
}

}  // namespace

TEST_CASE("unquoted values run to the end of the line, trimmed") {
  CHECK(value("K=value\n") == "value");
  CHECK(value("K=value") == "value");
  CHECK(value("K =  spaced value   \n") == "spaced value");
  CHECK(value("K=a=b=c\n") == "a=b=c");
  CHECK(value("K=\n") == "");
  CHECK(value("K=") == "");
}

TEST_CASE("a comment starts at a line's `#` or at ` #` in an unquoted value") {
  CHECK(values("# K=1\n").empty());
  CHECK(values("   # indented comment\nK=1\n").size() == 1);
  CHECK(value("K=value # comment\n") == "value");
  CHECK(value("K=val#ue\n") == "val#ue");              // no space before `#`: part of the value
  CHECK(value("K=value\t# tab\n") == "value\t# tab");  // only a space starts the comment
  CHECK(value("K= #x\n") == "#x");  // the value's leading blanks are gone before the search
  CHECK(value("K=\"a # b\" # comment\n") == "a # b");
}

TEST_CASE("export, yaml-style colons and blank lines") {
  CHECK(value("export K=1\n") == "1");
  CHECK(value("export   K=1\n") == "1");
  CHECK(value("K: 1\n") == "1");
  CHECK(value("\n\n   \nK=1\n\n") == "1");
  CHECK(value("exported=1\n", "exported") == "1");  // `export` only with a blank after it
  CHECK(values("A=1\nB=2\nC=3\n").size() == 3);
}

TEST_CASE("CRLF line ends and a byte order mark are read like Compose") {
  CHECK(value("K=1\r\nL=2\r\n") == "1");
  CHECK(value("K=1\r\nL=2\r\n", "L") == "2");
  CHECK(value("K=\"q\"\r\nL=x\r\n") == "q");
  CHECK(value("\xEF\xBB\xBFK=1\n") == "1");
}

TEST_CASE("single quotes are literal") {
  CHECK(value("K='a $B \\n \"c\"'\n") == "a $B \\n \"c\"");
  CHECK(value("K='it\\'s'\n") == "it's");  // `\'` is the only escape
  CHECK(value("K='multi\nline'\n") == "multi\nline");
  CHECK(value("K=''\n") == "");
}

TEST_CASE("double quotes take escapes, then interpolation") {
  CHECK(value("K=\"a\\nb\"\n") == "a\nb");
  CHECK(value("K=\"a\\tb\"\n") == "a\tb");
  CHECK(value("K=\"back\\\\slash\"\n") == "back\\slash");
  CHECK(value("K=\"say \\\"hi\\\"\"\n") == "say \"hi\"");
  CHECK(value("K=\"\\$HOME\"\n") == "$HOME");  // `\$` is a literal dollar
  CHECK(value("K=\"\\q\"\n") == "\\q");        // not an escape: kept as written
  CHECK(value("K=\"\\0101\"\n") == "A");       // octal
  CHECK(value("K=\"two\nlines\"\n") == "two\nlines");
}

TEST_CASE("interpolation reads keys set earlier in the file") {
  CHECK(value("A=x\nK=${A}-$A\n") == "x-x");
  CHECK(value("A=x\nK=\"${A}y\"\n") == "xy");
  CHECK(value("K=${LATER}\nLATER=1\n") == "");  // not set yet: empty
  CHECK(value("K=${UNSET:-fallback}\n") == "fallback");
  CHECK(value("A=\nK=${A:-fallback}\n") == "fallback");
  CHECK(value("A=\nK=${A-fallback}\n") == "");
  CHECK(value("A=1\nK=${A:+alt}\n") == "alt");
  CHECK(value("K=${A:+alt}\n") == "");
  CHECK(value("K=${UNSET:-${B:-nested}}\n") == "nested");
  CHECK(value("K=cost$$5\n") == "cost$5");
  CHECK(value("K=a$\n") == "a$");
  CHECK(value("K=$1\n") == "$1");
  CHECK(value("A=x\nK='${A}'\n") == "${A}");  // single quotes: no interpolation
  const dotenv::File file = dotenv::parse("A=1\nK=${A}$B\n");
  REQUIRE(file.entries.size() == 2);
  CHECK(file.entries[1].references == std::vector<std::string>{"A", "B"});
}

TEST_CASE("a bare key is inherited from the shell: unset here") {
  const auto all = values("K\nL=1\n");
  REQUIRE(all.count("K"));
  CHECK_FALSE(all.at("K").has_value());
  CHECK(values("export K\n").count("K"));
  CHECK(values("K").count("K"));  // without a newline too
}

TEST_CASE("spans point at the key and at the value as written") {
  const std::string text = "# c\nexport KEY = \"va\\\"l\" # x\nB=plain # c\n";
  const dotenv::File file = dotenv::parse(text);
  REQUIRE_FALSE(file.error);
  REQUIRE(file.entries.size() == 2);
  const dotenv::Entry& e = file.entries[0];
  CHECK(text.substr(e.key_begin, e.key_end - e.key_begin) == "KEY");
  CHECK(text.substr(e.value_begin, e.value_end - e.value_begin) == "va\\\"l");
  CHECK(e.quote == '"');
  const dotenv::Entry& b = file.entries[1];
  CHECK(text.substr(b.value_begin, b.value_end - b.value_begin) == "plain");
}

TEST_CASE("what Compose refuses to read is an error, and parsing stops there") {
  CHECK(error_of("K=\"open\n") == "unterminated quoted value");
  CHECK(error_of("K='open") == "unterminated quoted value");
  CHECK(error_of("MY KEY=1\n") == "a variable name cannot contain a space");
  CHECK(error_of("K$=1\n").find("unexpected character `$`") != std::string::npos);
  CHECK(error_of("K=${A\n").find("invalid interpolation") != std::string::npos);
  CHECK(error_of("K=${}\n").find("invalid interpolation") != std::string::npos);
  CHECK(error_of("K=${A:?needed}\n").find("requires `A`") != std::string::npos);
  CHECK(error_of("=1\n") == "a value without a variable name");
  CHECK(error_of("K=1\nexport ") == "expected a variable name");
  const dotenv::File trailing = dotenv::parse("K=1\nexport ");
  REQUIRE(trailing.error);
  CHECK(trailing.error->end <= 11);  // inside the text
  const dotenv::File file = dotenv::parse("A=1\nB=\"open\nC=3\n");
  REQUIRE(file.error);
  CHECK(file.entries.size() == 1);
}

TEST_CASE("mask keeps the length and the line breaks") {
  std::string text = "K=\"se\ncret\"\r\n";
  dotenv::mask(text, 3, 10);
  CHECK(text == "K=\"**\n****\"\r\n");
}
