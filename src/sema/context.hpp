// State shared by the parts of sema::analyze (analyze.cpp: declarations and environment,
// service.cpp: service settings, checks.cpp: whole-deployment checks). Private to src/sema.
#pragma once

#include <array>
#include <deque>
#include <map>
#include <memory>
#include <memory_resource>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "diag/engine.hpp"
#include "sema/model.hpp"
#include "sema/sema.hpp"
#include "sema/types.hpp"
#include "source/source_manager.hpp"
#include "syntax/ast.hpp"

namespace deployc::sema {

/// Where a statement stands; decides which keywords are known there.
enum class Where { TopLevel, Section, Group, Service, Environment, Project, Network, EnvBody };

/// `text == word`, compared inline: the library's comparison is a call, and the checks compare
/// the keywords, keys and modifiers of every statement with known words (with a literal `word`,
/// a few instructions).
inline bool is_word(std::string_view text, std::string_view word) {
  return text.size() == word.size() && __builtin_memcmp(text.data(), word.data(), word.size()) == 0;
}

/// std::equal_to for the tables of names, comparing as is_word does: a table of a handful of
/// entries is searched by comparing its keys one by one, each comparison a call in the library.
struct SameText {
  bool operator()(std::string_view a, std::string_view b) const { return is_word(a, b); }
};

struct ParamState {
  std::string name;
  model::Type type;
  std::string value;
  bool has_value = false;
  bool poisoned = false;  // no value, or an invalid one: already reported
  Span span;              // the name in the declaration
};

struct FlagState {
  std::string name;
  bool value = false;
  Span span;
};

/// The declared env variables by name: indices into Deployment::env, whose names are the keys.
/// Open addressing over one array of 8-byte slots, instead of a node-based map: a 1000-service
/// spec declares 13,000 variables and looks them up as often again, and a node cost ~90 bytes
/// and a pointer chase each. Where a variable was declared is its EnvVar::origin.
class EnvTable {
 public:
  explicit EnvTable(const std::vector<model::EnvVar>& vars) : vars_(vars) {}

  /// Makes room for `count` variables in all, so that registering them rehashes nothing.
  void reserve(std::size_t count);
  /// The index of the variable named `name`, if one is registered.
  std::optional<std::size_t> find(std::string_view name) const;
  /// Starts loading the slot where find(name) or registering `name` begins. A large stack's
  /// table is megabytes, and each look-up would otherwise wait for the memory on its own: a
  /// caller that knows names ahead of their look-ups lets the loads overlap its other work.
  void prefetch(std::string_view name) const;
  /// prefetch for a name whose hash the caller keeps for insert: hashed once for both.
  void prefetch_hashed(std::uint64_t name_hash) const;
  /// Registers the variable at `index` under its name, whose hash is `name_hash`; when the name
  /// is taken, nothing is registered and the index of the variable that holds it is returned.
  std::optional<std::size_t> insert(std::size_t index, std::uint64_t name_hash);
  /// The hash of a name, as prefetch_hashed and insert take it.
  static std::uint64_t hash(std::string_view name);
  /// The variables the indices point into. A copy of the table (a worker Context's) reads
  /// the same ones.
  const std::vector<model::EnvVar>& vars() const { return vars_; }

 private:
  void rehash(std::size_t slot_count);

  const std::vector<model::EnvVar>& vars_;
  // Each slot: the high 32 bits of the name's hash, then index + 1 in the low 32; 0 is empty.
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

/// A declaration that a `when` dropped: uses of it get a note instead of "did you mean".
struct Dropped {
  std::string_view flag;  // views the `when` in the AST
  bool negated = false;
};

/// What a service needs to know about the other services for whole-deployment checks.
struct DependencyUse {
  std::string target;
  std::string condition;
  Span target_span, condition_span;
};

struct ServiceFacts {
  Span name_span;
  bool has_health = false;
  /// Where the search for dependency cycles (check_cycles) stands with this service.
  enum class Mark : std::uint8_t { New, Active, Done } mark = Mark::New;
  std::vector<DependencyUse> depends_on;
  std::vector<ast::Ident> networks;
};

/// A host port as far as it is known at compile time (literal or variable default).
struct PublishedPort {
  std::string key;  // ip/port/protocol
  std::string display;
  Span span;
};

/// A variable a `tunable` setting declares, found before the sections are laid out. Its texts
/// are already the model's (Context::keep): the variable views them as they are, instead of a
/// string of each being built here, copied there and freed.
struct DerivedVar {
  std::string_view name;
  model::TypeKind kind;
  std::string_view default_value;
  Span span;
  int order;  // CPU_LIMIT, MEMORY_LIMIT, CPU_RESERVATION, MEMORY_RESERVATION
};

struct DerivedGroup {
  std::string_view service;  // views the syntax tree, which outlives the groups
  std::vector<DerivedVar> vars;
};

/// A `param` of a preset: typed, with an optional default (already checked).
struct PresetParam {
  std::string name;
  model::Type type;
  std::optional<std::string> default_value;
  bool poisoned = false;  // an invalid default: already reported
  Span span;
};

/// A top-level `preset NAME { … }` of the root spec or of an imported module.
struct PresetDecl {
  std::string name;
  const ast::Setting* setting = nullptr;
  Span name_span;
  bool in_module = false;
  std::vector<PresetParam> params;
};

/// The params of one `use` of a preset, bound to values: `{name}` in its strings reads them.
struct PresetScope {
  std::string preset;
  std::vector<ParamState> params;
  bool sees_globals = false;  // presets of the root spec also see its params; modules do not
  const ParamState* find(std::string_view name) const;
};

/// One statement of a service, section or group body after `when` and `use` are applied.
struct Expanded {
  const ast::Stmt* stmt = nullptr;
  const PresetScope* scope = nullptr;  // nullptr: written in the body itself
  Span use_span;                       // the `use` of this body that brought it in
  std::string_view preset;             // the preset that `use` names; views the AST
};

/// A short list of pointers that keeps its first `N` elements in place and moves to the heap
/// only past them. Context::split builds two for every setting, and settings have a handful of
/// arguments: a std::vector there would cost an allocation each.
template <typename T, std::size_t N>
class InlineList {
 public:
  void push_back(T value) {
    if (size_ < N) {
      in_place_[size_++] = value;
      return;
    }
    if (size_ == N) spilled_.assign(in_place_.begin(), in_place_.end());
    spilled_.push_back(value);
    ++size_;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* begin() const { return size_ <= N ? in_place_.data() : spilled_.data(); }
  const T* end() const { return begin() + size_; }
  const T& operator[](std::size_t i) const { return begin()[i]; }

 private:
  std::array<T, N> in_place_{};
  std::vector<T> spilled_;  ///< every element once there are more than N
  std::size_t size_ = 0;
};

/// Arguments of one setting, split into positional and keyed ones, unknown keys reported.
struct Args {
  InlineList<const ast::Arg*, 4> positional;
  /// `restart = always` is reported once and then read as `restart always`.
  std::shared_ptr<const ast::Arg> recovered;
  InlineList<const ast::Arg*, 8> keyed;  ///< known keys, each once (the first one written)
  /// The argument of key `name`. Forced inline (below; GCC would call it): the settings ask for
  /// keys by literal names, and the comparison with one inlines to a few instructions.
  const ast::Arg* key(std::string_view name) const;
};

class Context {
 public:
  Context(const SourceManager& source_manager, const Options& analysis_options,
          diag::DiagnosticEngine& engine)
      : sources(source_manager), options(analysis_options), diags(engine) {}
  /// A worker for checking services on a second thread (analyze_services), while `main` checks
  /// others and nothing else runs. It reads what checking a service reads: copies of the small
  /// tables (params, flags, dropped variables, networks, volumes, secrets, configs), and
  /// `main`'s variables and expanded bodies in place (env, expanded_bodies()), which nothing
  /// writes while services are checked. It writes only its own members: the services
  /// (out.services), their facts, published ports, variables used, names used in dropped
  /// code, and diagnostics into `engine`; analyze_services adds them to `main`'s in order.
  Context(const Context& main, diag::DiagnosticEngine& engine);
  // Members view each other (env views out.env); a worker is built explicitly, above.
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const SourceManager& sources;
  const Options& options;
  diag::DiagnosticEngine& diags;
  model::Deployment out;

  std::vector<ParamState> params;
  std::vector<FlagState> flags;
  // The hash tables below only grow, and all die with the Context: their nodes come from this
  // arena instead of one heap allocation each (a 1000-service spec declares 13,000 variables).
  // Declared before them, so it outlives them.
  std::pmr::monotonic_buffer_resource table_arena;
  // Keys of these name tables view text that outlives the Context (names as written in the
  // AST), so a lookup copies nothing.
  // Hash maps: variable names share long prefixes (`SVC00042_…`), which makes the string
  // comparisons of an ordered map slow. Whoever needs an order sorts (check_unused_env).
  EnvTable env{out.env};
  /// Parallel to out.env: whether an active statement uses the variable (derived ones count as
  /// used: the setting that declares them uses them).
  std::vector<bool> env_used;
  std::pmr::unordered_map<std::string_view, Dropped> dropped_env{&table_arena};
  std::map<std::string, Dropped, std::less<>> dropped_services;
  std::pmr::unordered_set<std::string_view> names_used_in_dropped_code{&table_arena};
  // By service name; nothing reads them in order.
  std::pmr::unordered_map<std::string_view, ServiceFacts> service_facts{&table_arena};
  std::map<std::string, Span, std::less<>> network_spans;
  // Types of env declarations by their text as written (views the source): a spec declares
  // thousands of variables with a handful of distinct types, and each is resolved once. Only
  // types that resolved without a diagnostic are kept, so every declaration still reports its
  // own mistakes.
  std::pmr::unordered_map<std::string_view, const model::Type*, std::hash<std::string_view>,
                          SameText>
      resolved_types{&table_arena};
  std::vector<PublishedPort> published_ports;
  std::vector<DerivedGroup> derived;
  std::map<std::string, Span, std::less<>> volume_spans, secret_spans, config_spans;

  // ---- presets (presets.cpp) ----
  std::map<std::string, PresetDecl, std::less<>> presets;
  std::deque<PresetScope> scopes;      // owns every scope; a deque keeps pointers to them valid
  const PresetScope* scope = nullptr;  // the preset whose statement is being checked
  std::pmr::unordered_map<const ast::Setting*, std::vector<Expanded>> service_bodies{&table_arena};
  /// service_bodies, or the main Context's on a worker.
  const std::pmr::unordered_map<const ast::Setting*, std::vector<Expanded>>& expanded_bodies()
      const {
    return main_ ? main_->service_bodies : service_bodies;
  }

  // ---- names ----
  const ParamState* find_param(std::string_view name) const;
  const FlagState* find_flag(std::string_view name) const;
  /// The param `{name}` reads inside the preset scope `in` (nullptr: the spec's own params).
  const ParamState* param_seen_from(const PresetScope* in, std::string_view name) const;
  std::vector<std::string> param_names() const;
  std::vector<std::string> flag_names() const;
  std::vector<std::string> env_names() const;

  /// Adds "did you mean `x`?" to a diagnostic when a candidate is close.
  static void suggest(diag::DiagnosticBuilder& builder, std::string_view name,
                      const std::vector<std::string>& candidates);

  // ---- values ----
  /// The text of a string with `{param}` substituted. nullopt when a param is unknown
  /// (reported unless `quiet`) or has no valid value (already reported), so a mistake in a
  /// param is reported once, not again at every use.
  std::optional<std::string> substitute(const ast::String& string, bool quiet = false);
  /// substitute(string, /*quiet=*/true) with the params `in` sees (a preset's scope, or
  /// nullptr for the spec's): reports nothing and changes nothing, so a reader on another
  /// thread may call it.
  std::optional<std::string> substitute_quietly(const ast::String& string,
                                                const PresetScope* in) const;
  /// A scalar's text as written (strings substituted); nullopt, reported, for a list.
  std::optional<std::string> scalar_text(const ast::Value& value, std::string_view expected);
  /// A value checked against a type. nullopt when reported (wrong kind or invalid text).
  /// Identifiers are values only for `bool` and `enum`; lists only for `list<T>`.
  std::optional<std::string> typed_text(const ast::Value& value, const model::Type& type);
  /// typed_text without the copy: the checked text views the source where it is written there
  /// (numbers, words, strings without `{param}`: almost every value), else `scratch`.
  std::optional<std::string_view> typed_view(const ast::Value& value, const model::Type& type,
                                             std::string& scratch);
  /// The text of a string without substitutions, as written; nullopt when it has some.
  static std::optional<std::string_view> literal_text(const ast::String& string);
  /// Reports a Problem at `span`.
  void report(const Problem& problem, Span span);
  /// `text` as the model may view it: itself when it lies in the sources, else a copy in
  /// out.text. A checked value may view the source, a decoded escape in the syntax tree (which
  /// dies after analysis) or a scratch string. Forced inline (GCC would call it), with the copy
  /// out of line: almost every text lies in the sources, and the call cost more than the check.
  [[gnu::always_inline]] std::string_view keep(std::string_view text) {
    return text.empty() || sources.holds(text) ? text : copy(text);
  }
  static const ast::Ident* as_ident(const ast::Value& value);

  // ---- flags and blocks ----
  /// Whether a `when` keeps its statements. Unknown flags are reported (unless `quiet`) and
  /// drop the block.
  bool when_active(const ast::When& when, bool quiet = false);
  /// when_active(when, /*quiet=*/true), for a reader on another thread.
  bool keeps_quietly(const ast::When& when) const;
  /// Calls `visit(const ast::Stmt&)` for every statement of `block` that the flags keep, in
  /// order; dropped blocks are checked for unknown keywords only (see lint). A template rather
  /// than a std::function: it runs for every statement of every body.
  template <typename Visit>
  void walk(const ast::Block& block, Where where, Visit&& visit) {
    walk(block.stmts, where, visit);
  }
  template <typename Visit>
  void walk(std::span<const ast::Stmt> stmts, Where where, Visit&& visit) {
    for (const ast::Stmt& stmt : stmts) {
      if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
        if (keeps(*when, where)) walk(when->body.stmts, where, visit);
        continue;
      }
      if (read_later(stmt, where)) continue;
      visit(stmt);
    }
  }
  /// Whether the flags keep a `when` block; a dropped one is linted here.
  bool keeps(const ast::When& when, Where where);
  /// `allow` is read by apply_allows (check_allow.cpp) once everything else is checked.
  static bool read_later(const ast::Stmt& stmt, Where where);
  /// Checks a dropped block: unknown keywords and flags; records dropped declarations.
  void lint(std::span<const ast::Stmt> stmts, Where where, const Dropped& why);
  /// Reports an unknown keyword at `where`.
  void unknown_setting(const ast::Ident& keyword, Where where);
  /// Reports a statement kind that does not belong at `where` (env at top level, …).
  void misplaced(const ast::Stmt& stmt, Where where);

  /// Splits args; reports keys not in `keys`, duplicate keys, more than `max_positional`
  /// positional arguments, a `= value` and a block when `block_allowed` is false.
  Args split(const ast::Setting& setting, std::initializer_list<std::string_view> keys,
             std::size_t max_positional, bool block_allowed = false);

  // ---- env ----
  /// Looks up a variable used by an active statement: marks it used, checks its type against
  /// `accepted` (empty: any), reports undeclared ones. nullopt when reported.
  std::optional<std::size_t> use_env(const ast::Ident& name,
                                     std::initializer_list<model::TypeKind> accepted,
                                     std::string_view user);

 private:
  /// keep's copy into out.text: inlined, it made every keep save and restore the registers the
  /// store's block allocation needs.
  std::string_view copy(std::string_view text);

  const Context* main_ = nullptr;  ///< set on a worker
};

[[gnu::always_inline]] inline const ast::Arg* Args::key(std::string_view name) const {
  for (const ast::Arg* arg : keyed) {
    if (is_word(arg->key->text(), name)) return arg;
  }
  return nullptr;
}

/// "at the top level", "in a service": the place, for messages.
std::string_view where_name(Where where);
const std::vector<std::string>& known_keywords(Where where);

/// BACKEND for `backend`, API_GATEWAY for `api-gateway`.
std::string env_prefix(std::string_view service);

// service.cpp
/// Checks the services, in order, into ctx.out.services. A large stack's second half is
/// checked on a second thread when that gives the same model and diagnostics by construction
/// (see analyze_services in service.cpp).
void analyze_services(Context& ctx,
                      std::span<const std::pair<const ast::Stmt*, const ast::Setting*>> services);
const std::vector<std::string>& service_setting_names();
/// The variables `limits … tunable` / `reserve … tunable` of one service declare.
std::optional<DerivedGroup> collect_derived(Context& ctx, const ast::Setting& service);

/// Whether a service setting may be written more than once (`environment`, `publish`, …).
bool setting_repeatable(std::string_view keyword);

// analyze.cpp
/// A type expression as a model type; nullopt when reported.
std::optional<model::Type> resolve_type_expr(Context& ctx, const ast::TypeExpr& expr);

// presets.cpp
/// Registers every `preset` of every file and reports what a module may not declare (anything
/// but presets and imports). Must run before any body is expanded.
void declare_presets(Context& ctx, const std::vector<ast::File>& files);
/// The statements of a service (`Where::Service`), section or group body, with `when` applied
/// and every `use` replaced by the preset's statements. In a service, a setting written in the
/// body wins over the same one from a preset, and two presets setting it are an error.
std::vector<Expanded> expand(Context& ctx, std::span<const ast::Stmt> stmts, Where where);
/// Whether expanding `stmts` as a service body gives them back unchanged, each with no scope:
/// no `when`, `use` or `allow` among them.
bool expands_to_itself(std::span<const ast::Stmt> stmts);
/// Whether a `use` stands among `stmts` or in their `when` blocks.
bool uses_presets(std::span<const ast::Stmt> stmts);
/// Calls `visit(const Expanded&)` for each statement of a section or group body, like a loop
/// over expand(ctx, stmts, where); without building the expansion when no preset is used.
template <typename Visit>
void each_expanded(Context& ctx, std::span<const ast::Stmt> stmts, Where where, Visit&& visit) {
  if (uses_presets(stmts)) {
    for (const Expanded& entry : expand(ctx, stmts, where)) visit(entry);
    return;
  }
  const PresetScope* scope = ctx.scope;
  ctx.walk(stmts, where, [&](const ast::Stmt& stmt) { visit(Expanded{&stmt, scope, {}, {}}); });
}

/// Makes `{param}` read the params of `scope` while it lives.
class ScopeGuard {
 public:
  ScopeGuard(Context& ctx, const PresetScope* scope) : ctx_(ctx), saved_(ctx.scope) {
    ctx.scope = scope;
  }
  ~ScopeGuard() { ctx_.scope = saved_; }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  Context& ctx_;
  const PresetScope* saved_;
};

// resources.cpp
/// Top-level `volume NAME { driver local }`, `secret NAME { environment VAR }`, `config …`.
void analyze_volume(Context& ctx, const ast::Setting& setting);
void analyze_secret(Context& ctx, const ast::Setting& setting, bool is_config);

// checks.cpp
void check_deployment(Context& ctx);

}  // namespace deployc::sema
