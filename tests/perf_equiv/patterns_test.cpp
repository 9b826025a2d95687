// Every matcher of sema::pattern against the std::regex it replaced, on generated inputs:
// every short string over an alphabet of the characters the pattern cares about, then random
// strings built from characters and from meaningful pieces (`://`, `password`, hex runs, …).
#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "sema/types.hpp"

namespace {

using namespace deployc::sema;

struct Case {
  const char* name;
  const char* regex;
  bool search;  // regex_search instead of regex_match
  bool icase;
  std::function<bool(std::string_view)> matcher;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"decimal", R"(\d+(\.\d+)?)", false, false, pattern::is_decimal},
      {"url scheme", R"([A-Za-z][A-Za-z0-9+.-]*)", false, false, pattern::is_url_scheme},
      {"lowercase url scheme", R"([a-z][a-z0-9+.-]*)", false, false,
       pattern::is_lowercase_url_scheme},
      {"hostname",
       R"(([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)",
       false, false, pattern::is_hostname},
      // A password that starts with `$` is a reference the container's shell expands.
      {"url userinfo", R"([A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]+:[^/@\s$][^/@\s]*@)", true, false,
       pattern::has_url_userinfo},
      {"password assignment", R"((password|passwd|pwd)\s*=[\s"']*[^$\s"'])", true, true,
       pattern::has_password_assignment},
      {"image tag", R"([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})", false, false, pattern::is_image_tag},
      {"registry host",
       R"((([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(\.([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*|\[[0-9A-Fa-f:.]+\])(:[0-9]+)?)",
       false, false, pattern::is_registry_host},
      {"repository component", R"([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)", false, false,
       pattern::is_repository_component},
      {"image digest", R"([A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})",
       false, false, pattern::is_image_digest},
      {"project name", R"([a-z0-9][a-z0-9_-]*)", false, false, pattern::is_project_name},
      {"env name", R"([A-Za-z_][A-Za-z0-9_]*)", false, false, pattern::is_env_name},
      {"object name", R"([a-zA-Z0-9][a-zA-Z0-9_.-]*)", false, false, pattern::is_object_name},
      {"long object name", R"([a-zA-Z0-9][a-zA-Z0-9_.-]+)", false, false,
       pattern::is_long_object_name},
      {"resource key", R"([a-zA-Z0-9._-]+)", false, false, pattern::is_resource_key},
      {"user", R"([a-zA-Z0-9_][a-zA-Z0-9_.-]*(:[a-zA-Z0-9_][a-zA-Z0-9_.-]*)?)", false, false,
       pattern::is_user_spec},
      {"security option", "[a-z][a-z0-9_-]*([:=][^ \t]+)?", false, false,
       pattern::is_security_option},
      {"capability", "ALL|(CAP_)?[A-Z][A-Z0-9_]*", false, false, pattern::is_capability},
      {"stop signal", R"(SIG[A-Z][A-Z0-9]*(\+[0-9]+)?)", false, false, pattern::is_stop_signal},
  };
  return all;
}

// Characters every pattern distinguishes, plus a few it must reject (a control byte, a space,
// a byte of a multi-byte UTF-8 sequence).
const std::string alphabet = std::string("aZg0F9.-_+:/@[]= \t\nSIG") + "\x01\xC3";
// clang-format off
const std::vector<std::string> pieces = {
    "://",   "password", "PassWD", "pwd",  "PWD ",    "=",      "@",      ":",         "/",
    "user",  "s3cr3t",   "https",  "db",   "a",       "-",      "--",     "_",         "__",
    ".",     "..",       "[::1]",  "[",    "]",       ":5000",  "ghcr.io", "localhost", "sha256",
    "0123456789abcdef0123456789abcdef", "0123456789ABCDEF", "9", "1.5", " ", "\t", "\xC3\xA9",
    "postgresql+asyncpg", "x", "A", "Z9", "SIG", "CAP_", "ALL", "+1", "seccomp=", "1000:1000",
    "$", "$PASS", "\"", "'"};
// clang-format on

bool reference(const Case& c, const std::regex& re, const std::string& text) {
  return c.search ? std::regex_search(text, re) : std::regex_match(text, re);
}

void check_all(const Case& c, const std::regex& re, const std::vector<std::string>& inputs) {
  for (const std::string& text : inputs) {
    INFO(c.name << ": `" << text << "`");
    REQUIRE(c.matcher(text) == reference(c, re, text));
  }
}

std::vector<std::string> short_strings(std::size_t max_length) {
  std::vector<std::string> out{""};
  std::size_t from = 0;
  for (std::size_t length = 1; length <= max_length; ++length) {
    const std::size_t to = out.size();
    for (std::size_t i = from; i < to; ++i) {
      for (char ch : alphabet) out.push_back(out[i] + ch);
    }
    from = to;
  }
  return out;
}

std::vector<std::string> random_strings(std::uint32_t seed, std::size_t count) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t n = 0; n < count; ++n) {
    std::string s;
    const std::size_t parts = rng() % 10;
    for (std::size_t k = 0; k < parts; ++k) {
      if (rng() % 3 == 0) {
        s += alphabet[rng() % alphabet.size()];
      } else {
        s += pieces[rng() % pieces.size()];
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

TEST_CASE("every pattern matcher agrees with its regex on all short strings") {
  const std::vector<std::string> inputs = short_strings(3);
  for (const Case& c : cases()) {
    const std::regex re(
        c.regex, c.icase ? std::regex::ECMAScript | std::regex::icase : std::regex::ECMAScript);
    check_all(c, re, inputs);
  }
}

TEST_CASE("every pattern matcher agrees with its regex on random strings of meaningful pieces") {
  const std::vector<std::string> inputs = random_strings(20261127, 20000);
  for (const Case& c : cases()) {
    const std::regex re(
        c.regex, c.icase ? std::regex::ECMAScript | std::regex::icase : std::regex::ECMAScript);
    check_all(c, re, inputs);
  }
}

TEST_CASE("pattern matchers agree with their regexes at length limits") {
  std::vector<std::string> inputs;
  for (std::size_t n : {127u, 128u, 129u}) inputs.push_back(std::string(n, 'a'));
  for (std::size_t n : {31u, 32u, 64u}) inputs.push_back("sha256:" + std::string(n, 'f'));
  inputs.push_back("sha256+b64u.x_y-z9:" + std::string(32, 'A'));
  inputs.push_back("postgresql://user:p:a:ss@db:5432/app");
  inputs.push_back("postgresql://user@db:5432/app");
  inputs.push_back("x ://u:p@");
  inputs.push_back("9://u:p@");
  inputs.push_back("a9://u:p@ and PASSWORD \t = x");
  inputs.push_back("[2001:db8::1]:5000");
  inputs.push_back("registry.example.com:5000");
  inputs.push_back("a---b__c.d_e");
  for (const Case& c : cases()) {
    const std::regex re(
        c.regex, c.icase ? std::regex::ECMAScript | std::regex::icase : std::regex::ECMAScript);
    check_all(c, re, inputs);
  }
}
