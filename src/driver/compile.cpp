#include "driver/compile.hpp"

#include <cerrno>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <system_error>
#include <utility>

#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "syntax/parse.hpp"

namespace deployc::driver {

namespace {

// A spec is a page or two of text; anything this large is a mistake (a binary, a log file),
// and refusing it early keeps 32-bit spans safe.
constexpr std::uintmax_t kMaxSpecBytes = 8u << 20;

/// A `-D` argument as the output header's rebuild line shows it: shell-quoted when needed, so
/// the line can be pasted into a shell.
std::string define_arg(const sema::Define& d) {
  const std::string assignment = d.name + "=" + d.value;
  const bool plain =
      !assignment.empty() && assignment.find_first_not_of(
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                 "_-.,/:=+@%") == std::string::npos;
  if (plain) return "-D " + assignment;
  std::string quoted = "'";
  for (char c : assignment) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted.push_back(c);
    }
  }
  return "-D " + quoted + "'";
}

void run_pipeline(CompileResult& result, FileId root, const CompileOptions& options,
                  diag::DiagnosticEngine& diags) {
  // Later stages assume the tree is well formed, so a file with syntax errors stops here.
  std::vector<ast::File> files;
  files.push_back(syntax::parse(result.sources, root, diags));
  if (diags.has_errors()) return;

  const model::Deployment deployment =
      sema::analyze(files, result.sources, sema::Options{options.defines}, diags);
  if (diags.has_errors()) return;

  lower::Options lower_options;
  lower_options.spec_name = options.spec_name_in_header.empty()
                                ? std::string(result.sources.name(root))
                                : options.spec_name_in_header;
  for (const sema::Define& d : options.defines) lower_options.define_args.push_back(define_arg(d));
  const lower::Outputs outputs = lower::lower(deployment, lower_options);

  CompiledFiles compiled;
  compiled.compose = emit::yaml(outputs.compose);
  compiled.env_example = emit::env(outputs.env);
  if (outputs.build) compiled.build = emit::yaml(*outputs.build);
  result.files = std::move(compiled);
}

void finish(CompileResult& result, const diag::DiagnosticEngine& diags) {
  result.diagnostics = diags.sorted();
  result.error_count = 0;
  for (const diag::Diagnostic& d : result.diagnostics) {
    if (d.severity == diag::Severity::Error) ++result.error_count;
  }
  if (result.error_count > 0) result.files.reset();
}

CompileResult compile_registered(CompileResult result, FileId root, const CompileOptions& options,
                                 diag::DiagnosticEngine& diags) {
  try {
    run_pipeline(result, root, options, diags);
  } catch (const std::exception& e) {
    // The library boundary: a bug in a stage must not take down an embedding program.
    diags.report_global(diag::Code::InternalError, e.what())
        .note("this is a bug in deployc, not in the spec; please report it with the spec");
  }
  finish(result, diags);
  return result;
}

}  // namespace

CompileResult compile_text(std::string name, std::string text, const CompileOptions& options) {
  CompileResult result;
  diag::DiagnosticEngine diags(options.warnings);
  const FileId root = result.sources.add(std::move(name), std::move(text));
  return compile_registered(std::move(result), root, options, diags);
}

CompileResult compile_file(const std::string& path, const CompileOptions& options) {
  diag::DiagnosticEngine diags(options.warnings);
  auto fail = [&](auto&&... args) {
    CompileResult result;
    diags.report_global(args...);
    finish(result, diags);
    return result;
  };

  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) return fail(diag::Code::CannotReadFile, path, ec.message());
  if (std::filesystem::is_directory(status)) {
    return fail(diag::Code::CannotReadFile, path,
                std::make_error_code(std::errc::is_a_directory).message());
  }
  if (std::filesystem::is_regular_file(status)) {
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxSpecBytes) return fail(diag::Code::FileTooLarge, path, kMaxSpecBytes);
  }

  // Plain stdio: it reports errno, which carries the OS's own words for the failure.
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return fail(diag::Code::CannotReadFile, path, std::generic_category().message(errno));
  std::string text;
  char buffer[65536];
  bool too_large = false;
  while (true) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, file);
    text.append(buffer, n);
    if (text.size() > kMaxSpecBytes) {
      too_large = true;  // a pipe or a file that grew: no size was known up front
      break;
    }
    if (n < sizeof buffer) break;
  }
  const bool read_error = std::ferror(file) != 0;
  const int saved_errno = errno;
  std::fclose(file);
  if (read_error) {
    return fail(diag::Code::CannotReadFile, path, std::generic_category().message(saved_errno));
  }
  if (too_large) return fail(diag::Code::FileTooLarge, path, kMaxSpecBytes);

  CompileResult result;
  const FileId root = result.sources.add(path, std::move(text));
  return compile_registered(std::move(result), root, options, diags);
}

}  // namespace deployc::driver
