// Block-style YAML in the layout of hand-written Compose files: 2-space indentation, sequences
// indented under their key, `- key: value` for maps inside sequences, flow style only where the
// document asks for it. One pass, appending to one string.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "emit/emit.hpp"
#include "emit/scalar.hpp"

namespace deployc::emit {
namespace {

using lower::Map;
using lower::Node;
using lower::Null;
using lower::Seq;

/// YAML limits implicit keys to 1024 characters; longer keys use the explicit `? key` form.
constexpr std::size_t kMaxImplicitKey = 1000;

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void comment(std::string_view text) { append_comment(out_, text); }

  /// Entries at `indent`; the first one continues the current line when `inline_first`
  /// (after `- ` of a sequence item). Blank lines separate top-level entries and the block maps
  /// directly under them (each service, network, …), as in hand-written Compose files.
  void map(const Map& map, std::size_t indent, bool inline_first, int depth) {
    bool first = true;
    for (const auto& [key, value] : map) {
      if (!first && !inline_first &&
          (depth == 0 || (depth == 1 && is_block_collection(value) &&
                          std::holds_alternative<Map>(value.value)))) {
        out_ += '\n';
      }
      if (!(first && inline_first)) out_.append(indent, ' ');
      first = false;
      const std::size_t key_start = out_.size();
      append_yaml_scalar(out_, key);
      if (out_.size() - key_start > kMaxImplicitKey) {
        out_.insert(key_start, "? ");
        out_ += '\n';
        out_.append(indent, ' ');
      }
      out_ += ':';
      value_after_key(value, indent, key == "ports", depth);
    }
  }

  void seq(const Seq& seq, std::size_t indent, bool inline_first, bool quote_strings) {
    bool first = true;
    for (const auto& item : seq) {
      if (!(first && inline_first)) out_.append(indent, ' ');
      first = false;
      out_ += "- ";
      if (is_block_collection(item)) {
        if (const auto* m = std::get_if<Map>(&item.value)) {
          map(*m, indent + 2, true, 2);
        } else {
          this->seq(std::get<Seq>(item.value), indent + 2, true, false);
        }
      } else {
        inline_value(item, quote_strings);
        out_ += '\n';
      }
    }
  }

 private:
  static bool is_block_collection(const Node& node) {
    if (node.style == Node::Style::Flow) return false;
    if (const auto* m = std::get_if<Map>(&node.value)) return !m->empty();
    if (const auto* s = std::get_if<Seq>(&node.value)) return !s->empty();
    return false;
  }

  // Short-syntax ports are always quoted, as Compose linters expect (`"8000:8000"` would be a
  // base-60 number in YAML 1.1 anyway).
  void value_after_key(const Node& value, std::size_t indent, bool ports, int depth) {
    if (!is_block_collection(value)) {
      out_ += ' ';
      inline_value(value, false);
      out_ += '\n';
      return;
    }
    out_ += '\n';
    if (const auto* m = std::get_if<Map>(&value.value)) {
      map(*m, indent + 2, false, depth + 1);
    } else {
      seq(std::get<Seq>(value.value), indent + 2, false, ports);
    }
  }

  /// A scalar, an empty collection or a flow collection, on the current line.
  void inline_value(const Node& node, bool quote_strings) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Null>) {
            out_ += "null";
          } else if constexpr (std::is_same_v<T, bool>) {
            out_ += v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            char buffer[24];
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
            out_.append(buffer, result.ptr);
          } else if constexpr (std::is_same_v<T, std::string_view>) {
            if (quote_strings) {
              append_yaml_double_quoted(out_, v);
            } else {
              append_yaml_scalar(out_, v);
            }
          } else if constexpr (std::is_same_v<T, Seq>) {
            out_ += '[';
            for (std::size_t i = 0; i < v.size(); ++i) {
              if (i != 0) out_ += ", ";
              inline_value(v[i], true);
            }
            out_ += ']';
          } else {
            out_ += '{';
            for (std::size_t i = 0; i < v.size(); ++i) {
              if (i != 0) out_ += ", ";
              append_yaml_double_quoted(out_, v[i].first);
              out_ += ": ";
              inline_value(v[i].second, true);
            }
            out_ += '}';
          }
        },
        node.value);
  }

  std::string& out_;
};

/// An upper-bound guess of the output size: one allocation instead of repeated regrowth,
/// which costs more than this walk.
std::size_t estimate(const Node& node);

std::size_t estimate(const Map& map) {
  std::size_t total = 0;
  for (const auto& [key, value] : map) total += key.size() + 8 + estimate(value);
  return total;
}

std::size_t estimate(const Node& node) {
  if (const auto* s = std::get_if<std::string_view>(&node.value)) return s->size() + 4;
  if (const auto* m = std::get_if<Map>(&node.value)) return estimate(*m) + 8;
  if (const auto* q = std::get_if<Seq>(&node.value)) {
    std::size_t total = 8;
    for (const auto& item : *q) total += estimate(item) + 8;
    return total;
  }
  return 8;
}

}  // namespace

std::string yaml(const lower::YamlDocument& document) {
  std::string out;
  out.reserve(estimate(document.root) * 2 + 80 * document.header.size() + 64);
  Writer writer(out);
  for (const auto& line : document.header) writer.comment(line);
  if (!document.header.empty()) out += '\n';
  if (document.root.empty()) {
    out += "{}\n";
  } else {
    writer.map(document.root, 0, false, 0);
  }
  return out;
}

}  // namespace deployc::emit
