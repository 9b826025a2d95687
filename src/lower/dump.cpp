// `deployc dump --stage doc`: the output documents as an indented, typed tree. Strings are
// JSON-escaped so the dump shows exactly which text lowering produced, before any YAML or .env
// quoting.
#include <string_view>

#include <fmt/format.h>

#include "lower/lower.hpp"
#include "support/overloaded.hpp"
#include "support/utf8.hpp"

namespace deployc::lower {
namespace {

void quoted(std::string& out, std::string_view text) {
  out += json_quote(text);
}

void indent(std::string& out, std::size_t depth) {
  out.append(depth * 2, ' ');
}

void node(std::string& out, const Node& n, std::size_t depth) {
  const char* flow = n.style == Node::Style::Flow ? " flow" : "";
  std::visit(overloaded{
                 [&](Null) { out += "null\n"; },
                 [&](bool b) { out += b ? "bool true\n" : "bool false\n"; },
                 [&](std::int64_t i) { out += fmt::format("int {}\n", i); },
                 [&](std::string_view s) {
                   out += "str ";
                   quoted(out, s);
                   out += '\n';
                 },
                 [&](const Seq& seq) {
                   out += fmt::format("seq{} ({})\n", flow, seq.size());
                   for (const auto& item : seq) {
                     indent(out, depth + 1);
                     out += "- ";
                     node(out, item, depth + 1);
                   }
                 },
                 [&](const Map& map) {
                   out += fmt::format("map{} ({})\n", flow, map.size());
                   for (const auto& [key, value] : map) {
                     indent(out, depth + 1);
                     quoted(out, key);
                     out += ": ";
                     node(out, value, depth + 1);
                   }
                 },
             },
             n.value);
}

void yaml_document(std::string& out, std::string_view name, const YamlDocument& doc) {
  out += fmt::format("yaml {}\n", name);
  for (const auto& line : doc.header) {
    out += "  # ";
    quoted(out, line);
    out += '\n';
  }
  out += "  root: ";
  node(out, Node{doc.root}, 1);
}

}  // namespace

std::string dump(const Outputs& outputs) {
  std::string out;
  yaml_document(out, "compose", outputs.compose);
  if (outputs.build) yaml_document(out, "build", *outputs.build);
  out += "env\n";
  for (const auto& line : outputs.env.header) {
    out += "  # ";
    quoted(out, line);
    out += '\n';
  }
  for (const auto& section : outputs.env.sections) {
    out += "  section ";
    quoted(out, section.title);
    out += '\n';
    for (const auto& block : section.blocks) {
      out += "    block\n";
      for (const auto& line : block.heading) {
        out += "      # ";
        quoted(out, line);
        out += '\n';
      }
      for (const auto& entry : block.entries) {
        for (const auto& line : entry.doc) {
          out += "      ## ";
          quoted(out, line);
          out += '\n';
        }
        out += "      ";
        out += entry.key;
        out += " = ";
        quoted(out, entry.value);
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace deployc::lower
