#include "driver/modules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

#include "diag/suggest.hpp"
#include "driver/files.hpp"
#include "driver/stdlib.hpp"
#include "syntax/parse.hpp"

namespace deployc::driver {

namespace {

namespace fs = std::filesystem;
using diag::Code;

constexpr std::string_view kExtension = ".deploy";
constexpr std::string_view kStdPrefix = "std/";

/// `path` is `dir` or lies below it; both absolute and normalised the same way.
bool is_within(const fs::path& path, const fs::path& dir) {
  const fs::path relative = path.lexically_relative(dir);
  return !relative.empty() && *relative.begin() != "..";
}

fs::path canonical_or_self(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? path : canonical;
}

fs::path absolute_normal(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path.empty() ? fs::path(".") : path, ec);
  return (ec ? path : absolute).lexically_normal();
}

bool ends_with_extension(std::string_view text) {
  return text.size() > kExtension.size() && text.ends_with(kExtension);
}

/// Where an import leads.
struct Target {
  std::string key;      ///< identity: canonical path, or `std:NAME` for a stdlib module
  std::string display;  ///< the file's name in diagnostics
  std::optional<std::string_view> embedded;  ///< the text of an embedded stdlib module
  std::optional<std::string> std_name;       ///< set for stdlib modules
};

struct Module {
  std::string key;
  FileId file;
  ast::File tree;
  std::optional<std::string> std_name;
  bool done = false;
};

class Loader {
 public:
  Loader(SourceManager& sources, const ModuleOptions& options, diag::DiagnosticEngine& diags)
      : sources_(sources), options_(options), diags_(diags) {}

  Program run(FileId root) {
    const fs::path root_path(std::string(sources_.name(root)));
    project_dir_ = absolute_normal(root_path.parent_path());
    project_dir_canonical_ = canonical_or_self(project_dir_);

    auto module = std::make_unique<Module>();
    module->key = canonical_or_self(absolute_normal(root_path)).string();
    module->file = root;
    module->tree = syntax::parse(sources_, root, diags_, parse_options());
    by_key_.emplace(module->key, 0);
    modules_.push_back(std::move(module));
    visit(0);

    Program program;
    for (std::size_t index : order_) program.files.push_back(std::move(modules_[index]->tree));
    program.inputs = std::move(inputs_);
    return program;
  }

 private:
  syntax::ParseOptions parse_options() const {
    syntax::ParseOptions parse;
    parse.keep_comments = options_.keep_comments;
    return parse;
  }

  struct Frame {
    std::size_t module;
    Span via;  ///< the import being followed out of this module
  };

  std::string name_of(std::size_t module) const {
    return std::string(sources_.name(modules_[module]->file));
  }

  void visit(std::size_t index) {
    stack_.push_back({index, {}});
    // Modules live behind unique_ptr: loading more of them never moves this tree.
    const std::span<const ast::Stmt> stmts = modules_[index]->tree.stmts;
    for (const ast::Stmt& stmt : stmts) {
      const auto* import = std::get_if<ast::Import>(&stmt.node);
      if (!import || stopped_) continue;
      stack_.back().via = import->path.span;
      const std::optional<Target> target = resolve(*modules_[index], *import);
      if (!target) continue;
      if (const auto found = by_key_.find(target->key); found != by_key_.end()) {
        if (!modules_[found->second]->done) report_cycle(found->second);
        continue;
      }
      if (stack_.size() > kMaxImportDepth) {
        report_too_deep(import->path.span);
        continue;
      }
      if (modules_.size() > kMaxModules) {
        diags_.report(Code::TooManyModules, import->path.span, kMaxModules)
            .help("a deployment needs a handful of modules: merge small ones");
        stopped_ = true;
        continue;
      }
      if (const std::optional<std::size_t> loaded = load(*target, *import)) visit(*loaded);
    }
    modules_[index]->done = true;
    order_.push_back(index);
    stack_.pop_back();
  }

  static std::string literal_text(const ast::String& path, bool& substituted) {
    std::string text;
    substituted = false;
    for (const auto& part : path.parts) {
      if (const auto* literal = std::get_if<std::string_view>(&part)) {
        text += *literal;
      } else {
        substituted = true;
      }
    }
    return text;
  }

  /// The import's path as written, without its quotes.
  std::string written(Span span) const {
    std::string_view text = sources_.text(span);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
      text = text.substr(1, text.size() - 2);
    }
    return std::string(text);
  }

  std::optional<Target> resolve(const Module& importer, const ast::Import& import) {
    const Span span = import.path.span;
    bool substituted = false;
    const std::string text = literal_text(import.path, substituted);
    auto invalid = [&](std::string_view why, std::string help) {
      diags_.report(Code::InvalidImportPath, span, written(span), why).help(std::move(help));
      return std::nullopt;
    };
    if (substituted) {
      return invalid("it contains a `{…}` substitution",
                     "imports are resolved before params have values: write the path out");
    }
    if (text.empty())
      return invalid("it is empty", "name a module, e.g. `./common` or `std/logging`");
    if (text.find('\\') != std::string::npos) {
      return invalid("it contains `\\`", "separate folders with `/`, on every system");
    }
    if (text.find('\0') != std::string::npos) return invalid("it contains a NUL byte", "remove it");
    if (text.front() == '/') {
      return invalid("it is absolute",
                     "name the module relative to the importing file, e.g. `./lib/common`");
    }

    if (text.starts_with(kStdPrefix)) return resolve_std(text.substr(kStdPrefix.size()), span);
    if (importer.std_name) {
      // Inside the standard library a relative import names a sibling module.
      const fs::path relative =
          (fs::path(*importer.std_name).parent_path() / text).lexically_normal();
      if (relative.empty() || *relative.begin() == "..") {
        diags_.report(Code::ImportOutsideProject, span, text)
            .note("a standard library module imports only other standard library modules");
        return std::nullopt;
      }
      std::string name = relative.generic_string();
      if (ends_with_extension(name)) name.resize(name.size() - kExtension.size());
      return resolve_std(name, span);
    }

    std::string file_text = text;
    if (!ends_with_extension(file_text)) file_text += kExtension;
    const fs::path importer_name(std::string(sources_.name(importer.file)));
    const fs::path display = (importer_name.parent_path() / file_text).lexically_normal();
    const fs::path absolute = absolute_normal(display);
    const fs::path canonical = canonical_or_self(absolute);
    if (!is_within(absolute, project_dir_) || !is_within(canonical, project_dir_canonical_)) {
      auto report = diags_.report(Code::ImportOutsideProject, span, text);
      report.note(fmt::format("the project folder is the folder of the root spec, `{}`",
                              root_folder_name()));
      if (is_within(absolute, project_dir_)) {
        report.note("the path leads out of it through a symbolic link");
      }
      report.help("copy the module into the project, or import it from the standard library");
      return std::nullopt;
    }
    return Target{canonical.string(), display.generic_string(), std::nullopt, std::nullopt};
  }

  /// The root spec's folder as the user named it (`.` for the current directory).
  std::string root_folder_name() const {
    const fs::path folder = fs::path(std::string(sources_.name(modules_[0]->file))).parent_path();
    return folder.empty() ? std::string(".") : folder.generic_string();
  }

  std::vector<std::string> stdlib_names() const {
    std::vector<std::string> names;
    if (!options_.stdlib_dir) {
      for (const EmbeddedModule& m : embedded_stdlib()) names.emplace_back(m.name);
      return names;
    }
    std::error_code ec;
    for (fs::directory_iterator it(*options_.stdlib_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (it->path().extension() == kExtension) names.push_back(it->path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::optional<Target> resolve_std(std::string name, Span span) {
    if (ends_with_extension(name)) name.resize(name.size() - kExtension.size());
    if (name.empty()) {
      diags_.report(Code::InvalidImportPath, span, written(span), "it names no module")
          .help("name a module after `std/`, e.g. `std/logging`");
      return std::nullopt;
    }
    const bool valid_name = std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    std::optional<Target> target;
    if (valid_name && !options_.stdlib_dir) {
      for (const EmbeddedModule& m : embedded_stdlib()) {
        if (m.name == name) {
          target = Target{"std:" + name, fmt::format("std/{}{}", name, kExtension), m.text, name};
        }
      }
    } else if (valid_name) {
      const fs::path file = fs::path(*options_.stdlib_dir) / (name + std::string(kExtension));
      std::error_code ec;
      if (fs::is_regular_file(file, ec)) {
        target =
            Target{"std:" + name, file.lexically_normal().generic_string(), std::nullopt, name};
      }
    }
    if (target) return target;

    const std::vector<std::string> names = stdlib_names();
    auto report = diags_.report(Code::UnknownStdlibModule, span, name);
    if (const std::optional<std::string> close = diag::closest(name, names)) {
      report.help(fmt::format("did you mean `std/{}`?", *close));
    } else if (names.empty()) {
      report.note("the standard library is empty");
    } else {
      report.note(fmt::format("the standard library has {}", fmt::join(names, ", ")));
    }
    if (options_.stdlib_dir) {
      report.note(fmt::format("modules are read from `{}` (`--stdlib`)", *options_.stdlib_dir));
    }
    return std::nullopt;
  }

  std::optional<std::size_t> load(const Target& target, const ast::Import& import) {
    SourceText text;
    if (target.embedded) {
      text = std::string(*target.embedded);
    } else {
      auto read = read_source_file(target.display);
      if (ReadError* error = std::get_if<ReadError>(&read)) {
        report_unreadable(target, *error, import);
        return std::nullopt;
      }
      text = std::move(std::get<SourceText>(read));
      inputs_.push_back(target.display);
    }
    auto module = std::make_unique<Module>();
    module->key = target.key;
    module->std_name = target.std_name;
    module->file = sources_.add(target.display, std::move(text));
    module->tree = syntax::parse(sources_, module->file, diags_, parse_options());
    const std::size_t index = modules_.size();
    by_key_.emplace(target.key, index);
    modules_.push_back(std::move(module));
    return index;
  }

  void report_unreadable(const Target& target, const ReadError& error, const ast::Import& import) {
    const std::string why =
        error.too_large ? fmt::format("it is larger than the limit of {} bytes", kMaxSpecBytes)
                        : error.message;
    auto report = diags_.report(Code::CannotReadModule, import.path.span, target.display, why);
    // A likely misspelling: a module in the same folder with a close name.
    std::error_code ec;
    const fs::path wanted(target.display);
    if (fs::exists(wanted, ec)) return;
    std::vector<std::string> stems;
    const fs::path folder = wanted.parent_path().empty() ? fs::path(".") : wanted.parent_path();
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == kExtension) stems.push_back(it->path().stem().string());
    }
    const std::optional<std::string> close = diag::closest(wanted.stem().string(), stems);
    if (!close) return;
    bool substituted = false;
    std::string written = literal_text(import.path, substituted);
    const bool with_extension = ends_with_extension(written);
    if (with_extension) written.resize(written.size() - kExtension.size());
    const std::size_t slash = written.rfind('/');
    written = (slash == std::string::npos ? std::string() : written.substr(0, slash + 1)) + *close +
              (with_extension ? std::string(kExtension) : std::string());
    report.help(fmt::format("did you mean `{}`?", written));
  }

  void report_cycle(std::size_t target) {
    std::size_t first = stack_.size() - 1;
    while (stack_[first].module != target) --first;
    std::vector<std::string> chain;
    for (std::size_t i = first; i < stack_.size(); ++i) {
      chain.push_back(fmt::format("`{}`", name_of(stack_[i].module)));
    }
    chain.push_back(fmt::format("`{}`", name_of(target)));
    auto report = diags_.report(Code::ImportCycle, stack_[first].via, fmt::join(chain, " → "));
    for (std::size_t i = first + 1; i < stack_.size(); ++i) {
      const std::size_t next = i + 1 < stack_.size() ? stack_[i + 1].module : target;
      report.label(stack_[i].via, i + 1 < stack_.size()
                                      ? fmt::format("which imports `{}`", name_of(next))
                                      : fmt::format("which imports `{}` again", name_of(next)));
    }
    report.help("modules cannot import each other: move what they share into a module both import");
  }

  void report_too_deep(Span span) {
    if (too_deep_reported_) return;
    too_deep_reported_ = true;
    diags_.report(Code::ImportTooDeep, span, kMaxImportDepth)
        .note(fmt::format("importing `{}` here makes a chain of {} imports from `{}`",
                          written(span), stack_.size(), name_of(0)))
        .help("import the modules from the spec directly instead of through one another");
  }

  SourceManager& sources_;
  const ModuleOptions& options_;
  diag::DiagnosticEngine& diags_;
  fs::path project_dir_, project_dir_canonical_;
  std::vector<std::unique_ptr<Module>> modules_;
  std::map<std::string, std::size_t> by_key_;
  std::vector<Frame> stack_;
  std::vector<std::size_t> order_;
  std::vector<std::string> inputs_;
  bool stopped_ = false;
  bool too_deep_reported_ = false;
};

}  // namespace

Program load_program(SourceManager& sources, FileId root, const ModuleOptions& options,
                     diag::DiagnosticEngine& diags) {
  return Loader(sources, options, diags).run(root);
}

std::variant<SourceText, ReadError> read_source_file(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec) return ReadError{false, ec.message()};
  if (fs::is_directory(status)) {
    return ReadError{false, std::make_error_code(std::errc::is_a_directory).message()};
  }
  std::size_t size = 0;  // unknown: a pipe, a device
  if (fs::is_regular_file(status)) {
    const std::uintmax_t file_size = fs::file_size(path, ec);
    if (!ec && file_size > kMaxSpecBytes) return ReadError{true, {}};
    if (!ec) size = static_cast<std::size_t>(file_size);
  }

  if (size >= kMapFromBytes) {
    if (std::optional<SourceText> mapped = map_file(path, size)) return std::move(*mapped);
  }
  // Plain stdio: it reports errno, which carries the OS's own words for the failure.
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return ReadError{false, std::generic_category().message(errno)};
  std::string text;
  const bool read = read_to_end(file, size, kMaxSpecBytes, text);
  const int saved_errno = errno;
  std::fclose(file);
  if (!read) return ReadError{false, std::generic_category().message(saved_errno)};
  // A pipe, or a file that grew: no size was known up front.
  if (text.size() > kMaxSpecBytes) return ReadError{true, {}};
  return text;
}

}  // namespace deployc::driver
