// libFuzzer target for the two-thread paths of a large compile, which the fuzz inputs of
// fuzz_compile are too small to reach. The first byte chooses where the file is split; the rest
// is a spec. It is parsed on one thread and in two parts split near that point
// (syntax::ParseOptions); when it parses, its services are checked on one thread and in two
// halves (sema::Options); when it compiles, it is lowered and written serially and in two
// halves from the smallest size on (lower::Options, emit::YamlOptions). Any difference in the
// tree, the model, the diagnostics or the bytes aborts, so libFuzzer keeps the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "diag/diagnostic.hpp"
#include "diag/engine.hpp"
#include "driver/compile.hpp"
#include "driver/modules.hpp"
#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "sema/sema.hpp"
#include "syntax/parse.hpp"

namespace {

using namespace deployc;

constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();

[[noreturn]] void differ(const char* what) {
  std::fprintf(stderr, "deployc: the two-thread path differs from the one-thread path: %s\n", what);
  std::abort();
}

/// Every field of every diagnostic, in the engine's order: the two parses must agree on all.
std::string describe(const diag::DiagnosticEngine& diags) {
  std::string out;
  for (const diag::Diagnostic& d : diags.unsorted()) {
    out += std::string(diag::info(d.code).id) + " " + d.message;
    for (const diag::Label& l : d.labels) {
      out += " | " + std::to_string(l.span.begin) + "-" + std::to_string(l.span.end) + " " + l.text;
    }
    for (const std::string& n : d.notes) out += " | note " + n;
    if (d.help) out += " | help " + *d.help;
    out += "\n";
  }
  return out;
}

struct Parsed {
  std::string dump;
  std::string diagnostics;
};

Parsed parse_with(const std::string& text, const syntax::ParseOptions& options) {
  SourceManager sources;
  const FileId id = sources.add("fuzz.deploy", text);
  diag::DiagnosticEngine diags;
  const ast::File file = syntax::parse(sources, id, diags, options);
  return {syntax::dump(file, sources), describe(diags)};
}

void check_parse(const std::string& text, std::size_t split_near) {
  syntax::ParseOptions one_part;
  one_part.min_parallel_bytes = kNever;
  syntax::ParseOptions two_parts;
  two_parts.min_parallel_bytes = 0;
  two_parts.split_near = split_near;
  const Parsed serial = parse_with(text, one_part);
  const Parsed split = parse_with(text, two_parts);
  if (split.diagnostics != serial.diagnostics) differ("parse diagnostics");
  if (split.dump != serial.dump) differ("syntax tree");
}

struct Checked {
  std::string model;
  std::string diagnostics;
};

Checked analyze_with(const std::string& text, std::size_t parallel_services) {
  SourceManager sources;
  const FileId root = sources.add("fuzz.deploy", text);
  diag::DiagnosticEngine diags;
  driver::Program program = driver::load_program(sources, root, {}, diags);
  if (diags.has_errors()) return {};
  sema::Options options;
  options.parallel_services = parallel_services;
  const model::Deployment deployment = sema::analyze(program.files, sources, options, diags);
  return {sema::dump(deployment), describe(diags)};
}

void check_analysis(const std::string& text) {
  const Checked serial = analyze_with(text, kNever);
  const Checked split = analyze_with(text, 1);
  if (split.diagnostics != serial.diagnostics) differ("analysis diagnostics");
  if (split.model != serial.model) differ("model");
}

void check_back_end(const std::string& text) {
  const driver::CompileResult result = driver::compile_text("fuzz.deploy", text, {});
  if (!result.deployment) return;
  lower::Options serial_options;
  serial_options.spec_name = "fuzz.deploy";
  serial_options.parallel_services = kNever;
  lower::Options parallel_options = serial_options;
  parallel_options.parallel_services = 1;
  const lower::Outputs serial = lower::lower(*result.deployment, serial_options);
  const lower::Outputs parallel = lower::lower(*result.deployment, parallel_options);
  if (lower::dump(parallel) != lower::dump(serial)) differ("output documents");
  const std::string compose = emit::yaml(serial.compose, emit::YamlOptions{kNever});
  if (emit::yaml(parallel.compose, emit::YamlOptions{1}) != compose) differ("compose file");
  if (emit::env(parallel.env) != emit::env(serial.env)) differ("env example");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  check_parse(text, text.size() * data[0] / 256);
  check_analysis(text);
  check_back_end(text);
  return 0;
}
