// A secret written out as a literal (D0507): some text in a service repeats the example of a
// `secret` env var, i.e. the spec carries what should come from the environment.
//
// The real value of a secret is never in the spec (D0503 forbids a default), so its example is
// the only text the compiler knows; a literal that contains it is a copy-paste of the example
// into a value, a label or a command, where it would be deployed as is, placeholder included.
//
// Not checked, because the language cannot express it: a secret *variable* in a label or a
// command. Labels, commands and health commands are fixed text (a bare name there is D0303);
// only `environment` reads variables, so a secret can reach a container only as its value.
#include <fmt/format.h>

#include <algorithm>

#include "sema/checks.hpp"
#include "support/overloaded.hpp"

namespace deployc::sema {

using diag::Code;

namespace {

struct Secret {
  const model::EnvVar* var;
  Span span;
};

class Scanner {
 public:
  Scanner(Context& ctx, std::vector<Secret> secrets) : ctx_(ctx), secrets_(std::move(secrets)) {}

  /// `parent`: the keyword of the block `stmt` is in (`environment`, `labels`), or empty.
  void statement(const ast::Stmt& stmt, const std::string& parent = {}) {
    std::visit(overloaded{[&](const ast::Setting& s) {
                            const bool env_entry = parent == "environment";
                            const std::string* key = env_entry ? &s.keyword.text : nullptr;
                            if (s.assigned) value(*s.assigned, key);
                            for (const ast::Arg& arg : s.args) value(arg.value, key);
                            if (s.body) {
                              for (const ast::Stmt& inner : s.body->stmts) {
                                statement(inner, s.keyword.text);
                              }
                            }
                          },
                          [&](const ast::When& when) {
                            if (ctx_.when_active(when, /*quiet=*/true)) {
                              for (const ast::Stmt& inner : when.body.stmts) {
                                statement(inner, parent);
                              }
                            }
                          },
                          [](const auto&) {}},
               stmt.node);
  }

 private:
  /// `env_key`: the environment entry the value is assigned to, if it is one.
  void value(const ast::Value& v, const std::string* env_key) {
    if (const auto* list = std::get_if<ast::List>(&v.node)) {
      for (const ast::Value& item : list->items) value(item, env_key);
      return;
    }
    const auto* string = std::get_if<ast::String>(&v.node);
    if (!string) return;
    const std::optional<std::string> text = ctx_.substitute(*string, /*quiet=*/true);
    if (!text) return;
    for (const Secret& secret : secrets_) {
      const std::string& example = *secret.var->example;
      if (example.empty() || text->find(example) == std::string::npos) continue;
      if (reported_at(v.span)) return;  // already a credential (D0601): one error per literal
      const std::string& name = secret.var->name;
      ctx_.diags.report(Code::SecretExampleAsLiteral, v.span, name)
          .label(secret.span, "declared `secret` here, with that example")
          .help(env_key ? fmt::format("name the variable instead: `{} = {}`, and put the real "
                                      "value in .env.production",
                                      *env_key, name)
                        : fmt::format("a secret reaches a container only through `environment`: "
                                      "pass `{}` there, and put the real value in "
                                      ".env.production",
                                      name));
      return;
    }
  }

  bool reported_at(Span span) const {
    const auto& all = ctx_.diags.unsorted();
    return std::any_of(all.begin(), all.end(), [&](const diag::Diagnostic& d) {
      return d.primary() && d.primary()->span == span;
    });
  }

  Context& ctx_;
  std::vector<Secret> secrets_;
};

}  // namespace

void check_secret_uses(Context& ctx, const std::vector<const ast::Stmt*>& top) {
  std::vector<Secret> secrets;
  for (const model::EnvVar& var : ctx.out.env) {
    if (!var.secret || !var.example) continue;
    auto state = ctx.env.find(var.name);
    secrets.push_back({&var, state != ctx.env.end() ? state->second.span : var.origin});
  }
  if (secrets.empty()) return;
  Scanner scanner(ctx, std::move(secrets));
  for (const ast::Stmt* stmt : top) {
    const auto* service = std::get_if<ast::Setting>(&stmt->node);
    if (!service || service->keyword.text != "service" || !service->body) continue;
    auto expanded = ctx.service_bodies.find(service);
    if (expanded == ctx.service_bodies.end()) {
      for (const ast::Stmt& inner : service->body->stmts) scanner.statement(inner);
      continue;
    }
    for (const Expanded& entry : expanded->second) {
      const ScopeGuard guard(ctx, entry.scope);
      scanner.statement(*entry.stmt);
    }
  }
}

}  // namespace deployc::sema
