// Command-line parsing, without running anything.
#include <catch2/catch.hpp>

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
  CHECK(usage({}) == "no command given: expected `build` or `check`");
  CHECK(usage({"compile"}) == "unknown command `compile`: expected `build` or `check`");
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
