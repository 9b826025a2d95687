// A flag combination that drops a service another one depends on (D0409).
//
// The check covers every combination of the declared flags, not only the one being compiled:
// a spec is a template for all of them, and the combination nobody built last is the one that
// breaks at deploy time. Whether a statement is kept depends only on the `when` blocks around
// it, so a `depends_on` breaks in some combination iff some assignment of the flags on its own
// `when` chain and on its target's chains keeps the `depends_on` and drops every declaration
// of the target. Only those flags are enumerated (2^k for k relevant flags, instead of 2^n for
// all n), in order of how many differ from the values being compiled, so the combination named
// is the nearest one that breaks.
//
// Decision: the current combination is left to D0205 (unknown service, with a note naming the
// flag), and the check runs only on a spec without errors, so a typo is not reported twice.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "sema/checks.hpp"

namespace deployc::sema {

using diag::Code;

namespace {

struct Condition {
  std::size_t flag;  // into ctx.flags
  bool negated;
};
using Chain = std::vector<Condition>;

// Names view the syntax tree, which outlives the check.
struct ServiceDecl {
  std::string_view name;
  Span name_span;
  Chain chain;
};

struct DependsOn {
  std::string_view service, target;
  Span target_span;
  Chain chain;  // the service's chain, then the chain inside its body
};

/// Reads the root spec with every `when` as a condition instead of a decision.
class Reader {
 public:
  explicit Reader(const Context& ctx) : ctx_(ctx) {}

  void top(std::span<const ast::Stmt> stmts, Chain& chain) {
    for (const ast::Stmt& stmt : stmts) {
      if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
        if (!push(chain, *when)) continue;
        top(when->body.stmts, chain);
        chain.pop_back();
        continue;
      }
      const auto* setting = std::get_if<ast::Setting>(&stmt.node);
      if (!setting || setting->keyword.text() != "service" || setting->args.empty()) continue;
      const ast::Ident* name = Context::as_ident(setting->args.front().value);
      if (!name) continue;
      services.push_back({name->text(), name->span, chain});
      if (setting->body) body(name->text(), setting->body->stmts, chain);
    }
  }

  std::vector<ServiceDecl> services;
  std::vector<DependsOn> dependencies;

 private:
  bool push(Chain& chain, const ast::When& when) {
    for (std::size_t i = 0; i < ctx_.flags.size(); ++i) {
      if (ctx_.flags[i].name == when.flag.text()) {
        chain.push_back({i, when.negated});
        return true;
      }
    }
    return false;  // an unknown flag: reported, and the block is dropped everywhere
  }

  void body(std::string_view service, std::span<const ast::Stmt> stmts, Chain& chain) {
    for (const ast::Stmt& stmt : stmts) {
      if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
        if (!push(chain, *when)) continue;
        body(service, when->body.stmts, chain);
        chain.pop_back();
        continue;
      }
      const auto* setting = std::get_if<ast::Setting>(&stmt.node);
      if (!setting || setting->keyword.text() != "depends_on" || setting->args.empty()) continue;
      const ast::Arg& first = setting->args.front();
      const ast::Ident* target = first.key ? nullptr : Context::as_ident(first.value);
      if (target) dependencies.push_back({service, target->text(), target->span, chain});
    }
  }

  const Context& ctx_;
};

bool holds(const Chain& chain, const std::vector<bool>& values) {
  return std::all_of(chain.begin(), chain.end(),
                     [&](const Condition& c) { return values[c.flag] != c.negated; });
}

/// "`a` is on and `b` is off".
std::string describe(const Chain& chain, const Context& ctx) {
  std::string out;
  for (const Condition& c : chain) {
    if (!out.empty()) out += " and ";
    out += fmt::format("`{}` is {}", ctx.flags[c.flag].name, c.negated ? "off" : "on");
  }
  return out;
}

bool real_errors(const Context& ctx) {
  const auto& all = ctx.diags.unsorted();
  return std::any_of(all.begin(), all.end(), [](const diag::Diagnostic& d) {
    return diag::info(d.code).severity == diag::Severity::Error;
  });
}

// 2^16 combinations of the flags around one dependency is far beyond any real spec; past that
// the check gives up on that dependency rather than stall the compiler.
constexpr std::size_t kMaxRelevantFlags = 16;

}  // namespace

void check_flag_combinations(Context& ctx, const std::vector<ast::File>& files) {
  if (ctx.flags.empty() || files.empty() || real_errors(ctx)) return;
  Reader reader(ctx);
  Chain chain;
  reader.top(files.back().stmts, chain);
  // Without a `when` around a service or a `depends_on`, no combination of flags drops one.
  auto conditional = [](const auto& item) { return !item.chain.empty(); };
  if (std::none_of(reader.services.begin(), reader.services.end(), conditional) &&
      std::none_of(reader.dependencies.begin(), reader.dependencies.end(), conditional)) {
    return;
  }

  std::vector<bool> current;
  for (const FlagState& f : ctx.flags) current.push_back(f.value);

  // Every declaration of each name, in spec order.
  std::unordered_map<std::string_view, std::vector<const ServiceDecl*>> declared;
  for (const ServiceDecl& s : reader.services) declared[s.name].push_back(&s);

  for (const DependsOn& dep : reader.dependencies) {
    const auto found = declared.find(dep.target);
    if (found == declared.end()) continue;  // unknown everywhere: D0205
    const std::vector<const ServiceDecl*>& targets = found->second;
    std::vector<std::size_t> relevant;
    auto note = [&](const Chain& c) {
      for (const Condition& cond : c) {
        if (std::find(relevant.begin(), relevant.end(), cond.flag) == relevant.end()) {
          relevant.push_back(cond.flag);
        }
      }
    };
    note(dep.chain);
    for (const ServiceDecl* t : targets) note(t->chain);
    if (relevant.empty() || relevant.size() > kMaxRelevantFlags) continue;
    std::sort(relevant.begin(), relevant.end());

    // Flips of the relevant flags away from the compiled values, fewest flips first.
    std::vector<std::uint32_t> masks(std::size_t{1} << relevant.size());
    for (std::size_t m = 0; m < masks.size(); ++m) masks[m] = static_cast<std::uint32_t>(m);
    std::stable_sort(masks.begin(), masks.end(), [](std::uint32_t a, std::uint32_t b) {
      return std::popcount(a) < std::popcount(b);
    });
    for (std::uint32_t mask : masks) {
      std::vector<bool> values = current;
      for (std::size_t i = 0; i < relevant.size(); ++i) {
        if (mask & (1u << i)) values[relevant[i]] = !values[relevant[i]];
      }
      if (!holds(dep.chain, values)) continue;
      if (std::any_of(targets.begin(), targets.end(),
                      [&](const ServiceDecl* t) { return holds(t->chain, values); })) {
        continue;
      }
      std::vector<std::string> assignments;
      for (std::size_t flag : relevant) {
        assignments.push_back(
            fmt::format("`{}={}`", ctx.flags[flag].name, values[flag] ? "true" : "false"));
      }
      std::string combination;
      for (std::size_t i = 0; i < assignments.size(); ++i) {
        if (i) combination += i + 1 == assignments.size() ? " and " : ", ";
        combination += assignments[i];
      }
      auto b = ctx.diags.report(Code::DependencyDroppedByFlags, dep.target_span, combination,
                                dep.service, dep.target);
      for (const ServiceDecl* t : targets) {
        b.label(t->name_span, t->chain.empty()
                                  ? std::string("declared here")
                                  : fmt::format("declared only when {}", describe(t->chain, ctx)));
      }
      const ServiceDecl& only = *targets.front();
      if (targets.size() == 1 && only.chain.size() == 1) {
        const Condition& c = only.chain.front();
        b.help(
            fmt::format("put this `depends_on` inside `when {}{} {{ … }}` too, or declare `{}` "
                        "whatever the flags",
                        c.negated ? "!" : "", ctx.flags[c.flag].name, dep.target));
      } else {
        b.help(fmt::format("declare `{}` for every combination that keeps this `depends_on`",
                           dep.target));
      }
      break;  // one report per `depends_on`: the nearest combination that breaks it
    }
  }
}

}  // namespace deployc::sema
