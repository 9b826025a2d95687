// An independent reader of `.env` files that follows compose-go's dotenv parser (v2): `KEY=value`
// or `KEY: value`, `export ` prefix, `#` comment lines, bare values cut at ` #` and trimmed,
// single quotes literal except `\'`, double quotes with \\ \" \$ \n \r \t \a \b \f \v \0ooo
// escapes. It throws when a value would be interpolated (a `$` that is not `$$`), since the
// env example must never depend on interpolation.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace deployc::testing {

using EnvPairs = std::vector<std::pair<std::string, std::string>>;

inline bool dotenv_space(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// Interpolation with no variables defined: only `$$` (a literal `$`) is acceptable.
inline std::string dotenv_expand(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '$') {
      out += v[i];
      continue;
    }
    if (i + 1 < v.size() && v[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    const char next = i + 1 < v.size() ? v[i + 1] : '\0';
    if (next == '{' || next == '_' || (next >= 'a' && next <= 'z') ||
        (next >= 'A' && next <= 'Z')) {
      throw std::runtime_error("value would be interpolated: " + std::string(v));
    }
    out += '$';
  }
  return out;
}

inline std::string dotenv_unescape(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\' || i + 1 == v.size()) {
      out += v[i];
      continue;
    }
    const char c = v[i + 1];
    switch (c) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '$':
        out += "$$";
        break;  // handed to interpolation as an escaped dollar
      case '0': {
        int value = 0;
        std::size_t k = i + 2;
        for (; k < v.size() && k < i + 5 && v[k] >= '0' && v[k] <= '7'; ++k) {
          value = value * 8 + (v[k] - '0');
        }
        out += static_cast<char>(value);
        i = k - 2;
        break;
      }
      default:
        out += '\\';
        out += c;
        break;
    }
    ++i;
  }
  return out;
}

inline EnvPairs parse_dotenv(std::string_view src) {
  EnvPairs out;
  std::size_t i = 0;
  const auto at_end = [&] { return i >= src.size(); };
  while (true) {
    while (!at_end() && (dotenv_space(src[i]) || src[i] == '\n')) ++i;
    if (at_end()) return out;
    if (src[i] == '#') {
      while (!at_end() && src[i] != '\n') ++i;
      continue;
    }
    if (src.substr(i).starts_with("export ")) i += 7;
    std::string key;
    while (!at_end() && src[i] != '=' && src[i] != ':') {
      if (src[i] == '\n') throw std::runtime_error("inherited variable " + key);
      key += src[i++];
    }
    if (at_end()) throw std::runtime_error("missing `=` after " + key);
    ++i;
    if (key.empty() || key.find(' ') != std::string::npos) throw std::runtime_error("bad key");
    while (!at_end() && dotenv_space(src[i])) ++i;
    std::string value;
    if (!at_end() && (src[i] == '\'' || src[i] == '"')) {
      const char quote = src[i++];
      std::string chars;
      bool escaped = false, closed = false;
      for (; !at_end(); ++i) {
        const char c = src[i];
        if (c != quote) {
          if (!escaped && c == '\\') {
            escaped = true;
            continue;
          }
          if (escaped) chars += '\\';
          escaped = false;
          chars += c;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += c;
          continue;
        }
        closed = true;
        ++i;
        break;
      }
      if (!closed) throw std::runtime_error("unterminated quoted value for " + key);
      value = quote == '"' ? dotenv_expand(dotenv_unescape(chars)) : chars;
      // only spaces or a comment may follow on the line
      while (!at_end() && dotenv_space(src[i])) ++i;
      if (!at_end() && src[i] != '\n' && src[i] != '#') {
        throw std::runtime_error("text after the closing quote of " + key);
      }
    } else {
      const std::size_t end = std::min(src.find('\n', i), src.size());
      std::string_view raw = src.substr(i, end - i);
      raw = raw.substr(0, raw.find(" #"));
      while (!raw.empty() && dotenv_space(raw.back())) raw.remove_suffix(1);
      value = dotenv_expand(raw);
      i = end;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
}

}  // namespace deployc::testing
