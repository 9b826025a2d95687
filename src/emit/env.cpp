// The env example in the layout of the hand-written one: a comment header, then per section a
// banner, then blocks separated by blank lines, each `KEY=value` under its comment lines.
#include <span>
#include <string>

#include "emit/emit.hpp"
#include "emit/scalar.hpp"

namespace deployc::emit {
namespace {

constexpr std::string_view kBanner =
    "# =============================================================================\n";

/// The output's size when no value needs quotes, which is nearly always: the text is allocated
/// once instead of regrown (and copied) a dozen times on a large stack.
std::size_t estimate(const lower::EnvDocument& document) {
  const auto comments = [](const auto& lines) {  // std::string header lines, views of doc lines
    std::size_t size = 0;
    for (const auto& line : lines) size += line.size() + 3;  // `# ` and the newline
    return size;
  };
  std::size_t total = comments(document.header);
  for (const auto& section : document.sections) {
    total += 1 + 2 * kBanner.size() + section.title.size() + 3;
    for (const auto& block : section.blocks) {
      total += 1 + comments(block.heading);
      for (const auto& entry : block.entries) {
        total += comments(entry.doc) + entry.key.size() + 1 + entry.value.size() + 1;
      }
    }
  }
  return total;
}

}  // namespace

std::string env(const lower::EnvDocument& document) {
  std::string out;
  out.reserve(estimate(document));
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
