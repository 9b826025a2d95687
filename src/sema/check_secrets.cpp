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
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "sema/checks.hpp"
#include "support/overloaded.hpp"

namespace deployc::sema {

using diag::Code;

namespace {

struct Secret {
  const model::EnvVar* var;
  Span span;
};

/// Every secret example, searched for in a text in one pass per distinct example length
/// (Rabin-Karp), instead of one `find` per secret: a spec with a secret per service would
/// otherwise scan every literal once per service of the whole spec.
class ExampleIndex {
 public:
  explicit ExampleIndex(const std::vector<Secret>& secrets) {
    for (std::size_t i = 0; i < secrets.size(); ++i) {
      const std::string& example = *secrets[i].var->example;
      if (example.empty()) continue;
      auto group = std::find_if(groups_.begin(), groups_.end(),
                                [&](const Group& g) { return g.length == example.size(); });
      if (group == groups_.end()) {
        groups_.push_back({example.size(), power(example.size()), {}});
        group = groups_.end() - 1;
      }
      // The first secret with an example wins, as the scan in declaration order would have it.
      group->first.try_emplace(Key{hash(example), example}, i);
    }
  }

  /// The first secret (in declaration order) whose example occurs in `text`, if any.
  std::optional<std::size_t> first_in(std::string_view text) const {
    std::optional<std::size_t> best;
    for (const Group& g : groups_) {
      if (g.length > text.size()) continue;
      std::uint64_t h = hash(text.substr(0, g.length));
      for (std::size_t at = 0;; ++at) {
        if (auto it = g.first.find(Key{h, text.substr(at, g.length)}); it != g.first.end()) {
          if (!best || it->second < *best) best = it->second;
        }
        if (at + g.length >= text.size()) break;
        h = (h - g.top * byte(text[at])) * kBase + byte(text[at + g.length]);
      }
    }
    return best;
  }

 private:
  static constexpr std::uint64_t kBase = 1099511628211ull;
  static std::uint64_t byte(char c) { return static_cast<unsigned char>(c); }
  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 0;
    for (char c : s) h = h * kBase + byte(c);
    return h;
  }
  /// kBase^(length - 1): the weight of the byte that leaves the window.
  static std::uint64_t power(std::size_t length) {
    std::uint64_t p = 1;
    for (std::size_t i = 1; i < length; ++i) p *= kBase;
    return p;
  }

  struct Key {
    std::uint64_t hash;
    std::string_view text;
    friend bool operator==(const Key& a, const Key& b) {
      return a.hash == b.hash && a.text == b.text;
    }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return static_cast<std::size_t>(k.hash); }
  };
  struct Group {
    std::size_t length;
    std::uint64_t top;
    std::unordered_map<Key, std::size_t, KeyHash> first;
  };
  std::vector<Group> groups_;
};

class Scanner {
 public:
  Scanner(Context& ctx, std::vector<Secret> secrets)
      : ctx_(ctx), secrets_(std::move(secrets)), index_(secrets_) {}

  /// `parent`: the keyword of the block `stmt` is in (`environment`, `labels`), or empty.
  void statement(const ast::Stmt& stmt, std::string_view parent = {}) {
    std::visit(overloaded{[&](const ast::Setting& s) {
                            const bool env_entry = parent == "environment";
                            const std::string_view* key = env_entry ? &s.keyword.text : nullptr;
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
  void value(const ast::Value& v, const std::string_view* env_key) {
    if (const auto* list = std::get_if<ast::List>(&v.node)) {
      for (const ast::Value& item : list->items) value(item, env_key);
      return;
    }
    const auto* string = std::get_if<ast::String>(&v.node);
    if (!string) return;
    // A literal without `{param}` (almost every one) is searched where it is written; only a
    // substituted one is built.
    const auto* literal =
        string->parts.size() == 1 ? std::get_if<std::string_view>(&string->parts[0]) : nullptr;
    std::optional<std::string> substituted;
    if (!literal) {
      substituted = ctx_.substitute(*string, /*quiet=*/true);
      if (!substituted) return;
    }
    const std::optional<std::size_t> found =
        index_.first_in(literal ? *literal : std::string_view(*substituted));
    if (!found) return;
    if (reported_at(v.span)) return;  // already a credential (D0601): one error per literal
    const Secret& secret = secrets_[*found];
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
  }

  bool reported_at(Span span) const {
    const auto& all = ctx_.diags.unsorted();
    return std::any_of(all.begin(), all.end(), [&](const diag::Diagnostic& d) {
      return d.primary() && d.primary()->span == span;
    });
  }

  Context& ctx_;
  std::vector<Secret> secrets_;
  ExampleIndex index_;
};

}  // namespace

void check_secret_uses(Context& ctx, const std::vector<const ast::Stmt*>& top) {
  std::vector<Secret> secrets;
  for (const model::EnvVar& var : ctx.out.env) {
    if (!var.secret || !var.example) continue;
    secrets.push_back({&var, var.origin});
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
