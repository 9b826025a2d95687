#include "driver/compile.hpp"

#include <fmt/format.h>

#include <exception>
#include <span>
#include <system_error>
#include <utility>
#include <variant>

#include "driver/modules.hpp"
#include "emit/emit.hpp"
#include "lower/docs.hpp"
#include "lower/lower.hpp"
#include "support/background.hpp"
#include "support/shell.hpp"
#include "syntax/parse.hpp"

namespace deployc::driver {

namespace {

/// A `-D` argument as the output header's rebuild line shows it: shell-quoted when needed, so
/// the line can be pasted into a shell.
std::string define_arg(const sema::Define& d) {
  return "-D " + shell_quote(d.name + "=" + d.value);
}

std::string dump_trees(const std::vector<ast::File>& files, const SourceManager& sources) {
  if (files.size() == 1) return syntax::dump(files.front(), sources);
  // With imports, each file's tree under its name, in the order sema sees them.
  std::string text;
  for (const ast::File& file : files) {
    text += fmt::format("# ---- {} ----\n", sources.name(file.file));
    text += syntax::dump(file, sources);
  }
  return text;
}

/// emit::env on a second thread, or on this one when no thread can start.
std::string env_on_a_worker(const lower::EnvDocument& env) {
  try {
    return support::Background<std::string>([&env] { return emit::env(env); }).get();
  } catch (const std::system_error&) {
    return emit::env(env);
  }
}

void run_pipeline(CompileResult& result, FileId root, const CompileOptions& options,
                  diag::DiagnosticEngine& diags) {
  // Later stages assume the trees are well formed, so syntax or import errors stop here.
  // Only the AST dump shows the comments; the trees' doc comments are copies of their own.
  const ModuleOptions modules{options.stdlib_dir, options.dump == Stage::Ast};
  Program program = load_program(result.sources, root, modules, diags);
  result.inputs.insert(result.inputs.end(), program.inputs.begin(), program.inputs.end());
  if (diags.has_errors()) return;
  if (options.dump == Stage::Ast) {
    result.dump = dump_trees(program.files, result.sources);
    return;
  }

  // The analysis frees what it is done with of the trees as it goes; the model owns everything
  // later stages read (diagnostics point into the sources, not the trees), so the rest goes
  // now: on a large spec the trees are the biggest allocation of the run, and keeping them
  // alive through lower and emit would add them to the peak.
  model::Deployment deployment = sema::analyze(std::move(program.files), result.sources,
                                               sema::Options{options.defines}, diags);
  program.files = std::vector<ast::File>();
  if (diags.has_errors()) return;
  if (options.dump == Stage::Model) {
    result.dump = sema::dump(deployment);
    result.deployment = std::move(deployment);
    return;
  }

  lower::Options lower_options;
  lower_options.spec_name = options.spec_name_in_header.empty()
                                ? std::string(result.sources.name(root))
                                : options.spec_name_in_header;
  for (const sema::Define& d : options.defines) lower_options.define_args.push_back(define_arg(d));
  // A large stack's services are lowered a run at a time as the compose file is written: their
  // documents were as large as the model, and would now be the peak of the run.
  const std::span<const model::Service> services(deployment.services);
  const bool stream_services =
      options.dump != Stage::Doc && services.size() >= lower_options.parallel_services;
  lower_options.service_entries = !stream_services;
  lower::Outputs outputs = lower::lower(deployment, lower_options);
  if (options.dump == Stage::Doc) {
    result.dump = lower::dump(outputs);
    result.deployment = std::move(deployment);
    return;
  }

  CompiledFiles compiled;
  // A large stack's compose file is written on two threads, which lower its services as they
  // go. The env example follows, on a thread of its own: written beside them on a third, it
  // made the three share the two malloc arenas (driver/heap.cpp), and at N = 10000 services
  // their locks cost more than the thread saved (222 against 160 ms, interleaved). Written
  // after them, on a thread, its text takes the memory of the workers' arena, where the
  // tree's second part was freed, instead of new memory of this thread's (154.7 → 146.5 MB).
  if (stream_services) {
    const emit::StreamedMap streamed{
        "services", services.size(),
        [&](std::size_t first, std::size_t n, lower::Map& out, support::TextStore& text) {
          lower::lower_services(deployment, lower_options, services.subspan(first, n), out, text);
        }};
    compiled.compose = emit::yaml(outputs.compose, streamed);
  } else {
    compiled.compose = emit::yaml(outputs.compose);
  }
  compiled.env_example = stream_services ? env_on_a_worker(outputs.env) : emit::env(outputs.env);
  if (outputs.build) compiled.build = emit::yaml(*outputs.build);
  if (options.docs) compiled.docs = lower::docs(deployment, lower_options);
  result.files = std::move(compiled);
  // Moving the deployment keeps the documents' views valid: they view the strings of its
  // elements, never the Deployment object itself (lower.hpp).
  result.deployment = std::move(deployment);
  result.documents = std::move(outputs);
}

void finish(CompileResult& result, diag::DiagnosticEngine& diags) {
  result.diagnostics = diags.take_sorted();
  result.error_count = 0;
  for (const diag::Diagnostic& d : result.diagnostics) {
    if (d.severity == diag::Severity::Error) ++result.error_count;
  }
  if (result.error_count > 0) {
    result.files.reset();
    result.documents.reset();
    result.deployment.reset();
    result.dump.reset();
  }
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
  auto read = read_source_file(path);
  if (const ReadError* error = std::get_if<ReadError>(&read)) {
    CompileResult result;
    if (error->too_large) {
      diags.report_global(diag::Code::FileTooLarge, path, kMaxSpecBytes);
    } else {
      diags.report_global(diag::Code::CannotReadFile, path, error->message);
    }
    finish(result, diags);
    return result;
  }
  CompileResult result;
  result.inputs.push_back(path);
  const FileId root = result.sources.add(path, std::move(std::get<SourceText>(read)));
  return compile_registered(std::move(result), root, options, diags);
}

}  // namespace deployc::driver
