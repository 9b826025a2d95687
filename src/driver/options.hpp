// The command line as a value: parse_options turns argv into Options or a usage error, and
// nothing else. Private to the driver.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "diag/engine.hpp"
#include "driver/compile.hpp"
#include "driver/vars.hpp"
#include "sema/sema.hpp"

namespace deployc::driver {

enum class Command { Build, Check, Dump, Vars, EnvCheck };
enum class Format { Text, Json, Sarif };

/// The outputs `--emit` selects.
struct EmitSet {
  bool compose = false;
  bool env = false;
  bool build = false;
  bool docs = false;
};

struct Options {
  std::optional<Command> command;  ///< nullopt only with --help or --version
  bool help = false;
  bool version = false;
  std::optional<std::string> file;  ///< the spec; default: the one *.deploy in the current dir
  std::optional<std::string> output_dir;  ///< default: the current dir
  std::vector<sema::Define> defines;      ///< in command-line order
  std::vector<std::string> define_args;   ///< the same, as typed (`name=value`)
  Format format = Format::Text;
  std::size_t max_errors = 20;  ///< 0: no limit
  diag::WarningPolicy warnings;
  bool require_outputs = false;  ///< check: a missing output is drift too
  std::optional<std::string> env_file;  ///< env-check: `--env-file FILE`, the file to check
  /// `--emit`; nullopt: compose and env, and build when a service declares one.
  std::optional<EmitSet> emit;
  bool to_stdout = false;               ///< build: `--stdout` or `-o -`
  std::optional<std::string> depfile;   ///< build: `--depfile FILE`
  std::optional<std::string> stdlib_dir;  ///< `--stdlib DIR`: std/ modules from DIR
  std::optional<Stage> stage;           ///< dump: `--stage ast|model|doc`
  VarsFormat vars_format = VarsFormat::Table;  ///< vars: `--format`
};

struct UsageError {
  std::string message;
  std::optional<Command> command;  ///< for the "try `deployc build --help`" hint
};

std::variant<Options, UsageError> parse_options(const std::vector<std::string_view>& args);

/// `--help` text: the overview, or one command's.
std::string help_text(std::optional<Command> command);

std::string_view command_name(Command command);

}  // namespace deployc::driver
