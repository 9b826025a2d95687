// sema::analyze: params, flags and `when`, the project, networks and the env layout; services
// are checked in service.cpp and whole-deployment rules in checks.cpp.
//
// Phases, in order, because later ones need earlier results:
//   1. params and flags of every file (a `-D` may set any of them), then their values;
//   2. the top-level statements the flags keep (dropped ones are linted, their declarations
//      remembered so uses of them get a precise note);
//   3. the variables `tunable` settings declare, so `tunables` can place them;
//   4. project, networks, sections (every env var is declared before any use is resolved);
//   5. services; 6. whole-deployment checks.
//
// Decision: a spec without `project` is an error (D0208) rather than a name guessed from the
// file name: the project name decides container and volume names, so it is never implicit.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "diag/suggest.hpp"
#include "sema/checks.hpp"
#include "sema/context.hpp"
#include "sema/sema.hpp"
#include "support/overloaded.hpp"

namespace deployc::sema {

using diag::Code;
using model::TypeKind;

// ---- keywords -----------------------------------------------------------------------------------

std::string_view where_name(Where where) {
  switch (where) {
    case Where::TopLevel:
      return "at the top level";
    case Where::Section:
      return "in a section";
    case Where::Group:
      return "in a group";
    case Where::Service:
      return "in a service";
    case Where::Environment:
      return "in an environment block";
    case Where::Project:
      return "in a project";
    case Where::Network:
      return "in a network";
    case Where::EnvBody:
      return "in an env declaration";
  }
  return "here";
}

const std::vector<std::string>& known_keywords(Where where) {
  static const std::vector<std::string> top{"project", "network", "section", "service", "preset",
                                            "volume",  "secret",  "config",  "host",    "allow"};
  static const std::vector<std::string> section{"group", "tunables", "use"};
  static const std::vector<std::string> group{"use"};
  static const std::vector<std::string> none{};
  static const std::vector<std::string> project{"title"};
  static const std::vector<std::string> network{"name", "driver", "internal"};
  static const std::vector<std::string> env_body{"example"};
  switch (where) {
    case Where::TopLevel:
      return top;
    case Where::Section:
      return section;
    case Where::Group:
      return group;
    case Where::Service:
      return service_setting_names();
    case Where::Environment:
      return none;
    case Where::Project:
      return project;
    case Where::Network:
      return network;
    case Where::EnvBody:
      return env_body;
  }
  return none;
}

namespace {

// Statement keywords that are not settings, by place, for "did you mean".
std::vector<std::string> statement_words(Where where) {
  switch (where) {
    case Where::TopLevel:
      return {"param", "flag", "import", "when"};
    case Where::Section:
    case Where::Group:
      return {"env", "when"};
    case Where::Service:
      return {"when"};
    default:
      return {};
  }
}

// The block a keyword opens, for linting dropped code.
std::optional<Where> child_where(Where where, std::string_view keyword) {
  if (where == Where::TopLevel) {
    if (keyword == "section") return Where::Section;
    if (keyword == "service") return Where::Service;
    if (keyword == "project") return Where::Project;
    if (keyword == "network") return Where::Network;
  }
  if (where == Where::Section && keyword == "group") return Where::Group;
  if (where == Where::Service && keyword == "environment") return Where::Environment;
  return std::nullopt;
}

std::string joined_backticked(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += fmt::format("`{}`", items[i]);
  }
  return out;
}

bool valid_env_name(std::string_view name) {
  return pattern::is_env_name(name);
}

}  // namespace

std::string env_prefix(std::string_view service) {
  // Rewritten in place: appending a character at a time checked the capacity at each one.
  std::string out(service);
  for (char& c : out) {
    if (c == '-' || c == '.')
      c = '_';
    else if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// ---- Context ------------------------------------------------------------------------------------

Context::Context(const Context& main, diag::DiagnosticEngine& engine)
    : sources(main.sources),
      options(main.options),
      diags(engine),
      params(main.params),
      flags(main.flags),
      env(main.env),
      env_used(main.env_used.size(), false),
      dropped_env(main.dropped_env, &table_arena),
      network_spans(main.network_spans),
      volume_spans(main.volume_spans),
      secret_spans(main.secret_spans),
      config_spans(main.config_spans),
      main_(&main) {}

std::string_view Context::copy(std::string_view text) {
  return out.text.keep(text);
}

// ---- names --------------------------------------------------------------------------------------

const ParamState* Context::find_param(std::string_view name) const {
  for (const auto& p : params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const FlagState* Context::find_flag(std::string_view name) const {
  for (const auto& f : flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<std::string> Context::param_names() const {
  std::vector<std::string> names;
  for (const auto& p : params) names.push_back(p.name);
  return names;
}

std::vector<std::string> Context::flag_names() const {
  std::vector<std::string> names;
  for (const auto& f : flags) names.push_back(f.name);
  return names;
}

std::vector<std::string> Context::env_names() const {
  std::vector<std::string> names;
  names.reserve(env.vars().size());
  for (const model::EnvVar& var : env.vars()) names.emplace_back(var.name);
  return names;
}

// ---- EnvTable -----------------------------------------------------------------------------------

std::uint64_t EnvTable::hash(std::string_view name) {
  // Eight bytes at a time, each word mixed in by a multiply, then a 64-bit finalizer (MurmurHash3's
  // fmix64): names share long prefixes (`SVC00042_…`) and differ in a few bytes anywhere.
  constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = name.size() * kMultiplier;
  std::uint64_t last = 0;
  if (name.size() >= 8) {
    for (std::size_t i = 0; i + 8 < name.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, name.data() + i, 8);
      h = (h ^ word) * kMultiplier;
      h ^= h >> 29;
    }
    // The last eight bytes, overlapping the words before when the size is not a multiple of 8.
    std::memcpy(&last, name.data() + name.size() - 8, 8);
  } else {
    for (std::size_t i = 0; i < name.size(); ++i) {
      last |= std::uint64_t{static_cast<unsigned char>(name[i])} << (8 * i);
    }
  }
  h = (h ^ last) * kMultiplier;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return h;
}

void EnvTable::reserve(std::size_t count) {
  std::size_t slot_count = 16;
  while (slot_count < count * 2) slot_count *= 2;  // at most half full: short probe runs
  if (slot_count > slots_.size()) rehash(slot_count);
}

void EnvTable::rehash(std::size_t slot_count) {
  std::vector<std::uint64_t> old = std::move(slots_);
  slots_.assign(slot_count, 0);
  const std::size_t mask = slot_count - 1;
  for (const std::uint64_t entry : old) {
    if (entry == 0) continue;
    const std::size_t index = static_cast<std::uint32_t>(entry) - 1;
    std::size_t slot = static_cast<std::size_t>(hash(vars_[index].name)) & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = entry;
  }
}

namespace {

// A table below 64 Ki slots (512 KB) stays in a core's own cache: there a look-up does not wait,
// and hashing the name twice would only add instructions.
constexpr std::size_t kPrefetchFromSlots = std::size_t{1} << 16;

}  // namespace

void EnvTable::prefetch(std::string_view name) const {
  if (slots_.size() >= kPrefetchFromSlots) prefetch_hashed(hash(name));
}

void EnvTable::prefetch_hashed(std::uint64_t name_hash) const {
  if (slots_.size() < kPrefetchFromSlots) return;
#if defined(__GNUC__)
  __builtin_prefetch(&slots_[static_cast<std::size_t>(name_hash) & (slots_.size() - 1)]);
#else
  (void)name_hash;
#endif
}

std::optional<std::size_t> EnvTable::find(std::string_view name) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint64_t h = hash(name);
  const std::uint64_t tag = h & 0xFFFFFFFF00000000ull;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = static_cast<std::size_t>(h) & mask;; slot = (slot + 1) & mask) {
    const std::uint64_t entry = slots_[slot];
    if (entry == 0) return std::nullopt;
    if ((entry & 0xFFFFFFFF00000000ull) != tag) continue;
    const std::size_t index = static_cast<std::uint32_t>(entry) - 1;
    if (vars_[index].name == name) return index;
  }
}

std::optional<std::size_t> EnvTable::insert(std::size_t index, std::uint64_t name_hash) {
  if ((size_ + 1) * 2 > slots_.size()) rehash(std::max<std::size_t>(16, slots_.size() * 2));
  const std::string_view name = vars_[index].name;
  const std::uint64_t h = name_hash;
  const std::uint64_t tag = h & 0xFFFFFFFF00000000ull;
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = static_cast<std::size_t>(h) & mask;
  for (; slots_[slot] != 0; slot = (slot + 1) & mask) {
    const std::uint64_t entry = slots_[slot];
    if ((entry & 0xFFFFFFFF00000000ull) != tag) continue;
    const std::size_t other = static_cast<std::uint32_t>(entry) - 1;
    if (vars_[other].name == name) return other;
  }
  slots_[slot] = tag | (static_cast<std::uint64_t>(index) + 1);
  ++size_;
  return std::nullopt;
}

void Context::suggest(diag::DiagnosticBuilder& builder, std::string_view name,
                      const std::vector<std::string>& candidates) {
  if (auto near = diag::closest(name, candidates))
    builder.help(fmt::format("did you mean `{}`?", *near));
}

// ---- values -------------------------------------------------------------------------------------

const ParamState* Context::param_seen_from(const PresetScope* in, std::string_view name) const {
  // In a preset: its own params first, then the spec's (root presets only: a module cannot
  // depend on the spec using it).
  const ParamState* p = in ? in->find(name) : nullptr;
  if (!p && (!in || in->sees_globals)) p = find_param(name);
  return p;
}

std::optional<std::string> Context::substitute(const ast::String& string, bool quiet) {
  if (quiet) return substitute_quietly(string, scope);
  if (const std::optional<std::string_view> literal = literal_text(string)) {
    return std::string(*literal);
  }
  std::string result;
  bool failed = false;
  for (const auto& part : string.parts) {
    std::visit(overloaded{[&](std::string_view text) { result += text; },
                          [&](const ast::Substitution& sub) {
                            const ParamState* p = param_seen_from(scope, sub.name.text());
                            if (p) {
                              result += p->value;
                              failed = failed || p->poisoned;
                              return;
                            }
                            failed = true;
                            auto b =
                                diags.report(Code::UnknownParam, sub.name.span, sub.name.text());
                            if (find_flag(sub.name.text())) {
                              b.help("flags cannot be substituted; use `when` to choose text");
                            } else if (scope && !scope->sees_globals &&
                                       find_param(sub.name.text())) {
                              b.help(fmt::format(
                                  "a module's preset sees only its own params: declare `param "
                                  "{}` in `{}` and pass it with `use {} {}=…`",
                                  sub.name.text(), scope->preset, scope->preset, sub.name.text()));
                            } else {
                              std::vector<std::string> names;
                              if (scope) {
                                for (const auto& sp : scope->params) names.push_back(sp.name);
                              }
                              if (!scope || scope->sees_globals) {
                                for (auto& n : param_names()) names.push_back(n);
                              }
                              suggest(b, sub.name.text(), names);
                            }
                          }},
               part);
  }
  if (failed) return std::nullopt;
  return result;
}

std::optional<std::string> Context::substitute_quietly(const ast::String& string,
                                                       const PresetScope* in) const {
  if (const std::optional<std::string_view> literal = literal_text(string)) {
    return std::string(*literal);
  }
  std::string result;
  for (const auto& part : string.parts) {
    if (const auto* text = std::get_if<std::string_view>(&part)) {
      result += *text;
      continue;
    }
    const ParamState* p = param_seen_from(in, std::get<ast::Substitution>(part).name.text());
    if (!p || p->poisoned) return std::nullopt;
    result += p->value;
  }
  return result;
}

const ast::Ident* Context::as_ident(const ast::Value& value) {
  return std::get_if<ast::Ident>(&value.node);
}

std::optional<std::string> Context::scalar_text(const ast::Value& value,
                                                std::string_view expected) {
  return std::visit(
      overloaded{
          [&](const ast::String& s) -> std::optional<std::string> { return substitute(s); },
          [&](const ast::Number& n) -> std::optional<std::string> { return std::string(n.text); },
          [&](const ast::Ident& i) -> std::optional<std::string> { return std::string(i.text()); },
          [&](const ast::List&) -> std::optional<std::string> {
            diags.report(Code::ExpectedValueKind, value.span(), expected, "a list");
            return std::nullopt;
          }},
      value.node);
}

void Context::report(const Problem& problem, Span span) {
  auto b = diags.report(problem.code, span, problem.subject, problem.detail);
  if (problem.help) b.help(*problem.help);
}

std::optional<std::string> Context::typed_text(const ast::Value& value, const model::Type& type) {
  std::string scratch;
  const std::optional<std::string_view> text = typed_view(value, type, scratch);
  if (!text) return std::nullopt;
  if (text->data() == scratch.data()) return scratch;
  return std::string(*text);
}

std::optional<std::string_view> Context::typed_view(const ast::Value& value,
                                                    const model::Type& type, std::string& scratch) {
  std::string_view text;
  if (const auto* list = std::get_if<ast::List>(&value.node)) {
    if (type.kind != TypeKind::List) {
      diags.report(Code::ExpectedValueKind, value.span(), type_noun(type), "a list");
      return std::nullopt;
    }
    // Each item is checked on its own; the joined text is not checked again.
    std::string joined;
    bool ok = true;
    static const model::Type unknown_element{};
    const model::Type& element = type.element.empty() ? unknown_element : type.element.front();
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      auto item = typed_text(list->items[i], element);
      if (!item) {
        ok = false;
        continue;
      }
      if (i) joined += ",";
      joined += *item;
    }
    if (!ok) return std::nullopt;
    scratch = std::move(joined);
    return std::string_view(scratch);
  }
  if (const auto* ident = as_ident(value)) {
    // A bare word is a value only where it cannot be a name: bools and enum members.
    const bool word_type =
        type.kind == TypeKind::Bool || type.kind == TypeKind::Enum ||
        (type.kind == TypeKind::List && !type.element.empty() &&
         (type.element[0].kind == TypeKind::Bool || type.element[0].kind == TypeKind::Enum));
    if (!word_type) {
      auto b = diags.report(Code::ExpectedValueKind, value.span(), type_noun(type),
                            fmt::format("identifier `{}`", ident->text()));
      b.help(fmt::format("write a quoted string: `\"{}\"`", ident->text()));
      return std::nullopt;
    }
    text = ident->text();
  } else if (const auto* string = std::get_if<ast::String>(&value.node)) {
    if (const std::optional<std::string_view> literal = literal_text(*string)) {
      text = *literal;
    } else {
      std::optional<std::string> substituted = substitute(*string);
      if (!substituted) return std::nullopt;
      scratch = std::move(*substituted);
      text = scratch;
    }
  } else {
    text = std::get<ast::Number>(value.node).text;
  }
  if (auto problem = check_text(type, text)) {
    report(*problem, value.span());
    return std::nullopt;
  }
  return text;
}

std::optional<std::string_view> Context::literal_text(const ast::String& string) {
  if (string.parts.empty()) return std::string_view();
  if (string.parts.size() > 1) return std::nullopt;
  if (const auto* text = std::get_if<std::string_view>(&string.parts[0])) return *text;
  return std::nullopt;
}

// ---- flags and blocks ---------------------------------------------------------------------------

bool Context::keeps_quietly(const ast::When& when) const {
  const FlagState* flag = find_flag(when.flag.text());
  return flag && flag->value != when.negated;
}

bool Context::when_active(const ast::When& when, bool quiet) {
  const FlagState* flag = find_flag(when.flag.text());
  if (!flag) {
    if (!quiet) {
      auto b = diags.report(Code::UnknownFlag, when.flag.span, when.flag.text());
      if (find_param(when.flag.text())) {
        b.help(fmt::format("`{}` is a param; `when` takes a flag", when.flag.text()));
      } else {
        suggest(b, when.flag.text(), flag_names());
      }
    }
    return false;
  }
  return flag->value != when.negated;
}

bool Context::keeps(const ast::When& when, Where where) {
  if (when_active(when)) return true;
  lint(when.body.stmts, where, Dropped{when.flag.text(), when.negated});
  return false;
}

bool Context::read_later(const ast::Stmt& stmt, Where where) {
  return is_allow(stmt) && (where == Where::TopLevel || where == Where::Service);
}

void Context::lint(std::span<const ast::Stmt> stmts, Where where, const Dropped& why) {
  auto note_names_in = [&](const ast::Value& value) {
    if (const auto* ident = as_ident(value)) names_used_in_dropped_code.emplace(ident->text());
  };
  for (const ast::Stmt& stmt : stmts) {
    if (is_allow(stmt) && (where == Where::TopLevel || where == Where::Service)) continue;
    std::visit(
        overloaded{[&](const ast::When& when) {
                     when_active(when);  // reports an unknown flag; the block is dropped either way
                     lint(when.body.stmts, where, why);
                   },
                   [&](const ast::EnvDecl& decl) { dropped_env.emplace(decl.name.text(), why); },
                   [&](const ast::Setting& setting) {
                     if (where == Where::Environment) {
                       names_used_in_dropped_code.emplace(setting.keyword.text());
                       if (setting.assigned) note_names_in(*setting.assigned);
                       return;
                     }
                     for (const ast::Arg& arg : setting.args) note_names_in(arg.value);
                     const auto& known = known_keywords(where);
                     if (std::find(known.begin(), known.end(), setting.keyword.text()) ==
                         known.end()) {
                       unknown_setting(setting.keyword, where);
                       return;
                     }
                     if (where == Where::TopLevel && setting.keyword.text() == "service" &&
                         !setting.args.empty()) {
                       if (const auto* name = as_ident(setting.args.front().value)) {
                         dropped_services.emplace(name->text(), why);
                       }
                     }
                     if (setting.body) {
                       if (auto child = child_where(where, setting.keyword.text())) {
                         lint(setting.body->stmts, *child, why);
                       }
                     }
                   },
                   [&](const auto&) {}},
        stmt.node);
  }
}

void Context::unknown_setting(const ast::Ident& keyword, Where where) {
  // A keyword of another place is misplaced, not unknown.
  for (Where other :
       {Where::TopLevel, Where::Section, Where::Service, Where::Project, Where::Network}) {
    if (other == where) continue;
    const auto& known = known_keywords(other);
    if (std::find(known.begin(), known.end(), keyword.text()) != known.end()) {
      diags.report(Code::Misplaced, keyword.span, keyword.text(), where_name(where))
          .help(fmt::format("`{}` belongs {}", keyword.text(), where_name(other)));
      return;
    }
  }
  std::vector<std::string> candidates = known_keywords(where);
  for (auto& w : statement_words(where)) candidates.push_back(w);
  auto b = diags.report(Code::UnknownSetting, keyword.span, keyword.text(), where_name(where));
  suggest(b, keyword.text(), candidates);
}

void Context::misplaced(const ast::Stmt& stmt, Where where) {
  const std::string place(where_name(where));
  std::visit(
      overloaded{[&](const ast::Param& p) {
                   diags.report(Code::Misplaced, p.name.span, "param", place)
                       .help("declare params at the top level of the file, outside any `when`");
                 },
                 [&](const ast::Flag& f) {
                   diags.report(Code::Misplaced, f.name.span, "flag", place)
                       .help("declare flags at the top level of the file, outside any `when`");
                 },
                 [&](const ast::Import& i) {
                   diags.report(Code::Misplaced, i.path.span, "import", place)
                       .help("imports go at the top level of the file");
                 },
                 [&](const ast::EnvDecl& e) {
                   diags.report(Code::Misplaced, e.name.span, "env", place)
                       .help("declare env vars inside a `section \"…\" { … }`");
                 },
                 [&](const ast::When&) {},
                 [&](const ast::Setting& s) { unknown_setting(s.keyword, where); }},
      stmt.node);
}

Args Context::split(const ast::Setting& setting, std::initializer_list<std::string_view> keys,
                    std::size_t max_positional, bool block_allowed) {
  Args result;
  const std::string_view keyword = setting.keyword.text();
  if (setting.assigned) {
    diags.report(Code::UnexpectedAssignment, setting.assigned->span(), keyword)
        .help(fmt::format("write `{} {}`", keyword, sources.text(setting.assigned->span())));
    if (max_positional > 0) {
      result.recovered =
          std::make_shared<const ast::Arg>(ast::Arg{std::nullopt, *setting.assigned});
      result.positional.push_back(result.recovered.get());
    }
  }
  if (setting.body && !block_allowed) {
    diags.report(Code::UnexpectedBlock, setting.body->span, keyword);
  }
  for (const ast::Arg& arg : setting.args) {
    if (!arg.key) {
      if (result.positional.size() >= max_positional) {
        diags.report(Code::UnexpectedArgument, arg.span(), sources.text(arg.span()), keyword);
        continue;
      }
      result.positional.push_back(&arg);
      continue;
    }
    const std::string_view key = arg.key->text();
    if (std::none_of(keys.begin(), keys.end(),
                     [&](std::string_view known) { return is_word(key, known); })) {
      const std::vector<std::string> key_names(keys.begin(), keys.end());
      auto b = diags.report(Code::UnknownKey, arg.key->span, key, keyword);
      if (auto near = diag::closest(key, key_names)) {
        b.help(fmt::format("did you mean `{}`?", *near));
      } else if (!key_names.empty()) {
        b.help(fmt::format("`{}` takes {}", keyword, joined_backticked(key_names)));
      }
      continue;
    }
    if (const ast::Arg* first = result.key(key)) {
      diags.report(Code::Duplicate, arg.key->span, "key", key)
          .label(first->key->span, "first set here");
      continue;
    }
    result.keyed.push_back(&arg);
  }
  return result;
}

// ---- env ----------------------------------------------------------------------------------------

std::optional<std::size_t> Context::use_env(const ast::Ident& name,
                                            std::initializer_list<TypeKind> accepted,
                                            std::string_view user) {
  if (const std::optional<std::size_t> index = env.find(name.text())) {
    env_used[*index] = true;
    const model::EnvVar& var = env.vars()[*index];
    if (accepted.size() &&
        std::find(accepted.begin(), accepted.end(), var.type->kind) == accepted.end()) {
      std::vector<std::string> nouns;
      for (TypeKind k : accepted) nouns.push_back(type_display(model::Type{k, {}, {}}));
      std::string wanted;
      for (std::size_t i = 0; i < nouns.size(); ++i) {
        if (i) wanted += i + 1 == nouns.size() ? " or " : ", ";
        wanted += fmt::format("`{}`", nouns[i]);
      }
      diags
          .report(Code::EnvTypeMismatch, name.span, name.text(), type_display(*var.type), user,
                  wanted)
          .label(var.origin, "declared here");
    }
    return index;
  }
  auto b = diags.report(Code::UndeclaredEnv, name.span, name.text());
  if (auto it = dropped_env.find(name.text()); it != dropped_env.end()) {
    b.note(fmt::format("`{}` is declared only when `{}` is {}", name.text(), it->second.flag,
                       it->second.negated ? "off" : "on"));
  } else if (auto near = diag::closest(name.text(), env_names())) {
    b.help(fmt::format("did you mean `{}`?", *near));
  } else {
    b.help(fmt::format("declare it in a section: `env {}: string`", name.text()));
  }
  return std::nullopt;
}

// ---- types --------------------------------------------------------------------------------------

namespace {

struct TypeResult {
  model::Type type;
  bool ok = true;
};

TypeResult resolve_type(Context& ctx, const ast::TypeExpr& expr) {
  static constexpr std::pair<std::string_view, TypeKind> kinds[]{
      {"string", TypeKind::String}, {"int", TypeKind::Int},           {"bool", TypeKind::Bool},
      {"port", TypeKind::Port},     {"duration", TypeKind::Duration}, {"memory", TypeKind::Memory},
      {"cpu", TypeKind::Cpu},       {"url", TypeKind::Url},           {"host", TypeKind::Host},
      {"list", TypeKind::List},     {"enum", TypeKind::Enum},         {"path", TypeKind::Path},
      {"image", TypeKind::Image}};
  const std::string_view name = expr.name.text();
  const auto* found = std::find_if(std::begin(kinds), std::end(kinds),
                                   [&](const auto& k) { return k.first == name; });
  if (found == std::end(kinds)) {
    auto b = ctx.diags.report(Code::UnknownType, expr.name.span, name);
    if (name == "secret") {
      b.help("`secret` is a modifier: write `string secret`");
    } else {
      std::vector<std::string> names;
      for (const auto& k : kinds) names.emplace_back(k.first);
      Context::suggest(b, name, names);
    }
    return {model::Type{}, false};
  }
  TypeResult result;
  result.type.kind = found->second;
  if (found->second == TypeKind::Url || found->second == TypeKind::Enum) {
    result.type.options.reserve(expr.args.size());  // schemes, members: one each
  }
  auto bad = [&](std::string_view why) {
    ctx.diags.report(Code::BadTypeArguments, expr.span, name, why);
    result.ok = false;
  };
  switch (found->second) {
    case TypeKind::Url: {
      for (const auto& arg : expr.args) {
        const std::string_view scheme = arg.name.text();
        if (!arg.args.empty() || !pattern::is_lowercase_url_scheme(scheme)) {
          ctx.diags
              .report(
                  Code::BadTypeArguments, arg.span, name,
                  fmt::format("takes url schemes, and `{}` is not one", ctx.sources.text(arg.span)))
              .help("schemes are lowercase, like `https` or `postgresql+asyncpg`");
          result.ok = false;
          continue;
        }
        if (std::find(result.type.options.begin(), result.type.options.end(), scheme) !=
            result.type.options.end()) {
          ctx.diags.report(Code::Duplicate, arg.span, "url scheme", scheme);
          continue;
        }
        result.type.options.emplace_back(scheme);
      }
      break;
    }
    case TypeKind::Enum: {
      if (expr.args.empty()) bad("needs members: `enum(a|b)`");
      for (const auto& arg : expr.args) {
        if (!arg.args.empty()) {
          ctx.diags.report(Code::BadTypeArguments, arg.span, name, "members are plain words");
          result.ok = false;
          continue;
        }
        if (std::find(result.type.options.begin(), result.type.options.end(), arg.name.text()) !=
            result.type.options.end()) {
          ctx.diags.report(Code::Duplicate, arg.span, "enum member", arg.name.text());
          continue;
        }
        result.type.options.emplace_back(arg.name.text());
      }
      break;
    }
    case TypeKind::List: {
      if (expr.args.size() != 1) {
        bad("needs exactly one element type: `list<host>`");
        break;
      }
      TypeResult element = resolve_type(ctx, expr.args.front());
      if (element.ok && element.type.kind == TypeKind::List) {
        ctx.diags.report(Code::BadTypeArguments, expr.args.front().span, name,
                         "cannot hold lists: env values are one comma-separated list");
        element.ok = false;
      }
      result.ok = result.ok && element.ok;
      result.type.element.push_back(element.ok ? element.type : model::Type{});
      break;
    }
    default:
      if (!expr.args.empty()) bad("takes no arguments");
      break;
  }
  return result;
}

}  // namespace

std::optional<model::Type> resolve_type_expr(Context& ctx, const ast::TypeExpr& expr) {
  TypeResult result = resolve_type(ctx, expr);
  if (!result.ok) return std::nullopt;
  return result.type;
}

namespace {

// ---- phase 1: params and flags
// -------------------------------------------------------------------

struct Declarations {
  std::vector<const ast::Param*> params;  // parallel to ctx.params
};

Declarations declare_params_and_flags(Context& ctx, const std::vector<ast::File>& files) {
  Declarations decls;
  auto first_span = [&](std::string_view name) -> std::optional<Span> {
    if (const ParamState* p = ctx.find_param(name)) return p->span;
    if (const FlagState* f = ctx.find_flag(name)) return f->span;
    return std::nullopt;
  };
  for (const ast::File& file : files) {
    if (&file != &files.back()) continue;  // modules declare presets only (declare_presets)
    for (const ast::Stmt& stmt : file.stmts) {
      if (const auto* param = std::get_if<ast::Param>(&stmt.node)) {
        if (auto first = first_span(param->name.text())) {
          ctx.diags.report(Code::Duplicate, param->name.span, "param", param->name.text())
              .label(*first, "first declared here");
          continue;
        }
        TypeResult type = resolve_type(ctx, *param->type);
        ctx.params.push_back(ParamState{std::string(param->name.text()),
                                        type.ok ? type.type : model::Type{},
                                        {},
                                        false,
                                        false,
                                        param->name.span});
        decls.params.push_back(param);
      } else if (const auto* flag = std::get_if<ast::Flag>(&stmt.node)) {
        if (auto first = first_span(flag->name.text())) {
          ctx.diags.report(Code::Duplicate, flag->name.span, "flag", flag->name.text())
              .label(*first, "first declared here");
          continue;
        }
        bool value = false;
        if (flag->default_value) {
          const auto* ident = Context::as_ident(*flag->default_value);
          if (ident && (ident->text() == "true" || ident->text() == "false")) {
            value = ident->text() == "true";
          } else {
            const std::string text(ctx.sources.text(flag->default_value->span()));
            Problem p = check_text(model::Type{TypeKind::Bool, {}, {}}, text)
                            .value_or(Problem{Code::InvalidBool, text, {}, std::nullopt});
            p.help = p.help.value_or("a flag is `true` or `false`");
            ctx.report(p, flag->default_value->span());
          }
        }
        ctx.flags.push_back(FlagState{std::string(flag->name.text()), value, flag->name.span});
      }
    }
  }
  return decls;
}

void apply_defines(Context& ctx, std::vector<bool>& defined) {
  for (const Define& define : ctx.options.defines) {
    if (ctx.find_flag(define.name)) {
      auto it = std::find_if(ctx.flags.begin(), ctx.flags.end(),
                             [&](const FlagState& f) { return f.name == define.name; });
      std::string l = define.value;
      std::transform(l.begin(), l.end(), l.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      });
      if (l == "true" || l == "yes") {
        it->value = true;
      } else if (l == "false" || l == "no") {
        it->value = false;
      } else {
        ctx.diags
            .report_global(Code::InvalidDefineValue, define.name, define.value,
                           fmt::format("`{}` is a flag", define.name))
            .help("write `true`, `false`, `yes` or `no`");
      }
      continue;
    }
    auto it = std::find_if(ctx.params.begin(), ctx.params.end(),
                           [&](const ParamState& p) { return p.name == define.name; });
    if (it == ctx.params.end()) {
      std::vector<std::string> names = ctx.param_names();
      for (auto& f : ctx.flag_names()) names.push_back(f);
      auto b = ctx.diags.report_global(Code::UnknownDefine, define.name);
      if (auto near = diag::closest(define.name, names)) {
        b.help(fmt::format("did you mean `-D {}`?", *near));
      } else if (!names.empty()) {
        b.note(fmt::format("the spec declares {}", joined_backticked(names)));
      }
      continue;
    }
    // The value is kept even when invalid, so substitutions do not add follow-on errors.
    it->value = define.value;
    it->has_value = true;
    it->poisoned = false;
    defined[static_cast<std::size_t>(it - ctx.params.begin())] = true;
    if (auto problem = check_text(it->type, define.value)) {
      it->poisoned = true;
      auto b = ctx.diags.report_global(Code::InvalidDefineValue, define.name, define.value,
                                       render(*problem));
      if (problem->help) b.help(*problem->help);
    }
  }
}

void evaluate_params(Context& ctx, const Declarations& decls, const std::vector<bool>& defined) {
  // In declaration order: a default may substitute params declared above it.
  for (std::size_t i = 0; i < ctx.params.size(); ++i) {
    if (defined[i]) continue;
    const ast::Param& decl = *decls.params[i];
    if (!decl.default_value) {
      ctx.diags.report(Code::MissingParamValue, decl.name.span, decl.name.text())
          .help(fmt::format("give it a default, or pass `-D {}=…`", decl.name.text()));
      ctx.params[i].has_value = true;
      ctx.params[i].poisoned = true;
      continue;
    }
    const model::Type type = ctx.params[i].type;
    if (auto text = ctx.typed_text(*decl.default_value, type)) {
      ctx.params[i].value = *text;
    } else {
      ctx.params[i].poisoned = true;
    }
    ctx.params[i].has_value = true;
  }
}

// ---- phase 4: project, networks, sections
// --------------------------------------------------------

void analyze_project(Context& ctx, const ast::Setting& setting, std::optional<Span>& seen) {
  const Args args = ctx.split(setting, {}, 1, true);
  if (seen) {
    ctx.diags.report(Code::Duplicate, setting.keyword.span, "declaration", "project")
        .label(*seen, "first declared here");
    return;
  }
  seen = setting.keyword.span;
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, setting.keyword.span, "project",
                     "a name: `project \"shop\"`");
  } else if (const auto* name = std::get_if<ast::String>(&args.positional[0]->value.node)) {
    ctx.out.project = ctx.substitute(*name).value_or("");
    if (!ctx.out.project.empty() && !is_valid_project_name(ctx.out.project)) {
      auto b = ctx.diags.report(Code::InvalidProjectName, name->span, ctx.out.project);
      const std::string fixed = normalise_project_name(ctx.out.project);
      b.note(
          "Compose project names are lowercase letters, digits, `-` and `_`, starting with a "
          "letter or digit");
      if (!fixed.empty()) b.help(fmt::format("write `{}`", fixed));
    }
  } else {
    ctx.diags.report(Code::ExpectedValueKind, args.positional[0]->span(), "a quoted project name",
                     fmt::format("`{}`", ctx.sources.text(args.positional[0]->span())));
  }
  std::optional<Span> title_seen;
  if (setting.body) {
    ctx.walk(*setting.body, Where::Project, [&](const ast::Stmt& stmt) {
      const auto* s = std::get_if<ast::Setting>(&stmt.node);
      if (!s) return ctx.misplaced(stmt, Where::Project);
      if (s->keyword.text() != "title") return ctx.unknown_setting(s->keyword, Where::Project);
      const Args title = ctx.split(*s, {}, 1);
      if (title_seen) {
        ctx.diags.report(Code::Duplicate, s->keyword.span, "setting", "title")
            .label(*title_seen, "first set here");
        return;
      }
      title_seen = s->keyword.span;
      if (title.positional.empty()) {
        ctx.diags.report(Code::MissingArgument, s->keyword.span, "title", "a quoted title");
      } else if (auto text = ctx.scalar_text(title.positional[0]->value, "a title")) {
        ctx.out.title = *text;
      }
    });
  }
  if (!title_seen) ctx.out.title = ctx.out.project;
}

void analyze_network(Context& ctx, const ast::Setting& setting) {
  const Args args = ctx.split(setting, {}, 1, true);
  const ast::Ident* key =
      args.positional.empty() ? nullptr : Context::as_ident(args.positional[0]->value);
  if (!key) {
    ctx.diags.report(Code::MissingArgument, setting.keyword.span, "network",
                     "a key: `network main { … }`");
    return;
  }
  if (auto it = ctx.network_spans.find(key->text()); it != ctx.network_spans.end()) {
    ctx.diags.report(Code::Duplicate, key->span, "network", key->text())
        .label(it->second, "first declared here");
    return;
  }
  ctx.network_spans.emplace(key->text(), key->span);
  model::Network network;
  network.key = key->text();
  std::map<std::string, Span> seen;
  if (setting.body) {
    ctx.walk(*setting.body, Where::Network, [&](const ast::Stmt& stmt) {
      const auto* s = std::get_if<ast::Setting>(&stmt.node);
      if (!s) return ctx.misplaced(stmt, Where::Network);
      const std::string kw(s->keyword.text());
      const auto& known = known_keywords(Where::Network);
      if (std::find(known.begin(), known.end(), kw) == known.end()) {
        return ctx.unknown_setting(s->keyword, Where::Network);
      }
      if (auto it = seen.find(kw); it != seen.end()) {
        ctx.diags.report(Code::Duplicate, s->keyword.span, "setting", kw)
            .label(it->second, "first set here");
        return;
      }
      seen.emplace(kw, s->keyword.span);
      const Args a = ctx.split(*s, {}, kw == "internal" ? 0 : 1);
      if (kw == "internal") {
        network.internal = true;
        return;
      }
      if (a.positional.empty()) {
        ctx.diags.report(Code::MissingArgument, s->keyword.span, kw,
                         kw == "name" ? "a quoted name" : "a driver: `bridge`");
        return;
      }
      const ast::Value& value = a.positional[0]->value;
      if (kw == "name") {
        auto text = ctx.scalar_text(value, "a network name");
        if (!text) return;
        if (!pattern::is_object_name(*text)) {
          ctx.diags.report(Code::InvalidName, value.span(), *text, "network name")
              .help("use letters, digits, `_`, `.` and `-`, starting with a letter or digit");
          return;
        }
        network.name = *text;
      } else {
        static const std::vector<std::string> drivers{"bridge", "overlay", "host",
                                                      "none",   "macvlan", "ipvlan"};
        auto text = ctx.scalar_text(value, "a network driver");
        if (!text) return;
        if (std::find(drivers.begin(), drivers.end(), *text) == drivers.end()) {
          auto b = ctx.diags.report(Code::InvalidChoice, value.span(), *text, "network driver");
          if (auto near = diag::closest(*text, drivers)) {
            b.help(fmt::format("did you mean `{}`?", *near));
          } else {
            b.help(fmt::format("expected one of {}", joined_backticked(drivers)));
          }
          return;
        }
        network.driver = *text;
      }
    });
  }
  ctx.out.networks.push_back(std::move(network));
}

/// The doc comments of `stmt`, as the model keeps them (Deployment::lines).
model::Lines doc_lines(Context& ctx, const ast::Stmt& stmt) {
  const std::span<std::string_view> lines = ctx.out.lines.make(stmt.doc.size());
  for (std::size_t i = 0; i < lines.size(); ++i) lines[i] = ctx.keep(stmt.doc[i].text);
  return lines;
}

/// Registers the variable last appended to `ctx.out.env`, where it is built in place (an EnvVar
/// is large, and moving it in costs more than building it there), its name and origin already
/// set. When the name is taken, it is reported and the variable removed again: nullopt.
/// `name_hash`: EnvTable::hash of its name.
std::optional<std::size_t> declare_last(Context& ctx, std::uint64_t name_hash) {
  const std::size_t index = ctx.out.env.size() - 1;
  if (const std::optional<std::size_t> first = ctx.env.insert(index, name_hash)) {
    const model::EnvVar& var = ctx.out.env.back();
    auto b = ctx.diags.report(Code::Duplicate, var.origin, "env var", var.name);
    b.label(ctx.out.env[*first].origin, ctx.out.env[*first].derived
                                            ? "first declared here, by a `tunable` setting"
                                            : "first declared here");
    ctx.out.env.pop_back();
    return std::nullopt;
  }
  ctx.env_used.push_back(ctx.out.env.back().derived);
  return index;
}

std::optional<std::size_t> declare_env(Context& ctx, const ast::Stmt& stmt,
                                       const ast::EnvDecl& decl) {
  // Registered at the end (declare_last): its slot is loaded meanwhile.
  const std::uint64_t name_hash = EnvTable::hash(decl.name.text());
  ctx.env.prefetch_hashed(name_hash);
  model::EnvVar& var = ctx.out.env.emplace_back();  // see declare_last
  var.name = ctx.keep(decl.name.text());
  var.origin = decl.name.span;
  var.doc = doc_lines(ctx, stmt);
  if (!valid_env_name(var.name)) {
    std::string fixed(var.name);
    for (char& c : fixed) {
      if (c == '-' || c == '.') c = '_';
    }
    auto b = ctx.diags.report(Code::InvalidEnvName, decl.name.span, var.name);
    b.note("Compose can only substitute names of letters, digits and `_`");
    if (valid_env_name(fixed)) b.help(fmt::format("write `{}`", fixed));
  }
  // A TypeResult only where the type is resolved: building and destroying its empty vectors
  // for every declaration cost more than the look-up of a type resolved before.
  bool type_ok = true;
  const std::string_view type_text = ctx.sources.text(decl.type->span);
  if (auto known = ctx.resolved_types.find(type_text); known != ctx.resolved_types.end()) {
    var.type = known->second;
  } else {
    const std::size_t reported = ctx.diags.unsorted().size();
    TypeResult type = resolve_type(ctx, *decl.type);
    type_ok = type.ok;
    var.type = &ctx.out.types.emplace_back(std::move(type.type));
    if (type_ok && ctx.diags.unsorted().size() == reported) {
      ctx.resolved_types.emplace(type_text, var.type);
    }
  }

  // Modifiers: `secret`, `optional`, `example="…"`.
  const ast::Arg* secret_arg = nullptr;
  const ast::Arg* optional_arg = nullptr;
  const ast::Value* example = nullptr;
  static const std::vector<std::string> modifiers{"secret", "optional", "example"};
  for (const ast::Arg& arg : decl.args) {
    const ast::Ident* word = arg.key ? nullptr : Context::as_ident(arg.value);
    const std::string_view name = arg.key ? std::string_view(arg.key->text())
                                  : word  ? std::string_view(word->text())
                                          : std::string_view();
    const ast::Arg** slot = is_word(name, "secret") && !arg.key     ? &secret_arg
                            : is_word(name, "optional") && !arg.key ? &optional_arg
                                                                    : nullptr;
    if (slot) {
      if (*slot) {
        ctx.diags.report(Code::Duplicate, arg.span(), "modifier", name)
            .label((*slot)->span(), "first written here");
      }
      *slot = &arg;
      continue;
    }
    if (arg.key && is_word(name, "example")) {
      if (example) {
        ctx.diags.report(Code::Duplicate, arg.key->span, "key", "example")
            .label(example->span(), "first set here");
        continue;
      }
      example = &arg.value;
      continue;
    }
    if (arg.key) {
      auto b = ctx.diags.report(Code::UnknownKey, arg.key->span, name, "env");
      Context::suggest(b, name, modifiers);
    } else {
      auto b = ctx.diags.report(Code::UnexpectedArgument, arg.span(), ctx.sources.text(arg.span()),
                                "env");
      if (word) Context::suggest(b, word->text(), modifiers);
    }
  }
  if (decl.body) {
    ctx.walk(*decl.body, Where::EnvBody, [&](const ast::Stmt& inner) {
      const auto* s = std::get_if<ast::Setting>(&inner.node);
      if (!s) return ctx.misplaced(inner, Where::EnvBody);
      if (!is_word(s->keyword.text(), "example"))
        return ctx.unknown_setting(s->keyword, Where::EnvBody);
      const Args a = ctx.split(*s, {}, 1);
      if (a.positional.empty()) {
        ctx.diags.report(Code::MissingArgument, s->keyword.span, "example", "a value");
        return;
      }
      if (example) {
        ctx.diags.report(Code::Duplicate, s->keyword.span, "key", "example")
            .label(example->span(), "first set here");
        return;
      }
      example = &a.positional[0]->value;
    });
  }
  var.secret = secret_arg != nullptr;

  if (decl.default_value) {
    const ast::Value& value = *decl.default_value;
    if (var.secret) {
      ctx.diags.report(Code::SecretWithDefault, value.span(), var.name)
          .label(secret_arg->span(), "declared secret here")
          .help(
              "a secret's value comes only from the environment: put a placeholder in "
              "`example` instead");
    }
    if (optional_arg) {
      ctx.diags.report(Code::DefaultAndOptional, optional_arg->span(), var.name)
          .help("remove `optional`: a default already lets it be unset");
    }
    std::string scratch;
    std::optional<std::string_view> text;
    if (type_ok) {
      text = ctx.typed_view(value, *var.type, scratch);
    } else if (auto untyped = ctx.scalar_text(value, "a value")) {
      scratch = std::move(*untyped);
      text = scratch;
    }
    if (text) {
      if (!var.secret && looks_like_credential(*text)) {
        ctx.diags.report(Code::CredentialInLiteral, value.span(), var.name)
            .help(fmt::format("declare `{}` as a `secret` without default", var.name));
      }
      var.default_value = ctx.keep(*text);
    }
    var.presence = model::EnvVar::Presence::Defaulted;
  } else if (optional_arg) {
    var.presence = model::EnvVar::Presence::Optional;
  }
  if (example) {
    std::string scratch;
    std::optional<std::string_view> text;
    if (!type_ok) {
      if (auto untyped = ctx.scalar_text(*example, "a value")) {
        scratch = std::move(*untyped);
        text = scratch;
      }
    } else {
      text = ctx.typed_view(*example, *var.type, scratch);
    }
    if (text) {
      if (var.secret && text->find("CHANGE_ME") == std::string::npos) {
        ctx.diags.report(Code::SecretExampleWithoutPlaceholder, example->span(), var.name)
            .help(
                "write `CHANGE_ME` where the real secret goes, so a copied example cannot be "
                "deployed as is");
      }
      var.example = ctx.keep(*text);
    }
  }
  return declare_last(ctx, name_hash);
}

/// How many env declarations `stmts` hold, in any block and in the `when` blocks the flags
/// keep: what the env tables will hold, give or take presets and duplicates, so they can be
/// sized once and exactly (an EnvVar is over 200 bytes).
std::size_t count_env_decls(Context& ctx, std::span<const ast::Stmt> stmts) {
  std::size_t count = 0;
  for (const ast::Stmt& stmt : stmts) {
    if (std::holds_alternative<ast::EnvDecl>(stmt.node)) {
      ++count;
    } else if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
      if (ctx.when_active(*when, /*quiet=*/true)) count += count_env_decls(ctx, when->body.stmts);
    } else if (const auto* setting = std::get_if<ast::Setting>(&stmt.node)) {
      if (setting->body) count += count_env_decls(ctx, setting->body->stmts);
    }
  }
  return count;
}

/// How many statements of a body the flags keep, `when` blocks flattened: the size of its
/// expansion when it uses no preset (one more per `use` otherwise is a guess either way).
std::size_t count_kept(Context& ctx, std::span<const ast::Stmt> stmts) {
  std::size_t count = 0;
  for (const ast::Stmt& stmt : stmts) {
    if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
      if (ctx.when_active(*when, /*quiet=*/true)) count += count_kept(ctx, when->body.stmts);
    } else {
      ++count;
    }
  }
  return count;
}

/// "Backend Resources": the heading of the variables a service's `tunable` settings declare.
std::string_view resources_heading(Context& ctx, std::string_view service) {
  constexpr std::string_view kSuffix = " Resources";
  // Composed in a buffer kept between calls: only the model's copy stays, and a string of its
  // own cost an allocation per service.
  thread_local std::string out;
  out.assign(service).append(kSuffix);
  if (out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return ctx.out.text.keep(out);
}

/// Declares the variables of ctx.derived in `section`. Runs once (at `tunables`, or at the end
/// without one), so ctx.derived is released.
void place_derived(Context& ctx, model::EnvSection& section) {
  section.groups.reserve(section.groups.size() + ctx.derived.size());
  for (DerivedGroup& group : ctx.derived) {
    model::EnvGroup out;
    const std::string_view heading = resources_heading(ctx, group.service);
    out.heading = ctx.out.lines.keep({&heading, 1});
    out.vars.reserve(group.vars.size());
    for (const DerivedVar& d : group.vars) {
      model::EnvVar& var = ctx.out.env.emplace_back();  // see declare_last
      var.name = d.name;
      var.type = &plain_type(d.kind);
      var.presence = model::EnvVar::Presence::Defaulted;
      var.default_value = d.default_value;
      var.derived = true;
      var.origin = d.span;
      if (auto index = declare_last(ctx, EnvTable::hash(var.name))) out.vars.push_back(*index);
    }
    if (!out.vars.empty()) section.groups.push_back(std::move(out));
  }
  std::vector<DerivedGroup>().swap(ctx.derived);
}

void analyze_section(Context& ctx, const ast::Setting& setting, std::optional<Span>& tunables_seen,
                     std::map<std::string, Span>& titles) {
  const Args args = ctx.split(setting, {}, 1, true);
  model::EnvSection section;
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, setting.keyword.span, "section",
                     "a title: `section \"Required configuration\" { … }`");
  } else if (auto title = ctx.scalar_text(args.positional[0]->value, "a section title")) {
    section.title = *title;
    if (auto it = titles.find(section.title); it != titles.end()) {
      ctx.diags.report(Code::Duplicate, args.positional[0]->span(), "section", section.title)
          .label(it->second, "first declared here");
    } else {
      titles.emplace(section.title, args.positional[0]->span());
    }
  }
  if (!setting.body) {
    ctx.diags.report(Code::MissingBlock, setting.keyword.span, "section");
    return;
  }
  // `use` splices a preset's env declarations where it stands.
  const std::span<const ast::Stmt> body = setting.body->stmts;
  section.groups.reserve(count_kept(ctx, body));  // at most one group per statement
  each_expanded(ctx, body, Where::Section, [&](const Expanded& entry) {
    const ScopeGuard guard(ctx, entry.scope);
    const ast::Stmt& stmt = *entry.stmt;
    if (const auto* decl = std::get_if<ast::EnvDecl>(&stmt.node)) {
      // An env outside a group is a group of its own, without heading.
      if (auto index = declare_env(ctx, stmt, *decl)) section.groups.push_back({{}, {*index}});
      return;
    }
    const auto* s = std::get_if<ast::Setting>(&stmt.node);
    if (!s) {
      ctx.misplaced(stmt, Where::Section);
      return;
    }
    if (is_word(s->keyword.text(), "tunables")) {
      ctx.split(*s, {}, 0);
      if (tunables_seen) {
        ctx.diags.report(Code::Duplicate, s->keyword.span, "statement", "tunables")
            .label(*tunables_seen, "first written here");
        return;
      }
      tunables_seen = s->keyword.span;
      place_derived(ctx, section);
      return;
    }
    if (!is_word(s->keyword.text(), "group")) {
      ctx.unknown_setting(s->keyword, Where::Section);
      return;
    }
    ctx.split(*s, {}, 0, true);
    if (!s->body) {
      ctx.diags.report(Code::MissingBlock, s->keyword.span, "group");
      return;
    }
    model::EnvGroup group;
    group.heading = doc_lines(ctx, stmt);
    group.vars.reserve(count_kept(ctx, s->body->stmts));
    each_expanded(ctx, s->body->stmts, Where::Group, [&](const Expanded& inner_entry) {
      const ScopeGuard inner_guard(ctx, inner_entry.scope);
      const ast::Stmt& inner = *inner_entry.stmt;
      if (const auto* d = std::get_if<ast::EnvDecl>(&inner.node)) {
        if (auto index = declare_env(ctx, inner, *d)) group.vars.push_back(*index);
        return;
      }
      ctx.misplaced(inner, Where::Group);
    });
    if (!group.vars.empty()) section.groups.push_back(std::move(group));
  });
  if (!section.groups.empty()) ctx.out.sections.push_back(std::move(section));
}

/// Silences the warnings the spec allows everywhere while it is checked; the command line's
/// policy is back once the analysis ends, for what the driver reports after it.
class SilencedWhileChecking {
 public:
  SilencedWhileChecking(diag::DiagnosticEngine& diags, const std::vector<Allow>& allows)
      : diags_(diags), given_(diags.policy()) {
    diag::WarningPolicy policy = given_;
    for (const Allow& allow : allows) {
      if (allow.everywhere) policy.silenced.insert(allow.code);
    }
    diags_.set_policy(std::move(policy));
  }
  ~SilencedWhileChecking() { diags_.set_policy(std::move(given_)); }
  SilencedWhileChecking(const SilencedWhileChecking&) = delete;
  SilencedWhileChecking& operator=(const SilencedWhileChecking&) = delete;

 private:
  diag::DiagnosticEngine& diags_;
  diag::WarningPolicy given_;
};

}  // namespace

// ---- analyze ------------------------------------------------------------------------------------

namespace {

/// Whether no phase after the env layout's, and no check, reads below the head of a top-level
/// statement (ast::head_only): flags are decided in phase 1, the project, the networks and the
/// sections are read in phase 4 and only through the model after it.
bool read_only_until_layout(const ast::Stmt& stmt) {
  if (std::holds_alternative<ast::Flag>(stmt.node)) return true;
  const auto* s = std::get_if<ast::Setting>(&stmt.node);
  if (!s) return false;
  const std::string_view kw = s->keyword.text();
  return is_word(kw, "section") || is_word(kw, "project") || is_word(kw, "network");
}

/// `given_root`: the tree of files.back() when the caller gives it up, else null.
model::Deployment analyze_files(const std::vector<ast::File>& files, ast::File* given_root,
                                const SourceManager& sources, const Options& options,
                                diag::DiagnosticEngine& diags) {
  Context ctx(sources, options, diags);

  const Declarations decls = declare_params_and_flags(ctx, files);
  std::vector<bool> defined(ctx.params.size(), false);
  apply_defines(ctx, defined);
  evaluate_params(ctx, decls, defined);
  // After the params: a preset param's default may substitute the spec's params.
  declare_presets(ctx, files);

  // Phase 2: what the flags keep at the top level.
  std::vector<const ast::Stmt*> top;
  for (const ast::File& file : files) {
    if (&file != &files.back()) continue;  // modules hold presets only
    auto directly_in_file = [&](const ast::Stmt& stmt) {
      return !file.stmts.empty() && &stmt >= &file.stmts.front() && &stmt <= &file.stmts.back();
    };
    ctx.walk(file.stmts, Where::TopLevel, [&](const ast::Stmt& stmt) {
      const bool declaration = std::holds_alternative<ast::Param>(stmt.node) ||
                               std::holds_alternative<ast::Flag>(stmt.node) ||
                               std::holds_alternative<ast::Import>(stmt.node);
      if (declaration) {
        // Params and flags decide what `when` keeps, so they cannot depend on a `when`.
        if (!directly_in_file(stmt)) {
          std::visit(
              overloaded{[&](const ast::Param& p) {
                           ctx.diags.report(Code::Misplaced, p.name.span, "param", "inside `when`")
                               .help(
                                   "params decide nothing at run time: declare them "
                                   "outside any `when`");
                         },
                         [&](const ast::Flag& f) {
                           ctx.diags.report(Code::Misplaced, f.name.span, "flag", "inside `when`")
                               .help(
                                   "flags decide what `when` keeps: declare them outside "
                                   "any `when`");
                         },
                         [&](const ast::Import& i) {
                           ctx.diags.report(Code::Misplaced, i.path.span, "import", "inside `when`")
                               .help("imports go at the top level of the file");
                         },
                         [](const auto&) {}},
              stmt.node);
        }
        return;
      }
      top.push_back(&stmt);
    });
  }

  // A look ahead at the spec's `allow`s, before the rest is checked: a warning allowed
  // everywhere is then silenced as it is reported (a large stack reports some once per
  // service) instead of formatted, kept and removed at the end with the others. The allows'
  // own mistakes are reported in their turn, at the end (check_spec): reported now, they would
  // be errors that hold back the checks that run only on a spec without errors.
  const std::size_t before_allows = ctx.diags.mark();
  const SilencedWhileChecking silenced(ctx.diags, collect_allows(ctx, files));
  ctx.diags.forget_since(before_allows);

  // Phase 3: variables declared by `tunable` settings of the services that are kept.
  for (const ast::Stmt* stmt : top) {
    const auto* s = std::get_if<ast::Setting>(&stmt->node);
    if (s && is_word(s->keyword.text(), "service")) {
      if (auto group = collect_derived(ctx, *s)) ctx.derived.push_back(std::move(*group));
    }
  }

  // Phase 4.
  std::size_t expected_env = 0;
  for (const DerivedGroup& group : ctx.derived) expected_env += group.vars.size();
  for (const ast::Stmt* stmt : top) {
    const auto* s = std::get_if<ast::Setting>(&stmt->node);
    if (s && is_word(s->keyword.text(), "section") && s->body) {
      expected_env += count_env_decls(ctx, s->body->stmts);
    }
  }
  ctx.out.env.reserve(expected_env);
  ctx.env.reserve(expected_env);
  ctx.env_used.reserve(expected_env);
  std::optional<Span> project_seen, tunables_seen;
  std::map<std::string, Span> titles;
  SpecFacts spec_facts;
  std::vector<std::pair<const ast::Stmt*, const ast::Setting*>> services;
  for (const ast::Stmt* stmt : top) {
    const auto* s = std::get_if<ast::Setting>(&stmt->node);
    if (!s) {
      ctx.misplaced(*stmt, Where::TopLevel);
      continue;
    }
    const std::string_view kw = s->keyword.text();
    if (is_word(kw, "project"))
      analyze_project(ctx, *s, project_seen);
    else if (is_word(kw, "network"))
      analyze_network(ctx, *s);
    else if (is_word(kw, "section"))
      analyze_section(ctx, *s, tunables_seen, titles);
    else if (is_word(kw, "service"))
      services.emplace_back(stmt, s);
    else if (is_word(kw, "volume"))
      analyze_volume(ctx, *s);
    else if (is_word(kw, "host"))
      analyze_host(ctx, *s, spec_facts);
    else if (is_word(kw, "secret") || is_word(kw, "config"))
      analyze_secret(ctx, *s, is_word(kw, "config"));
    else if (is_word(kw, "preset")) {
      // Declared by declare_presets when directly in a file; a preset cannot depend on a flag.
      const auto& root = files.back().stmts;
      if (root.empty() || stmt < &root.front() || stmt > &root.back()) {
        ctx.diags.report(Code::Misplaced, s->keyword.span, "preset", "inside `when`")
            .help("declare presets at the top level of the file, outside any `when`");
      }
    } else
      ctx.unknown_setting(s->keyword, Where::TopLevel);
  }
  if (!tunables_seen) {
    // Without `tunables`, derived variables close the env example.
    model::EnvSection limits{"Resource limits", {}};
    place_derived(ctx, limits);
    if (!limits.groups.empty()) ctx.out.sections.push_back(std::move(limits));
  }
  if (!project_seen && !files.empty()) {
    ctx.diags.report(Code::MissingProject, Span{files.back().file, 0, 0})
        .help("name the Compose project: `project \"my_app\"`");
  }
  // The env declarations of a large stack's sections are about half of its tree: freed now,
  // their memory holds the services' model, instead of that being new memory beside them.
  if (given_root) given_root->release(read_only_until_layout);

  // Phase 5 and 6.
  ctx.out.services.reserve(services.size());
  analyze_services(ctx, services);
  check_deployment(ctx);
  check_spec(ctx, files, top, spec_facts);
  return std::move(ctx.out);
}

}  // namespace

model::Deployment analyze(const std::vector<ast::File>& files, const SourceManager& sources,
                          const Options& options, diag::DiagnosticEngine& diags) {
  return analyze_files(files, nullptr, sources, options, diags);
}

model::Deployment analyze(std::vector<ast::File>&& files, const SourceManager& sources,
                          const Options& options, diag::DiagnosticEngine& diags) {
  return analyze_files(files, files.empty() ? nullptr : &files.back(), sources, options, diags);
}

}  // namespace deployc::sema
