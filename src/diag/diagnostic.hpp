// Diagnostics are values: produced by every stage, collected by a DiagnosticEngine, rendered by
// the driver. Nothing here prints or throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "source/span.hpp"

namespace deployc::diag {

enum class Severity : std::uint8_t { Error, Warning };

/// One enumerator per line of codes.def, in file order.
enum class Code : std::uint16_t {
#define DEPLOYC_DIAG(name, id, severity, format) name,
#include "diag/codes.def"
#undef DEPLOYC_DIAG
};

/// Static facts about a code, straight from codes.def.
struct CodeInfo {
  Code code;
  std::string_view name;    ///< "UnknownSetting"
  std::string_view id;      ///< "D0201"
  Severity severity;        ///< default severity (before -Werror / -Wno-…)
  std::string_view format;  ///< fmt format string of the message
};

/// Every registered code, in codes.def order.
const std::vector<CodeInfo>& all_codes();
const CodeInfo& info(Code code);
/// A message format with each `{…}` argument shown as `…` ("`{0}` has no `image`" → "`…` has
/// no `image`"): how explanations, SARIF rules and notes quote a code's message.
std::string message_shape(std::string_view format);
/// Looks a code up by its id ("D0201"); nullopt when there is none.
std::optional<Code> code_from_id(std::string_view id);

struct Label {
  Span span;
  std::string text;  ///< may be empty: then only the caret is shown
  bool primary = false;
};

struct Diagnostic {
  Code code;
  Severity severity;
  std::string message;
  std::vector<Label> labels;  ///< labels[0] is the primary one; may be empty for file-less errors
  std::vector<std::string> notes;
  std::optional<std::string> help;

  const Label* primary() const { return labels.empty() ? nullptr : &labels.front(); }
};

}  // namespace deployc::diag
