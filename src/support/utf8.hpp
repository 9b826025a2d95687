// UTF-8 and JSON text helpers shared by the parser, the diagnostics renderers and the dumps.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace deployc {

/// Length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, no surrogates,
/// nothing above U+10FFFF), or 0 when there is none.
std::size_t utf8_length(std::string_view text, std::size_t i);

/// `text` as a JSON string literal, quotes included. Invalid UTF-8 becomes U+FFFD, so the result
/// is always valid JSON whatever bytes a spec holds.
std::string json_quote(std::string_view text);

}  // namespace deployc
