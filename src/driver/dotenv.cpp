#include "driver/dotenv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

namespace deployc::driver::dotenv {

namespace {

using Env = std::map<std::string, std::string, std::less<>>;

/// Byte length of the whitespace character at `i`, 0 when there is none. compose-go's
/// `isSpace` (inside a statement) excludes the line feed; `unicode.IsSpace` (between
/// statements) includes it. U+0085 and U+00A0 are spaces to both.
std::size_t space_at(std::string_view text, std::size_t i, bool newline_is_space) {
  if (i >= text.size()) return 0;
  switch (text[i]) {
    case '\n':
      return newline_is_space ? 1 : 0;
    case ' ':
    case '\t':
    case '\v':
    case '\f':
    case '\r':
      return 1;
    case '\xC2':
      if (i + 1 < text.size() && (text[i + 1] == '\x85' || text[i + 1] == '\xA0')) return 2;
      return 0;
    default:
      return 0;
  }
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty()) {
    const char last = text.back();
    if (last == ' ' || last == '\t' || last == '\n' || last == '\v' || last == '\f' ||
        last == '\r') {
      text.remove_suffix(1);
    } else if (text.size() >= 2 && text[text.size() - 2] == '\xC2' &&
               (last == '\x85' || last == '\xA0')) {
      text.remove_suffix(2);
    } else {
      break;
    }
  }
  return text;
}

bool is_key_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  // Bytes of multi-byte UTF-8 characters: compose-go accepts any Unicode letter or digit.
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '[' || c == ']' || u >= 0x80;
}

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

/// A byte for a message: itself when printable, else its hex code.
std::string describe_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7F) return fmt::format("character `{}`", c);
  return fmt::format("byte 0x{:02X}", u);
}

/// compose-go's `expandEscapes` for double-quoted values: the escapes Go knows among
/// `\a \b \f \n \r \t \v \\ \$ \"` and `\0ddd` (octal); `\$` becomes `$$` so interpolation
/// leaves a literal `$`. Any other backslash stays as written.
std::string expand_escapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out.push_back(text[i]);
      continue;
    }
    const char next = text[i + 1];
    char replacement = 0;
    switch (next) {
      case 'a':
        replacement = '\a';
        break;
      case 'b':
        replacement = '\b';
        break;
      case 'f':
        replacement = '\f';
        break;
      case 'n':
        replacement = '\n';
        break;
      case 'r':
        replacement = '\r';
        break;
      case 't':
        replacement = '\t';
        break;
      case 'v':
        replacement = '\v';
        break;
      case '\\':
        replacement = '\\';
        break;
      case '"':
        replacement = '"';
        break;
      default:
        break;
    }
    if (replacement != 0) {
      out.push_back(replacement);
      ++i;
    } else if (next == '$') {
      out += "$$";
      ++i;
    } else if (next == 'c') {
      out += "\\c";  // matched by compose-go's pattern but not a Go escape: kept
      ++i;
    } else if (next == '0') {
      // `\0` and up to three digits form one match; only exactly three octal digits (a byte
      // value) are a valid escape, anything else stays as written.
      std::size_t digits = 0;
      while (digits < 3 && i + 2 + digits < text.size() && text[i + 2 + digits] >= '0' &&
             text[i + 2 + digits] <= '9') {
        ++digits;
      }
      const std::string_view match = text.substr(i, 2 + digits);
      bool octal = digits == 3;
      int value = 0;
      for (std::size_t d = 0; octal && d < 3; ++d) {
        const char c = match[2 + d];
        if (c > '7') octal = false;
        value = value * 8 + (c - '0');
      }
      if (octal && value <= 0xFF) {
        out.push_back(static_cast<char>(value));
      } else {
        out += match;
      }
      i += match.size() - 1;
    } else {
      out.push_back('\\');  // not an escape: the backslash stays, the next byte is read anew
    }
  }
  return out;
}

/// compose-go's template substitution over the keys set so far.
class Interpolator {
 public:
  Interpolator(const Env& env, std::vector<std::string>& references)
      : env_(env), references_(references) {}

  /// nullopt, with `error_` set, when the text is not a valid template.
  std::optional<std::string> run(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      if (text[i] != '$' || i + 1 >= text.size()) {
        out.push_back(text[i++]);
        continue;
      }
      const char next = text[i + 1];
      if (next == '$') {
        out.push_back('$');
        i += 2;
      } else if (is_name_start(next)) {
        std::size_t end = i + 2;
        while (end < text.size() && is_name_char(text[end])) ++end;
        const std::string_view name = text.substr(i + 1, end - i - 1);
        if (const std::string* value = lookup(name)) out += *value;
        i = end;
      } else if (next == '{') {
        const std::optional<std::size_t> end = braced(text, i, out);
        if (!end) return std::nullopt;
        i = *end;
      } else {
        out.push_back(text[i++]);  // a lone `$` is literal
      }
    }
    return out;
  }

  std::string error;

 private:
  const std::string* lookup(std::string_view name) {
    references_.emplace_back(name);
    const auto it = env_.find(name);
    return it == env_.end() ? nullptr : &it->second;
  }

  /// `${…}` starting at `start`; appends its value, returns the offset past the `}`.
  std::optional<std::size_t> braced(std::string_view text, std::size_t start, std::string& out) {
    std::size_t i = start + 2;
    const std::size_t name_begin = i;
    if (i >= text.size() || !is_name_start(text[i])) return invalid();
    while (i < text.size() && is_name_char(text[i])) ++i;
    const std::string_view name = text.substr(name_begin, i - name_begin);
    if (i >= text.size()) return invalid();
    const std::string* value = lookup(name);
    if (text[i] == '}') {
      if (value) out += *value;
      return i + 1;
    }
    const bool colon = text[i] == ':';
    if (colon) ++i;
    if (i >= text.size() || (text[i] != '-' && text[i] != '?' && text[i] != '+')) return invalid();
    const char op = text[i++];
    // The argument runs to the matching `}`: nested `${…}` may appear inside it.
    const std::size_t arg_begin = i;
    int depth = 0;
    for (; i < text.size(); ++i) {
      if (text[i] == '{') {
        ++depth;
      } else if (text[i] == '}') {
        if (depth == 0) break;
        --depth;
      }
    }
    if (i >= text.size()) return invalid();
    const std::string_view argument = text.substr(arg_begin, i - arg_begin);
    const bool set = value != nullptr && (!colon || !value->empty());
    if (op == '-') {
      if (set) {
        out += *value;
      } else {
        const std::optional<std::string> fallback = run(argument);
        if (!fallback) return std::nullopt;
        out += *fallback;
      }
    } else if (op == '+') {
      if (set) {
        const std::optional<std::string> alternative = run(argument);
        if (!alternative) return std::nullopt;
        out += *alternative;
      }
    } else if (set) {
      out += *value;
    } else {
      error = fmt::format("`${{{}{}?…}}` requires `{}`, which is not set before it", name,
                          colon ? ":" : "", name);
      return std::nullopt;
    }
    return i + 1;
  }

  std::optional<std::size_t> invalid() {
    error = "invalid interpolation: write `${NAME}`, `${NAME:-default}`, or `$$` for a `$`";
    return std::nullopt;
  }

  const Env& env_;
  std::vector<std::string>& references_;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  File run() {
    // A UTF-8 byte order mark is skipped, as Compose does.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (statement_start()) {
      if (!statement()) break;
    }
    return std::move(file_);
  }

 private:
  /// Skips whitespace and comment lines; false at the end of the text.
  bool statement_start() {
    while (pos_ < text_.size()) {
      if (const std::size_t n = space_at(text_, pos_, true)) {
        pos_ += n;
      } else if (text_[pos_] == '#') {
        const std::size_t eol = text_.find('\n', pos_);
        if (eol == std::string_view::npos) return false;
        pos_ = eol;
      } else {
        return true;
      }
    }
    return false;
  }

  std::uint32_t offset(std::size_t i) const { return static_cast<std::uint32_t>(i); }

  bool fail(std::size_t begin, std::size_t end, std::string message,
            std::optional<std::size_t> value_from) {
    Error error;
    error.begin = offset(std::min(begin, text_.size()));
    error.end = offset(std::min(std::max(begin, end), text_.size()));
    error.message = std::move(message);
    if (value_from) error.value_from = offset(*value_from);
    file_.error = std::move(error);
    return false;
  }

  bool statement() {
    // `export` followed by whitespace (Go's `\s`: no vertical tab, no U+0085/U+00A0).
    if (text_.substr(pos_, 6) == "export" && pos_ + 6 < text_.size() &&
        std::string_view(" \t\n\f\r").find(text_[pos_ + 6]) != std::string_view::npos) {
      pos_ += 6;
      while (const std::size_t n = space_at(text_, pos_, false)) pos_ += n;
    }

    const std::size_t key_begin = pos_;
    std::size_t i = pos_;
    // Past the first blank, a malformed name may hold a value (`DB_PASSWORD hunter2`).
    std::optional<std::size_t> first_blank;
    while (i < text_.size()) {
      if (const std::size_t n = space_at(text_, i, false)) {
        if (!first_blank) first_blank = i;
        i += n;
        continue;
      }
      const char c = text_[i];
      if (c == '=' || c == ':' || c == '\n') break;
      if (!is_key_byte(c)) {
        return fail(i, i + 1, fmt::format("unexpected {} in a variable name", describe_byte(c)),
                    first_blank.value_or(i));
      }
      ++i;
    }
    const bool at_end = i >= text_.size();
    const std::string_view key = trim_right(text_.substr(key_begin, i - key_begin));
    const std::size_t key_end = key_begin + key.size();
    if (key.find_first_of(" \t\v\f\r") != std::string_view::npos ||
        key.find("\xC2\x85") != std::string_view::npos ||
        key.find("\xC2\xA0") != std::string_view::npos) {
      return fail(key_begin, key_end, "a variable name cannot contain a space", first_blank);
    }
    if (key.empty()) {
      // `=value`, or a trailing `export ` with nothing after it
      if (at_end) return fail(key_begin, i, "expected a variable name", std::nullopt);
      return fail(i, i + 1, "a value without a variable name", i + 1);
    }

    Entry entry;
    entry.key = std::string(key);
    entry.key_begin = offset(key_begin);
    entry.key_end = offset(key_end);
    entry.value_begin = entry.value_end = entry.key_end;
    if (at_end || text_[i] == '\n') {
      // A bare `KEY`: Compose takes it from the shell's environment.
      pos_ = at_end ? i : i + 1;
      file_.entries.push_back(std::move(entry));
      return true;
    }

    pos_ = i + 1;
    while (const std::size_t n = space_at(text_, pos_, false)) pos_ += n;
    const char first = pos_ < text_.size() ? text_[pos_] : '\0';
    std::string raw;
    if (first == '\'' || first == '"') {
      entry.quote = first;
      // compose-go: a backslash before the quote character drops; any other stays.
      bool escaped = false;
      std::size_t j = pos_ + 1;
      for (; j < text_.size(); ++j) {
        const char c = text_[j];
        if (escaped) {
          escaped = false;
          if (c != first) raw.push_back('\\');
          raw.push_back(c);
        } else if (c == '\\') {
          escaped = true;
        } else if (c == first) {
          break;
        } else {
          raw.push_back(c);
        }
      }
      if (j >= text_.size()) {
        return fail(pos_, pos_ + 1, "unterminated quoted value", pos_ + 1);
      }
      entry.value_begin = offset(pos_ + 1);
      entry.value_end = offset(j);
      pos_ = j + 1;
      if (first == '\'') {
        entry.value = std::move(raw);
        file_.entries.push_back(std::move(entry));
        return true;
      }
      raw = expand_escapes(raw);
    } else {
      std::size_t eol = text_.find('\n', pos_);
      if (eol == std::string_view::npos) eol = text_.size();
      std::string_view line = text_.substr(pos_, eol - pos_);
      if (const std::size_t comment = line.find(" #"); comment != std::string_view::npos) {
        line = line.substr(0, comment);
      }
      line = trim_right(line);
      entry.value_begin = offset(pos_);
      entry.value_end = offset(pos_ + line.size());
      raw = std::string(line);
      pos_ = eol;
    }

    Interpolator interpolator(env_, entry.references);
    std::optional<std::string> value = interpolator.run(raw);
    if (!value) {
      return fail(entry.value_begin, entry.value_end, std::move(interpolator.error),
                  entry.value_begin);
    }
    env_[entry.key] = *value;
    entry.value = std::move(value);
    file_.entries.push_back(std::move(entry));
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Env env_;
  File file_;
};

}  // namespace

File parse(std::string_view text) {
  return Parser(text).run();
}

void mask(std::string& text, std::uint32_t begin, std::uint32_t end) {
  for (std::size_t i = begin; i < end && i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') text[i] = '*';
  }
}

}  // namespace deployc::driver::dotenv
