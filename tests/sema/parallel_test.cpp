// A large stack's services are checked in two halves, the second on a second thread
// (sema::Options::parallel_services). Both paths must give the same model and the same
// diagnostics, in the same order, with the same labels, notes and help: each test checks a spec
// on one thread and with the split forced, and compares the model's dump and the rendered
// diagnostics.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "diag/engine.hpp"
#include "diag/render.hpp"
#include "driver/modules.hpp"
#include "sema/sema.hpp"
#include "source/source_manager.hpp"
#include "syntax/parse.hpp"

namespace diag = deployc::diag;
namespace driver = deployc::driver;
namespace sema = deployc::sema;
namespace syntax = deployc::syntax;
namespace ast = deployc::ast;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kNever = SIZE_MAX;

struct Checked {
  std::string model;        // sema::dump
  std::string diagnostics;  // rendered in full, every one (no error limit)
  std::size_t errors = 0;
  bool in_two_halves = false;
};

Checked check(const std::string& name, const std::string& text, std::size_t parallel_services,
              const std::vector<sema::Define>& defines = {}) {
  deployc::SourceManager sources;
  const deployc::FileId root = sources.add(name, text);
  diag::DiagnosticEngine diags;
  driver::Program program = driver::load_program(sources, root, {}, diags);
  Checked out;
  if (!diags.has_errors()) {
    sema::Options options{defines};
    options.parallel_services = parallel_services;
    options.services_in_two_halves = &out.in_two_halves;
    out.model = sema::dump(sema::analyze(program.files, sources, options, diags));
  }
  out.diagnostics = diag::render_text(diags.sorted(), sources, diag::TextOptions{false, 0});
  out.errors = diags.error_count();
  return out;
}

/// Checks `text` on one thread and split from 2 services on, and compares. Returns whether the
/// second run took the two-half path.
bool check_same_both_ways(const std::string& name, const std::string& text,
                          const std::vector<sema::Define>& defines = {}) {
  INFO(name);
  const Checked serial = check(name, text, kNever, defines);
  CHECK_FALSE(serial.in_two_halves);
  const Checked parallel = check(name, text, 1, defines);
  CHECK(parallel.model == serial.model);
  CHECK(parallel.diagnostics == serial.diagnostics);
  CHECK(parallel.errors == serial.errors);
  return parallel.in_two_halves;
}

/// Checks `text` parsed in two parts, split near `split_near`, keeping the tree or giving it up
/// to the analysis (which then frees the chunks it is done with). Sets `freed` when it freed the
/// first one.
Checked check_parsed(const std::string& text, std::size_t split_near, bool give_up,
                     std::size_t parallel_services, bool& freed) {
  deployc::SourceManager sources;
  const deployc::FileId root = sources.add("parts.deploy", text);
  diag::DiagnosticEngine diags;
  syntax::ParseOptions parse;
  parse.min_parallel_bytes = 0;
  parse.split_near = split_near;
  std::vector<ast::File> files;
  files.push_back(syntax::parse(sources, root, diags, parse));
  Checked out;
  freed = false;
  if (!diags.has_errors()) {
    sema::Options options;
    options.parallel_services = parallel_services;
    out.model = sema::dump(give_up ? sema::analyze(std::move(files), sources, options, diags)
                                   : sema::analyze(files, sources, options, diags));
    const auto& chunks = files.back().chunks;
    freed = !chunks.empty() && chunks.front().arena == nullptr;
  }
  out.diagnostics = diag::render_text(diags.sorted(), sources, diag::TextOptions{false, 0});
  out.errors = diags.error_count();
  return out;
}

/// Checks `text` split at every top-level line, keeping the tree and giving it up, on one
/// thread and two, and compares. Returns at how many splits the first chunk was freed.
std::size_t check_same_given_up(const std::string& text) {
  std::size_t freed_count = 0;
  for (std::size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
    if (at == 0 || text[at] == ' ' || text[at] == '}' || text[at] == '\n') continue;
    for (const std::size_t parallel_services : {kNever, std::size_t{1}}) {
      INFO("split near " << at << ", parallel from " << parallel_services);
      bool kept_freed = false, freed = false;
      const Checked kept = check_parsed(text, at, false, parallel_services, kept_freed);
      const Checked given = check_parsed(text, at, true, parallel_services, freed);
      CHECK_FALSE(kept_freed);
      CHECK(given.model == kept.model);
      CHECK(given.diagnostics == kept.diagnostics);
      CHECK(given.errors == kept.errors);
      freed_count += freed ? 1 : 0;
    }
    if (text.find('\n', at) == std::string::npos) break;
  }
  return freed_count;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// `count` services that each use variables, flags and a published port, with `mistake(i)`
/// written into the body of service i: the halves' diagnostics must interleave as on one thread.
template <typename Mistake>
std::string stack(int count, Mistake mistake) {
  std::string out =
      "flag tracing = true\nflag sentry = false\nproject \"demo\"\n"
      "network main {}\n"
      "section \"Config\" {\n";
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    out += "  env S" + n + "_URL: url<https> { example \"https://s" + n + ".example.com\" }\n";
    out += "  env S" + n + "_PORT: port = " + std::to_string(9000 + i) + "\n";
    out += "  env S" + n + "_UNUSED: string optional\n";
    out += "  when sentry { env S" + n + "_DSN: url<https> optional }\n";
  }
  out += "}\n";
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    out += "service s" + n + " {\n";
    out += "  image \"ghcr.io/org/s" + n + ":1.0\"\n";
    out += "  environment {\n    S" + n + "_URL\n";
    out += "    when tracing { OTEL_SERVICE_NAME = \"s" + n + "\" }\n";
    out += "    when sentry { S" + n + "_DSN }\n  }\n";
    out += "  publish 8080 host=S" + n + "_PORT\n";
    out += "  health http port=8080 path=\"/health\"\n";
    out += "  limits cpu=0.5 memory=256M\n";
    out += "  networks main\n";
    if (i > 0) out += "  depends_on s" + std::to_string(i / 2) + " healthy\n";
    out += mistake(i);
    out += "}\n";
  }
  return out;
}

}  // namespace

TEST_CASE("every spec in the repository is checked the same on one thread or two") {
  const fs::path root(DEPLOYC_SOURCE_DIR);
  std::size_t count = 0, split = 0;
  for (const char* dir : {"examples", "tests/diagnostics", "tests/presets/cases",
                          "tests/features/cases", "tests/consumer", "tests/seed"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      if (entry.path().extension() != ".deploy") continue;
      split += check_same_both_ways(entry.path().string(), read(entry.path())) ? 1 : 0;
      ++count;
    }
  }
  CHECK(count > 100);
  CHECK(split > 10);  // specs with two services or more, all independent
}

TEST_CASE("mistakes in both halves are reported as on one thread, in the same order") {
  const std::vector<std::string> mistakes = {
      "  colour red\n",                                 // unknown setting
      "  environment { NOT_DECLARED }\n",               // undeclared variable, did you mean
      "  restart sometimes\n",                          // bad value
      "  environment { when unknown_flag { X = \"1\" } }\n",  // unknown flag
      "  publish 8081 host=9001\n",                     // a host port another service takes
      "  environment { S0_DSN }\n",                     // declared only when sentry is on
      "  limits cpu=2 memory=64M\n",                    // duplicate setting
      "  depends_on nowhere healthy\n",                 // unknown service
      "",
  };
  for (int count : {2, 3, 9, 40}) {
    INFO(count << " services");
    CHECK(check_same_both_ways("stack.deploy", stack(count, [&](int i) {
      return mistakes[static_cast<std::size_t>(i) % mistakes.size()];
    })));
    CHECK(check_same_both_ways("stack.deploy", stack(count, [](int) { return std::string(); })));
    CHECK(check_same_both_ways("stack.deploy", stack(count, [](int) { return std::string(); }),
                               {{"sentry", "true"}}));
  }
}

TEST_CASE("secrets written as literals are reported as on one thread") {
  // The search for them runs beside check_production on a large stack (check_spec); a literal
  // that check_production or a service's check already reported is not reported again.
  const std::vector<std::string> uses = {
      "  environment { TOKEN_COPY = \"tok_CHANGE_ME_0000\" }\n",                            // D0507
      "  environment { DATABASE_URL = \"postgresql://app:tok_CHANGE_ME_0000@db/app\" }\n",  // D0601
      "  labels { com.example.token = \"tok_CHANGE_ME_0000\" }\n",                          // D0507
      "",
  };
  for (int count : {2, 5, 40}) {
    INFO(count << " services");
    std::string text =
        stack(count, [&](int i) { return uses[static_cast<std::size_t>(i) % uses.size()]; });
    text += "section \"Secrets\" {\n  env TOKEN: string secret example=\"tok_CHANGE_ME_0000\"\n}\n";
    CHECK(check_same_both_ways("secrets.deploy", text));
    const Checked serial = check("secrets.deploy", text, kNever);
    CHECK(serial.diagnostics.find("D0507") != std::string::npos);
    CHECK(serial.diagnostics.find("D0601") != std::string::npos);
  }
}

TEST_CASE("stacks whose services are not independent are checked on one thread") {
  // The same result either way; these take the one-thread path on purpose (see independent()
  // in service.cpp), and must not differ when forced to try the split.
  const auto plain = [](int) { return std::string(); };
  std::string twice = stack(6, plain);
  twice += "service s1 {\n  image \"x:1\"\n}\n";  // a name taken twice
  CHECK_FALSE(check_same_both_ways("twice.deploy", twice));
  // An env inside a dropped `when` is recorded when the block is checked, and read by later
  // uses. At the top of a body that happens before services are checked (when the body is
  // expanded): those stacks are split. Deeper down it happens while checking the service.
  CHECK(check_same_both_ways("env-in-body.deploy", stack(6, [](int i) {
    return i == 1 ? std::string("  when sentry { env INNER: string }\n")
                  : std::string("  environment { INNER }\n");
  })));
  CHECK_FALSE(check_same_both_ways("env-in-block.deploy", stack(6, [](int i) {
    return i == 1 ? std::string("  environment { when sentry { env INNER: string } }\n")
                  : std::string("  environment { INNER }\n");
  })));
  std::string unnamed = stack(6, plain);
  unnamed += "service {\n  image \"x:1\"\n}\nservice \"quoted\" {\n  image \"x:1\"\n}\n";
  CHECK_FALSE(check_same_both_ways("unnamed.deploy", unnamed));
}

TEST_CASE("services that use presets are checked the same on one thread or two") {
  std::string presets =
      "preset web {\n  restart always\n  health http port=8080 path=\"/health\"\n}\n" +
      stack(6, [](int i) { return i % 2 ? std::string("  use web\n") : std::string(); });
  CHECK(check_same_both_ways("presets.deploy", presets));
}

TEST_CASE("a tree given up is freed as the analysis goes, with the same model and diagnostics") {
  // The sections, the project, the networks and the flags are read up to the env layout and
  // never again: a chunk of only those is freed there (ast::File::release). Whatever reads a
  // statement later must find it kept, wherever the split falls; ASan catches a freed read.
  const std::vector<std::string> mistakes = {
      "  colour red\n",
      "  environment { NOT_DECLARED }\n",
      "  environment { S0_DSN }\n",
      "  depends_on nowhere healthy\n",
      "  allow D0407 \"reservations are read by Swarm only\"\n  reserve cpu=0.5\n",
      "",
  };
  std::string text =
      stack(9, [&](int i) { return mistakes[static_cast<std::size_t>(i) % mistakes.size()]; });
  text += "section \"Secrets\" {\n  env TOKEN: string secret example=\"tok_CHANGE_ME_0000\"\n}\n";
  text += "service literal {\n  image \"x:1\"\n  environment { T = \"tok_CHANGE_ME_0000\" }\n}\n";
  text += "when sentry {\n  service optional_one {\n    image \"x:1\"\n    depends_on s0\n  }\n}\n";
  text += "allow D0605 \"unused variables are documented for operators\"\n";
  CHECK(check_same_given_up(text) > 0);
  CHECK(check_same_given_up(stack(12, [](int) { return std::string(); })) > 0);
}

// Registered with the benchmark's generated stack (tests.cmake), so hidden from the default run.
TEST_CASE("the benchmark stack is checked the same on one thread or two", "[.][bench-stack]") {
  const char* spec = std::getenv("DEPLOYC_BENCH_STACK");
  REQUIRE(spec != nullptr);
  const std::string text = read(spec);
  CHECK(check_same_both_ways(spec, text));
  // Split in the middle, as a build splits it: its first part is all sections, freed early.
  bool kept_freed = false, freed = false;
  const Checked kept = check_parsed(text, text.size() / 2, false, 512, kept_freed);
  const Checked given = check_parsed(text, text.size() / 2, true, 512, freed);
  CHECK(freed);
  CHECK(given.model == kept.model);
  CHECK(given.diagnostics == kept.diagnostics);
}
