// Top-level `volume`, `secret` and `config` declarations: the named resources services mount.
//
//   volume pgdata { driver local }             # the block is optional
//   secret db_password { environment DB_PASSWORD }
//   config nginx_conf { file "./nginx.conf" }
//
// A secret or config reads exactly one source. An `environment` source must be a declared env
// var, so it appears in the env example like every other input of the deployment.
#include <fmt/format.h>

#include <algorithm>

#include "diag/suggest.hpp"
#include "sema/context.hpp"

namespace deployc::sema {

using diag::Code;

namespace {

bool valid_resource_key(std::string_view key) {
  return pattern::is_resource_key(key);
}

/// The key of a declaration, registered in `spans`; nullptr when reported.
const ast::Ident* declare_key(Context& ctx, const ast::Setting& setting, const Args& args,
                              std::map<std::string, Span, std::less<>>& spans,
                              std::string_view what) {
  const ast::Ident* key =
      args.positional.empty() ? nullptr : Context::as_ident(args.positional[0]->value);
  if (!key) {
    ctx.diags.report(Code::MissingArgument, setting.keyword.span, what,
                     fmt::format("a name: `{} data {{ … }}`", what));
    return nullptr;
  }
  if (!valid_resource_key(key->text())) {
    ctx.diags.report(Code::InvalidName, key->span, key->text(), fmt::format("{} name", what))
        .help("use letters, digits, `_`, `.` and `-`");
    return nullptr;
  }
  if (auto it = spans.find(key->text()); it != spans.end()) {
    ctx.diags.report(Code::Duplicate, key->span, what, key->text())
        .label(it->second, "first declared here");
    return nullptr;
  }
  spans.emplace(key->text(), key->span);
  return key;
}

void unknown_in(Context& ctx, const ast::Ident& keyword, std::string_view place,
                const std::vector<std::string>& known) {
  auto b = ctx.diags.report(Code::UnknownSetting, keyword.span, keyword.text(), place);
  Context::suggest(b, keyword.text(), known);
}

}  // namespace

void analyze_volume(Context& ctx, const ast::Setting& setting) {
  const Args args = ctx.split(setting, {}, 1, true);
  const ast::Ident* key = declare_key(ctx, setting, args, ctx.volume_spans, "volume");
  if (!key) return;
  model::Volume volume;
  volume.key = key->text();
  std::map<std::string, Span> seen;
  static const std::vector<std::string> known{"driver", "name"};
  if (setting.body) {
    ctx.walk(*setting.body, Where::Network, [&](const ast::Stmt& stmt) {
      const auto* s = std::get_if<ast::Setting>(&stmt.node);
      if (!s) return ctx.misplaced(stmt, Where::Network);
      const std::string kw(s->keyword.text());
      if (std::find(known.begin(), known.end(), kw) == known.end()) {
        return unknown_in(ctx, s->keyword, "in a volume", known);
      }
      if (auto it = seen.find(kw); it != seen.end()) {
        ctx.diags.report(Code::Duplicate, s->keyword.span, "setting", kw)
            .label(it->second, "first set here");
        return;
      }
      seen.emplace(kw, s->keyword.span);
      const Args a = ctx.split(*s, {}, 1);
      if (a.positional.empty()) {
        ctx.diags.report(Code::MissingArgument, s->keyword.span, kw,
                         kw == "name" ? "a quoted name" : "a driver: `local`");
        return;
      }
      auto text = ctx.scalar_text(a.positional[0]->value, kw == "name" ? "a name" : "a driver");
      if (!text) return;
      if (!pattern::is_object_name(*text)) {
        ctx.diags
            .report(Code::InvalidName, a.positional[0]->value.span(), *text,
                    kw == "name" ? "volume name" : "volume driver")
            .help("use letters, digits, `_`, `.` and `-`, starting with a letter or digit");
        return;
      }
      (kw == "name" ? volume.name : volume.driver) = *text;
    });
  }
  ctx.out.volumes.push_back(std::move(volume));
}

void analyze_secret(Context& ctx, const ast::Setting& setting, bool is_config) {
  const std::string what = is_config ? "config" : "secret";
  const Args args = ctx.split(setting, {}, 1, true);
  const ast::Ident* key =
      declare_key(ctx, setting, args, is_config ? ctx.config_spans : ctx.secret_spans, what);
  if (!key) return;
  model::SecretSource source;
  source.key = key->text();
  std::optional<Span> source_seen;
  static const std::vector<std::string> known{"environment", "file"};
  if (setting.body) {
    ctx.walk(*setting.body, Where::Network, [&](const ast::Stmt& stmt) {
      const auto* s = std::get_if<ast::Setting>(&stmt.node);
      if (!s) return ctx.misplaced(stmt, Where::Network);
      const std::string kw(s->keyword.text());
      if (std::find(known.begin(), known.end(), kw) == known.end()) {
        return unknown_in(ctx, s->keyword, fmt::format("in a {}", what), known);
      }
      if (source_seen) {
        ctx.diags.report(Code::Duplicate, s->keyword.span, fmt::format("{} source", what), kw)
            .label(*source_seen, "the source is already set here")
            .help(fmt::format("a {} reads exactly one `environment` or `file`", what));
        return;
      }
      source_seen = s->keyword.span;
      const Args a = ctx.split(*s, {}, 1);
      if (a.positional.empty()) {
        ctx.diags.report(Code::MissingArgument, s->keyword.span, kw,
                         kw == "file" ? "a quoted path: `file \"./secrets/key.pem\"`"
                                      : "an env var: `environment DB_PASSWORD`");
        return;
      }
      const ast::Value& value = a.positional[0]->value;
      if (kw == "environment") {
        const auto* var = Context::as_ident(value);
        if (!var) {
          ctx.diags
              .report(Code::ExpectedValueKind, value.span(), "an env var name",
                      fmt::format("`{}`", ctx.sources.text(value.span())))
              .help("name a declared env var: `environment DB_PASSWORD`");
          return;
        }
        if (ctx.use_env(*var, {}, fmt::format("`{}` {}", what, key->text()))) {
          source.from = model::SecretSource::From::Environment;
          source.value = var->text();
        }
        return;
      }
      const auto* path = std::get_if<ast::String>(&value.node);
      if (!path) {
        ctx.diags.report(Code::ExpectedValueKind, value.span(), "a quoted path",
                         fmt::format("`{}`", ctx.sources.text(value.span())));
        return;
      }
      if (auto text = ctx.substitute(*path)) {
        if (text->empty()) {
          ctx.diags.report(Code::MissingArgument, value.span(), "file", "a path");
          return;
        }
        source.from = model::SecretSource::From::File;
        source.value = *text;
      }
    });
  }
  if (!source_seen) {
    ctx.diags.report(Code::MissingArgument, key->span, fmt::format("{} {}", what, key->text()),
                     "a source: `{ environment VAR }` or `{ file \"./path\" }`");
    return;
  }
  if (source.value.empty()) return;  // an invalid source: reported above
  (is_config ? ctx.out.configs : ctx.out.secrets).push_back(std::move(source));
}

}  // namespace deployc::sema
