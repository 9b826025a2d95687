// Rules over the whole deployment, once every service is known: dependencies (targets,
// health, cycles), host ports, unused variables. check_spec then runs the rules of
// check_*.cpp and applies the spec's `allow` statements.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <system_error>
#include <unordered_map>

#include "diag/suggest.hpp"
#include "sema/checks.hpp"
#include "sema/context.hpp"
#include "support/background.hpp"

namespace deployc::sema {

using diag::Code;

namespace {

void check_dependency_targets(Context& ctx) {
  auto service_names = [&] {
    std::vector<std::string> names;
    for (const auto& service : ctx.out.services) names.push_back(service.name);
    return names;
  };
  for (const auto& service : ctx.out.services) {
    const ServiceFacts& facts = ctx.service_facts.at(service.name);
    for (const DependencyUse& use : facts.depends_on) {
      auto target = ctx.service_facts.find(use.target);
      if (target == ctx.service_facts.end()) {
        auto b = ctx.diags.report(Code::UnknownService, use.target_span, use.target);
        if (auto it = ctx.dropped_services.find(use.target); it != ctx.dropped_services.end()) {
          b.note(fmt::format("`{}` exists only when `{}` is {}", use.target, it->second.flag,
                             it->second.negated ? "off" : "on"));
        } else if (auto near = diag::closest(use.target, service_names())) {
          b.help(fmt::format("did you mean `{}`?", *near));
        }
        continue;
      }
      if (use.condition == "healthy" && !target->second.has_health) {
        ctx.diags
            .report(Code::HealthyWithoutHealthcheck, use.condition_span, service.name, use.target)
            .label(target->second.name_span, fmt::format("`{}` declared here", use.target))
            .help(fmt::format("add a `health` setting to `{}`, or wait for it with `started`",
                              use.target));
      }
    }
  }
}

void check_cycles(Context& ctx) {
  // Depth-first search in declaration order; each back edge closes one cycle, reported at the
  // `depends_on` that closes it.
  // Names view the services and their facts, which outlive the search; each service's mark is
  // kept in its facts, so an edge costs one lookup.
  using Mark = ServiceFacts::Mark;
  std::vector<std::string_view> stack;
  const auto visit = [&](const auto& self, std::string_view name, ServiceFacts& facts) -> void {
    facts.mark = Mark::Active;
    stack.push_back(name);
    for (const DependencyUse& use : facts.depends_on) {
      const auto target = ctx.service_facts.find(use.target);
      if (target == ctx.service_facts.end()) continue;
      const Mark mark = target->second.mark;
      if (mark == Mark::New) {
        self(self, target->first, target->second);
      } else if (mark == Mark::Active) {
        auto start = std::find(stack.begin(), stack.end(), use.target);
        std::string path;
        for (auto it = start; it != stack.end(); ++it) path += fmt::format("`{}` -> ", *it);
        path += fmt::format("`{}`", use.target);
        ctx.diags.report(Code::DependencyCycle, use.target_span, path)
            .help("Compose cannot decide which of these to start first: remove one dependency");
      }
    }
    stack.pop_back();
    facts.mark = Mark::Done;
  };
  for (const auto& service : ctx.out.services) {
    const auto facts = ctx.service_facts.find(service.name);
    if (facts->second.mark == Mark::New) visit(visit, facts->first, facts->second);
  }
}

void check_host_ports(Context& ctx) {
  // Keys view ctx.published_ports, which does not change here; reports follow its order.
  std::unordered_map<std::string_view, Span> first;
  first.reserve(ctx.published_ports.size());
  for (const PublishedPort& port : ctx.published_ports) {
    auto [it, inserted] = first.emplace(port.key, port.span);
    if (!inserted) {
      ctx.diags.report(Code::DuplicateHostPort, port.span, port.display)
          .label(it->second, "first published here")
          .help("two containers cannot listen on the same host port: pick another one");
    }
  }
}

void check_unused_env(Context& ctx) {
  std::vector<std::pair<std::string_view, Span>> unused;
  for (std::size_t i = 0; i < ctx.out.env.size(); ++i) {
    const model::EnvVar& var = ctx.out.env[i];
    if (ctx.env_used[i] || var.derived) continue;
    if (ctx.names_used_in_dropped_code.count(var.name)) continue;  // used under another flag value
    unused.emplace_back(var.name, var.origin);
  }
  // Reported in name order (names are unique): the same order on every machine.
  std::sort(unused.begin(), unused.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, span] : unused) {
    ctx.diags.report(Code::UnusedEnv, span, name)
        .help(fmt::format("pass it to a service (`environment {{ {} }}`) or remove it", name));
  }
}

}  // namespace

void check_deployment(Context& ctx) {
  check_dependency_targets(ctx);
  check_cycles(ctx);
  check_host_ports(ctx);
  check_unused_env(ctx);
}

bool is_allow(const ast::Stmt& stmt) {
  const auto* setting = std::get_if<ast::Setting>(&stmt.node);
  return setting && is_word(setting->keyword.text(), "allow");
}

void check_spec(Context& ctx, const std::vector<ast::File>& files,
                const std::vector<const ast::Stmt*>& top, const SpecFacts& facts) {
  check_flag_combinations(ctx, files);
  // The search for secrets written as literals reads what check_production does not change, and
  // reports nothing: on a large stack it runs on a second thread beside check_production. Its
  // findings are reported after, as one thread would have reported them.
  std::optional<support::Background<SecretUses>> search;
  if (ctx.out.services.size() >= ctx.options.parallel_services) {
    try {
      search.emplace([&ctx, &top] { return find_secret_uses(ctx, top); });
    } catch (const std::system_error&) {
      // No thread: searched below, on this one.
    }
  }
  check_production(ctx, top, facts);
  report_secret_uses(ctx, search ? search->get() : find_secret_uses(ctx, top));
  // Last: it removes warnings reported by everything above.
  apply_allows(ctx, collect_allows(ctx, files));
}

}  // namespace deployc::sema
