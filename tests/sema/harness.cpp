#include "harness.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/overloaded.hpp"
#include "syntax/parse.hpp"

namespace deployc::testing {

namespace {

std::string where(const SourceManager& sources, const Span& span) {
  const LineCol lc = sources.line_col(span.file, span.begin);
  return fmt::format("{}:{}", lc.line, lc.column);
}

}  // namespace

std::string Analysis::rendered() const {
  std::string out;
  for (const auto& d : diagnostics) {
    const auto& info = diag::info(d.code);
    const std::string at = d.primary() ? where(*sources, d.primary()->span) : std::string("-");
    out += fmt::format("{} {} {}\n", info.id, at, d.message);
  }
  return out;
}

std::string Analysis::rendered_in_full() const {
  std::string out;
  for (const auto& d : diagnostics) {
    const auto& info = diag::info(d.code);
    const std::string at = d.primary() ? where(*sources, d.primary()->span) : std::string("-");
    out += fmt::format("{} {} {}\n", info.id, at, d.message);
    for (std::size_t i = 1; i < d.labels.size(); ++i) {
      out += fmt::format("  label {} {}\n", where(*sources, d.labels[i].span), d.labels[i].text);
    }
    for (const auto& n : d.notes) out += fmt::format("  note: {}\n", n);
    if (d.help) out += fmt::format("  help: {}\n", *d.help);
  }
  return out;
}

int Analysis::env_index(const std::string& name) const {
  for (std::size_t i = 0; i < model.env.size(); ++i) {
    if (model.env[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const model::EnvVar& Analysis::var(const std::string& name) const {
  const int i = env_index(name);
  if (i < 0) throw std::runtime_error("no env var " + name);
  return model.env[static_cast<std::size_t>(i)];
}

const model::Service& Analysis::service(const std::string& name) const {
  for (const auto& s : model.services) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("no service " + name);
}

Analysis analyze_text(const std::string& text, const std::vector<sema::Define>& defines) {
  Analysis a;
  a.sources = std::make_unique<SourceManager>();
  const FileId id = a.sources->add("spec.deploy", text);
  // The production warnings (no limits, health check or log rotation) would fire on nearly
  // every focused snippet here; they have their own cases in tests/diagnostics.
  diag::WarningPolicy policy;
  policy.silenced = {diag::Code::MissingLimits, diag::Code::MissingHealthcheck,
                     diag::Code::LogsNotRotated};
  diag::DiagnosticEngine diags(policy);
  std::vector<ast::File> files;
  files.push_back(syntax::parse(*a.sources, id, diags));
  a.parse_errors = diags.has_errors();
  sema::Options options;
  options.defines = defines;
  a.model = sema::analyze(files, *a.sources, options, diags);
  a.diagnostics = diags.sorted();
  return a;
}

Analysis analyze_snippet(const std::string& body, const std::vector<sema::Define>& defines) {
  std::string text = body;
  if (!text.empty() && text.back() != '\n') text += '\n';
  text += "project \"p\"\n";
  return analyze_text(text, defines);
}

std::vector<std::string_view> lines(model::Lines of) {
  return {of.begin(), of.end()};
}

std::string show(const model::Deployment& d, const model::Template& t) {
  std::string out;
  for (const auto& piece : t.pieces()) {
    std::visit(
        overloaded{[&](const std::string& s) { out += s; },
                   [&](const model::VarRef& r) { out += "${" + std::string(d.env.at(r.var).name) + "}"; }},
        piece);
  }
  return out;
}

std::string read_example() {
  std::ifstream in(std::string(DEPLOYC_SOURCE_DIR) + "/examples/acme-shop/app.deploy");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace deployc::testing
