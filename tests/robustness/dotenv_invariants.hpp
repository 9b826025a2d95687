// What the `.env` parser of `deployc env-check` (driver/dotenv.hpp) must guarantee for any
// text: no exception, every offset it returns inside the text, the same result twice, and a
// mask that keeps the length and the line breaks. Shared by the robustness test and the
// fuzz_dotenv target.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "driver/dotenv.hpp"

namespace deployc::testing {

inline std::string describe(const driver::dotenv::File& file) {
  std::string out;
  for (const auto& e : file.entries) {
    out += e.key + '=' + (e.value ? *e.value : std::string("<unset>")) + ' ' +
           std::to_string(e.key_begin) + ',' + std::to_string(e.key_end) + ',' +
           std::to_string(e.value_begin) + ',' + std::to_string(e.value_end) + ',' +
           std::to_string(static_cast<int>(e.quote)) + '\n';
  }
  if (file.error) {
    out += "error " + file.error->message + ' ' + std::to_string(file.error->begin) + ',' +
           std::to_string(file.error->end) + '\n';
  }
  return out;
}

/// Parses `text` twice and checks the invariants above; a description of the first broken one.
inline std::optional<std::string> check_dotenv(std::string_view text) {
  namespace dotenv = driver::dotenv;
  const std::size_t size = text.size();
  auto inside = [&](std::uint32_t begin, std::uint32_t end) { return begin <= end && end <= size; };
  try {
    const dotenv::File file = dotenv::parse(text);
    for (const dotenv::Entry& e : file.entries) {
      if (!inside(e.key_begin, e.key_end)) return "key span outside the text: " + e.key;
      if (!inside(e.value_begin, e.value_end)) return "value span outside the text: " + e.key;
    }
    if (file.error) {
      if (!inside(file.error->begin, file.error->end)) return std::string("error span outside");
      if (file.error->message.empty()) return std::string("error without a message");
      if (file.error->value_from && *file.error->value_from > size) {
        return std::string("value_from past the end");
      }
    }
    if (describe(file) != describe(dotenv::parse(text))) return std::string("two parses differ");
    for (const dotenv::Entry& e : file.entries) {
      std::string masked(text);
      dotenv::mask(masked, e.value_begin, e.value_end);
      if (masked.size() != size) return std::string("mask changed the length");
      for (std::size_t i = 0; i < size; ++i) {
        if ((text[i] == '\n') != (masked[i] == '\n')) return std::string("mask moved a line break");
      }
    }
  } catch (const std::exception& e) {
    return std::string("exception escaped dotenv::parse: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace deployc::testing
