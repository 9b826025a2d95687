// Deterministic generator of strings that trip YAML and .env readers: every reserved word and
// number form of YAML 1.1 and 1.2, indicators, comment and mapping markers, quotes, escapes,
// control characters, Unicode line breaks, Compose interpolation, plus random mixes of them.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace deployc::testing {

inline const std::vector<std::string>& tricky_atoms() {
  static const std::vector<std::string> atoms = {
      // null / bool, YAML 1.1 and 1.2, several cases
      "", "~", "null", "Null", "NULL", "nUll", "true", "True", "TRUE", "false", "False", "FALSE",
      "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n",
      "N", "yEs", "oFF",
      // ints and floats
      "0", "1", "-1", "+1", "012", "0o17", "0x1F", "0X1f", "0b101", "1_000", "+0", "-0", "1e3",
      "1E3", "1e+3", "1.5e-3", "1.0", "1.", ".5", "-.5", "+.5", ".inf", ".Inf", "-.INF", "+.inf",
      ".nan", ".NaN", ".NAN", "._5", "3.14159", "0.25", "6.8523015e+5", "685.230_15e+03",
      // base 60, timestamps, ports
      "22:22", "1:30:00", "190:20:30.15", "8000:8000", "127.0.0.1:80:80", "2001-12-14",
      "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-12-14",
      // merge / value / document markers
      "<<", "=", "---", "...", "--- x", "... x", "-", "--", "-x", "- x",
      // indicators first, inside, last
      "?", "? x", "?x", ":", ":x", ": x", "x:", "x: y", "x:y", "x :y", ",", ",x", "[", "[x]", "]",
      "{", "{x: y}", "}", "#", "#x", "x #y", "x#y", "&a", "*a", "!tag", "!!str", "|", "|-", ">",
      ">-", "'", "'x'", "\"", "\"x\"", "%YAML", "@x", "`x`", "x,y", "a]b", "a}b", "a[b", "a{b",
      // whitespace and control characters
      " ", "  ", " x", "x ", "x  y", "\t", "x\ty", "\tx", "x\t", "\n", "x\ny", "x\n", "\nx",
      "x\r\ny", "\r", "x\0y", std::string("\0", 1), "\x01", "\x07\x08", "\x1b[0m", "\x7f",
      "\x0b\x0c",
      // backslashes and quotes
      "\\", "\\\\", "x\\", "\\n", "\\t", "\\\"", "\\'", "it's", "say \"hi\"", "'\"", "\"'",
      // Unicode: printable, line breaks, BOM, C1, non-characters, astral
      "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x9a\x80", "\xc2\x85", "x\xc2\x85y",
      "\xe2\x80\xa8", "\xe2\x80\xa9", "\xef\xbb\xbfx", "\xc2\xa0", "x\xc2\xa0", "\xc2\x9f",
      "\xef\xbf\xbe", "\xef\xbf\xbf", "\xef\xbf\xbd",
      // Compose interpolation and realistic values
      "$", "$$", "${X}", "$X", "${X:-d}", "${X:?err}", "$${X}", "a$b", "${", "}", "${X:-a b}",
      "postgresql+asyncpg://app_user:CHANGE_ME@db.example.com:5432/acme_shop",
      "redis://default:CHANGE_ME@redis.example.com:6379/0", "https://app.example.com",
      "api.example.com,app.example.com", "*", "512M", "30s", "1m30s", "json-file", "10m", "/api/v1",
      "CMD-SHELL", "curl -f http://localhost:8000/health || exit 1", "no-new-privileges:true",
      "ghcr.io/your-org/acme_shop-backend", "a=b", "KEY=value", "export X", "p@ss w0rd!", "%s",
      "<>&;|()", "x # not a comment?", "x#", "#!"};
  return atoms;
}

/// SplitMix64: portable, so every machine generates the same strings.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

/// The atoms, then `count - atoms` random concatenations of 2–4 atoms and single characters.
inline std::vector<std::string> tricky_strings(std::size_t count, std::uint64_t seed = 42) {
  static const std::string kChars = " :#-?,[]{}&*!|>'\"%@`$\\\t\n.0123456789eE+_xyz~=";
  std::vector<std::string> out = tricky_atoms();
  Rng rng(seed);
  const auto& atoms = tricky_atoms();
  while (out.size() < count) {
    std::string s;
    const std::size_t parts = 2 + rng.below(3);
    for (std::size_t i = 0; i < parts; ++i) {
      if (rng.below(3) == 0) {
        s += kChars[rng.below(kChars.size())];
      } else {
        s += atoms[rng.below(atoms.size())];
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

/// Distinct strings, usable as map keys.
inline std::vector<std::string> tricky_keys(std::size_t count) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto& s : tricky_strings(count * 2, 7)) {
    if (seen.insert(s).second) out.push_back(std::move(s));
    if (out.size() == count) break;
  }
  return out;
}

}  // namespace deployc::testing
