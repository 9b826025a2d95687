// Command-line parsing, without running anything.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "driver/options.hpp"

using namespace deployc;
using driver::Command;
using driver::Format;
using driver::Options;
using driver::UsageError;

namespace {

Options ok(std::vector<std::string_view> args) {
  auto parsed = driver::parse_options(args);
  if (const auto* e = std::get_if<UsageError>(&parsed)) FAIL("usage error: " << e->message);
  return std::get<Options>(parsed);
}

std::string usage(std::vector<std::string_view> args) {
  auto parsed = driver::parse_options(args);
  REQUIRE(std::holds_alternative<UsageError>(parsed));
  return std::get<UsageError>(parsed).message;
}

}  // namespace

TEST_CASE("build with every option spelling") {
  const Options o = ok({"build", "app.deploy", "-o", "out", "-D", "a=1", "-Db=x=y", "-Werror",
                        "--diagnostics-format=sarif", "--max-errors", "3"});
  CHECK(o.command == Command::Build);
  CHECK(o.file == "app.deploy");
  CHECK(o.output_dir == "out");
  REQUIRE(o.defines.size() == 2);
  CHECK(o.defines[0].name == "a");
  CHECK(o.defines[0].value == "1");
  CHECK(o.defines[1].name == "b");
  CHECK(o.defines[1].value == "x=y");  // only the first `=` separates
  CHECK(o.define_args == std::vector<std::string>{"a=1", "b=x=y"});
  CHECK(o.warnings.warnings_as_errors);
  CHECK(o.format == Format::Sarif);
  CHECK(o.max_errors == 3);

  CHECK(ok({"build", "-oout"}).output_dir == "out");
  CHECK(ok({"build", "--output=out"}).output_dir == "out");
  CHECK(ok({"build", "--output", "out"}).output_dir == "out");
  CHECK(ok({"build", "--diagnostics-format", "json"}).format == Format::Json);
  CHECK(ok({"build", "--max-errors=0"}).max_errors == 0);
  CHECK(ok({"build"}).max_errors == 20);
  CHECK_FALSE(ok({"build"}).file);
  CHECK(ok({"build", "--", "-weird.deploy"}).file == "-weird.deploy");
}

TEST_CASE("build-step options: --emit, --stdout, --depfile, --stdlib, dump and vars") {
  const Options o = ok({"build", "--emit", "env,docs", "--depfile", "out/app.d", "--stdlib", "std"});
  REQUIRE(o.emit);
  CHECK_FALSE(o.emit->compose);
  CHECK(o.emit->env);
  CHECK_FALSE(o.emit->build);
  CHECK(o.emit->docs);
  CHECK(o.depfile == "out/app.d");
  CHECK(o.stdlib_dir == "std");
  CHECK_FALSE(ok({"build"}).emit);
  CHECK(ok({"build", "--stdout"}).to_stdout);
  CHECK(ok({"build", "-o", "-"}).to_stdout);
  CHECK_FALSE(ok({"build", "-o", "-"}).output_dir);
  CHECK(ok({"dump", "--stage=model"}).stage == driver::Stage::Model);
  CHECK(ok({"vars", "--format", "json"}).vars_format == driver::VarsFormat::Json);
  CHECK(ok({"vars"}).vars_format == driver::VarsFormat::Table);
}

TEST_CASE("check, --check and options before the command") {
  CHECK(ok({"check", "x.deploy"}).command == Command::Check);
  const Options o = ok({"--check", "x.deploy", "--require-outputs"});
  CHECK(o.command == Command::Check);
  CHECK(o.file == "x.deploy");
  CHECK(o.require_outputs);
  CHECK(ok({"-o", "out", "build"}).command == Command::Build);
}

TEST_CASE("help and version win over everything else") {
  CHECK(ok({"--help"}).help);
  CHECK_FALSE(ok({"--help"}).command);
  CHECK(ok({"build", "--help"}).command == Command::Build);
  CHECK(ok({"help", "check"}).command == Command::Check);
  CHECK(ok({"build", "--bogus", "-h"}).help);
  CHECK(ok({"--version"}).version);
  CHECK(driver::help_text(std::nullopt).find("deployc check") != std::string::npos);
  CHECK(driver::help_text(Command::Check).find("--require-outputs") != std::string::npos);
}

TEST_CASE("Wno-Dnnnn silences warnings only, never errors") {
  for (const diag::CodeInfo& c : diag::all_codes()) {
    const std::string arg = "-Wno-" + std::string(c.id);
    auto parsed = driver::parse_options({"build", arg});
    if (c.severity == diag::Severity::Warning) {
      REQUIRE(std::holds_alternative<Options>(parsed));
      CHECK(std::get<Options>(parsed).warnings.silenced.count(c.code) == 1);
    } else {
      CHECK(std::holds_alternative<UsageError>(parsed));
    }
  }
  CHECK(usage({"build", "-Wno-D0001"}) ==
        "`D0001` is an error, not a warning: it cannot be silenced");
  CHECK(usage({"build", "-Wno-bogus"}) == "unknown diagnostic code `bogus` in `-Wno-bogus`");
}

TEST_CASE("usage errors") {
  // The lists of commands grow; each message names every command.
  for (const std::string& message : {usage({}), usage({"compile"})}) {
    for (const char* command : {"`build`", "`check`", "`vars`", "`dump`"}) {
      CHECK(message.find(command) != std::string::npos);
    }
  }
  CHECK(usage({}).rfind("no command given: expected `build`, ", 0) == 0);
  CHECK(usage({"compile"}).rfind("unknown command `compile`: expected `build`, ", 0) == 0);
  CHECK(usage({"dump", "x.deploy"}) == "`dump` needs `--stage ast`, `--stage model` or `--stage doc`");
  CHECK(usage({"build", "--stage", "ast"}) == "`--stage` is an option of `dump`, not of `build`");
  CHECK(usage({"check", "--depfile", "x.d"}) == "`--depfile` is an option of `build`, not of `check`");
  CHECK(usage({"build", "--emit", "compose,xml"}) ==
        "unknown output `xml` in `--emit`: expected compose, env, build or docs");
  CHECK(usage({"build", "--nope"}) == "unknown option `--nope`");
  CHECK(usage({"build", "-o"}) == "option `-o` needs a value");
  CHECK(usage({"build", "-o", ""}) == "the output directory (`-o`) is empty");
  CHECK(usage({"build", "-D", "=x"}) == "`-D =x` is not of the form `-D name=value`");
  CHECK(usage({"build", "-Dx"}) == "`-D x` is not of the form `-D name=value`");
  CHECK(usage({"build", "--max-errors", "-1"}) == "`--max-errors` needs a whole number, not `-1`");
  CHECK(usage({"build", "--diagnostics-format=yaml"}) ==
        "unknown diagnostics format `yaml`: expected text, json or sarif");
  CHECK(usage({"build", "a", "b"}) == "unexpected argument `b`: give one spec file");
  CHECK(usage({"build", "--require-outputs"}) ==
        "`--require-outputs` is an option of `check`, not of `build`");
  auto parsed = driver::parse_options({"check", "--nope"});
  CHECK(std::get<UsageError>(parsed).command == Command::Check);
}
