// `.env` files read the way Docker Compose reads them (compose-go's dotenv parser), so that
// `deployc env-check` sees exactly the values `docker compose --env-file` would. Pure function
// over text: no file system, no process environment.
//
//   KEY=value            unquoted: up to the end of the line; ` #` (a space, then `#`) starts a
//                        comment; trailing whitespace is dropped; `$VAR`/`${VAR…}` interpolated
//   export KEY=value     `export ` is ignored;  `KEY: value` is the same as `KEY=value`
//   KEY='value'          single quotes: literal (only `\'` is unescaped); may span lines
//   KEY="value"          double quotes: escapes `\n \t \r \\ \" \$ …`, then interpolation
//   KEY=                 set, empty;   KEY (no `=`): inherited from the shell, unset here
//   # comment            a `#` where a statement starts comments out the rest of the line
//
// Interpolation resolves a name from the keys set earlier in the same file (the process
// environment is deliberately not consulted); an unknown name is empty. `$$` is a literal `$`.
// Compose stops at the first error and so does this parser.
//
// One deliberate difference: a bare `KEY` on the last line without a newline is read as an
// inherited key (compose-go would store it under an empty name).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deployc::driver::dotenv {

struct Entry {
  std::string key;
  /// The value after unquoting, unescaping and interpolation; nullopt for a bare `KEY`.
  std::optional<std::string> value;
  std::uint32_t key_begin = 0, key_end = 0;  ///< byte offsets of the key in the text
  /// The value as written: inside the quotes when quoted (empty range when bare or empty).
  std::uint32_t value_begin = 0, value_end = 0;
  char quote = 0;  ///< `'`, `"` or 0
  /// The names the value interpolates (`$A`, `${B:-x}`), in order, repeats kept.
  std::vector<std::string> references;
};

struct Error {
  std::uint32_t begin = 0, end = 0;  ///< what the message is about
  std::string message;               ///< lowercase, no value quoted (it may be a secret)
  /// Bytes from here to the end of the line may belong to a value: hide them when showing it.
  std::optional<std::uint32_t> value_from;
};

struct File {
  std::vector<Entry> entries;  ///< in file order; a key may repeat (the last one wins)
  std::optional<Error> error;  ///< the first error; entries holds what came before it
};

File parse(std::string_view text);

/// `text` with every byte of [begin, end) except line breaks replaced by `*`: the same length
/// and line structure, so spans into the original stay valid.
void mask(std::string& text, std::uint32_t begin, std::uint32_t end);

}  // namespace deployc::driver::dotenv
