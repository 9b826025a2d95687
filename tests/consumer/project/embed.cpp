// Uses only the installed public header: compiles the acme-shop example in-process, then a
// broken spec, and checks the results are the values the API promises. Exit 0 on success.
#include <deployc/deployc.hpp>

#include <cstdio>
#include <string>

namespace {

int failures = 0;

void expect(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  expect(!deployc::version().empty(), "a version");

  deployc::Options options;
  options.defines.push_back({"include_sentry", "true"});
  const deployc::Result acme = deployc::compile_file(ACME_SPEC, options);
  if (!acme.ok) std::fputs(acme.rendered.c_str(), stderr);
  expect(acme.ok, "the acme-shop example compiles");
  expect(acme.errors == 0, "no errors");
  expect(acme.outputs.size() >= 2, "at least two outputs");
  expect(acme.outputs.size() >= 2 && acme.outputs[0].name == "compose.production.yml",
         "compose.production.yml first");
  expect(acme.outputs.size() >= 2 && acme.outputs[1].name == ".env.production.example",
         ".env.production.example second");
  const deployc::OutputFile* compose = acme.output("compose.production.yml");
  expect(compose && compose->bytes.find("services:") != std::string::npos,
         "the compose file has services");
  expect(compose && compose->bytes.find("SENTRY_DSN") != std::string::npos,
         "the define reached the compiler (include_sentry=true)");
  expect(!acme.inputs.empty() && acme.inputs.front() == ACME_SPEC, "the spec is an input");

  // A second, independent call: no state carried over.
  const deployc::Result again = deployc::compile_file(ACME_SPEC, options);
  expect(again.ok && again.output("compose.production.yml") &&
             again.output("compose.production.yml")->bytes == compose->bytes,
         "the same bytes twice");

  const deployc::Result broken = deployc::compile_text("broken.deploy", "service {{{ nope\n");
  expect(!broken.ok, "a syntax error fails");
  expect(broken.outputs.empty(), "no outputs on error");
  expect(broken.errors >= 1 && !broken.diagnostics.empty(), "the error is a value");
  if (!broken.diagnostics.empty()) {
    const deployc::Diagnostic& d = broken.diagnostics.front();
    expect(d.code.size() == 5 && d.code[0] == 'D', "a Dnnnn code");
    expect(d.severity == deployc::Severity::Error, "an error");
    expect(d.file == "broken.deploy" && d.begin.line == 1 && d.begin.column >= 1,
           "located in broken.deploy line 1");
    expect(d.rendered.find("broken.deploy:1:") != std::string::npos, "rendered with location");
  }
  expect(broken.rendered.find("deployc: 1 error") != std::string::npos, "a summary line");

  const deployc::Result missing = deployc::compile_file("no/such/spec.deploy");
  expect(!missing.ok && !missing.diagnostics.empty() &&
             missing.diagnostics.front().code == "D0901" &&
             missing.diagnostics.front().file.empty(),
         "an unreadable spec is a D0901 diagnostic without a location");

  if (failures == 0) std::puts("embed: ok");
  return failures == 0 ? 0 : 1;
}
