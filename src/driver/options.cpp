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

constexpr std::string_view kExitStatus =
    "exit status: 0 ok, 1 diagnostics or stale outputs, 2 usage or I/O error\n";

std::optional<Command> command_from_name(std::string_view name) {
  if (name == "build") return Command::Build;
  if (name == "check") return Command::Check;
  return std::nullopt;
}

}  // namespace

std::string_view command_name(Command command) {
  return command == Command::Build ? "build" : "check";
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
        "  deployc COMMAND --help                             help on one command\n"
        "\n"
        "FILE defaults to the only *.deploy file in the current directory.\n"
        "Outputs: compose.production.yml and .env.production.example (and compose.build.yml\n"
        "when the spec builds images).\n"
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
        "{}\n{}",
        kCommonOptions, kExitStatus);
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
      "  --require-outputs              a missing output counts as stale\n"
      "\n"
      "{}",
      kCommonOptions, kExitStatus);
}

std::variant<Options, UsageError> parse_options(const std::vector<std::string_view>& args) {
  Options options;
  bool check_flag = false;
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
    } else if (is("-o") || is("--output")) {
      const auto value = arg.starts_with("--") ? value_of("--output", false) : value_of("-o", true);
      if (value) {
        if (value->empty()) {
          fail("the output directory (`-o`) is empty");
        } else {
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
      fail(fmt::format("unknown command `{}`: expected `build` or `check`", positionals[0]));
    }
    next = 1;
  }
  if (next < positionals.size()) options.file = std::string(positionals[next++]);
  if (next < positionals.size()) {
    fail(fmt::format("unexpected argument `{}`: give one spec file", positionals[next]));
  }
  if (!error && !options.command && !options.help && !options.version) {
    fail("no command given: expected `build` or `check`");
  }
  if (!error && options.require_outputs && options.command == Command::Build) {
    fail("`--require-outputs` is an option of `check`, not of `build`");
  }
  if (error) {
    error->command = options.command;
    // Asking for help never fails on the rest of the line.
    if (!options.help) return *error;
  }
  return options;
}

}  // namespace deployc::driver
