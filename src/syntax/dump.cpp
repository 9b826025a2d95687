// The AST as indented text, for tests and `deployc dump --stage ast`. Output depends only on
// the tree and the source positions, never on addresses or container iteration order.

#include <fmt/format.h>

#include <string>
#include <variant>

#include "support/overloaded.hpp"
#include "support/utf8.hpp"
#include "syntax/parse.hpp"

namespace deployc::syntax {

namespace {

class Dumper {
 public:
  explicit Dumper(const SourceManager& sources) : sources_(sources) {}

  std::string run(const ast::File& file) {
    out_ += fmt::format("File {}\n", sources_.name(file.file));
    for (const ast::Stmt& s : file.stmts) stmt(1, s);
    for (const ast::Comment& c : file.comments) {
      line(1,
           fmt::format("{} {} {}", c.is_doc ? "DocComment" : "Comment", quote(c.text), at(c.span)));
    }
    return std::move(out_);
  }

 private:
  void line(int depth, const std::string& text) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  std::string at(const Span& span) const {
    const LineCol b = sources_.line_col(span.file, span.begin);
    const LineCol e = sources_.line_col(span.file, span.end);
    return fmt::format("@{}:{}-{}:{}", b.line, b.column, e.line, e.column);
  }

  static std::string quote(std::string_view text) { return json_quote(text); }

  static std::string string_text(const ast::String& s) {
    std::string out = "\"";
    for (const auto& part : s.parts) {
      std::visit(
          overloaded{
              [&](std::string_view lit) {
                // JSON escapes, and braces doubled as the language writes them.
                const std::string quoted = json_quote(lit);
                for (const char c : std::string_view(quoted).substr(1, quoted.size() - 2)) {
                  if (c == '{' || c == '}') out += c;
                  out += c;
                }
              },
              [&](const ast::Substitution& sub) { out += fmt::format("{{{}}}", sub.name.text()); }},
          part);
    }
    return out + "\"";
  }

  static std::string value_text(const ast::Value& v) {
    return std::visit(overloaded{[](const ast::String& s) { return string_text(s); },
                                 [](const ast::Number& n) { return std::string(n.text); },
                                 [](const ast::Ident& i) { return std::string(i.text()); },
                                 [](const ast::List& l) {
                                   std::string out = "[";
                                   for (std::size_t i = 0; i < l.items.size(); ++i) {
                                     if (i > 0) out += ", ";
                                     out += value_text(l.items[i]);
                                   }
                                   return out + "]";
                                 }},
                      v.node);
  }

  static std::string type_text(const ast::TypeExpr& t) {
    if (t.args.empty()) return std::string(t.name.text());
    const bool is_enum = t.name.text() == "enum";
    std::string out = std::string(t.name.text()) + (is_enum ? "(" : "<");
    for (std::size_t i = 0; i < t.args.size(); ++i) {
      if (i > 0) out += is_enum ? "|" : ", ";
      out += type_text(t.args[i]);
    }
    return out + (is_enum ? ")" : ">");
  }

  void value(int depth, const char* role, const ast::Value& v) {
    line(depth, fmt::format("{} {} {}", role, value_text(v), at(v.span())));
  }

  void args(int depth, std::span<const ast::Arg> list) {
    for (const ast::Arg& a : list) {
      line(depth,
           fmt::format("arg {}{} {}", a.key ? fmt::format("{}=", a.key->text()) : std::string(),
                       value_text(a.value), at(a.span())));
    }
  }

  void block(int depth, const ast::Block& b) {
    line(depth, fmt::format("block {}", at(b.span)));
    for (const ast::Stmt& s : b.stmts) stmt(depth + 1, s);
  }

  void stmt(int depth, const ast::Stmt& s) {
    const int inner = depth + 1;
    std::visit(
        overloaded{
            [&](const ast::Import& n) {
              line(depth, fmt::format("Import {} {}", string_text(n.path), at(s.span)));
              doc(inner, s);
            },
            [&](const ast::Param& n) {
              line(depth,
                   fmt::format("Param {}: {} {}", n.name.text(), type_text(*n.type), at(s.span)));
              doc(inner, s);
              if (n.default_value) value(inner, "default", *n.default_value);
            },
            [&](const ast::Flag& n) {
              line(depth, fmt::format("Flag {} {}", n.name.text(), at(s.span)));
              doc(inner, s);
              if (n.default_value) value(inner, "default", *n.default_value);
            },
            [&](const ast::EnvDecl& n) {
              line(depth,
                   fmt::format("EnvDecl {}: {} {}", n.name.text(), type_text(*n.type), at(s.span)));
              doc(inner, s);
              if (n.default_value) value(inner, "default", *n.default_value);
              args(inner, n.args);
              if (n.body) block(inner, *n.body);
            },
            [&](const ast::When& n) {
              line(depth,
                   fmt::format("When {}{} {}", n.negated ? "!" : "", n.flag.text(), at(s.span)));
              doc(inner, s);
              block(inner, n.body);
            },
            [&](const ast::Setting& n) {
              line(depth, fmt::format("Setting {} {}", n.keyword.text(), at(s.span)));
              doc(inner, s);
              if (n.assigned) value(inner, "=", *n.assigned);
              args(inner, n.args);
              if (n.body) block(inner, *n.body);
            },
        },
        s.node);
  }

  void doc(int depth, const ast::Stmt& s) {
    for (const ast::Comment& c : s.doc) line(depth, fmt::format("doc {}", quote(c.text)));
  }

  const SourceManager& sources_;
  std::string out_;
};

}  // namespace

std::string dump(const ast::File& file, const SourceManager& sources) {
  return Dumper(sources).run(file);
}

}  // namespace deployc::syntax
