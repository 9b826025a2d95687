// The .env writer: layout, quoting, and round trips through a compose-go-compatible reader.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "emit/emit.hpp"
#include "emit/scalar.hpp"
#include "tests/emit/dotenv_reader.hpp"
#include "tests/emit/tricky.hpp"

using deployc::lower::EnvBlock;
using deployc::lower::EnvDocument;
using deployc::lower::EnvEntry;
using deployc::lower::EnvSection;

namespace {

std::string value(const std::string& text) {
  std::string out;
  deployc::emit::append_env_value(out, text);
  return out;
}

}  // namespace

TEST_CASE("env values are bare when compose-go reads them literally") {
  for (const std::string text :
       {"", "info", "8000", "1.0", "512M", "*", "api.example.com,app.example.com",
        "postgresql+asyncpg://app_user:CHANGE_ME@db.example.com:5432/acme_shop", "a=b", "x:y",
        "/api/v1", "https://auth.example.com/realms/acme"}) {
    CAPTURE(text);
    CHECK(value(text) == text);
  }
}

TEST_CASE("env values with spaces, comments or dollars are single-quoted") {
  CHECK(value("a b") == "'a b'");
  CHECK(value(" lead") == "' lead'");
  CHECK(value("x #y") == "'x #y'");
  CHECK(value("#x") == "'#x'");
  CHECK(value("p$ss") == "'p$ss'");
  CHECK(value("${X}") == "'${X}'");
  CHECK(value("say \"hi\"") == "'say \"hi\"'");
  CHECK(value("a\\b") == "'a\\b'");
  CHECK(value("caf\xc3\xa9") == "'caf\xc3\xa9'");
}

TEST_CASE("env values single quotes cannot hold are double-quoted with escapes") {
  CHECK(value("it's $HOME") == R"("it's \$HOME")");
  CHECK(value("line1\nline2") == R"("line1\nline2")");
  CHECK(value("ends\\") == R"("ends\\")");  // `'ends\'` would never close
  CHECK(value("tab\there\"") == R"("tab\there\"")");
  CHECK(value("\x01") == R"("\0001")");
}

TEST_CASE("the env document has a header, banners and blank-line separated blocks") {
  // The document views its comment lines, as it views the model's.
  const std::vector<std::string_view> database{"Database", "Format: url"}, ports{"Ports"},
      comment{"Comment"};
  EnvDocument doc;
  doc.header = {"Demo Production Environment Configuration", "", "Usage: x"};
  doc.sections.push_back(
      EnvSection{"REQUIRED CONFIGURATION",
                 {EnvBlock{{}, {EnvEntry{database, "DATABASE_URL", "postgres://x"}}},
                  EnvBlock{ports, {EnvEntry{{}, "PORT", "8000"}, EnvEntry{{}, "EMPTY", ""}}}}});
  doc.sections.push_back(EnvSection{"LIMITS", {EnvBlock{{}, {EnvEntry{comment, "CPU", "1.0"}}}}});
  const std::string banner =
      "# =============================================================================\n";
  CHECK(deployc::emit::env(doc) ==
        "# Demo Production Environment Configuration\n"
        "#\n"
        "# Usage: x\n"
        "\n" +
            banner + "# REQUIRED CONFIGURATION\n" + banner +
            "\n"
            "# Database\n"
            "# Format: url\n"
            "DATABASE_URL=postgres://x\n"
            "\n"
            "# Ports\n"
            "PORT=8000\n"
            "EMPTY=\n"
            "\n" +
            banner + "# LIMITS\n" + banner +
            "\n"
            "# Comment\n"
            "CPU=1.0\n");
  CHECK(banner.size() == 2 + 77 + 1);
}

TEST_CASE("a newline in a comment line cannot escape the comment") {
  const std::vector<std::string_view> heading{"a\nINJECTED=1"};
  EnvDocument doc;
  doc.sections.push_back(EnvSection{"S", {EnvBlock{heading, {EnvEntry{{}, "K", "v"}}}}});
  const auto pairs = deployc::testing::parse_dotenv(deployc::emit::env(doc));
  REQUIRE(pairs.size() == 1);
  CHECK(pairs[0].first == "K");
}

TEST_CASE("tricky values round-trip through a compose-go dotenv reader") {
  const auto values = deployc::testing::tricky_strings(600);
  const std::vector<std::string_view> docs(values.begin(), values.end());
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < values.size(); ++i) keys.push_back("V" + std::to_string(i));
  EnvDocument doc;
  EnvBlock block;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].find('\0') != std::string::npos) continue;  // no process env can hold NUL
    block.entries.push_back(EnvEntry{{&docs[i], 1}, keys[i], values[i]});
  }
  doc.sections.push_back(EnvSection{"TRICKY", {block}});
  const std::string text = deployc::emit::env(doc);
  const auto pairs = deployc::testing::parse_dotenv(text);
  REQUIRE(pairs.size() == block.entries.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    CAPTURE(block.entries[i].value);
    CHECK(pairs[i].first == block.entries[i].key);
    CHECK(pairs[i].second == block.entries[i].value);
  }
  CHECK(deployc::emit::env(doc) == text);
}
