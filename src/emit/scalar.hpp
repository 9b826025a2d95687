// Quoting rules shared by the emitters and their tests. A YAML scalar is written plain only when
// every YAML 1.1 and 1.2 reader (PyYAML, yaml-cpp, Compose's go-yaml) reads it back as the same
// string; everything else is double-quoted. An env value is written so that Compose's dotenv
// parser (compose-go) reads back exactly the value, with no interpolation.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace deployc::emit {

/// True when `text` may be written as a plain (unquoted) YAML scalar in block context.
bool yaml_plain_safe(std::string_view text);

/// Appends `text` as a YAML double-quoted scalar. Invalid UTF-8 bytes become U+FFFD.
void append_yaml_double_quoted(std::string& out, std::string_view text);

/// Appends `text` plain when safe, else double-quoted.
void append_yaml_scalar(std::string& out, std::string_view text);

/// The most bytes a YAML scalar of `text_size` bytes takes, plain or double-quoted: an escape
/// is at most four bytes per byte it replaces (`\x85` for the two bytes of U+0085, `\x07` for
/// one), and the quotes add two.
constexpr std::size_t yaml_scalar_max_size(std::size_t text_size) {
  return 4 * text_size + 2;
}

/// The writers under the two above, for an emitter that manages its own buffer: they write to
/// `out`, which has room for yaml_scalar_max_size(text.size()) bytes, and return the end of
/// what they wrote.
char* write_yaml_double_quoted(char* out, std::string_view text);
char* write_yaml_scalar(char* out, std::string_view text);

/// Appends the right-hand side of `KEY=value` so that compose-go reads back exactly `text`:
/// bare when safe, single-quoted (literal) when possible, else double-quoted with escapes.
void append_env_value(std::string& out, std::string_view text);

/// Appends `text` as `# text` comment lines (`#` alone for an empty line); a newline in `text`
/// starts another comment line, so no text can escape the comment.
void append_comment(std::string& out, std::string_view text);

}  // namespace deployc::emit
