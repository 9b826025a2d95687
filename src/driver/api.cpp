// The public library API (include/deployc/deployc.hpp) over driver::compile_*: converts the
// internal value types to the public ones, so no internal header reaches an embedding program.
#include <deployc/deployc.hpp>

#include <exception>
#include <utility>

#include "diag/render.hpp"
#include "driver/compile.hpp"
#include "driver/version.hpp"
#include "lower/document.hpp"

namespace deployc {

namespace {

driver::CompileOptions internal_options(const Options& options) {
  driver::CompileOptions internal;
  for (const Define& d : options.defines) internal.defines.push_back({d.name, d.value});
  internal.warnings.warnings_as_errors = options.warnings_as_errors;
  for (const std::string& id : options.silenced) {
    const std::optional<diag::Code> code = diag::code_from_id(id);
    if (code && diag::info(*code).severity == diag::Severity::Warning) {
      internal.warnings.silenced.insert(*code);
    }
  }
  internal.spec_name_in_header = options.spec_name_in_header;
  internal.stdlib_dir = options.stdlib_dir;
  internal.docs = options.docs;
  return internal;
}

Position position(const SourceManager& sources, FileId file, std::uint32_t offset) {
  const std::uint32_t size = static_cast<std::uint32_t>(sources.text(file).size());
  const LineCol lc = sources.line_col(file, offset < size ? offset : size);
  return {lc.line, lc.column};
}

Label public_label(const diag::Label& label, const SourceManager& sources, bool primary) {
  Label out;
  out.file = std::string(sources.name(label.span.file));
  out.begin = position(sources, label.span.file, label.span.begin);
  out.end = position(sources, label.span.file,
                     label.span.end > label.span.begin ? label.span.end : label.span.begin);
  out.text = label.text;
  out.primary = primary;
  return out;
}

Diagnostic public_diagnostic(const diag::Diagnostic& d, const SourceManager& sources, bool color) {
  Diagnostic out;
  out.code = std::string(diag::info(d.code).id);
  out.severity = d.severity == diag::Severity::Error ? Severity::Error : Severity::Warning;
  out.message = d.message;
  for (const diag::Label& label : d.labels) {
    if (label.span.file.index >= sources.file_count()) continue;
    out.labels.push_back(public_label(label, sources, &label == d.primary() || label.primary));
  }
  if (!out.labels.empty() && out.labels.front().primary) {
    out.file = out.labels.front().file;
    out.begin = out.labels.front().begin;
    out.end = out.labels.front().end;
  }
  out.notes = d.notes;
  out.help = d.help;
  out.rendered = diag::render_diagnostic(d, sources, color);
  return out;
}

Result public_result(const driver::CompileResult& internal, const Options& options) {
  Result result;
  result.ok = internal.ok();
  if (internal.ok()) {
    const driver::CompiledFiles& files = *internal.files;
    result.outputs.push_back({std::string(lower::kComposeFile), files.compose});
    result.outputs.push_back({std::string(lower::kEnvExample), files.env_example});
    if (files.build) result.outputs.push_back({std::string(lower::kBuildFile), *files.build});
    if (files.docs) result.outputs.push_back({"DEPLOYMENT.md", *files.docs});
  }
  for (const diag::Diagnostic& d : internal.diagnostics) {
    result.diagnostics.push_back(public_diagnostic(d, internal.sources, options.color));
    if (d.severity == diag::Severity::Error) {
      ++result.errors;
    } else {
      ++result.warnings;
    }
  }
  result.inputs = internal.inputs;
  diag::TextOptions text;
  text.color = options.color;
  text.max_errors = 0;
  result.rendered = diag::render_text(internal.diagnostics, internal.sources, text);
  return result;
}

/// The library boundary: whatever goes wrong inside becomes a diagnostic, never an exception.
template <typename Compile>
Result guarded(const Options& options, Compile&& compile) {
  try {
    return public_result(compile(internal_options(options)), options);
  } catch (const std::exception& e) {
    Result result;
    Diagnostic d;
    d.code = std::string(diag::info(diag::Code::InternalError).id);
    d.message = "internal compiler error: " + std::string(e.what());
    d.rendered = "deployc: error[" + d.code + "]: " + d.message + "\n";
    result.rendered = d.rendered;
    result.diagnostics.push_back(std::move(d));
    result.errors = 1;
    return result;
  }
}

}  // namespace

std::string_view version() noexcept {
  return driver::kVersion;
}

Result compile_text(const std::string& name, const std::string& text, const Options& options) {
  return guarded(options, [&](const driver::CompileOptions& internal) {
    return driver::compile_text(name, text, internal);
  });
}

Result compile_file(const std::string& path, const Options& options) {
  return guarded(options, [&](const driver::CompileOptions& internal) {
    return driver::compile_file(path, internal);
  });
}

}  // namespace deployc
