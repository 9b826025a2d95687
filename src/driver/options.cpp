#include "driver/options.hpp"

#include <fmt/format.h>

#include <charconv>

#include "driver/version.hpp"

namespace deployc::driver {

namespace {

constexpr std::string_view kCommonOptions = R"(options:
  -o, --output DIR               the output directory (default: the current directory)
  -D name=value                  set a `param` or `flag` of the spec; repeatable
  --diagnostics-format FORMAT    text (default), json or sarif; diagnostics go to stderr
  --max-errors N                 print at most N errors (default 20; 0: no limit)
  -Werror                        treat warnings as errors
  -Wno-Dnnnn                     silence warning Dnnnn
  -h, --help                     show this help
)";

// Options of every command that compiles a spec, after its own.
constexpr std::string_view kSpecOptions = R"(  -D name=value                  set a `param` or `flag` of the spec; repeatable
  --stdlib DIR                   read `std/` modules from DIR instead of the built-in ones
  --diagnostics-format FORMAT    text (default), json or sarif; diagnostics go to stderr
  --max-errors N                 print at most N errors (default 20; 0: no limit)
  -Werror                        treat warnings as errors
  -Wno-Dnnnn                     silence warning Dnnnn
  -h, --help                     show this help
)";

constexpr std::string_view kEmitOption =
    "  --emit LIST                    the outputs, comma-separated: compose, env, build, docs\n"
    "                                 (default: compose,env, and build when a service builds)\n";

constexpr std::string_view kExitStatus =
    "exit status: 0 ok, 1 diagnostics or stale outputs, 2 usage or I/O error\n";

/// `--emit compose,env,docs`; nullopt after reporting through `fail`.
template <typename Fail>
std::optional<EmitSet> parse_emit(std::string_view list, Fail&& fail) {
  EmitSet emit;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    const std::string_view item = list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item == "compose") {
      emit.compose = true;
    } else if (item == "env") {
      emit.env = true;
    } else if (item == "build") {
      emit.build = true;
    } else if (item == "docs") {
      emit.docs = true;
    } else {
      fail(item.empty() ? fmt::format("`--emit {}` has an empty item", list)
                        : fmt::format("unknown output `{}` in `--emit`: expected compose, env, "
                                      "build or docs",
                                      item));
      return std::nullopt;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return emit;
}

std::optional<Command> command_from_name(std::string_view name) {
  if (name == "build") return Command::Build;
  if (name == "check") return Command::Check;
  if (name == "dump") return Command::Dump;
  if (name == "vars") return Command::Vars;
  if (name == "env-check") return Command::EnvCheck;
  return std::nullopt;
}

}  // namespace

std::string_view command_name(Command command) {
  switch (command) {
    case Command::Build:
      return "build";
    case Command::Check:
      return "check";
    case Command::Dump:
      return "dump";
    case Command::Vars:
      return "vars";
    case Command::EnvCheck:
      return "env-check";
  }
  return "build";
}

std::string help_text(std::optional<Command> command) {
  if (!command) {
    return fmt::format(
        "deployc {} - compiles a .deploy spec to production Docker Compose files\n"
        "\n"
        "usage:\n"
        "  deployc build [FILE] [-o DIR] [-D name=value]...   write the outputs into DIR\n"
        "  deployc check [FILE] [-o DIR] [-D name=value]...   fail if DIR's outputs are stale\n"
        "  deployc --check [FILE] ...                         the same as `deployc check`\n"
        "  deployc vars [FILE] [--format table|json|markdown] list the runtime variables\n"
        "  deployc dump --stage ast|model|doc [FILE]          print a compiler stage's value\n"
        "  deployc env-check [FILE] --env-file ENVFILE        check a real env file against FILE\n"
        "  deployc explain CODE                               explain a diagnostic (D0402)\n"
        "  deployc COMMAND --help                             help on one command\n"
        "\n"
        "FILE defaults to the only *.deploy file in the current directory.\n"
        "Outputs: compose.production.yml and .env.production.example (and compose.build.yml\n"
        "when the spec builds images; DEPLOYMENT.md with --emit docs).\n"
        "\n"
        "{}"
        "  --version                      show the version\n"
        "\n"
        "{}",
        kVersion, kCommonOptions, kExitStatus);
  }
  if (*command == Command::Build) {
    return fmt::format(
        "usage: deployc build [FILE] [-o DIR] [-D name=value]... [options]\n"
        "\n"
        "Compiles FILE and writes compose.production.yml and .env.production.example (and\n"
        "compose.build.yml when the spec builds images) into DIR, creating it if needed.\n"
        "Each file is replaced atomically and only when its content changes; nothing is\n"
        "written when there are errors. The real secrets file, .env.production, is never\n"
        "written.\n"
        "\n"
        "{}"
        "{}"
        "  --stdout                       print the outputs instead of writing them (also\n"
        "                                 `-o -`); several are separated by `# ---- NAME ----`\n"
        "  --depfile FILE                 also write a Make depfile: the first output depends\n"
        "                                 on every .deploy file read, imports included\n"
        "  --stdlib DIR                   read `std/` modules from DIR instead of the built-in ones\n"
        "\n"
        "{}",
        kCommonOptions, kEmitOption, kExitStatus);
  }
  if (*command == Command::Dump) {
    return fmt::format(
        "usage: deployc dump --stage ast|model|doc [FILE] [-D name=value]... [options]\n"
        "\n"
        "Prints the value of one compiler stage for FILE on stdout: `ast` the syntax tree of\n"
        "the spec and its modules, `model` the checked deployment (after -D values and flags),\n"
        "`doc` the output documents before they are spelled as YAML and env text. The format\n"
        "is for reading and for tests; it is not a stable interface. Writes no file.\n"
        "\n"
        "options:\n"
        "  --stage STAGE                  ast, model or doc (required)\n"
        "{}\n{}",
        kSpecOptions, kExitStatus);
  }
  if (*command == Command::EnvCheck) {
    return fmt::format(
        "usage: deployc env-check [FILE] --env-file ENVFILE [-D name=value]... [options]\n"
        "\n"
        "Compiles FILE, then reads ENVFILE (e.g. .env.production) the way Docker Compose does\n"
        "and checks it against the variables the deployment reads: every required variable is\n"
        "set and not empty, every value has its declared type, no secret still holds its\n"
        "example or CHANGE_ME. Keys the deployment does not read are warnings. Values that may\n"
        "be secret are never printed: their source lines are shown with the value masked.\n"
        "Writes no file.\n"
        "\n"
        "options:\n"
        "  --env-file ENVFILE             the env file to check (required)\n"
        "{}\n{}",
        kSpecOptions, kExitStatus);
  }
  if (*command == Command::Vars) {
    return fmt::format(
        "usage: deployc vars [FILE] [--format table|json|markdown] [-D name=value]... [options]\n"
        "\n"
        "Lists every runtime variable of FILE's deployment, in the order of the env example:\n"
        "name, type, whether it is required, its default, whether it is a secret, its section,\n"
        "the services that read it and its documentation. Writes no file.\n"
        "\n"
        "options:\n"
        "  --format FORMAT                table (default, aligned columns), json (an array of\n"
        "                                 objects) or markdown (a table)\n"
        "{}\n{}",
        kSpecOptions, kExitStatus);
  }
  return fmt::format(
      "usage: deployc check [FILE] [-o DIR] [-D name=value]... [options]\n"
      "       deployc --check [FILE] [-o DIR] [-D name=value]... [options]\n"
      "\n"
      "Compiles FILE like `deployc build` but writes nothing. Fails when the spec has errors\n"
      "or when an output already in DIR differs from what build would write (each stale\n"
      "file's diff is printed on stdout). Outputs missing from DIR are ignored unless\n"
      "--require-outputs is given.\n"
      "\n"
      "{}"
      "{}"
      "  --require-outputs              a missing output counts as stale\n"
      "  --stdlib DIR                   read `std/` modules from DIR instead of the built-in ones\n"
      "\n"
      "{}",
      kCommonOptions, kEmitOption, kExitStatus);
}

std::variant<Options, UsageError> parse_options(const std::vector<std::string_view>& args) {
  Options options;
  bool check_flag = false;
  bool format_given = false;  // `--format`, which only `vars` takes
  bool output_given = false;  // `-o`, which only build and check take
  std::vector<std::string_view> positionals;
  std::optional<UsageError> error;
  auto fail = [&](std::string message) {
    if (!error) error = UsageError{std::move(message), std::nullopt};
  };

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    // The value of an option given as `--name=value`, `-Xvalue` or `-X value`.
    auto value_of = [&](std::string_view spelled,
                        bool attached_ok) -> std::optional<std::string_view> {
      if (arg == spelled) {
        if (i + 1 >= args.size()) {
          fail(fmt::format("option `{}` needs a value", spelled));
          return std::nullopt;
        }
        return args[++i];
      }
      if (spelled.starts_with("--") && arg.starts_with(spelled) && arg.size() > spelled.size() &&
          arg[spelled.size()] == '=') {
        return arg.substr(spelled.size() + 1);
      }
      if (attached_ok && arg.starts_with(spelled)) return arg.substr(spelled.size());
      return std::nullopt;
    };
    auto is = [&](std::string_view spelled) {
      return arg == spelled || (arg.starts_with(spelled) && arg.size() > spelled.size() &&
                                (arg[spelled.size()] == '=' || !spelled.starts_with("--")));
    };

    if (arg == "--") {
      positionals.insert(positionals.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                         args.end());
      break;
    }
    if (arg == "-h" || arg == "--help") {
      options.help = true;
    } else if (arg == "--version") {
      options.version = true;
    } else if (arg == "--check") {
      check_flag = true;
    } else if (arg == "--require-outputs") {
      options.require_outputs = true;
    } else if (arg == "-Werror") {
      options.warnings.warnings_as_errors = true;
    } else if (arg.starts_with("-Wno-")) {
      const std::string_view id = arg.substr(5);
      const std::optional<diag::Code> code = diag::code_from_id(id);
      if (!code) {
        fail(fmt::format("unknown diagnostic code `{}` in `{}`", id, arg));
      } else if (diag::info(*code).severity != diag::Severity::Warning) {
        fail(fmt::format("`{}` is an error, not a warning: it cannot be silenced", id));
      } else {
        options.warnings.silenced.insert(*code);
      }
    } else if (arg == "--stdout") {
      options.to_stdout = true;
    } else if (is("--emit")) {
      if (const auto value = value_of("--emit", false)) {
        if (auto emit = parse_emit(*value, fail)) options.emit = emit;
      }
    } else if (is("--depfile")) {
      if (const auto value = value_of("--depfile", false)) {
        if (value->empty()) {
          fail("the depfile name (`--depfile`) is empty");
        } else {
          options.depfile = std::string(*value);
        }
      }
    } else if (is("--stdlib")) {
      if (const auto value = value_of("--stdlib", false)) {
        if (value->empty()) {
          fail("the standard library folder (`--stdlib`) is empty");
        } else {
          options.stdlib_dir = std::string(*value);
        }
      }
    } else if (is("--stage")) {
      if (const auto value = value_of("--stage", false)) {
        if (*value == "ast") {
          options.stage = Stage::Ast;
        } else if (*value == "model") {
          options.stage = Stage::Model;
        } else if (*value == "doc") {
          options.stage = Stage::Doc;
        } else {
          fail(fmt::format("unknown stage `{}`: expected ast, model or doc", *value));
        }
      }
    } else if (is("--format")) {
      if (const auto value = value_of("--format", false)) {
        format_given = true;
        if (*value == "table") {
          options.vars_format = VarsFormat::Table;
        } else if (*value == "json") {
          options.vars_format = VarsFormat::Json;
        } else if (*value == "markdown") {
          options.vars_format = VarsFormat::Markdown;
        } else {
          fail(fmt::format("unknown format `{}`: expected table, json or markdown", *value));
        }
      }
    } else if (is("-o") || is("--output")) {
      const auto value = arg.starts_with("--") ? value_of("--output", false) : value_of("-o", true);
      if (value) {
        if (value->empty()) {
          fail("the output directory (`-o`) is empty");
        } else if (*value == "-") {
          options.to_stdout = true;
          output_given = true;
        } else {
          output_given = true;
          options.output_dir = std::string(*value);
        }
      }
    } else if (is("-D")) {
      if (const auto value = value_of("-D", true)) {
        const std::size_t eq = value->find('=');
        if (eq == std::string_view::npos || eq == 0) {
          fail(fmt::format("`-D {}` is not of the form `-D name=value`", *value));
        } else {
          options.defines.push_back(
              {std::string(value->substr(0, eq)), std::string(value->substr(eq + 1))});
          options.define_args.emplace_back(*value);
        }
      }
    } else if (is("--diagnostics-format")) {
      if (const auto value = value_of("--diagnostics-format", false)) {
        if (*value == "text") {
          options.format = Format::Text;
        } else if (*value == "json") {
          options.format = Format::Json;
        } else if (*value == "sarif") {
          options.format = Format::Sarif;
        } else {
          fail(
              fmt::format("unknown diagnostics format `{}`: expected text, json or sarif", *value));
        }
      }
    } else if (is("--env-file")) {
      if (const auto value = value_of("--env-file", false)) {
        if (value->empty()) {
          fail("the env file (`--env-file`) is empty");
        } else {
          options.env_file = std::string(*value);
        }
      }
    } else if (is("--max-errors")) {
      if (const auto value = value_of("--max-errors", false)) {
        std::size_t n = 0;
        const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
        if (ec != std::errc() || end != value->data() + value->size()) {
          fail(fmt::format("`--max-errors` needs a whole number, not `{}`", *value));
        } else {
          options.max_errors = n;
        }
      }
    } else if (arg.size() > 1 && arg.starts_with('-')) {
      fail(fmt::format("unknown option `{}`", arg));
    } else {
      positionals.push_back(arg);
    }
  }

  // The first word is the command unless `--check` named it already.
  std::size_t next = 0;
  if (check_flag) {
    options.command = Command::Check;
  } else if (!positionals.empty() && positionals[0] == "help") {
    // `deployc help [COMMAND]`
    options.help = true;
    if (positionals.size() > 1) options.command = command_from_name(positionals[1]);
    return options;
  } else if (!positionals.empty()) {
    options.command = command_from_name(positionals[0]);
    if (!options.command && !options.help && !options.version) {
      fail(fmt::format(
          "unknown command `{}`: expected `build`, `check`, `vars`, `dump` or `env-check`",
          positionals[0]));
    }
    next = 1;
  }
  if (next < positionals.size()) options.file = std::string(positionals[next++]);
  if (next < positionals.size()) {
    fail(fmt::format("unexpected argument `{}`: give one spec file", positionals[next]));
  }
  if (!error && !options.command && !options.help && !options.version) {
    fail("no command given: expected `build`, `check`, `vars`, `dump` or `env-check`");
  }
  if (!error && options.command) {
    const Command command = *options.command;
    const std::string_view name = command_name(command);
    auto only = [&](bool given, std::string_view option, std::string_view owners) {
      if (given && !error)
        fail(fmt::format("`{}` is an option of {}, not of `{}`", option, owners, name));
    };
    only(options.require_outputs && command != Command::Check, "--require-outputs", "`check`");
    only(options.emit && command != Command::Build && command != Command::Check, "--emit",
         "`build` and `check`");
    only(options.to_stdout && command != Command::Build, output_given ? "-o -" : "--stdout",
         "`build`");
    only(options.depfile && command != Command::Build, "--depfile", "`build`");
    only(output_given && !options.to_stdout && command != Command::Build &&
             command != Command::Check,
         "-o", "`build` and `check`");
    only(options.stage && command != Command::Dump, "--stage", "`dump`");
    only(options.env_file.has_value() && command != Command::EnvCheck, "--env-file", "`env-check`");
    if (!error && command == Command::EnvCheck && !options.env_file) {
      fail("`env-check` needs the env file to check: `--env-file .env.production`");
    }
    only(format_given && command != Command::Vars, "--format", "`vars`");
    if (!error && command == Command::Dump && !options.stage) {
      fail("`dump` needs `--stage ast`, `--stage model` or `--stage doc`");
    }
    if (!error && options.depfile && options.to_stdout) {
      fail("`--depfile` names the output files as targets: it cannot be used with `--stdout`");
    }
    if (!error && options.to_stdout && options.output_dir) {
      fail("give either an output directory or `--stdout`, not both");
    }
  }
  if (error) {
    error->command = options.command;
    // Asking for help never fails on the rest of the line.
    if (!options.help) return *error;
  }
  return options;
}

}  // namespace deployc::driver
