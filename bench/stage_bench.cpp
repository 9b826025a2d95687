// Micro-benchmarks of each compiler stage on the benchmark stack (bench/gen, N = 1000 by
// default), so a whole-process regression points at its stage. Each benchmark times one stage
// alone: its input is prepared once, outside the timed loop.
//
// usage: deployc_stage_bench [--benchmark_filter=…] [google-benchmark flags]
//   DEPLOYC_BENCH_SPEC=path/to/app.deploy overrides the spec built with the target.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "diag/engine.hpp"
#include "driver/compile.hpp"
#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "sema/sema.hpp"
#include "source/source_manager.hpp"
#include "syntax/parse.hpp"

namespace {

using namespace deployc;

const std::string& spec_text() {
  static const std::string text = [] {
    const char* env = std::getenv("DEPLOYC_BENCH_SPEC");
    const std::string path = env != nullptr ? env : DEPLOYC_BENCH_SPEC;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "deployc_stage_bench: cannot read %s\n", path.c_str());
      std::exit(2);
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }();
  return text;
}

// Every stage's input, computed once. A spec that does not compile stops the benchmark: timing
// a pipeline that bails out early would measure nothing.
struct Pipeline {
  SourceManager sources;
  std::vector<ast::File> files;
  model::Deployment deployment;
  lower::Outputs outputs;
  bool ok = false;
};

const Pipeline& pipeline() {
  static const Pipeline p = [] {
    Pipeline q;
    diag::DiagnosticEngine diags;
    const FileId id = q.sources.add("app.deploy", spec_text());
    q.files.push_back(syntax::parse(q.sources, id, diags));
    if (!diags.has_errors()) q.deployment = sema::analyze(q.files, q.sources, {}, diags);
    if (!diags.has_errors()) {
      q.outputs = lower::lower(q.deployment, {"app.deploy", {}});
      q.ok = true;
    }
    return q;
  }();
  return p;
}

bool require_pipeline(benchmark::State& state) {
  if (pipeline().ok) return true;
  state.SkipWithError("the benchmark spec does not compile");
  return false;
}

void set_bytes(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
}

// Registering the text (a copy and the line index) is part of reading a spec, so it is timed
// with the parse.
void BM_parse(benchmark::State& state) {
  const std::string& text = spec_text();
  for (auto _ : state) {
    SourceManager sources;
    diag::DiagnosticEngine diags;
    const FileId id = sources.add("app.deploy", text);
    ast::File file = syntax::parse(sources, id, diags);
    benchmark::DoNotOptimize(file);
    if (diags.has_errors()) {
      state.SkipWithError("the benchmark spec has syntax errors");
      break;
    }
  }
  set_bytes(state, text.size());
}

void BM_analyze(benchmark::State& state) {
  if (!require_pipeline(state)) return;
  const Pipeline& p = pipeline();
  for (auto _ : state) {
    diag::DiagnosticEngine diags;
    model::Deployment deployment = sema::analyze(p.files, p.sources, {}, diags);
    benchmark::DoNotOptimize(deployment);
  }
  set_bytes(state, spec_text().size());
}

void BM_lower(benchmark::State& state) {
  if (!require_pipeline(state)) return;
  const Pipeline& p = pipeline();
  const lower::Options options{"app.deploy", {}};
  for (auto _ : state) {
    lower::Outputs outputs = lower::lower(p.deployment, options);
    benchmark::DoNotOptimize(outputs);
  }
}

void BM_emit_yaml(benchmark::State& state) {
  if (!require_pipeline(state)) return;
  const Pipeline& p = pipeline();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = emit::yaml(p.outputs.compose);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  set_bytes(state, bytes);
}

void BM_emit_env(benchmark::State& state) {
  if (!require_pipeline(state)) return;
  const Pipeline& p = pipeline();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = emit::env(p.outputs.env);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  set_bytes(state, bytes);
}

// The whole library call, as the CLI makes it, without process start-up or file I/O.
void BM_compile_text(benchmark::State& state) {
  const std::string& text = spec_text();
  for (auto _ : state) {
    driver::CompileResult result = driver::compile_text("app.deploy", text, {});
    if (!result.ok()) {
      state.SkipWithError("the benchmark spec does not compile");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  set_bytes(state, text.size());
}

BENCHMARK(BM_parse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_analyze)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_lower)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_emit_yaml)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_emit_env)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_compile_text)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
