// The env example in the layout of the hand-written one: a comment header, then per section a
// banner, then blocks separated by blank lines, each `KEY=value` under its comment lines.
#include <string>

#include "emit/emit.hpp"
#include "emit/scalar.hpp"

namespace deployc::emit {
namespace {

constexpr std::string_view kBanner =
    "# =============================================================================\n";

}  // namespace

std::string env(const lower::EnvDocument& document) {
  std::string out;
  out.reserve(4096);
  for (const auto& line : document.header) append_comment(out, line);
  bool need_blank = !document.header.empty();
  const auto separate = [&] {
    if (need_blank) out += '\n';
    need_blank = true;
  };
  for (const auto& section : document.sections) {
    separate();
    out += kBanner;
    append_comment(out, section.title);
    out += kBanner;
    for (const auto& block : section.blocks) {
      separate();
      for (const auto& line : block.heading) append_comment(out, line);
      for (const auto& entry : block.entries) {
        for (const auto& line : entry.doc) append_comment(out, line);
        out += entry.key;
        out += '=';
        append_env_value(out, entry.value);
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace deployc::emit
