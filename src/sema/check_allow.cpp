// `allow D0607 "reason"`: the spec's own, reviewed exceptions to a warning. At the top level of
// the root spec it covers the whole deployment (imports included: they exist only through it);
// in a `service` or `preset` body, only that body. Only warnings can be allowed, and a reason is
// required, so every exception explains itself in review.
//
// Decision: allows are applied after every check, by removing the warnings they cover from the
// engine, rather than consulted at each report: a warning may be reported before the `allow`
// that covers it is read (sections before services, a health check above the `allow` line).
// They are read early, though (collect_allows, once the flags are known), so that a warning
// allowed everywhere is silenced while the rest is checked: the same warnings go, but a large
// stack no longer formats one per service only to remove it.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "diag/suggest.hpp"
#include "sema/checks.hpp"
#include "support/overloaded.hpp"

namespace deployc::sema {

using diag::Code;

namespace {

/// The code text of `allow D0607`: a bare word or a quoted string.
std::optional<std::string> code_text(Context& ctx, const ast::Value& value) {
  if (const auto* word = Context::as_ident(value)) return std::string(word->text());
  if (const auto* s = std::get_if<ast::String>(&value.node)) return ctx.substitute(*s);
  return std::string(ctx.sources.text(value.span()));
}

struct Checked {
  Code code;
  Span code_span;
};

/// Checks one `allow`; nullopt when it is reported (and then covers nothing).
std::optional<Checked> check_allow(Context& ctx, const ast::Setting& setting) {
  const Args args = ctx.split(setting, {}, 2);
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, setting.keyword.span, "allow",
                     "a warning code and a reason: `allow D0607 \"why this is fine here\"`");
    return std::nullopt;
  }
  const ast::Value& code_value = args.positional[0]->value;
  const std::optional<std::string> id = code_text(ctx, code_value);
  if (!id) return std::nullopt;
  const std::optional<Code> code = diag::code_from_id(*id);
  if (!code) {
    auto b = ctx.diags.report(Code::AllowUnknownCode, code_value.span(), *id);
    std::vector<std::string> ids;
    for (const diag::CodeInfo& c : diag::all_codes()) {
      if (c.severity == diag::Severity::Warning) ids.emplace_back(c.id);
    }
    if (auto near = diag::closest(*id, ids)) {
      b.help(fmt::format("did you mean `{}`?", *near));
    } else {
      b.help("codes look like `D0607`; `deployc explain CODE` describes one");
    }
    return std::nullopt;
  }
  if (diag::info(*code).severity != diag::Severity::Warning) {
    ctx.diags.report(Code::AllowNotWarning, code_value.span(), *id)
        .note(fmt::format("`{}` is reported as \"{}\"", *id,
                          diag::message_shape(diag::info(*code).format)))
        .help("an error means the output would be wrong: fix the spec instead");
    return std::nullopt;
  }
  std::optional<std::string> reason;
  if (args.positional.size() > 1) {
    const ast::Value& value = args.positional[1]->value;
    if (const auto* s = std::get_if<ast::String>(&value.node)) {
      reason = ctx.substitute(*s);
      if (!reason) return std::nullopt;  // an unknown param in it: reported
    } else {
      ctx.diags
          .report(Code::ExpectedValueKind, value.span(), "a quoted reason",
                  fmt::format("`{}`", ctx.sources.text(value.span())))
          .help(fmt::format("quote it: `\"{}\"`", ctx.sources.text(value.span())));
      return std::nullopt;
    }
  }
  const bool blank = !reason || std::all_of(reason->begin(), reason->end(),
                                            [](char c) { return c == ' ' || c == '\t'; });
  if (blank) {
    ctx.diags.report(Code::MissingArgument, reason ? args.positional[1]->span() : code_value.span(),
                     fmt::format("allow {}", *id),
                     fmt::format("a reason: `allow {} \"why this is fine here\"`", *id));
    return std::nullopt;
  }
  return Checked{*code, code_value.span()};
}

class Collector {
 public:
  explicit Collector(Context& ctx) : ctx_(ctx) {}

  /// The top level of the root spec: allows here cover everything; bodies of services and
  /// presets are searched for their own.
  void top(std::span<const ast::Stmt> stmts) {
    for (const ast::Stmt& stmt : stmts) {
      if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
        if (ctx_.when_active(*when, /*quiet=*/true)) top(when->body.stmts);
        continue;
      }
      const auto* setting = std::get_if<ast::Setting>(&stmt.node);
      if (!setting) continue;
      if (setting->keyword.text() == "allow") {
        add(*setting, Span{}, true);
      } else if (setting->body &&
                 (setting->keyword.text() == "service" || setting->keyword.text() == "preset")) {
        body(setting->body->stmts, stmt.span);
      }
    }
  }

  /// A module: only its presets can hold allows.
  void module(std::span<const ast::Stmt> stmts) {
    for (const ast::Stmt& stmt : stmts) {
      const auto* setting = std::get_if<ast::Setting>(&stmt.node);
      if (setting && setting->body && setting->keyword.text() == "preset") {
        body(setting->body->stmts, stmt.span);
      }
    }
  }

  std::vector<Allow> allows;

 private:
  void body(std::span<const ast::Stmt> stmts, Span scope) {
    for (const ast::Stmt& stmt : stmts) {
      if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
        if (ctx_.when_active(*when, /*quiet=*/true)) body(when->body.stmts, scope);
        continue;
      }
      if (is_allow(stmt)) add(std::get<ast::Setting>(stmt.node), scope, false);
    }
  }

  void add(const ast::Setting& setting, Span scope, bool everywhere) {
    const std::optional<Checked> checked = check_allow(ctx_, setting);
    if (!checked) return;
    for (const auto& [earlier, span] : seen_) {
      if (earlier.code == checked->code && earlier.everywhere == everywhere &&
          earlier.scope == scope) {
        ctx_.diags
            .report(Code::Duplicate, checked->code_span, "allow", diag::info(checked->code).id)
            .label(span, "first allowed here");
        return;
      }
    }
    const Allow allow{checked->code, scope, everywhere};
    seen_.emplace_back(allow, checked->code_span);
    allows.push_back(allow);
  }

  Context& ctx_;
  std::vector<std::pair<Allow, Span>> seen_;
};

bool covers(const Allow& allow, const diag::Diagnostic& d) {
  const diag::Label* primary = d.primary();
  if (!primary || allow.code != d.code) return false;
  if (allow.everywhere) return true;
  return primary->span.file == allow.scope.file && primary->span.begin >= allow.scope.begin &&
         primary->span.end <= allow.scope.end;
}

}  // namespace

std::vector<Allow> collect_allows(Context& ctx, const std::vector<ast::File>& files) {
  if (files.empty()) return {};
  Collector collector(ctx);
  for (std::size_t i = 0; i + 1 < files.size(); ++i) collector.module(files[i].stmts);
  collector.top(files.back().stmts);
  return std::move(collector.allows);
}

void apply_allows(Context& ctx, const std::vector<Allow>& allows) {
  if (allows.empty()) return;
  ctx.diags.drop_warnings([&](const diag::Diagnostic& d) {
    return std::any_of(allows.begin(), allows.end(),
                       [&](const Allow& allow) { return covers(allow, d); });
  });
}

}  // namespace deployc::sema
