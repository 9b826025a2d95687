#include "stdlib_harness.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "syntax/parse.hpp"

namespace deployc::testing {

const std::vector<std::string>& stdlib_modules() {
  static const std::vector<std::string> modules{"logging",   "restart", "sizing",  "health",
                                                "hardening", "env",     "services"};
  return modules;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string Compiled::rendered() const {
  return render(false);
}

std::string Compiled::rendered_all() const {
  return render(true);
}

std::string Compiled::render(bool warnings) const {
  std::string out;
  for (const auto& d : diagnostics) {
    if (!warnings && d.severity == diag::Severity::Warning) continue;
    std::string at = "-";
    if (const auto* p = d.primary()) {
      const LineCol lc = sources->line_col(p->span.file, p->span.begin);
      at = fmt::format("{}:{}:{}", sources->name(p->span.file), lc.line, lc.column);
    }
    out += fmt::format("{} {} {}\n", diag::info(d.code).id, at, d.message);
    for (std::size_t i = 1; i < d.labels.size(); ++i) {
      const LineCol lc = sources->line_col(d.labels[i].span.file, d.labels[i].span.begin);
      out += fmt::format("  label {}:{}:{} {}\n", sources->name(d.labels[i].span.file), lc.line,
                         lc.column, d.labels[i].text);
    }
    if (d.help) out += fmt::format("  help: {}\n", *d.help);
  }
  return out;
}

Compiled compile_with_modules(const std::string& root_name, const std::string& root,
                              const std::vector<std::string>& modules,
                              const std::vector<sema::Define>& defines,
                              const std::string& spec_name) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& module : modules) {
    const std::string path = "stdlib/" + module + ".deploy";
    files.emplace_back(path, read_text(std::string(DEPLOYC_SOURCE_DIR) + "/" + path));
  }
  files.emplace_back(root_name, root);
  return compile_sources(files, defines, spec_name);
}

Compiled compile_sources(const std::vector<std::pair<std::string, std::string>>& inputs,
                         const std::vector<sema::Define>& defines, const std::string& spec_name) {
  Compiled c;
  c.sources = std::make_unique<SourceManager>();
  diag::DiagnosticEngine diags;
  std::vector<ast::File> files;
  for (const auto& [name, text] : inputs) {
    const FileId id = c.sources->add(name, text);
    files.push_back(syntax::parse(*c.sources, id, diags));
  }
  sema::Options options;
  options.defines = defines;
  c.model = sema::analyze(files, *c.sources, options, diags);
  c.diagnostics = diags.sorted();
  if (!diags.has_errors()) {
    lower::Options lower_options;
    lower_options.spec_name = spec_name;
    for (const auto& d : defines) lower_options.define_args.push_back(d.name + "=" + d.value);
    const lower::Outputs outputs = lower::lower(c.model, lower_options);
    c.compose = emit::yaml(outputs.compose);
    c.env = emit::env(outputs.env);
    if (outputs.build) c.build = emit::yaml(*outputs.build);
    c.ok = true;
  }
  return c;
}

std::string compare_golden(const std::string& path, const std::string& actual) {
  const std::string full = std::string(DEPLOYC_SOURCE_DIR) + "/" + path;
  const char* bless = std::getenv("DEPLOYC_BLESS");
  if (bless && std::string(bless) == "1") {
    write_text(full, actual);
    return {};
  }
  std::ifstream probe(full);
  if (!probe) return fmt::format("missing golden {} (run with DEPLOYC_BLESS=1)", path);
  const std::string expected = read_text(full);
  if (expected == actual) return {};
  return fmt::format("{} differs:\n--- expected\n{}\n--- actual\n{}", path, expected, actual);
}

}  // namespace deployc::testing
