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
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "sema/checks.hpp"
#include "support/overloaded.hpp"

namespace deployc::sema {

using diag::Code;

namespace {

using Secret = SecretUses::Secret;
using Finding = SecretUses::Finding;

/// Every secret example, searched for in a text in one pass: a window of the text is compared
/// with the examples only where its first bytes are those of some example (a bitmap of them),
/// instead of one `find` per secret, or one hash lookup per position and example length. A spec
/// with a secret per service would otherwise scan every literal once per service of the spec.
class ExampleIndex {
 public:
  explicit ExampleIndex(const std::vector<Secret>& secrets) {
    for (std::size_t i = 0; i < secrets.size(); ++i) {
      const std::string_view example = *secrets[i].var->example;
      if (example.empty()) continue;
      // The first secret with an example wins, as the scan in declaration order would have it.
      if (!first_.try_emplace(example, i).second) continue;
      if (std::find(lengths_.begin(), lengths_.end(), example.size()) == lengths_.end()) {
        lengths_.push_back(example.size());
      }
    }
    if (lengths_.empty()) return;
    std::sort(lengths_.begin(), lengths_.end());
    prefix_ = std::min<std::size_t>(4, lengths_.front());
    for (const auto& [example, index] : first_) mark(prefix_bits(example));
  }

  /// The first secret (in declaration order) whose example occurs in `text`, if any.
  std::optional<std::size_t> first_in(std::string_view text) const {
    std::optional<std::size_t> best;
    if (lengths_.empty() || text.size() < lengths_.front()) return best;
    for (std::size_t at = 0; at + lengths_.front() <= text.size(); ++at) {
      if (!marked(prefix_bits(text.substr(at)))) continue;
      for (const std::size_t length : lengths_) {
        if (at + length > text.size()) break;
        if (auto it = first_.find(text.substr(at, length)); it != first_.end()) {
          if (!best || it->second < *best) best = it->second;
        }
      }
    }
    return best;
  }

 private:
  /// A 16-bit digest of the first `prefix_` bytes of `text` (which has at least that many).
  std::uint32_t prefix_bits(std::string_view text) const {
    std::uint32_t word = 0;
    if (prefix_ == 4) {
      std::memcpy(&word, text.data(), 4);
    } else {
      for (std::size_t i = 0; i < prefix_; ++i) {
        word |= std::uint32_t{static_cast<unsigned char>(text[i])} << (8 * i);
      }
    }
    return (word * 0x9E3779B1u) >> 16;
  }
  void mark(std::uint32_t bits) { bitmap_[bits / 64] |= std::uint64_t{1} << (bits % 64); }
  bool marked(std::uint32_t bits) const { return (bitmap_[bits / 64] >> (bits % 64)) & 1; }

  std::unordered_map<std::string_view, std::size_t> first_;  ///< example → first secret
  std::vector<std::size_t> lengths_;                         ///< distinct example lengths, sorted
  std::size_t prefix_ = 0;
  std::array<std::uint64_t, (1u << 16) / 64> bitmap_{};
};

/// Finds the literals of the services' bodies that contain a secret's example, in the order of
/// the statements. It only reads the Context and the tree, and keeps its own preset scope, so
/// it may run on another thread while the Context is checked further (check_spec).
class Scanner {
 public:
  Scanner(const Context& ctx, const std::vector<Secret>& secrets) : ctx_(ctx), index_(secrets) {}

  /// `parent`: the keyword of the block `stmt` is in (`environment`, `labels`), or empty.
  void statement(const ast::Stmt& stmt, std::string_view parent = {}) {
    std::visit(overloaded{[&](const ast::Setting& s) {
                            const bool env_entry = parent == "environment";
                            const std::string_view key = env_entry ? s.keyword.text() : "";
                            if (s.assigned) value(*s.assigned, key);
                            for (const ast::Arg& arg : s.args) value(arg.value, key);
                            if (s.body) {
                              for (const ast::Stmt& inner : s.body->stmts) {
                                statement(inner, s.keyword.text());
                              }
                            }
                          },
                          [&](const ast::When& when) {
                            if (ctx_.keeps_quietly(when)) {
                              for (const ast::Stmt& inner : when.body.stmts) {
                                statement(inner, parent);
                              }
                            }
                          },
                          [](const auto&) {}},
               stmt.node);
  }

  /// `{param}` in what follows reads the params of `scope` (a preset's, or nullptr).
  void enter(const PresetScope* scope) { scope_ = scope; }

  std::vector<Finding> take() { return std::move(found_); }

 private:
  /// `env_key`: the environment entry the value is assigned to, or empty.
  void value(const ast::Value& v, std::string_view env_key) {
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
      substituted = ctx_.substitute_quietly(*string, scope_);
      if (!substituted) return;
    }
    const std::optional<std::size_t> found =
        index_.first_in(literal ? *literal : std::string_view(*substituted));
    if (found) found_.push_back({v.span(), *found, env_key});
  }

  const Context& ctx_;
  ExampleIndex index_;
  const PresetScope* scope_ = nullptr;
  std::vector<Finding> found_;
};

bool reported_at(const Context& ctx, Span span) {
  const auto& all = ctx.diags.unsorted();
  return std::any_of(all.begin(), all.end(), [&](const diag::Diagnostic& d) {
    return d.primary() && d.primary()->span == span;
  });
}

}  // namespace

SecretUses find_secret_uses(const Context& ctx, const std::vector<const ast::Stmt*>& top) {
  SecretUses uses;
  for (const model::EnvVar& var : ctx.out.env) {
    if (!var.secret || !var.example) continue;
    uses.secrets.push_back({&var, var.origin});
  }
  if (uses.secrets.empty()) return uses;
  Scanner scanner(ctx, uses.secrets);
  for (const ast::Stmt* stmt : top) {
    const auto* service = std::get_if<ast::Setting>(&stmt->node);
    if (!service || service->keyword.text() != "service" || !service->body) continue;
    auto expanded = ctx.service_bodies.find(service);
    if (expanded == ctx.service_bodies.end()) {
      scanner.enter(nullptr);
      for (const ast::Stmt& inner : service->body->stmts) scanner.statement(inner);
      continue;
    }
    for (const Expanded& entry : expanded->second) {
      scanner.enter(entry.scope);
      scanner.statement(*entry.stmt);
    }
  }
  uses.found = scanner.take();
  return uses;
}

void report_secret_uses(Context& ctx, const SecretUses& uses) {
  for (const Finding& finding : uses.found) {
    // A credential (D0601) is already an error; and a literal of a preset expanded into
    // several services is reported once.
    if (reported_at(ctx, finding.literal)) continue;
    const Secret& secret = uses.secrets[finding.secret];
    const std::string_view name = secret.var->name;
    ctx.diags.report(Code::SecretExampleAsLiteral, finding.literal, name)
        .label(secret.span, "declared `secret` here, with that example")
        .help(!finding.env_key.empty()
                  ? fmt::format("name the variable instead: `{} = {}`, and put the real value "
                                "in .env.production",
                                finding.env_key, name)
                  : fmt::format("a secret reaches a container only through `environment`: "
                                "pass `{}` there, and put the real value in .env.production",
                                name));
  }
}

}  // namespace deployc::sema
