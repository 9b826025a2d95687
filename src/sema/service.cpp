// Service settings. Each setting is one row of kSettings: its keyword, whether it may be
// repeated, and the function that checks it and fills model::Service. Adding a setting is
// adding a row (and its function).
#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "diag/suggest.hpp"
#include "sema/context.hpp"
#include "support/overloaded.hpp"

namespace deployc::sema {

using diag::Code;
using model::TypeKind;

namespace {

model::Type type_of(TypeKind kind) {
  return model::Type{kind, {}, {}};
}

struct Quantity {
  std::optional<double> value;  // cpus, or bytes for memory
  std::string text;
  Span span;
};

struct ResourceFacts {
  Quantity cpu, memory;
};

struct Builder {
  Context& ctx;
  model::Service& service;
  ServiceFacts& facts;
  std::map<std::string, Span, std::less<>> seen;  // settings that may appear once
  ResourceFacts limits, reservations;
};

std::string list_of(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += fmt::format("`{}`", items[i]);
  }
  return out;
}

/// A bare word from a fixed set (restart policies, conditions, drivers). nullopt when reported.
std::optional<std::string> choice(Context& ctx, const ast::Value& value, std::string_view what,
                                  const std::vector<std::string>& choices) {
  const auto* word = Context::as_ident(value);
  if (!word) {
    ctx.diags
        .report(Code::ExpectedValueKind, value.span, fmt::format("a {}", what),
                fmt::format("`{}`", ctx.sources.text(value.span)))
        .help(fmt::format("expected one of {}", list_of(choices)));
    return std::nullopt;
  }
  if (std::find(choices.begin(), choices.end(), word->text) != choices.end()) return word->text;
  auto b = ctx.diags.report(Code::InvalidChoice, value.span, word->text, what);
  if (auto near = diag::closest(word->text, choices)) {
    b.help(fmt::format("did you mean `{}`?", *near));
  } else {
    b.help(fmt::format("expected one of {}", list_of(choices)));
  }
  return std::nullopt;
}

/// A string that must be written in quotes (paths, commands, names).
std::optional<std::string> quoted(Context& ctx, const ast::Value& value, std::string_view what) {
  if (const auto* s = std::get_if<ast::String>(&value.node)) return ctx.substitute(*s);
  ctx.diags
      .report(Code::ExpectedValueKind, value.span, what,
              fmt::format("`{}`", ctx.sources.text(value.span)))
      .help(fmt::format("quote it: `\"{}\"`", ctx.sources.text(value.span)));
  return std::nullopt;
}

std::optional<std::int64_t> int_at_least(Context& ctx, const ast::Value& value, std::int64_t min) {
  auto text = ctx.typed_text(value, type_of(TypeKind::Int));
  if (!text) return std::nullopt;
  const std::int64_t n = *parse_int(*text);
  if (n < min) {
    ctx.diags.report(Code::OutOfRange, value.span, *text, fmt::format("the minimum is {}", min));
    return std::nullopt;
  }
  return n;
}

// ---- settings -----------------------------------------------------------------------------------

void image(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {"repo", "tag"}, 1);
  const ast::Arg* repo = args.key("repo");
  const ast::Arg* tag = args.key("tag");
  model::Template out;
  if (!args.positional.empty()) {
    const ast::Value& value = args.positional[0]->value;
    for (const ast::Arg* extra : {repo, tag}) {
      if (extra) {
        ctx.diags
            .report(Code::UnexpectedArgument, extra->span, ctx.sources.text(extra->span), "image")
            .help("give either a full reference (`image \"nginx:1.27\"`) or `repo=` and `tag=`");
      }
    }
    if (auto text = quoted(ctx, value, "a quoted image reference")) {
      if (auto problem = check_image(*text, true)) ctx.report(*problem, value.span);
      out.pieces.emplace_back(*text);
    }
    b.service.image = std::move(out);
    return;
  }
  if (!repo) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "image",
                     "a reference (`image \"nginx:1.27\"`) or `repo=`");
    return;
  }
  if (const auto* var = Context::as_ident(repo->value)) {
    if (auto index = ctx.use_env(*var, {TypeKind::Image, TypeKind::String}, "`image repo=`")) {
      out.pieces.emplace_back(model::VarRef{*index});
    }
  } else if (auto text = quoted(ctx, repo->value, "a variable or a quoted repository")) {
    if (auto problem = check_image(*text, false)) ctx.report(*problem, repo->value.span);
    out.pieces.emplace_back(*text);
  }
  if (tag) {
    if (const auto* var = Context::as_ident(tag->value)) {
      if (auto index = ctx.use_env(*var, {TypeKind::String}, "`image tag=`")) {
        out.pieces.emplace_back(std::string(":"));
        out.pieces.emplace_back(model::VarRef{*index});
      }
    } else if (auto text = ctx.scalar_text(tag->value, "a tag")) {
      if (auto problem = check_tag(*text)) {
        ctx.report(*problem, tag->value.span);
      } else {
        out.pieces.emplace_back(":" + *text);
      }
    }
  }
  b.service.image = std::move(out);
}

void container_name(Builder& b, const ast::Setting& s) {
  const Args args = b.ctx.split(s, {}, 1);
  if (args.positional.empty()) {
    b.ctx.diags.report(Code::MissingArgument, s.keyword.span, "container_name", "a quoted name");
    return;
  }
  const ast::Value& value = args.positional[0]->value;
  auto text = quoted(b.ctx, value, "a quoted container name");
  if (!text) return;
  static const std::regex re("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  if (!std::regex_match(*text, re)) {
    b.ctx.diags.report(Code::InvalidName, value.span, *text, "container name")
        .help("use letters, digits, `_`, `.` and `-`, starting with a letter or digit");
    return;
  }
  b.service.container_name = *text;
}

void restart(Builder& b, const ast::Setting& s) {
  const Args args = b.ctx.split(s, {}, 1);
  if (args.positional.empty()) {
    b.ctx.diags.report(Code::MissingArgument, s.keyword.span, "restart",
                       "a policy: `restart always`");
    return;
  }
  static const std::vector<std::string> policies{"always", "unless-stopped", "on-failure", "no"};
  if (auto policy = choice(b.ctx, args.positional[0]->value, "restart policy", policies)) {
    b.service.restart = *policy;
  }
}

void environment(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  ctx.split(s, {}, 0, true);
  if (!s.body) {
    ctx.diags.report(Code::MissingBlock, s.keyword.span, "environment")
        .help("write `environment { KEY = \"value\" }`");
    return;
  }
  std::map<std::string, Span, std::less<>> keys;
  for (const auto& [key, value] : b.service.environment) keys.emplace(key, Span{});
  ctx.walk(*s.body, Where::Environment, [&](const ast::Stmt& stmt) {
    const auto* entry = std::get_if<ast::Setting>(&stmt.node);
    if (!entry) return ctx.misplaced(stmt, Where::Environment);
    const ast::Ident& key = entry->keyword;
    for (const ast::Arg& arg : entry->args) {
      ctx.diags.report(Code::UnexpectedArgument, arg.span, ctx.sources.text(arg.span), key.text)
          .help(fmt::format("write `{} = value`, or `{}` alone for the variable of that name",
                            key.text, key.text));
    }
    if (entry->body) ctx.diags.report(Code::UnexpectedBlock, entry->body->span, key.text);
    if (auto it = keys.find(key.text); it != keys.end()) {
      ctx.diags.report(Code::Duplicate, key.span, "environment key", key.text)
          .label(it->second, "first set here");
      return;
    }
    keys.emplace(key.text, key.span);
    model::Template value;
    if (!entry->assigned) {
      if (auto index = ctx.use_env(key, {}, "`environment`"))
        value.pieces.emplace_back(model::VarRef{*index});
      b.service.environment.emplace_back(key.text, std::move(value));
      return;
    }
    const ast::Value& assigned = *entry->assigned;
    const auto* word = Context::as_ident(assigned);
    if (word && word->text != "true" && word->text != "false") {
      if (auto index = ctx.use_env(*word, {}, "`environment`"))
        value.pieces.emplace_back(model::VarRef{*index});
    } else if (auto text = ctx.scalar_text(assigned, "a value or a variable")) {
      if (looks_like_credential(*text)) {
        ctx.diags.report(Code::CredentialInLiteral, assigned.span, key.text)
            .help(fmt::format("declare a `secret` env var and write `{} = NAME`", key.text));
      }
      value.pieces.emplace_back(*text);
    }
    b.service.environment.emplace_back(key.text, std::move(value));
  });
}

void publish(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {"host", "ip", "protocol"}, 1);
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "publish",
                     "the container port: `publish 8000 host=BACKEND_PORT`");
    return;
  }
  model::Port port;
  const ast::Value& target = args.positional[0]->value;
  auto target_text = ctx.typed_text(target, type_of(TypeKind::Port));
  if (target_text) port.target = static_cast<std::uint16_t>(*parse_int(*target_text));
  std::optional<std::string> known_host;  // the host port when it is known at compile time
  Span host_span = target.span;
  if (const ast::Arg* host = args.key("host")) {
    host_span = host->value.span;
    if (const auto* var = Context::as_ident(host->value)) {
      if (auto index = ctx.use_env(*var, {TypeKind::Port}, "`publish host=`")) {
        port.published.pieces.emplace_back(model::VarRef{*index});
        const model::EnvVar& ev = ctx.out.env[*index];
        if (ev.presence == model::EnvVar::Presence::Defaulted) known_host = ev.default_value;
      }
    } else if (auto text = ctx.typed_text(host->value, type_of(TypeKind::Port))) {
      port.published.pieces.emplace_back(*text);
      known_host = *text;
    }
  } else if (target_text) {
    port.published.pieces.emplace_back(*target_text);
    known_host = *target_text;
  }
  if (const ast::Arg* ip = args.key("ip")) {
    if (auto text = quoted(ctx, ip->value, "a quoted IP address")) {
      if (is_ip_address(*text)) {
        port.host_ip = *text;
      } else {
        ctx.diags.report(Code::InvalidIp, ip->value.span, *text, "")
            .help("write an address like `127.0.0.1` or `::1`");
      }
    }
  }
  if (const ast::Arg* protocol = args.key("protocol")) {
    if (auto p = choice(ctx, protocol->value, "protocol", {"tcp", "udp", "sctp"})) {
      port.protocol = *p == "tcp" ? std::string() : *p;
    }
  }
  if (known_host) {
    const std::string ip = port.host_ip.value_or("");
    const std::string proto = port.protocol.empty() ? "tcp" : port.protocol;
    ctx.published_ports.push_back(
        PublishedPort{fmt::format("{}|{}|{}", ip, *known_host, proto),
                      ip.empty() ? *known_host : fmt::format("{}:{}", ip, *known_host), host_span});
  }
  b.service.ports.push_back(std::move(port));
}

void health(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(
      s, {"port", "path", "interval", "timeout", "retries", "start_period", "start_interval"}, 2);
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "health",
                     "a kind: `http port=8000`, `cmd \"…\"` or `none`");
    return;
  }
  auto kind = choice(ctx, args.positional[0]->value, "health check kind", {"http", "cmd", "none"});
  if (!kind) return;
  model::HealthCheck check;
  auto reject = [&](std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys) {
      if (const ast::Arg* arg = args.key(key)) {
        ctx.diags.report(Code::UnexpectedArgument, arg->span, ctx.sources.text(arg->span),
                         fmt::format("health {}", *kind));
      }
    }
  };
  if (*kind == "none") {
    reject({"port", "path", "interval", "timeout", "retries", "start_period", "start_interval"});
    if (args.positional.size() > 1) {
      ctx.diags.report(Code::UnexpectedArgument, args.positional[1]->span,
                       ctx.sources.text(args.positional[1]->span), "health none");
    }
    check.disable = true;
    b.service.healthcheck = std::move(check);
    return;
  }
  if (*kind == "http") {
    if (args.positional.size() > 1) {
      ctx.diags
          .report(Code::UnexpectedArgument, args.positional[1]->span,
                  ctx.sources.text(args.positional[1]->span), "health http")
          .help("write the path as `path=\"/health\"`");
    }
    std::string port_text;
    if (const ast::Arg* port = args.key("port")) {
      port_text = ctx.typed_text(port->value, type_of(TypeKind::Port)).value_or("");
    } else {
      ctx.diags.report(Code::MissingArgument, s.keyword.span, "health http",
                       "the container port: `port=8000`");
    }
    std::string path = "/";
    if (const ast::Arg* p = args.key("path")) {
      if (auto text = quoted(ctx, p->value, "a quoted path")) {
        if (auto problem = check_text(type_of(TypeKind::Path), *text)) {
          ctx.report(*problem, p->value.span);
        } else {
          path = *text;
        }
      }
    }
    check.test = {"CMD", "curl", "-f", fmt::format("http://localhost:{}{}", port_text, path)};
  } else {
    reject({"port", "path"});
    if (args.positional.size() < 2) {
      ctx.diags.report(Code::MissingArgument, s.keyword.span, "health cmd",
                       "a shell command: `health cmd \"pg_isready\"`");
    } else if (auto text = quoted(ctx, args.positional[1]->value, "a quoted shell command")) {
      check.test = {"CMD-SHELL", *text};
    }
  }
  auto duration = [&](std::string_view key, std::optional<std::string>& slot) -> const ast::Arg* {
    const ast::Arg* arg = args.key(key);
    if (!arg) return nullptr;
    slot = ctx.typed_text(arg->value, type_of(TypeKind::Duration));
    return slot ? arg : nullptr;
  };
  const ast::Arg* interval = duration("interval", check.interval);
  const ast::Arg* timeout = duration("timeout", check.timeout);
  const ast::Arg* start_period = duration("start_period", check.start_period);
  const ast::Arg* start_interval = duration("start_interval", check.start_interval);
  if (const ast::Arg* retries = args.key("retries"))
    check.retries = int_at_least(ctx, retries->value, 0);
  if (interval && timeout &&
      *parse_duration_us(*check.timeout) >= *parse_duration_us(*check.interval)) {
    ctx.diags
        .report(Code::HealthTimeoutNotBelowInterval, timeout->value.span, *check.timeout,
                *check.interval)
        .label(interval->value.span, "interval set here")
        .help(
            "a check that may take as long as the interval overlaps the next one: shorten the "
            "timeout");
  }
  if (start_interval && !start_period && !args.key("start_period")) {
    ctx.diags.report(Code::StartIntervalWithoutStartPeriod, start_interval->key->span)
        .help("add `start_period=…`: Compose refuses `start_interval` without it");
  }
  b.facts.has_health = true;
  b.service.healthcheck = std::move(check);
}

/// `limits` and `reserve`: `cpu=`, `memory=` (and `pids=` for limits), optionally `tunable`.
void resources(Builder& b, const ast::Setting& s, bool is_limit) {
  Context& ctx = b.ctx;
  const std::string& kw = s.keyword.text;
  const Args args =
      is_limit ? ctx.split(s, {"cpu", "memory", "pids"}, 1) : ctx.split(s, {"cpu", "memory"}, 1);
  bool tunable = false;
  if (!args.positional.empty()) {
    const auto* word = Context::as_ident(args.positional[0]->value);
    if (word && word->text == "tunable") {
      tunable = true;
    } else {
      auto d = ctx.diags.report(Code::UnexpectedArgument, args.positional[0]->span,
                                ctx.sources.text(args.positional[0]->span), kw);
      if (word) Context::suggest(d, word->text, {"tunable"});
    }
  }
  const ast::Arg* cpu = args.key("cpu");
  const ast::Arg* memory = args.key("memory");
  const ast::Arg* pids = args.key("pids");
  if (!cpu && !memory && !pids) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, kw,
                     is_limit ? "`cpu=`, `memory=` or `pids=`" : "`cpu=` or `memory=`");
    return;
  }
  model::Resources out;
  ResourceFacts& facts = is_limit ? b.limits : b.reservations;
  const std::string suffix = is_limit ? "LIMIT" : "RESERVATION";
  auto piece = [&](const ast::Arg* arg, TypeKind kind, std::string_view resource,
                   Quantity& quantity) -> std::optional<model::Template> {
    if (!arg) return std::nullopt;
    auto text = ctx.typed_text(arg->value, type_of(kind));
    if (text) {
      quantity.text = *text;
      quantity.span = arg->value.span;
      if (kind == TypeKind::Cpu)
        quantity.value = parse_cpu(*text);
      else
        quantity.value = static_cast<double>(*parse_memory_bytes(*text));
    }
    model::Template t;
    if (tunable) {
      const std::string name =
          fmt::format("{}_{}_{}", env_prefix(b.service.name), resource, suffix);
      if (auto it = ctx.env.find(name); it != ctx.env.end()) {
        it->second.used = true;
        t.pieces.emplace_back(model::VarRef{it->second.index});
        return t;
      }
    }
    if (!text) return std::nullopt;
    t.pieces.emplace_back(*text);
    return t;
  };
  out.cpus = piece(cpu, TypeKind::Cpu, "CPU", facts.cpu);
  out.memory = piece(memory, TypeKind::Memory, "MEMORY", facts.memory);
  if (pids) out.pids = int_at_least(ctx, pids->value, 1);
  if (is_limit)
    b.service.limits = std::move(out);
  else
    b.service.reservations = std::move(out);
}

void limits(Builder& b, const ast::Setting& s) {
  resources(b, s, true);
}
void reserve(Builder& b, const ast::Setting& s) {
  resources(b, s, false);
}

void restart_policy(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {"delay", "max_attempts", "window"}, 1);
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "restart_policy",
                     "a condition: `none`, `on-failure` or `any`");
    return;
  }
  auto condition =
      choice(ctx, args.positional[0]->value, "restart condition", {"none", "on-failure", "any"});
  if (!condition) return;
  model::RestartPolicy policy;
  policy.condition = *condition;
  if (const ast::Arg* a = args.key("delay"))
    policy.delay = ctx.typed_text(a->value, type_of(TypeKind::Duration));
  if (const ast::Arg* a = args.key("window"))
    policy.window = ctx.typed_text(a->value, type_of(TypeKind::Duration));
  if (const ast::Arg* a = args.key("max_attempts"))
    policy.max_attempts = int_at_least(ctx, a->value, 0);
  b.service.restart_policy = std::move(policy);
}

void logging(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  static const std::vector<std::string> drivers{"json-file", "local",   "syslog",  "journald",
                                                "gelf",      "fluentd", "awslogs", "splunk",
                                                "etwlogs",   "gcplogs", "none"};
  if (s.assigned) {
    ctx.diags.report(Code::UnexpectedAssignment, s.assigned->span, "logging");
  }
  if (s.body) ctx.diags.report(Code::UnexpectedBlock, s.body->span, "logging");
  model::Logging out;
  bool have_driver = false;
  std::map<std::string, Span> keys;
  for (const ast::Arg& arg : s.args) {
    if (!arg.key) {
      if (have_driver) {
        ctx.diags.report(Code::UnexpectedArgument, arg.span, ctx.sources.text(arg.span), "logging")
            .help("options are written `key=value`");
        continue;
      }
      have_driver = true;
      if (auto driver = choice(ctx, arg.value, "logging driver", drivers)) out.driver = *driver;
      continue;
    }
    std::string key = arg.key->text;
    std::replace(key.begin(), key.end(), '_', '-');
    if (auto it = keys.find(key); it != keys.end()) {
      ctx.diags.report(Code::Duplicate, arg.key->span, "key", arg.key->text)
          .label(it->second, "first set here");
      continue;
    }
    keys.emplace(key, arg.key->span);
    std::optional<std::string> text;
    const bool rotating = out.driver == "json-file" || out.driver == "local";
    if (rotating && key == "max-size") {
      text = ctx.typed_text(arg.value, type_of(TypeKind::Memory));
    } else if (rotating && key == "max-file") {
      text = ctx.typed_text(arg.value, type_of(TypeKind::Int));
      if (text && *parse_int(*text) < 1) {
        ctx.diags.report(Code::OutOfRange, arg.value.span, *text, "the minimum is 1");
        text.reset();
      }
    } else {
      text = ctx.scalar_text(arg.value, "an option value");
    }
    if (text) out.options.emplace_back(key, *text);
  }
  if (!have_driver) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "logging", "a driver: `json-file`");
    return;
  }
  b.service.logging = std::move(out);
}

void depends_on(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {"restart"}, 2);
  const ast::Ident* target =
      args.positional.empty() ? nullptr : Context::as_ident(args.positional[0]->value);
  if (!target) {
    ctx.diags.report(Code::MissingArgument,
                     args.positional.empty() ? s.keyword.span : args.positional[0]->span,
                     "depends_on", "a service name: `depends_on backend healthy`");
    return;
  }
  for (const DependencyUse& use : b.facts.depends_on) {
    if (use.target == target->text) {
      ctx.diags.report(Code::Duplicate, target->span, "dependency", target->text)
          .label(use.target_span, "first declared here");
      return;
    }
  }
  model::Dependency dep;
  dep.service = target->text;
  dep.condition = "service_started";
  DependencyUse use{target->text, "started", target->span, target->span};
  if (args.positional.size() > 1) {
    const ast::Value& value = args.positional[1]->value;
    auto condition =
        choice(ctx, value, "dependency condition", {"started", "healthy", "completed"});
    if (condition) {
      use.condition = *condition;
      use.condition_span = value.span;
      dep.condition = *condition == "started"   ? "service_started"
                      : *condition == "healthy" ? "service_healthy"
                                                : "service_completed_successfully";
    }
  }
  if (const ast::Arg* r = args.key("restart")) {
    if (auto text = ctx.typed_text(r->value, type_of(TypeKind::Bool)))
      dep.restart = *text == "true";
  }
  b.facts.depends_on.push_back(std::move(use));
  b.service.depends_on.push_back(std::move(dep));
}

void networks(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {}, s.args.size());
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "networks",
                     "a network key: `networks main`");
    return;
  }
  for (const ast::Arg* arg : args.positional) {
    const auto* key = Context::as_ident(arg->value);
    if (!key) {
      ctx.diags.report(Code::ExpectedValueKind, arg->span, "a network key",
                       fmt::format("`{}`", ctx.sources.text(arg->span)));
      continue;
    }
    if (std::find(b.service.networks.begin(), b.service.networks.end(), key->text) !=
        b.service.networks.end()) {
      ctx.diags.report(Code::Duplicate, key->span, "network", key->text);
      continue;
    }
    if (!ctx.network_spans.count(key->text)) {
      auto d = ctx.diags.report(Code::UnknownNetwork, key->span, key->text);
      std::vector<std::string> names;
      for (const auto& [name, span] : ctx.network_spans) names.push_back(name);
      if (auto near = diag::closest(key->text, names)) {
        d.help(fmt::format("did you mean `{}`?", *near));
      } else {
        d.help(fmt::format("declare it: `network {} {{ name \"…\" }}`", key->text));
      }
      continue;
    }
    b.service.networks.push_back(key->text);
  }
}

struct SettingSpec {
  std::string_view keyword;
  bool repeatable;
  void (*apply)(Builder&, const ast::Setting&);
};

constexpr SettingSpec kSettings[] = {
    {"image", false, image},
    {"container_name", false, container_name},
    {"restart", false, restart},
    {"environment", true, environment},
    {"publish", true, publish},
    {"health", false, health},
    {"limits", false, limits},
    {"reserve", false, reserve},
    {"restart_policy", false, restart_policy},
    {"logging", false, logging},
    {"depends_on", true, depends_on},
    {"networks", true, networks},
};

void compare(Context& ctx, std::string_view what, const Quantity& reservation,
             const Quantity& limit) {
  if (!reservation.value || !limit.value || *reservation.value <= *limit.value) return;
  ctx.diags
      .report(Code::ReservationExceedsLimit, reservation.span, what, reservation.text, limit.text)
      .label(limit.span, "limit set here")
      .help("a reservation is what the container is guaranteed; it cannot exceed what it may use");
}

}  // namespace

const std::vector<std::string>& service_setting_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const SettingSpec& spec : kSettings) out.emplace_back(spec.keyword);
    return out;
  }();
  return names;
}

std::optional<DerivedGroup> collect_derived(Context& ctx, const ast::Setting& service) {
  const ast::Ident* name =
      service.args.empty() ? nullptr : Context::as_ident(service.args[0].value);
  if (!name || !service.body) return std::nullopt;
  DerivedGroup group{name->text, {}};
  bool seen_limits = false, seen_reserve = false;
  std::function<void(const std::vector<ast::Stmt>&)> scan =
      [&](const std::vector<ast::Stmt>& stmts) {
        for (const ast::Stmt& stmt : stmts) {
          if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
            if (ctx.when_active(*when, /*quiet=*/true)) scan(when->body.stmts);
            continue;
          }
          const auto* s = std::get_if<ast::Setting>(&stmt.node);
          if (!s) continue;
          const bool is_limit = s->keyword.text == "limits";
          if (!is_limit && s->keyword.text != "reserve") continue;
          bool& seen = is_limit ? seen_limits : seen_reserve;
          if (seen) continue;  // a duplicate setting is reported when the service is checked
          seen = true;
          const bool tunable = std::any_of(s->args.begin(), s->args.end(), [](const ast::Arg& a) {
            const auto* w = Context::as_ident(a.value);
            return !a.key && w && w->text == "tunable";
          });
          if (!tunable) continue;
          for (const ast::Arg& arg : s->args) {
            if (!arg.key || (arg.key->text != "cpu" && arg.key->text != "memory")) continue;
            const bool is_cpu = arg.key->text == "cpu";
            std::string text =
                std::visit(overloaded{[&](const ast::String& str) {
                                        return ctx.substitute(str, /*quiet=*/true).value_or("");
                                      },
                                      [](const ast::Number& n) { return n.text; },
                                      [](const ast::Ident& i) { return i.text; },
                                      [](const ast::List&) { return std::string(); }},
                           arg.value.node);
            group.vars.push_back(DerivedVar{
                fmt::format("{}_{}_{}", env_prefix(name->text), is_cpu ? "CPU" : "MEMORY",
                            is_limit ? "LIMIT" : "RESERVATION"),
                is_cpu ? TypeKind::Cpu : TypeKind::Memory, text, arg.span,
                (is_limit ? 0 : 2) + (is_cpu ? 0 : 1)});
          }
        }
      };
  scan(service.body->stmts);
  if (group.vars.empty()) return std::nullopt;
  std::stable_sort(group.vars.begin(), group.vars.end(),
                   [](const DerivedVar& a, const DerivedVar& b) { return a.order < b.order; });
  return group;
}

void analyze_service(Context& ctx, const ast::Stmt& /*stmt*/, const ast::Setting& setting) {
  const Args args = ctx.split(setting, {}, 1, true);
  const ast::Ident* name =
      args.positional.empty() ? nullptr : Context::as_ident(args.positional[0]->value);
  if (!name) {
    ctx.diags.report(Code::MissingArgument, setting.keyword.span, "service",
                     "a name: `service backend { … }`");
    return;
  }
  if (auto it = ctx.service_facts.find(name->text); it != ctx.service_facts.end()) {
    ctx.diags.report(Code::Duplicate, name->span, "service", name->text)
        .label(it->second.name_span, "first declared here");
    return;
  }
  ServiceFacts& facts = ctx.service_facts[name->text];
  facts.name_span = name->span;
  model::Service service;
  service.name = name->text;
  service.origin = name->span;
  Builder b{ctx, service, facts, {}, {}, {}};
  bool has_image = false;
  if (!setting.body) {
    ctx.diags.report(Code::MissingBlock, setting.keyword.span, "service");
  } else {
    ctx.walk(*setting.body, Where::Service, [&](const ast::Stmt& inner) {
      const auto* s = std::get_if<ast::Setting>(&inner.node);
      if (!s) return ctx.misplaced(inner, Where::Service);
      const auto* spec =
          std::find_if(std::begin(kSettings), std::end(kSettings),
                       [&](const SettingSpec& sp) { return sp.keyword == s->keyword.text; });
      if (spec == std::end(kSettings)) return ctx.unknown_setting(s->keyword, Where::Service);
      if (!spec->repeatable) {
        if (auto it = b.seen.find(s->keyword.text); it != b.seen.end()) {
          ctx.diags.report(Code::Duplicate, s->keyword.span, "setting", s->keyword.text)
              .label(it->second, "first set here");
          return;
        }
        b.seen.emplace(s->keyword.text, s->keyword.span);
      }
      if (spec->keyword == "image") has_image = true;
      spec->apply(b, *s);
    });
  }
  if (!has_image) {
    ctx.diags.report(Code::MissingImage, name->span, name->text)
        .help("add `image \"repository:tag\"` or `image repo=VAR tag=VAR`");
  }
  compare(ctx, "cpu", b.reservations.cpu, b.limits.cpu);
  compare(ctx, "memory", b.reservations.memory, b.limits.memory);
  ctx.out.services.push_back(std::move(service));
}

}  // namespace deployc::sema
