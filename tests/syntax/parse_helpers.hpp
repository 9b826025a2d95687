// Shared helpers of the syntax tests: parse a text or a file, find statements, read
// diagnostics as (code, line, column).
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "diag/engine.hpp"
#include "source/source_manager.hpp"
#include "syntax/ast.hpp"
#include "syntax/parse.hpp"

namespace deployc::test {

struct Parsed {
  SourceManager sources;
  FileId id;
  diag::DiagnosticEngine diags;
  ast::File file;

  /// (id, line, column) of every diagnostic, in source order.
  struct Located {
    std::string code;
    std::uint32_t line;
    std::uint32_t column;
    std::string message;
  };
  std::vector<Located> located() const {
    std::vector<Located> out;
    for (const diag::Diagnostic& d : diags.sorted()) {
      LineCol lc;
      if (const diag::Label* p = d.primary()) lc = sources.line_col(id, p->span.begin);
      out.push_back({std::string(diag::info(d.code).id), lc.line, lc.column, d.message});
    }
    return out;
  }
};

inline std::unique_ptr<Parsed> parse_text(std::string text, std::string name = "test.deploy") {
  auto p = std::make_unique<Parsed>();
  p->id = p->sources.add(std::move(name), std::move(text));
  p->file = syntax::parse(p->sources, p->id, p->diags);
  return p;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::unique_ptr<Parsed> parse_example(const std::string& relative) {
  return parse_text(read_file(std::string(DEPLOYC_SOURCE_DIR) + "/" + relative), relative);
}

template <typename Node>
const Node* as(const ast::Stmt& s) {
  return std::get_if<Node>(&s.node);
}

/// The first statement of kind Node whose name (keyword for settings) is `name`.
template <typename Node>
const ast::Stmt* find(std::span<const ast::Stmt> stmts, const std::string& name) {
  for (const ast::Stmt& s : stmts) {
    const Node* n = as<Node>(s);
    if (!n) continue;
    if constexpr (std::is_same_v<Node, ast::Setting>) {
      if (n->keyword.text() == name) return &s;
    } else if constexpr (std::is_same_v<Node, ast::When>) {
      if (n->flag.text() == name) return &s;
    } else {
      if (n->name.text() == name) return &s;
    }
  }
  return nullptr;
}

}  // namespace deployc::test
