#include "emit/scalar.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace deployc::emit {
namespace {

constexpr std::uint32_t kInvalid = 0xFFFFFFFFu;

struct Decoded {
  std::uint32_t code_point = kInvalid;  ///< kInvalid: the byte at the position is not UTF-8
  std::size_t length = 1;
};

/// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
Decoded decode_utf8(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1Fu, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0Fu, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07u, min = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char c = byte(i + k);
    if ((c & 0xC0u) != 0x80u) return {};
    cp = (cp << 6) | (c & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, length};
}

/// Code points a YAML reader would not take literally inside a scalar: C0/C1 controls, DEL,
/// the YAML 1.1 line breaks (NEL, LS, PS), the byte order mark and the non-characters.
bool yaml_needs_escape(std::uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool equals_ignore_case(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

/// Every character of a YAML 1.1/1.2 int, float, base-60 number or hex/octal/binary literal.
bool numeric_char(char c) {
  if (is_digit(c)) return true;
  switch (c) {
    case 'a':
    case 'b':
    case 'c':
    case 'd':
    case 'e':
    case 'f':
    case 'A':
    case 'B':
    case 'C':
    case 'D':
    case 'E':
    case 'F':
    case 'x':
    case 'X':
    case 'o':
    case 'O':
    case '_':
    case '.':
    case ':':
    case '+':
    case '-':
      return true;
    default:
      return false;
  }
}

/// A superset of what the YAML 1.1 and 1.2 core/JSON schemas resolve to null, bool, int, float,
/// timestamp, merge or value: quoting a few extra strings costs nothing, missing one breaks a file.
bool resolves_to_non_string(std::string_view s) {
  // The words below have at most 5 letters, and every number or timestamp starts with a digit,
  // a sign or a dot: this rules out most keys and values at once.
  if (s.size() > 5 && !is_digit(s[0]) && s[0] != '+' && s[0] != '-' && s[0] != '.') return false;
  // Every word starts with one of `ynotf~`: most short keys and values are ruled out by that.
  switch (ascii_lower(s[0])) {
    case 'y':
    case 'n':
    case 'o':
    case 't':
    case 'f':
    case '~': {
      static constexpr std::array<std::string_view, 10> kWords = {
          "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"};
      for (const auto word : kWords) {
        if (equals_ignore_case(s, word)) return true;
      }
      break;
    }
    default:
      break;
  }
  if (s == "=" || s == "<<") return true;
  std::size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  if (i >= s.size()) return false;
  if (s[i] == '.') {
    const std::string_view rest = s.substr(i + 1);
    if (rest.empty()) return false;
    return is_digit(rest[0]) || rest[0] == '_' || equals_ignore_case(rest, "inf") ||
           equals_ignore_case(rest, "nan");
  }
  if (!is_digit(s[i])) return false;
  // Timestamps (`2001-12-14`, `2001-12-14 21:59:43.10 -5`) may hold spaces and `t`.
  if (s.size() >= 5 && i == 0 && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
      s[4] == '-') {
    return true;
  }
  for (; i < s.size(); ++i) {
    if (!numeric_char(s[i])) return false;
  }
  return true;
}

bool is_leading_indicator(char c) {
  switch (c) {
    case '-':
    case '?':
    case ':':
    case ',':
    case '[':
    case ']':
    case '{':
    case '}':
    case '#':
    case '&':
    case '*':
    case '!':
    case '|':
    case '>':
    case '\'':
    case '"':
    case '%':
    case '@':
    case '`':
    case ' ':
    case '\t':
      return true;
    default:
      return false;
  }
}

// Most scalars are long runs of printable ASCII. The scans below test eight bytes at a time
// for the few bytes that need a closer look, and look at single bytes only in the rare block
// that holds one. Each test is exact about whether the block holds such a byte (a borrow or a
// carry between bytes can only start at a byte that is one), so no byte is missed.
using Block = std::uint64_t;
constexpr std::size_t kBlockBytes = sizeof(Block);
constexpr Block kOnes = 0x0101010101010101u;
constexpr Block kHighBits = 0x8080808080808080u;

Block load_block(const char* p) {
  Block block;
  std::memcpy(&block, p, kBlockBytes);
  return block;
}

/// Whether some byte of `block` is `byte` (the zero-byte test on block ^ byte).
constexpr bool has_byte(Block block, unsigned char byte) {
  const Block v = block ^ (kOnes * byte);
  return ((v - kOnes) & ~v & kHighBits) != 0;
}

/// Whether some byte of `block` is below `limit` (at most 0x80), DEL or not ASCII: a byte below
/// `limit` sets its high bit when `limit` is subtracted, DEL when 1 is added, non-ASCII bytes
/// have it set.
constexpr bool has_byte_below_or_non_ascii(Block block, unsigned char limit) {
  return (((block - kOnes * limit) | block | (block + kOnes)) & kHighBits) != 0;
}

/// Controls, DEL or non-ASCII.
constexpr bool has_non_printable(Block block) {
  return has_byte_below_or_non_ascii(block, 0x20);
}

/// Controls, DEL, non-ASCII or a space.
constexpr bool has_non_printable_or_space(Block block) {
  return has_byte_below_or_non_ascii(block, 0x21);
}

constexpr char kHex[] = "0123456789ABCDEF";

char* write_hex_escape(char* out, char kind, std::uint32_t cp, int digits) {
  *out++ = '\\';
  *out++ = kind;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    *out++ = kHex[(cp >> static_cast<unsigned>(shift)) & 0xFu];
  }
  return out;
}

}  // namespace

bool yaml_plain_safe(std::string_view s) {
  if (s.empty() || is_leading_indicator(s.front())) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  if (s.starts_with("...")) return false;  // a document end marker at column 0
  // Past the first byte, printable ASCII is safe except `: ` and ` #`, which both hold a space:
  // only spaces, controls, DEL and UTF-8 sequences need a closer look.
  const auto needs_look = [](unsigned char c) { return c <= 0x20 || c >= 0x7F; };
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.size() >= kBlockBytes) {
      // The last block may overlap the one before: testing a few bytes twice is cheaper than
      // going byte by byte through the tail.
      const std::size_t start = std::min(i, s.size() - kBlockBytes);
      if (!has_non_printable_or_space(load_block(s.data() + start))) {
        i = start + kBlockBytes;
        continue;
      }
    }
    // A short tail, or a block holding a byte to look at: byte by byte to the block's end.
    const std::size_t block_end = std::min(i + kBlockBytes, s.size());
    for (; i < block_end; ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (!needs_look(c)) continue;
      if (c < 0x20 || c == 0x7F) return false;
      if (c == ' ') {
        // i > 0 and i + 1 < size: a space first or last was rejected above.
        if (s[i - 1] == ':' || s[i + 1] == '#') return false;
        continue;
      }
      const Decoded d = decode_utf8(s, i);
      if (d.code_point == kInvalid || yaml_needs_escape(d.code_point)) return false;
      i += d.length - 1;  // may leave the block: the outer loop goes on from there
    }
  }
  return !resolves_to_non_string(s);
}

char* write_yaml_double_quoted(char* out, std::string_view s) {
  const auto put = [&](std::string_view bytes) {
    if (bytes.empty()) return;  // memcpy from the null data of an empty view is undefined
    std::memcpy(out, bytes.data(), bytes.size());
    out += bytes.size();
  };
  *out++ = '"';
  std::size_t run = 0;  // start of the pending run of bytes copied verbatim
  std::size_t i = 0;
  const auto flush = [&] { put(s.substr(run, i - run)); };
  std::size_t bytewise_until = 0;  // the end of a block known to hold a byte to look at
  while (i < s.size()) {
    if (i >= bytewise_until && i + kBlockBytes <= s.size()) {
      const Block block = load_block(s.data() + i);
      if (!has_non_printable(block) && !has_byte(block, '"') && !has_byte(block, '\\')) {
        i += kBlockBytes;
        continue;
      }
      bytewise_until = i + kBlockBytes;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    Decoded d{c, 1};
    if (c >= 0x80) {
      d = decode_utf8(s, i);
      if (d.code_point != kInvalid && !yaml_needs_escape(d.code_point)) {
        i += d.length;
        continue;
      }
    }
    flush();
    switch (d.code_point) {
      case '"':
        put("\\\"");
        break;
      case '\\':
        put("\\\\");
        break;
      case '\n':
        put("\\n");
        break;
      case '\t':
        put("\\t");
        break;
      case '\r':
        put("\\r");
        break;
      case 0:
        put("\\0");
        break;
      case 0x07:
        put("\\a");
        break;
      case 0x08:
        put("\\b");
        break;
      case 0x0B:
        put("\\v");
        break;
      case 0x0C:
        put("\\f");
        break;
      case 0x1B:
        put("\\e");
        break;
      case kInvalid:
        put("\xEF\xBF\xBD");
        break;  // U+FFFD: YAML text must be Unicode
      default:
        if (d.code_point <= 0xFF) {
          out = write_hex_escape(out, 'x', d.code_point, 2);
        } else {
          out = write_hex_escape(out, 'u', d.code_point, 4);
        }
    }
    i += d.length;
    run = i;
  }
  flush();
  *out++ = '"';
  return out;
}

void append_yaml_double_quoted(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out.resize(start + yaml_scalar_max_size(text.size()));
  char* const end = write_yaml_double_quoted(out.data() + start, text);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

char* write_yaml_scalar(char* out, std::string_view text) {
  if (!yaml_plain_safe(text)) return write_yaml_double_quoted(out, text);
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

void append_yaml_scalar(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out.resize(start + yaml_scalar_max_size(text.size()));
  char* const end = write_yaml_scalar(out.data() + start, text);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

namespace {

/// compose-go reads bare values up to the end of the line, cuts ` #` comments, trims spaces
/// and interpolates `$`; these bytes can never trigger any of that.
constexpr bool env_bare_byte(unsigned char c) {
  if (c <= 0x20 || c >= 0x7F) return false;
  switch (c) {
    case '#':
    case '$':
    case '\'':
    case '"':
    case '\\':
    case '`':
      return false;
    default:
      return true;
  }
}

/// Single quotes are literal in compose-go except that `\'` escapes the quote, so a value
/// ending in a backslash would swallow its closing quote.
bool env_single_quotable(std::string_view s) {
  if (s.ends_with('\\')) return false;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\'' || c < 0x20 || c == 0x7F) return false;
  }
  return true;
}

/// env_bare_byte for every byte: one look-up per byte of the value.
constexpr std::array<bool, 256> kEnvBareByte = [] {
  std::array<bool, 256> table{};
  for (unsigned c = 0; c < 256; ++c) table[c] = env_bare_byte(static_cast<unsigned char>(c));
  return table;
}();

}  // namespace

void append_env_value(std::string& out, std::string_view s) {
  const bool bare = std::all_of(s.begin(), s.end(),
                                [](char c) { return kEnvBareByte[static_cast<unsigned char>(c)]; });
  if (bare) {
    out.append(s);
    return;
  }
  if (env_single_quotable(s)) {
    out += '\'';
    out.append(s);
    out += '\'';
    return;
  }
  // Double quotes: compose-go unescapes \\ \" \$ \n \r \t \a \b \f \v and \0ooo, then
  // interpolates; `\$` reaches the interpolator as `$$`, a literal dollar.
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '$':
        out += "\\$";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case 0x07:
        out += "\\a";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x0B:
        out += "\\v";
        break;
      case 0x0C:
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\0";
          out += static_cast<char>('0' + ((c >> 6) & 7));
          out += static_cast<char>('0' + ((c >> 3) & 7));
          out += static_cast<char>('0' + (c & 7));
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void append_comment(std::string& out, std::string_view text) {
  while (true) {
    // memchr for each line break is much cheaper than a test per byte for either: comments are
    // long and nearly never hold one.
    std::size_t end = text.size();
    if (!text.empty()) {  // the data of an empty view may be null, which memchr must not get
      if (const void* lf = std::memchr(text.data(), '\n', end)) {
        end = static_cast<std::size_t>(static_cast<const char*>(lf) - text.data());
      }
      if (const void* cr = std::memchr(text.data(), '\r', end)) {
        end = static_cast<std::size_t>(static_cast<const char*>(cr) - text.data());
      }
    }
    const std::string_view line = text.substr(0, end);
    out += '#';
    if (!line.empty()) {
      out += ' ';
      out.append(line);
    }
    out += '\n';
    if (end == text.size()) return;
    text.remove_prefix(end + 1);
  }
}

}  // namespace deployc::emit
