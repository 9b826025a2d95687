#include "sema/types.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "diag/engine.hpp"
#include "diag/suggest.hpp"

namespace deployc::sema {

namespace {

using diag::Code;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_upper_ascii(char c) {
  return c >= 'A' && c <= 'Z';
}
std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

Problem problem(Code code, std::string_view subject, std::string detail = {},
                std::optional<std::string> help = std::nullopt) {
  return Problem{code, std::string(subject), std::move(detail), std::move(help)};
}

std::string backticked_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += fmt::format("`{}`", items[i]);
  }
  return out;
}

// The value of a plain decimal (`12`, `0.25`), already checked to be one. std::from_chars reads
// it without the std::string and the locale lookup of std::stod, which is left to the values a
// double cannot hold, so that those fail exactly as they always have.
double decimal_value(std::string_view text) {
  // Clinger's fast path: up to 15 digits are an exact double, and so is 10^k for k <= 22, so a
  // single IEEE division is the correctly rounded value, which is what std::from_chars returns.
  // Every checked quantity (`0.25`, `512`, `30`) takes it; from_chars costs several times more.
  static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::uint64_t mantissa = 0;
  std::size_t digits = 0, fraction_digits = 0;
  bool in_fraction = false, simple = !text.empty();
  for (const char c : text) {
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (!is_digit(c) || digits == 15) {
      simple = false;
      break;
    }
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
    ++digits;
    if (in_fraction) ++fraction_digits;
  }
  if (simple && digits > 0) {
    return static_cast<double>(mantissa) / kPowersOfTen[fraction_digits];
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::stod(std::string(text));
  return value;
}

// Reads "1m30s" as (number, unit) pairs, calling `visit(number, unit)` for each in order;
// false when the text is not such a sequence. Checks of durations call it on every value, so
// it builds nothing.
template <typename Visit>
bool each_quantity(std::string_view text, Visit&& visit) {
  if (text.empty()) return false;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == start) return false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      const std::size_t frac = i;
      while (i < text.size() && is_digit(text[i])) ++i;
      if (i == frac) return false;
    }
    const std::string_view number = text.substr(start, i - start);
    const std::size_t unit_start = i;
    while (i < text.size() && !is_digit(text[i])) ++i;
    visit(decimal_value(number), text.substr(unit_start, i - unit_start));
  }
  return true;
}

// (number, unit) pairs; the units view the text they were split from.
using Quantities = std::vector<std::pair<double, std::string_view>>;

std::optional<Quantities> quantities(std::string_view text) {
  Quantities out;
  const bool ok = each_quantity(
      text, [&](double amount, std::string_view unit) { out.emplace_back(amount, unit); });
  if (!ok) return std::nullopt;
  return out;
}

struct Duration {
  double us = 0;            // the sum of the parts whose unit is known
  bool known_units = true;  // every part has a duration unit
  std::size_t parts = 0;
  bool last_unitless = false;  // the last part is a number without unit
};

// A duration read in one pass; nullopt when the text is not numbers with units.
std::optional<Duration> read_duration(std::string_view text) {
  Duration d;
  const bool ok = each_quantity(text, [&](double amount, std::string_view unit) {
    ++d.parts;
    d.last_unitless = unit.empty();
    double factor = 0;
    if (unit == "us")
      factor = 1;
    else if (unit == "ms")
      factor = 1e3;
    else if (unit == "s")
      factor = 1e6;
    else if (unit == "m")
      factor = 60e6;
    else if (unit == "h")
      factor = 3600e6;
    if (factor == 0)
      d.known_units = false;
    else if (d.known_units)
      d.us += amount * factor;
  });
  if (!ok) return std::nullopt;
  return d;
}

std::optional<Problem> check_duration(std::string_view text) {
  const auto duration = read_duration(text);
  if (duration && duration->parts == 1 && duration->last_unitless) {
    return problem(Code::InvalidDuration, text, {},
                   fmt::format("add a unit: `{}s` (units: `us`, `ms`, `s`, `m`, `h`)", text));
  }
  const auto us =
      duration && duration->known_units ? std::optional<double>(duration->us) : std::nullopt;
  if (!us) {
    return problem(Code::InvalidDuration, text, {},
                   "write numbers with units `us`, `ms`, `s`, `m` or `h`, e.g. `30s` or `1m30s`");
  }
  if (*us < 1000.0) {
    return problem(Code::InvalidDuration, text, {}, "durations must be at least `1ms`");
  }
  return std::nullopt;
}

std::optional<Problem> check_memory(std::string_view text) {
  if (parse_memory_bytes(text)) return std::nullopt;
  const auto parts = quantities(text);
  if (parts && parts->size() == 1) {
    const auto& [amount, unit] = parts->front();
    const std::string u = lowered(unit);
    if (u == "ki" || u == "mi" || u == "gi" || u == "kib" || u == "mib" || u == "gib") {
      const std::size_t number_length = text.size() - unit.size();
      return problem(Code::InvalidMemory, text, {},
                     fmt::format("Compose reads binary units already: write `{}{}`",
                                 text.substr(0, number_length), unit.substr(0, 1)));
    }
    if (amount != std::floor(amount) &&
        (u == "k" || u == "m" || u == "g" || u == "kb" || u == "mb" || u == "gb")) {
      const char smaller = u[0] == 'g' ? 'M' : (u[0] == 'm' ? 'K' : 'b');
      const double scaled = amount * 1024.0;
      if (scaled == std::floor(scaled)) {
        return problem(Code::InvalidMemory, text, {},
                       fmt::format("use a whole number: `{}{}`", static_cast<std::int64_t>(scaled),
                                   smaller == 'b' ? std::string() : std::string(1, smaller)));
      }
      return problem(Code::InvalidMemory, text, {}, "use a whole number with a smaller unit");
    }
  }
  return problem(Code::InvalidMemory, text, {},
                 "write a whole number and a unit `b`, `k`, `m` or `g`, e.g. `512M` or `1G`");
}

std::optional<Problem> check_cpu(std::string_view text) {
  if (!pattern::is_decimal(text)) {
    return problem(Code::InvalidCpu, text, {}, "write a decimal number of cpus, e.g. `0.5` or `2`");
  }
  if (decimal_value(text) <= 0.0) {
    return problem(Code::InvalidCpu, text, {}, "a cpu count must be greater than 0");
  }
  return std::nullopt;
}

std::optional<Problem> check_bool(std::string_view text) {
  if (text == "true" || text == "false") return std::nullopt;
  const std::string l = lowered(text);
  if (l == "true" || l == "yes" || l == "on" || l == "y") {
    return problem(Code::InvalidBool, text, {}, "write `true`");
  }
  if (l == "false" || l == "no" || l == "off" || l == "n") {
    return problem(Code::InvalidBool, text, {}, "write `false`");
  }
  return problem(Code::InvalidBool, text, {}, "a bool is `true` or `false`");
}

std::optional<Problem> check_url(const model::Type& type, std::string_view text) {
  const std::size_t sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0 || !pattern::is_url_scheme(text.substr(0, sep)) ||
      sep + 3 >= text.size()) {
    std::string help = type.options.empty() ? std::string("write `scheme://host…`")
                                            : fmt::format("write `{}://…`", type.options.front());
    return problem(Code::InvalidUrl, text, {}, std::move(help));
  }
  if (type.options.empty()) return std::nullopt;
  const std::string scheme = lowered(text.substr(0, sep));
  if (std::find(type.options.begin(), type.options.end(), scheme) == type.options.end()) {
    const std::string allowed = backticked_list(type.options);
    return problem(Code::UrlSchemeNotAllowed, text.substr(0, sep), allowed,
                   fmt::format("allowed schemes: {}", allowed));
  }
  return std::nullopt;
}

std::optional<Problem> check_host(std::string_view text) {
  if (is_ip_address(text)) return std::nullopt;
  if (text.size() > 2 && text.front() == '[' && text.back() == ']' &&
      is_ip_address(text.substr(1, text.size() - 2))) {
    return std::nullopt;
  }
  if (text.size() <= 253 && pattern::is_hostname(text)) {
    return std::nullopt;
  }
  return problem(Code::InvalidHost, text, {}, "write a name like `db.example.com` or an address");
}

std::optional<Problem> check_enum(const model::Type& type, std::string_view text) {
  if (std::find(type.options.begin(), type.options.end(), text) != type.options.end()) {
    return std::nullopt;
  }
  std::optional<std::string> help;
  if (auto near = diag::closest(text, type.options))
    help = fmt::format("did you mean `{}`?", *near);
  return problem(Code::InvalidEnumMember, text, backticked_list(type.options), std::move(help));
}

}  // namespace

namespace pattern {

namespace {

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower_letter(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_letter(char c) {
  return is_upper(c) || is_lower_letter(c);
}
bool is_alnum(char c) {
  return is_letter(c) || is_digit(c);
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// `\s` of the C locale.
bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// `first rest*` (at least `min_length` characters in all).
template <typename First, typename Rest>
bool first_then(std::string_view text, First first, Rest rest, std::size_t min_length = 1) {
  if (text.size() < min_length || !first(text[0])) return false;
  return std::all_of(text.begin() + 1, text.end(), rest);
}

// One label of a host name: `[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?`.
bool is_host_label(std::string_view label) {
  if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) return false;
  return std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

}  // namespace

bool is_decimal(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == 0) return false;
  if (i == text.size()) return true;
  if (text[i] != '.' || i + 1 == text.size()) return false;
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i) + 1, text.end(), is_digit);
}

bool is_url_scheme(std::string_view text) {
  return first_then(text, is_letter,
                    [](char c) { return is_alnum(c) || c == '+' || c == '.' || c == '-'; });
}

bool is_lowercase_url_scheme(std::string_view text) {
  return first_then(text, is_lower_letter, [](char c) {
    return is_lower_letter(c) || is_digit(c) || c == '+' || c == '.' || c == '-';
  });
}

bool is_hostname(std::string_view text) {
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? text.size() : dot;
    if (!is_host_label(text.substr(start, end - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool has_url_userinfo(std::string_view text) {
  auto scheme_char = [](char c) { return is_alnum(c) || c == '+' || c == '.' || c == '-'; };
  for (std::size_t sep = text.find("://"); sep != std::string_view::npos;
       sep = text.find("://", sep + 1)) {
    // A scheme ends right before `://` when the run of scheme characters there holds a letter
    // (the scheme starts at that letter).
    bool scheme = false;
    for (std::size_t k = sep; k > 0 && scheme_char(text[k - 1]); --k) {
      if (is_letter(text[k - 1])) {
        scheme = true;
        break;
      }
    }
    if (!scheme) continue;
    // `[^/@:\s]+:` can only end at the first `:`, and `[^/@\s]+@` only at the first `@`.
    std::size_t i = sep + 3;
    const std::size_t user = i;
    while (i < text.size() && text[i] != '/' && text[i] != '@' && text[i] != ':' &&
           !is_space(text[i])) {
      ++i;
    }
    if (i == user || i == text.size() || text[i] != ':') continue;
    const std::size_t password = ++i;
    while (i < text.size() && text[i] != '/' && text[i] != '@' && !is_space(text[i])) ++i;
    // `user:$DB_PASSWORD@host` names a variable the container's shell expands at run time.
    if (i != password && i < text.size() && text[i] == '@' && text[password] != '$') return true;
  }
  return false;
}

bool has_password_assignment(std::string_view text) {
  // Every match ends in `=`: most texts have none, and one memchr settles them.
  if (text.find('=') == std::string_view::npos) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (lower(text[i]) != 'p') continue;
    for (const std::string_view word : {"password", "passwd", "pwd"}) {
      if (text.size() - i < word.size()) continue;
      std::size_t k = 0;
      while (k < word.size() && lower(text[i + k]) == word[k]) ++k;
      if (k < word.size()) continue;
      std::size_t j = i + k;
      while (j < text.size() && is_space(text[j])) ++j;
      if (j == text.size() || text[j] != '=') continue;
      // A value follows, and is not a `$VAR` the container's shell expands at run time.
      ++j;
      while (j < text.size() && (is_space(text[j]) || text[j] == '"' || text[j] == '\'')) ++j;
      if (j < text.size() && text[j] != '$') return true;
    }
  }
  return false;
}

bool is_image_tag(std::string_view text) {
  return text.size() <= 128 &&
         first_then(
             text, [](char c) { return is_alnum(c) || c == '_'; },
             [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

bool is_registry_host(std::string_view text) {
  std::string_view host = text;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    const std::string_view address = text.substr(1, close - 1);
    if (!std::all_of(address.begin(), address.end(),
                     [](char c) { return is_hex(c) || c == ':' || c == '.'; })) {
      return false;
    }
    host = {};
    port = text.substr(close + 1);
  } else {
    const std::size_t colon = text.find(':');
    if (colon != std::string_view::npos) {
      host = text.substr(0, colon);
      port = text.substr(colon);
    }
    if (!is_hostname(host)) return false;
  }
  if (port.empty()) return true;
  return port.size() >= 2 && port.front() == ':' &&
         std::all_of(port.begin() + 1, port.end(), is_digit);
}

bool is_repository_component(std::string_view text) {
  auto word = [](char c) { return is_lower_letter(c) || is_digit(c); };
  if (text.empty() || !word(text.front()) || !word(text.back())) return false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (word(text[i])) {
      ++i;
      continue;
    }
    // A separator: `.`, `_`, `__` or a run of `-`, between two words.
    const std::size_t start = i;
    while (i < text.size() && !word(text[i])) ++i;
    const std::string_view sep = text.substr(start, i - start);
    const bool dashes = std::all_of(sep.begin(), sep.end(), [](char c) { return c == '-'; });
    if (!dashes && sep != "." && sep != "_" && sep != "__") return false;
  }
  return true;
}

bool is_image_digest(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view algorithm = text.substr(0, colon);
  const std::string_view hex = text.substr(colon + 1);
  if (hex.size() < 32 || !std::all_of(hex.begin(), hex.end(), is_hex)) return false;
  // Components `[A-Za-z][A-Za-z0-9]*` joined by single `-`, `_`, `+` or `.`.
  bool component_start = true;
  for (const char c : algorithm) {
    if (component_start) {
      if (!is_letter(c)) return false;
      component_start = false;
    } else if (c == '-' || c == '_' || c == '+' || c == '.') {
      component_start = true;
    } else if (!is_alnum(c)) {
      return false;
    }
  }
  return !component_start;
}

bool is_project_name(std::string_view text) {
  return first_then(
      text, [](char c) { return is_lower_letter(c) || is_digit(c); },
      [](char c) { return is_lower_letter(c) || is_digit(c) || c == '_' || c == '-'; });
}

bool is_env_name(std::string_view text) {
  // Every declared variable's name is checked: a table lookup per character instead of the
  // comparisons of the character classes.
  static const auto kNameChar = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) {
      table[static_cast<std::size_t>(c)] = is_alnum(static_cast<char>(c)) || c == '_';
    }
    return table;
  }();
  if (text.empty() || is_digit(text[0])) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return kNameChar[static_cast<unsigned char>(c)]; });
}

bool is_object_name(std::string_view text) {
  return first_then(text, is_alnum,
                    [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

bool is_long_object_name(std::string_view text) {
  return text.size() >= 2 && is_object_name(text);
}

bool is_resource_key(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '-';
  });
}

bool is_user_spec(std::string_view text) {
  auto part = [](std::string_view p) {
    return first_then(
        p, [](char c) { return is_alnum(c) || c == '_'; },
        [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
  };
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return part(text);
  return part(text.substr(0, colon)) && part(text.substr(colon + 1));
}

bool is_security_option(std::string_view text) {
  auto name_char = [](char c) { return is_lower_letter(c) || is_digit(c) || c == '_' || c == '-'; };
  if (text.empty() || !is_lower_letter(text[0])) return false;
  std::size_t i = 1;
  while (i < text.size() && name_char(text[i])) ++i;
  if (i == text.size()) return true;
  if ((text[i] != ':' && text[i] != '=') || i + 1 == text.size()) return false;
  return std::none_of(text.begin() + static_cast<std::ptrdiff_t>(i) + 1, text.end(),
                      [](char c) { return c == ' ' || c == '\t'; });
}

bool is_capability(std::string_view text) {
  // `CAP_X…` is itself `[A-Z][A-Z0-9_]*`, so the optional prefix changes nothing.
  return text == "ALL" ||
         first_then(text, is_upper, [](char c) { return is_upper(c) || is_digit(c) || c == '_'; });
}

bool is_stop_signal(std::string_view text) {
  if (text.size() < 4 || text.substr(0, 3) != "SIG" || !is_upper(text[3])) return false;
  std::size_t i = 4;
  while (i < text.size() && (is_upper(text[i]) || is_digit(text[i]))) ++i;
  if (i == text.size()) return true;
  if (text[i] != '+' || i + 1 == text.size()) return false;
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i) + 1, text.end(), is_digit);
}

}  // namespace pattern

const model::Type& plain_type(model::TypeKind kind) {
  static const auto types = [] {
    std::array<model::Type, static_cast<std::size_t>(model::TypeKind::Image) + 1> all;
    for (std::size_t i = 0; i < all.size(); ++i) all[i].kind = static_cast<model::TypeKind>(i);
    return all;
  }();
  return types.at(static_cast<std::size_t>(kind));
}

std::string type_display(const model::Type& type) {
  using K = model::TypeKind;
  auto joined = [&](std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < type.options.size(); ++i) {
      if (i) out += sep;
      out += type.options[i];
    }
    return out;
  };
  switch (type.kind) {
    case K::String:
      return "string";
    case K::Int:
      return "int";
    case K::Bool:
      return "bool";
    case K::Port:
      return "port";
    case K::Duration:
      return "duration";
    case K::Memory:
      return "memory";
    case K::Cpu:
      return "cpu";
    case K::Url:
      return type.options.empty() ? "url" : "url<" + joined(", ") + ">";
    case K::Host:
      return "host";
    case K::List:
      return "list<" +
             (type.element.empty() ? std::string("string") : type_display(type.element[0])) + ">";
    case K::Enum:
      return "enum(" + joined("|") + ")";
    case K::Path:
      return "path";
    case K::Image:
      return "image";
  }
  return "string";
}

std::string type_noun(const model::Type& type) {
  using K = model::TypeKind;
  switch (type.kind) {
    case K::String:
      return "a string";
    case K::Int:
      return "an integer";
    case K::Bool:
      return "a bool";
    case K::Port:
      return "a port";
    case K::Duration:
      return "a duration";
    case K::Memory:
      return "a memory size";
    case K::Cpu:
      return "a cpu count";
    case K::Url:
      return "a url";
    case K::Host:
      return "a host";
    case K::List:
      return "a list";
    case K::Enum:
      return "one of " + backticked_list(type.options);
    case K::Path:
      return "a path";
    case K::Image:
      return "an image repository";
  }
  return "a value";
}

std::optional<Problem> check_text(const model::Type& type, std::string_view text) {
  using K = model::TypeKind;
  switch (type.kind) {
    case K::String:
      return std::nullopt;
    case K::Int:
      if (parse_int(text)) return std::nullopt;
      return problem(Code::InvalidInt, text);
    case K::Port: {
      const auto n = parse_int(text);
      if (n && *n >= 1 && *n <= 65535) return std::nullopt;
      return problem(Code::InvalidPort, text);
    }
    case K::Duration:
      return check_duration(text);
    case K::Memory:
      return check_memory(text);
    case K::Cpu:
      return check_cpu(text);
    case K::Bool:
      return check_bool(text);
    case K::Url:
      return check_url(type, text);
    case K::Host:
      return check_host(text);
    case K::Path:
      if (!text.empty() && text.front() == '/') return std::nullopt;
      return problem(Code::InvalidPath, text, {}, fmt::format("write `/{}`", text));
    case K::Image:
      return check_image(text, false);
    case K::Enum:
      return check_enum(type, text);
    case K::List: {
      if (text.empty() || type.element.empty()) return std::nullopt;
      std::size_t start = 0;
      while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view item = text.substr(start, end - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (auto p = check_text(type.element[0], item)) return p;
        start = end + 1;
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string render(const Problem& p) {
  return fmt::vformat(diag::info(p.code).format, fmt::make_format_args(p.subject, p.detail));
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::size_t i = 0;
  if (!text.empty() && text[0] == '-') i = 1;
  if (i >= text.size() || text.size() - i > 18) return std::nullopt;
  std::int64_t value = 0;
  for (; i < text.size(); ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return text[0] == '-' ? -value : value;
}

std::optional<double> parse_cpu(std::string_view text) {
  // check_cpu's rules, reading the value once.
  if (!pattern::is_decimal(text)) return std::nullopt;
  const double value = decimal_value(text);
  if (value <= 0.0) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_memory_bytes(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == 0 || i > 15) return std::nullopt;
  const std::int64_t amount = *parse_int(text.substr(0, i));
  // The unit, ignoring case: none or `b`, else `k`, `m` or `g` with an optional `b`.
  const std::string_view unit = text.substr(i);
  if (unit.empty()) return amount;
  if (unit.size() > 2 || (unit.size() == 2 && lower(unit[1]) != 'b')) return std::nullopt;
  switch (lower(unit[0])) {
    case 'b':
      if (unit.size() == 1) return amount;
      return std::nullopt;
    case 'k':
      return amount * 1024;
    case 'm':
      return amount * 1024 * 1024;
    case 'g':
      return amount * (1024LL * 1024 * 1024);
    default:
      return std::nullopt;
  }
}

std::optional<double> parse_duration_us(std::string_view text) {
  const auto duration = read_duration(text);
  if (!duration || !duration->known_units) return std::nullopt;
  return duration->us;
}

bool is_ip_address(std::string_view text) {
  // inet_pton reads a C string: copy the text into a buffer that holds the longest address
  // (an IPv6 one with an embedded IPv4 part), rather than into a heap std::string. Host names
  // are checked here too, and most are longer than a std::string holds in place.
  char c_text[INET6_ADDRSTRLEN];
  if (text.size() >= sizeof c_text) return false;
  // An address is hex digits, `:` and `.`; host names, checked here first, mostly are not, and
  // then neither parse needs to run.
  const bool address_chars = std::all_of(text.begin(), text.end(), [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
  });
  if (!address_chars) return false;
  text.copy(c_text, text.size());
  c_text[text.size()] = '\0';
  unsigned char address[16];
  return inet_pton(AF_INET, c_text, address) == 1 || inet_pton(AF_INET6, c_text, address) == 1;
}

bool looks_like_credential(std::string_view text) {
  // Each pattern needs a `:` (`://`), a `=` or a `-` (`-----BEGIN`): one pass over the text
  // settles the many values without any, instead of three searches.
  const bool candidate = std::any_of(text.begin(), text.end(),
                                     [](char c) { return c == ':' || c == '=' || c == '-'; });
  if (!candidate) return false;
  return pattern::has_url_userinfo(text) || pattern::has_password_assignment(text) ||
         text.find("-----BEGIN") != std::string_view::npos;
}

std::optional<Problem> check_tag(std::string_view text) {
  if (pattern::is_image_tag(text)) return std::nullopt;
  return problem(Code::InvalidImage, text, {},
                 "a tag is letters, digits, `_`, `.` and `-`, at most 128 characters");
}

std::optional<Problem> check_image(std::string_view text, bool allow_tag) {
  // The reference grammar of the distribution project (docker/distribution reference.go).
  std::string_view name = text;
  std::optional<std::string_view> tag, digest;
  if (const std::size_t at = name.find('@'); at != std::string_view::npos) {
    digest = name.substr(at + 1);
    name = name.substr(0, at);
  }
  const std::size_t last_slash = name.rfind('/');
  const std::size_t colon = name.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    tag = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  if ((tag || digest) && !allow_tag) {
    return problem(Code::InvalidImage, text, {},
                   "an `image` value is a repository without tag: put the tag in its own variable");
  }
  if (digest && !pattern::is_image_digest(*digest)) {
    return problem(Code::InvalidImage, text, {}, "a digest looks like `sha256:` and 64 hex digits");
  }
  if (tag) {
    if (auto p = check_tag(*tag)) {
      p->subject = std::string(text);
      return p;
    }
  }
  if (name.empty() || name.size() > 255) {
    return problem(Code::InvalidImage, text, {}, "write a repository like `ghcr.io/org/app`");
  }
  // The first component is a registry when it looks like a host: has a `.` or `:`, is
  // `localhost`, or has an uppercase letter (repository paths never do).
  std::string_view path = name;
  std::string_view domain;
  if (const std::size_t slash = name.find('/'); slash != std::string_view::npos) {
    const std::string_view first = name.substr(0, slash);
    if (first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
        std::any_of(first.begin(), first.end(), is_upper_ascii)) {
      domain = first;
      path = name.substr(slash + 1);
    }
  }
  if (!domain.empty() && !pattern::is_registry_host(domain)) {
    return problem(Code::InvalidImage, text, {},
                   fmt::format("`{}` is not a valid registry host", domain));
  }
  std::size_t start = 0;
  while (true) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view component = path.substr(start, end - start);
    if (!pattern::is_repository_component(component)) {
      if (lowered(component) != component) {
        std::string fixed(text.substr(0, static_cast<std::size_t>(path.data() - text.data())));
        fixed += lowered(path);
        fixed += text.substr(fixed.size());
        return problem(Code::InvalidImage, text, {},
                       fmt::format("repositories are lowercase: write `{}`", fixed));
      }
      return problem(Code::InvalidImage, text, {},
                     fmt::format("`{}` is not a valid repository component: use lowercase letters, "
                                 "digits and single `.`, `_`, `__` or `-` separators",
                                 component));
    }
    if (end == path.size()) break;
    start = end + 1;
  }
  return std::nullopt;
}

bool is_valid_project_name(std::string_view name) {
  return pattern::is_project_name(name);
}

std::string normalise_project_name(std::string_view name) {
  // compose-go NormalizeProjectName: lowercase, keep [a-z0-9_-], trim leading `_`/`-`.
  std::string out;
  for (char c : name) {
    const char l = lower(c);
    if ((l >= 'a' && l <= 'z') || is_digit(l) || l == '_' || l == '-') out += l;
  }
  const std::size_t first = out.find_first_not_of("_-");
  return first == std::string::npos ? std::string() : out.substr(first);
}

}  // namespace deployc::sema
