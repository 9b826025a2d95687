// Whole-spec rules that need more than one service at a time, or the syntax tree as well as
// the model: flag combinations, the host budget, production defaults, secrets in visible
// places, and the spec's own `allow` statements. Private to src/sema; analyze() calls them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sema/context.hpp"

namespace deployc::sema {

/// `host cpu=2 memory=4G`: what the machine that runs the stack offers.
struct HostBudget {
  std::optional<double> cpu;
  std::optional<double> memory;  ///< bytes
  std::string cpu_text, memory_text;
  Span cpu_span, memory_span;
};

/// What analyze() gathers for these checks while it walks the top level.
struct SpecFacts {
  std::optional<HostBudget> host;
  std::optional<Span> host_seen;  ///< the first `host`, for duplicates
};

/// `is this statement an `allow``: Context::walk leaves those to check_spec.
bool is_allow(const ast::Stmt& stmt);

/// Checks a top-level `host` statement and records it in `facts`.
void analyze_host(Context& ctx, const ast::Setting& setting, SpecFacts& facts);

/// `allow D0607 "reason"`: a warning code the spec accepts, everywhere (at the top level of the
/// root spec) or within the statement whose span is `scope` (a service or preset body).
struct Allow {
  diag::Code code;
  Span scope;
  bool everywhere = false;
};
/// The program's `allow` statements the flags keep, checked: one that is malformed is reported
/// and covers nothing. Needs the params and flags, nothing else.
std::vector<Allow> collect_allows(Context& ctx, const std::vector<ast::File>& files);

/// Runs after check_deployment: every rule of check_*.cpp, then applies the spec's `allow`
/// statements to the warnings reported so far (so it must be the last check). `top` is the
/// top-level statements the flags keep; `files` the whole program, dropped code included.
void check_spec(Context& ctx, const std::vector<ast::File>& files,
                const std::vector<const ast::Stmt*>& top, const SpecFacts& facts);

// The parts of check_spec, one per file.
void check_flag_combinations(Context& ctx, const std::vector<ast::File>& files);
void check_production(Context& ctx, const std::vector<const ast::Stmt*>& top,
                      const SpecFacts& facts);

/// What D0507 looks for: the secrets with an example, and the literals of the services that
/// contain one.
struct SecretUses {
  struct Secret {
    const model::EnvVar* var;
    Span span;
  };
  /// A literal that contains a secret's example.
  struct Finding {
    Span literal;
    std::size_t secret;        ///< into `secrets`
    std::string_view env_key;  ///< the environment entry it is assigned to, or empty
  };
  std::vector<Secret> secrets;
  std::vector<Finding> found;
};
/// The search reads the Context and reports nothing, so it may run on a second thread while
/// this one checks further; the report, after the checks before it, skips literals they
/// already reported.
SecretUses find_secret_uses(const Context& ctx, const std::vector<const ast::Stmt*>& top);
void report_secret_uses(Context& ctx, const SecretUses& uses);
/// Removes the warnings `allows` cover.
void apply_allows(Context& ctx, const std::vector<Allow>& allows);

}  // namespace deployc::sema
