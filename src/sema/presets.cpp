// Presets: `preset NAME { param …; settings }` declared in the spec or in an imported module,
// applied with `use NAME key=value …` in a service (its settings) or in a section or group (its
// env declarations).
//
// Decisions:
//   - A module (every file but the root spec) declares presets and imports only: a module that
//     could declare services or env vars would change a deployment merely by being imported.
//   - A preset's strings see its own params; a preset of the root spec also sees the spec's
//     params, a module's does not (it cannot depend on the spec that uses it).
//   - Overriding is by setting keyword, level by level: a setting written in a body (service or
//     preset) wins over the same setting from a preset that body uses, silently; two presets
//     used by the same body that both set a non-repeatable setting are an error (D0704).
//     Repeatable settings (`environment`, `publish`, …) accumulate.
//   - No recursion: a preset that uses itself, directly or not, is reported once at its
//     declaration (D0705) and the `use` closing the cycle is ignored when expanding.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "diag/suggest.hpp"
#include "sema/checks.hpp"
#include "sema/context.hpp"
#include "support/overloaded.hpp"

namespace deployc::sema {

using diag::Code;

const ParamState* PresetScope::find(std::string_view name) const {
  for (const auto& p : params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

namespace {

enum class Kind { None, Service, Env, Mixed };

/// Every statement of `stmts`, `when` bodies included whatever the flags: what a preset could
/// hold, for checks that must not depend on -D values.
void each_stmt(std::span<const ast::Stmt> stmts,
               const std::function<void(const ast::Stmt&, bool in_when)>& visit,
               bool in_when = false) {
  for (const ast::Stmt& stmt : stmts) {
    if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
      each_stmt(when->body.stmts, visit, true);
      continue;
    }
    visit(stmt, in_when);
  }
}

bool is_use(const ast::Stmt& stmt) {
  const auto* s = std::get_if<ast::Setting>(&stmt.node);
  return s && is_word(s->keyword.text(), "use");
}

const ast::Ident* use_target(const ast::Setting& use) {
  for (const ast::Arg& arg : use.args) {
    if (!arg.key) return Context::as_ident(arg.value);
  }
  return nullptr;
}

std::vector<std::string> preset_names(const Context& ctx) {
  std::vector<std::string> names;
  for (const auto& [name, decl] : ctx.presets) names.push_back(name);
  return names;
}

std::string backticked(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += fmt::format("`{}`", items[i]);
  }
  return out;
}

/// What a preset's own statements are: service settings, env declarations or both.
Kind own_kind(const PresetDecl& decl, const ast::Stmt** first_env = nullptr,
              const ast::Stmt** first_setting = nullptr) {
  Kind kind = Kind::None;
  if (!decl.setting->body) return kind;
  each_stmt(decl.setting->body->stmts, [&](const ast::Stmt& stmt, bool) {
    if (std::holds_alternative<ast::EnvDecl>(stmt.node)) {
      if (first_env && !*first_env) *first_env = &stmt;
      kind = kind == Kind::Service || kind == Kind::Mixed ? Kind::Mixed : Kind::Env;
    } else if (std::holds_alternative<ast::Setting>(stmt.node) && !is_use(stmt)) {
      if (first_setting && !*first_setting) *first_setting = &stmt;
      kind = kind == Kind::Env || kind == Kind::Mixed ? Kind::Mixed : Kind::Service;
    }
  });
  return kind;
}

/// The kind of a preset, looking through the presets it uses when it has no statements of its
/// own. Cycles are cut (they are reported at declaration).
Kind effective_kind(const Context& ctx, const PresetDecl& decl, std::vector<std::string>& chain) {
  Kind kind = own_kind(decl);
  if (kind != Kind::None || !decl.setting->body) return kind;
  chain.push_back(decl.name);
  each_stmt(decl.setting->body->stmts, [&](const ast::Stmt& stmt, bool) {
    if (kind != Kind::None || !is_use(stmt)) return;
    const ast::Ident* target = use_target(std::get<ast::Setting>(stmt.node));
    if (!target || std::find(chain.begin(), chain.end(), target->text()) != chain.end()) return;
    if (auto it = ctx.presets.find(target->text()); it != ctx.presets.end()) {
      kind = effective_kind(ctx, it->second, chain);
    }
  });
  chain.pop_back();
  return kind;
}

std::string_view statement_word(const ast::Stmt& stmt) {
  return std::visit(
      overloaded{[](const ast::Import&) -> std::string_view { return "import"; },
                 [](const ast::Param&) -> std::string_view { return "param"; },
                 [](const ast::Flag&) -> std::string_view { return "flag"; },
                 [](const ast::EnvDecl&) -> std::string_view { return "env"; },
                 [](const ast::When&) -> std::string_view { return "when"; },
                 [](const ast::Setting& s) -> std::string_view { return s.keyword.text(); }},
      stmt.node);
}

Span statement_name_span(const ast::Stmt& stmt) {
  return std::visit(overloaded{[](const ast::Import& i) { return i.path.span; },
                               [](const ast::Param& p) { return p.name.span; },
                               [](const ast::Flag& f) { return f.name.span; },
                               [](const ast::EnvDecl& e) { return e.name.span; },
                               [](const ast::When& w) { return w.flag.span; },
                               [](const ast::Setting& s) { return s.keyword.span; }},
                    stmt.node);
}

void declare_one(Context& ctx, const ast::Setting& setting, bool in_module) {
  const Args args = ctx.split(setting, {}, 1, true);
  const ast::Ident* name =
      args.positional.empty() ? nullptr : Context::as_ident(args.positional[0]->value);
  if (!name) {
    ctx.diags.report(Code::MissingArgument, setting.keyword.span, "preset",
                     "a name: `preset rotated_logs { … }`");
    return;
  }
  if (auto it = ctx.presets.find(name->text()); it != ctx.presets.end()) {
    ctx.diags.report(Code::Duplicate, name->span, "preset", name->text())
        .label(it->second.name_span, "first declared here");
    return;
  }
  if (!setting.body) {
    ctx.diags.report(Code::MissingBlock, setting.keyword.span, "preset")
        .help(fmt::format("write `preset {} {{ … }}` with the settings it applies", name->text()));
    return;
  }
  PresetDecl decl;
  decl.name = name->text();
  decl.setting = &setting;
  decl.name_span = name->span;
  decl.in_module = in_module;

  // Param defaults see the spec's params only in presets of the spec itself.
  PresetScope defaults{decl.name, {}, !in_module};
  each_stmt(setting.body->stmts, [&](const ast::Stmt& stmt, bool in_when) {
    std::visit(
        overloaded{
            [&](const ast::Param& p) {
              if (in_when) {
                ctx.diags.report(Code::Misplaced, p.name.span, "param", "inside `when`")
                    .help("declare preset params at the top of the preset, outside any `when`");
                return;
              }
              for (const PresetParam& other : decl.params) {
                if (other.name == p.name.text()) {
                  ctx.diags.report(Code::Duplicate, p.name.span, "param", p.name.text())
                      .label(other.span, "first declared here");
                  return;
                }
              }
              PresetParam param;
              param.name = p.name.text();
              param.span = p.name.span;
              auto type = resolve_type_expr(ctx, *p.type);
              param.type = type.value_or(model::Type{});
              if (p.default_value) {
                const ScopeGuard guard(ctx, &defaults);
                param.default_value = type ? ctx.typed_text(*p.default_value, param.type)
                                           : ctx.scalar_text(*p.default_value, "a value");
                param.poisoned = !param.default_value || !type;
                if (!param.default_value) param.default_value = "";
              }
              decl.params.push_back(param);
            },
            [&](const ast::Flag& f) {
              ctx.diags.report(Code::Misplaced, f.name.span, "flag", "in a preset")
                  .help("declare flags at the top level of the spec");
            },
            [&](const ast::Import& i) {
              ctx.diags.report(Code::Misplaced, i.path.span, "import", "in a preset")
                  .help("imports go at the top level of the file");
            },
            [&](const ast::Setting& s) {
              if (s.keyword.text() == "use") return;
              const auto& known = known_keywords(Where::Service);
              if (std::find(known.begin(), known.end(), s.keyword.text()) == known.end()) {
                ctx.unknown_setting(s.keyword, Where::Service);
              }
            },
            [&](const auto&) {}},
        stmt.node);
  });
  const ast::Stmt* first_env = nullptr;
  const ast::Stmt* first_setting = nullptr;
  if (own_kind(decl, &first_env, &first_setting) == Kind::Mixed) {
    ctx.diags.report(Code::PresetMixesKinds, name->span, name->text())
        .label(statement_name_span(*first_env), "an env declaration, for a section")
        .label(statement_name_span(*first_setting), "a service setting")
        .help("split it in two presets: one used in a `section`, one in a `service`");
  }
  ctx.presets.emplace(decl.name, std::move(decl));
}

/// Reports each cycle of `use` between presets once, at the `use` that closes it.
void check_recursion(Context& ctx) {
  enum class Mark { New, Active, Done };
  std::map<std::string, Mark, std::less<>> marks;
  std::vector<std::string> stack;
  std::function<void(const PresetDecl&)> visit = [&](const PresetDecl& decl) {
    marks[decl.name] = Mark::Active;
    stack.push_back(decl.name);
    each_stmt(decl.setting->body->stmts, [&](const ast::Stmt& stmt, bool) {
      if (!is_use(stmt)) return;
      const ast::Ident* target = use_target(std::get<ast::Setting>(stmt.node));
      if (!target) return;
      auto it = ctx.presets.find(target->text());
      if (it == ctx.presets.end()) return;
      const Mark mark =
          marks.count(target->text()) ? marks[std::string(target->text())] : Mark::New;
      if (mark == Mark::New) {
        visit(it->second);
      } else if (mark == Mark::Active) {
        auto start = std::find(stack.begin(), stack.end(), target->text());
        std::string path;
        for (auto s = start; s != stack.end(); ++s) path += fmt::format("`{}` -> ", *s);
        path += fmt::format("`{}`", target->text());
        ctx.diags.report(Code::PresetRecursion, target->span, target->text(), path)
            .help("presets do not recurse: remove this `use`");
      }
    });
    stack.pop_back();
    marks[decl.name] = Mark::Done;
  };
  for (const auto& [name, decl] : ctx.presets) {
    if (!marks.count(name)) visit(decl);
  }
}

struct Level {
  Context& ctx;
  Where where;
  std::vector<std::string>& chain;
};

std::vector<Expanded> expand_in(Level level, std::span<const ast::Stmt> stmts,
                                const PresetScope* scope, bool preset_body);

/// Applies one `use`: checks it and returns the preset's statements, already expanded.
std::optional<std::vector<Expanded>> apply_use(Level level, const ast::Setting& use) {
  Context& ctx = level.ctx;
  if (use.assigned) {
    ctx.diags.report(Code::UnexpectedAssignment, use.assigned->span(), "use")
        .help("write `use NAME param=value`");
  }
  if (use.body) ctx.diags.report(Code::UnexpectedBlock, use.body->span, "use");
  const ast::Ident* name = nullptr;
  std::vector<const ast::Arg*> keyed;
  for (const ast::Arg& arg : use.args) {
    if (arg.key) {
      keyed.push_back(&arg);
    } else if (!name && Context::as_ident(arg.value)) {
      name = Context::as_ident(arg.value);
    } else {
      ctx.diags.report(Code::UnexpectedArgument, arg.span(), ctx.sources.text(arg.span()), "use")
          .help("params are written `name=value`");
    }
  }
  if (!name) {
    ctx.diags.report(Code::MissingArgument, use.keyword.span, "use",
                     "a preset name: `use rotated_logs`");
    return std::nullopt;
  }
  auto found = ctx.presets.find(name->text());
  if (found == ctx.presets.end()) {
    auto b = ctx.diags.report(Code::UnknownPreset, name->span, name->text());
    if (auto near = diag::closest(name->text(), preset_names(ctx))) {
      b.help(fmt::format("did you mean `{}`?", *near));
    } else {
      b.help("declare it with `preset NAME { … }`, or import the module that declares it");
    }
    return std::nullopt;
  }
  const PresetDecl& decl = found->second;
  if (std::find(level.chain.begin(), level.chain.end(), decl.name) != level.chain.end()) {
    return std::nullopt;  // a cycle: reported once, at the declaration
  }
  std::vector<std::string> kind_chain;
  const Kind kind = effective_kind(ctx, decl, kind_chain);
  if (kind == Kind::Env && level.where == Where::Service) {
    ctx.diags
        .report(Code::PresetWrongPlace, name->span, decl.name, "declares env vars",
                where_name(level.where))
        .label(decl.name_span, "declared here")
        .help("use it in a `section` or a `group`");
    return std::nullopt;
  }
  if (kind == Kind::Service && level.where != Where::Service) {
    ctx.diags
        .report(Code::PresetWrongPlace, name->span, decl.name, "holds service settings",
                where_name(level.where))
        .label(decl.name_span, "declared here")
        .help("use it in a `service`");
    return std::nullopt;
  }
  if (kind == Kind::Mixed) return std::nullopt;  // reported at the declaration

  PresetScope scope{decl.name, {}, !decl.in_module};
  std::vector<std::string> param_names;
  for (const PresetParam& p : decl.params) param_names.push_back(p.name);
  std::map<std::string, const ast::Arg*, std::less<>> given;
  for (const ast::Arg* arg : keyed) {
    const std::string_view key = arg->key->text();
    auto param = std::find_if(decl.params.begin(), decl.params.end(),
                              [&](const PresetParam& p) { return p.name == key; });
    if (param == decl.params.end()) {
      auto b = ctx.diags.report(Code::UnknownPresetParam, arg->key->span, decl.name, key);
      if (auto near = diag::closest(key, param_names)) {
        b.help(fmt::format("did you mean `{}`?", *near));
      } else if (param_names.empty()) {
        b.help(fmt::format("`{}` takes no params", decl.name));
      } else {
        b.help(fmt::format("`{}` takes {}", decl.name, backticked(param_names)));
      }
      continue;
    }
    if (auto first = given.find(key); first != given.end()) {
      ctx.diags.report(Code::Duplicate, arg->key->span, "key", key)
          .label(first->second->key->span, "first set here");
      continue;
    }
    given.emplace(key, arg);
  }
  for (const PresetParam& p : decl.params) {
    ParamState state{p.name, p.type, {}, true, false, p.span};
    if (auto it = given.find(p.name); it != given.end()) {
      // The argument is read where the `use` stands: `{x}` in it is the user's param.
      auto text = ctx.typed_text(it->second->value, p.type);
      state.value = text.value_or("");
      state.poisoned = !text;
    } else if (p.default_value) {
      state.value = *p.default_value;
      state.poisoned = p.poisoned;
    } else {
      ctx.diags
          .report(Code::MissingArgument, name->span, fmt::format("use {}", decl.name),
                  fmt::format("a value for param `{}`", p.name))
          .label(p.span, "declared here without a default")
          .help(fmt::format("write `use {} {}=…`", decl.name, p.name));
      state.poisoned = true;
    }
    scope.params.push_back(std::move(state));
  }
  ctx.scopes.push_back(std::move(scope));
  const PresetScope* bound = &ctx.scopes.back();
  level.chain.push_back(decl.name);
  std::vector<Expanded> out = expand_in(level, decl.setting->body->stmts, bound, true);
  level.chain.pop_back();
  return out;
}

/// Keeps, for each non-repeatable service setting, the one written in this body, else the one
/// of the first preset setting it; reports two presets setting it.
std::vector<Expanded> resolve(Context& ctx, std::vector<Expanded> entries,
                              const std::vector<int>& origin) {
  auto keyword = [](const Expanded& e) -> std::optional<std::string_view> {
    const auto* s = std::get_if<ast::Setting>(&e.stmt->node);
    if (!s || setting_repeatable(s->keyword.text())) return std::nullopt;
    return s->keyword.text();
  };
  std::set<std::string, std::less<>> direct;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (origin[i] < 0) {
      if (const std::optional<std::string_view> kw = keyword(entries[i])) direct.emplace(*kw);
    }
  }
  struct Winner {
    int origin;
    Span use_span;
    std::string_view preset;
  };
  std::map<std::string, Winner, std::less<>> winner;  // keyword → the `use` that sets it
  std::set<std::pair<std::string, int>> reported;
  std::vector<Expanded> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::optional<std::string_view> kw = origin[i] < 0 ? std::nullopt : keyword(entries[i]);
    if (!kw) {
      out.push_back(std::move(entries[i]));
      continue;
    }
    if (direct.count(*kw)) continue;  // the body's own setting wins
    auto it = winner.find(*kw);
    if (it == winner.end()) {
      winner.emplace(*kw, Winner{origin[i], entries[i].use_span, entries[i].preset});
      out.push_back(std::move(entries[i]));
      continue;
    }
    const Winner& a = it->second;
    if (a.origin == origin[i]) {
      out.push_back(std::move(entries[i]));  // twice in one preset: a plain duplicate
      continue;
    }
    if (reported.emplace(*kw, origin[i]).second) {
      ctx.diags.report(Code::PresetConflict, entries[i].use_span, a.preset, entries[i].preset, *kw)
          .label(a.use_span, fmt::format("`{}` sets `{}`", a.preset, *kw))
          .label(entries[i].use_span, fmt::format("`{}` sets `{}` too", entries[i].preset, *kw))
          .help(fmt::format(
              "write `{}` in the body itself to choose the value, or drop one of the presets",
              *kw));
    }
  }
  return out;
}

std::vector<Expanded> expand_in(Level level, std::span<const ast::Stmt> stmts,
                                const PresetScope* scope, bool preset_body) {
  Context& ctx = level.ctx;
  const ScopeGuard guard(ctx, scope);
  std::vector<Expanded> entries;
  // Parallel to `entries` once a `use` brought statements in: -1 for a statement written here,
  // else which `use` of this body. Most bodies have no `use`, and then it stays empty.
  std::vector<int> origin;
  // One entry per statement, unless a `when` or a `use` brings in more.
  entries.reserve(stmts.size());
  int uses = 0;
  ctx.walk(stmts, level.where, [&](const ast::Stmt& stmt) {
    if (preset_body && std::holds_alternative<ast::Param>(stmt.node)) return;  // declared
    if (!is_use(stmt)) {
      entries.push_back(Expanded{&stmt, scope, {}, {}});
      if (uses > 0) origin.push_back(-1);
      return;
    }
    const auto& use = std::get<ast::Setting>(stmt.node);
    auto spliced = apply_use(level, use);
    if (!spliced) return;
    if (uses == 0) origin.assign(entries.size(), -1);
    const ast::Ident* target = use_target(use);
    const Span use_span = use.keyword.span.to(target->span);
    for (Expanded& e : *spliced) {
      e.use_span = use_span;
      e.preset = target->text();
      entries.push_back(std::move(e));
      origin.push_back(uses);
    }
    ++uses;
  });
  if (level.where != Where::Service || uses == 0) return entries;
  return resolve(ctx, std::move(entries), origin);
}

}  // namespace

void declare_presets(Context& ctx, const std::vector<ast::File>& files) {
  for (const ast::File& file : files) {
    const bool in_module = &file != &files.back();
    for (const ast::Stmt& stmt : file.stmts) {
      const auto* s = std::get_if<ast::Setting>(&stmt.node);
      if (s && s->keyword.text() == "preset") {
        declare_one(ctx, *s, in_module);
        continue;
      }
      if (!in_module || std::holds_alternative<ast::Import>(stmt.node)) continue;
      ctx.diags.report(Code::ModuleDeclaration, statement_name_span(stmt), statement_word(stmt))
          .help(
              "a module holds presets: move this into the spec that imports the module, or "
              "into a `preset`");
    }
  }
  check_recursion(ctx);
}

bool expands_to_itself(std::span<const ast::Stmt> stmts) {
  return std::none_of(stmts.begin(), stmts.end(), [](const ast::Stmt& stmt) {
    return std::holds_alternative<ast::When>(stmt.node) || is_use(stmt) || is_allow(stmt);
  });
}

bool uses_presets(std::span<const ast::Stmt> stmts) {
  return std::any_of(stmts.begin(), stmts.end(), [](const ast::Stmt& stmt) {
    if (const auto* when = std::get_if<ast::When>(&stmt.node))
      return uses_presets(when->body.stmts);
    return is_use(stmt);
  });
}

std::vector<Expanded> expand(Context& ctx, std::span<const ast::Stmt> stmts, Where where) {
  std::vector<std::string> chain;
  return expand_in(Level{ctx, where, chain}, stmts, ctx.scope, false);
}

}  // namespace deployc::sema
