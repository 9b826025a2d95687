#include "driver/cli.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "diag/explain.hpp"
#include "diag/render.hpp"
#include "driver/compile.hpp"
#include "driver/diff.hpp"
#include "driver/env_check.hpp"
#include "driver/files.hpp"
#include "driver/heap.hpp"
#include "driver/options.hpp"
#include "driver/vars.hpp"
#include "driver/version.hpp"
#include "lower/document.hpp"
#include "support/background.hpp"
#include "support/shell.hpp"

namespace deployc::driver {

namespace {

namespace fs = std::filesystem;

constexpr int kExitOk = 0;
constexpr int kExitDiagnostics = 1;
constexpr int kExitUsage = 2;

// From this many diagnostics on, the compiler's are rendered on a second thread while the
// outputs are written or compared (about 1 µs each, against a thread's 50–100 µs start).
constexpr std::size_t kEarlyRenderDiagnostics = 256;

void print(std::FILE* stream, std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stream);
}

void usage_error(std::string_view message, std::optional<Command> command) {
  const std::string help =
      command ? fmt::format("deployc {} --help", command_name(*command)) : "deployc --help";
  print(stderr, fmt::format("deployc: error: {}\ntry `{}`\n", message, help));
}

/// The one *.deploy file of the current directory, or a usage error message.
std::optional<std::string> find_default_spec(std::string& error) {
  std::vector<std::string> found;
  std::error_code ec;
  for (fs::directory_iterator it(".", ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == ".deploy" && it->is_regular_file(type_ec)) {
      found.push_back(it->path().filename().string());
    }
  }
  if (ec) {
    error = fmt::format("cannot list the current directory: {}", ec.message());
    return std::nullopt;
  }
  std::sort(found.begin(), found.end());
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    error =
        "no `.deploy` file in the current directory: name the spec, e.g. `deployc build "
        "app.deploy`";
  } else {
    error = fmt::format(
        "several `.deploy` files in the current directory ({}): name the one to compile",
        fmt::join(found, ", "));
  }
  return std::nullopt;
}

/// The spec as the output header names it: relative to the output directory, `/`-separated,
/// computed on the paths' text alone so it is the same on every machine and checkout.
std::string spec_name_in_header(const std::string& spec, const std::string& output_dir) {
  std::error_code ec;
  const fs::path file = fs::absolute(spec, ec).lexically_normal();
  if (ec) return spec;
  fs::path dir = fs::absolute(output_dir, ec).lexically_normal();
  if (ec) return spec;
  if (!dir.has_filename() && dir.has_relative_path()) dir = dir.parent_path();  // "out/" → "out"
  const fs::path relative = file.lexically_relative(dir);
  return relative.empty() ? spec : relative.generic_string();
}

struct Output {
  std::string_view name;
  const std::string* bytes;
};

/// The outputs `--emit` selects, in a fixed order; by default compose and env, and build when a
/// service declares one.
std::vector<Output> outputs_of(const CompiledFiles& files, const std::optional<EmitSet>& emit) {
  const EmitSet selected = emit.value_or(EmitSet{true, true, true, false});
  std::vector<Output> outputs;
  if (selected.compose) outputs.push_back({lower::kComposeFile, &files.compose});
  if (selected.env) outputs.push_back({lower::kEnvExample, &files.env_example});
  if (selected.build && files.build) outputs.push_back({lower::kBuildFile, &*files.build});
  if (selected.docs && files.docs) outputs.push_back({"DEPLOYMENT.md", &*files.docs});
  return outputs;
}

/// A path as a Make depfile spells it: spaces, `#` and `\\` escaped with `\\`, `$` doubled.
std::string make_escape(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '#' || c == '\\') {
      out += '\\';
    } else if (c == '$') {
      out += '$';
    }
    out += c;
  }
  return out;
}

class Invocation {
 public:
  explicit Invocation(const Options& options) : options_(options) {}

  int run() {
    std::string file;
    if (options_.file) {
      file = *options_.file;
    } else {
      std::string error;
      const std::optional<std::string> found = find_default_spec(error);
      if (!found) {
        usage_error(error, options_.command);
        return kExitUsage;
      }
      file = *found;
    }
    spec_ = file;

    CompileOptions compile_options;
    compile_options.defines = options_.defines;
    compile_options.warnings = options_.warnings;
    compile_options.spec_name_in_header =
        spec_name_in_header(file, options_.output_dir.value_or("."));
    compile_options.stdlib_dir = options_.stdlib_dir;
    compile_options.docs = options_.emit && options_.emit->docs;
    if (options_.command == Command::Dump) compile_options.dump = options_.stage;
    // The inventory needs the checked model only.
    if (options_.command == Command::Vars) compile_options.dump = Stage::Model;
    std::error_code size_error;
    const std::uintmax_t spec_bytes = std::filesystem::file_size(file, size_error);
    if (!size_error) prepare_heap(spec_bytes);
    result_ = compile_file(file, compile_options);

    int status = kExitOk;
    for (const diag::Diagnostic& d : result_.diagnostics) {
      if (d.code == diag::Code::CannotReadFile || d.code == diag::Code::FileTooLarge) {
        status = kExitUsage;
      }
    }
    const bool compiled = result_.error_count == 0 && (result_.files || result_.dump);
    // The compiler's diagnostics are final once it returns; `build` and `check` add theirs
    // after them and do not touch them meanwhile (env-check drops some, dump and vars print
    // little). The thread is joined before anything is printed, or on the way out of an exception.
    std::optional<support::Background<diag::TextRenderer>> early;
    if (compiled && result_.files &&
        (options_.command == Command::Build || options_.command == Command::Check) &&
        !options_.to_stdout && options_.format == Format::Text &&
        result_.diagnostics.size() >= kEarlyRenderDiagnostics) {
      early.emplace([this, text_options = text_options()] {
        diag::TextRenderer renderer(result_.sources, text_options);
        renderer.add(result_.diagnostics);
        return renderer;
      });
    }
    if (!compiled) {
      if (status == kExitOk) status = kExitDiagnostics;
    } else if (options_.command == Command::Dump) {
      print(stdout, *result_.dump);
    } else if (options_.command == Command::Vars) {
      print(stdout, vars_report(*result_.deployment, options_.vars_format));
    } else if (options_.emit && options_.emit->build && !result_.files->build) {
      cli_diags_.report_global(diag::Code::NothingToBuild)
          .help(
              "declare how a service's image is built (`build context=…`), or drop `build` "
              "from `--emit`");
      status = kExitUsage;
    } else if (options_.command == Command::Build && options_.to_stdout) {
      status = print_outputs(*result_.files);
    } else if (options_.command == Command::EnvCheck) {
      status = env_check();
    } else if (options_.command == Command::Build) {
      status = write_outputs(*result_.files);
    } else {
      status = check_outputs(*result_.files);
    }
    std::optional<diag::TextRenderer> rendered;
    if (early) {
      try {
        rendered.emplace(early->get());
      } catch (...) {
        // print_diagnostics renders every diagnostic itself.
      }
    }
    print_diagnostics(rendered ? &*rendered : nullptr);
    return status;
  }

 private:
  /// Where an output goes, spelled as the user gave the directory (bare name without -o).
  fs::path target(std::string_view name) const {
    return options_.output_dir ? fs::path(*options_.output_dir) / name : fs::path(name);
  }

  std::string rebuild_command() const {
    std::string command = "deployc build";
    if (options_.file) command += " " + shell_quote(*options_.file);
    if (options_.output_dir) command += " -o " + shell_quote(*options_.output_dir);
    for (const std::string& d : options_.define_args) command += " -D " + shell_quote(d);
    return command;
  }

  /// `--stdout`: one output as it is, several each after a `# ---- NAME ----` line.
  int print_outputs(const CompiledFiles& files) {
    const std::vector<Output> outputs = outputs_of(files, options_.emit);
    for (const Output& output : outputs) {
      if (outputs.size() > 1) print(stdout, fmt::format("# ---- {} ----\n", output.name));
      print(stdout, *output.bytes);
    }
    return kExitOk;
  }

  /// `<first output>: <every .deploy file read>`, the rule Make and Ninja read.
  std::string depfile_text(const std::vector<Output>& outputs) const {
    std::string text = make_escape(target(outputs.front().name).string()) + ":";
    for (const std::string& input : result_.inputs) text += " " + make_escape(input);
    return text + "\n";
  }

  int write_outputs(const CompiledFiles& files) {
    if (options_.output_dir) {
      std::error_code ec;
      fs::create_directories(*options_.output_dir, ec);
      if (!ec && !fs::is_directory(*options_.output_dir, ec)) {
        ec = std::make_error_code(std::errc::not_a_directory);
      }
      if (ec) {
        cli_diags_.report_global(diag::Code::CannotWriteOutput, *options_.output_dir, ec.message());
        return kExitUsage;
      }
    }
    std::vector<PendingWrite> writes;
    std::vector<std::string> report;
    const std::vector<Output> outputs = outputs_of(files, options_.emit);
    for (const Output& output : outputs) {
      const fs::path path = target(output.name);
      // An unreadable existing file is simply replaced: the rename does not need to read it.
      if (compare_existing(path, *output.bytes).outcome == Comparison::Outcome::Same) {
        report.push_back(fmt::format("unchanged {}\n", path.string()));
      } else {
        writes.push_back({path, *output.bytes});
        report.push_back(fmt::format("wrote {}\n", path.string()));
      }
    }
    // The depfile joins the same batch, so it never names outputs that were not written. Like
    // an output it is rewritten only when it changes or is missing (Ninja deletes it).
    std::string depfile;
    if (options_.depfile && !outputs.empty()) {
      depfile = depfile_text(outputs);
      if (compare_existing(*options_.depfile, depfile).outcome != Comparison::Outcome::Same) {
        writes.push_back({*options_.depfile, depfile});
      }
    }
    if (const std::optional<FileError> error = write_atomically(writes)) {
      cli_diags_.report_global(diag::Code::CannotWriteOutput, error->path.string(), error->message);
      return kExitUsage;
    }
    for (const std::string& line : report) print(stdout, line);
    return kExitOk;
  }

  int check_outputs(const CompiledFiles& files) {
    int status = kExitOk;
    for (const Output& output : outputs_of(files, options_.emit)) {
      const fs::path path = target(output.name);
      const std::string shown = path.string();
      const Comparison comparison = compare_existing(path, *output.bytes);
      if (comparison.outcome == Comparison::Outcome::Same) {
        print(stdout, fmt::format("up to date {}\n", shown));
        continue;
      }
      // Only a stale file is read whole, for its diff (as it is now: it may have changed since).
      const Existing existing = comparison.outcome == Comparison::Outcome::Different
                                    ? read_existing(path)
                                    : Existing{std::nullopt, comparison.error};
      if (existing.error) {
        cli_diags_.report_global(diag::Code::CannotReadFile, shown, existing.error->message);
        status = kExitUsage;
      } else if (!existing.bytes) {
        if (options_.require_outputs) {
          print(stdout, fmt::format("missing {}\n", shown));
          cli_diags_.report_global(diag::Code::MissingOutput, shown)
              .help(fmt::format("run `{}` to write it", rebuild_command()));
          status = std::max(status, kExitDiagnostics);
        }
      } else {
        print(stdout, fmt::format("stale {}\n", shown));
        print(stdout, unified_diff(*existing.bytes, *output.bytes, shown, shown));
        cli_diags_.report_global(diag::Code::StaleOutput, shown)
            .note("the differences are printed on stdout as a unified diff")
            .help(fmt::format("run `{}` to update it", rebuild_command()));
        status = std::max(status, kExitDiagnostics);
      }
    }
    return status;
  }

  /// `env-check`: the env file against the compiled deployment. Its diagnostics join the
  /// command line's; the file is registered (masked) in the compile's SourceManager.
  int env_check() {
    const std::string& path = *options_.env_file;
    const Existing existing = read_existing(path);
    if (existing.error || !existing.bytes) {
      const std::string message =
          existing.error ? existing.error->message
                         : std::make_error_code(std::errc::no_such_file_or_directory).message();
      cli_diags_.report_global(diag::Code::CannotReadFile, path, message);
      return kExitUsage;
    }
    // The spec's own warnings are `deployc check`'s business: here only the env file counts.
    std::erase_if(result_.diagnostics,
                  [](const diag::Diagnostic& d) { return d.severity == diag::Severity::Warning; });
    diag::DiagnosticEngine env_diags(options_.warnings);
    const EnvCheckSummary summary =
        check_env_file(*result_.deployment, path, *existing.bytes, result_.sources, env_diags);
    cli_diags_.absorb(env_diags);
    if (env_diags.has_errors()) return kExitDiagnostics;
    print(stdout, fmt::format("ok {}: {} variables checked\n", path, summary.checked));
    return kExitOk;
  }

  diag::TextOptions text_options() const {
    const char* no_color = std::getenv("NO_COLOR");
    diag::TextOptions text_options;
    text_options.color = ::isatty(STDERR_FILENO) == 1 && !(no_color && *no_color);
    text_options.max_errors = options_.max_errors;
    return text_options;
  }

  /// The last step of a command: its own diagnostics join the compiler's in place, uncopied.
  /// `early` has rendered the compiler's diagnostics already, when given.
  void print_diagnostics(diag::TextRenderer* early) {
    std::vector<diag::Diagnostic>& all = result_.diagnostics;
    const std::size_t compiler_count = all.size();
    for (diag::Diagnostic& d : cli_diags_.take_sorted()) all.push_back(std::move(d));
    std::string text;
    switch (options_.format) {
      case Format::Text: {
        if (early) {
          early->add(std::span<const diag::Diagnostic>(all).subspan(compiler_count));
          text = std::move(*early).finish();
        } else {
          text = diag::render_text(all, result_.sources, text_options());
        }
        break;
      }
      case Format::Json:
        text = diag::render_json(all, result_.sources);
        break;
      case Format::Sarif:
        text = diag::render_sarif(all, result_.sources, kVersion);
        break;
    }
    std::fflush(stdout);
    print(stderr, text);
  }

  const Options& options_;
  std::string spec_;
  CompileResult result_;
  diag::DiagnosticEngine cli_diags_;
};

}  // namespace

int run_cli(int argc, char** argv) {
  std::vector<std::string_view> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  if (!args.empty() && args.front() == "explain") {
    // Compiles nothing, so it takes none of the compile options.
    std::string out, err;
    const int status = diag::explain_command({args.begin() + 1, args.end()}, out, err);
    print(stdout, out);
    print(stderr, err);
    return status;
  }
  auto parsed = parse_options(args);
  if (const UsageError* error = std::get_if<UsageError>(&parsed)) {
    usage_error(error->message, error->command);
    return kExitUsage;
  }
  const Options& options = std::get<Options>(parsed);
  if (options.help) {
    print(stdout, help_text(options.command));
    return kExitOk;
  }
  if (options.version) {
    print(stdout, fmt::format("deployc {}\n", kVersion));
    return kExitOk;
  }
  try {
    // The process ends right after the command, and the operating system takes back its
    // memory in one step. Destroying the invocation would first return every node of the
    // compiled trees to the allocator one at a time: 21 M instructions, 7 % of a build of 1000
    // services. So it is left alive, still reachable from here, like compilers leave their
    // trees (clang's -disable-free). Stored (volatile: the store must not be optimized away)
    // so that memcheck and LeakSanitizer do not count it as a leak.
    static Invocation* volatile invocation = nullptr;
    invocation = new Invocation(options);
    return invocation->run();
  } catch (const std::exception& e) {
    print(stderr, fmt::format("deployc: error: {}\n", e.what()));
    return kExitUsage;
  }
}

}  // namespace deployc::driver
