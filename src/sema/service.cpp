// Service settings. Each setting is one row of kSettings: its keyword, whether it may be
// repeated, and the function that checks it and fills model::Service. Adding a setting is
// adding a row (and its function).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <span>
#include <system_error>
#include <unordered_set>

#include "diag/suggest.hpp"
#include "sema/context.hpp"
#include "support/background.hpp"
#include "support/overloaded.hpp"

namespace deployc::sema {

using diag::Code;
using model::TypeKind;

namespace {

struct Quantity {
  std::optional<double> value;  // cpus, or bytes for memory
  std::string text;
  Span span;
};

struct ResourceFacts {
  Quantity cpu, memory;
};

/// Where a key of a keyed block (`environment`, `labels`) was set: a key written in the
/// service wins over the same key from a preset.
struct KeyOrigin {
  Span span;
  bool from_preset = false;
};

/// The keys set so far in one service's keyed blocks, in the order set. A service has a
/// handful: a linear scan is cheaper than a map and allocates nothing per key.
using KeyOrigins = std::vector<std::pair<std::string_view, KeyOrigin>>;  // keys view the AST

struct Builder {
  Context& ctx;
  model::Service& service;
  ServiceFacts& facts;
  ResourceFacts limits, reservations;
  bool from_preset = false;  // the setting being checked comes from a `use`
  KeyOrigins env_keys, label_keys;
  std::optional<Span> replicas_span;
  std::int64_t replicas = 1;
  bool has_build = false;
  Quantity min_memory;       // `limits … min_memory=`: what the service states it needs
  std::string derived_name;  // the variable of a `tunable` resource being looked up
  std::string env_prefix;    // of the service's name, once a `tunable` setting needs it
};

/// Whether a keyed-block entry is kept: a service's own key replaces a preset's silently, a
/// preset's never replaces the service's, and any other repetition is a duplicate.
enum class KeyAction { Add, Replace, Skip };
KeyAction key_action(Builder& b, KeyOrigins& keys, const ast::Ident& key, std::string_view what) {
  auto it = std::find_if(keys.begin(), keys.end(),
                         [&](const auto& entry) { return is_word(entry.first, key.text()); });
  if (it == keys.end()) {
    keys.emplace_back(key.text(), KeyOrigin{key.span, b.from_preset});
    return KeyAction::Add;
  }
  if (it->second.from_preset && !b.from_preset) {
    it->second = KeyOrigin{key.span, false};
    return KeyAction::Replace;
  }
  if (!it->second.from_preset && b.from_preset) return KeyAction::Skip;
  b.ctx.diags.report(Code::Duplicate, key.span, what, key.text())
      .label(it->second.span, "first set here");
  return KeyAction::Skip;
}

/// `Key`: std::string, or a std::string_view of the sources.
template <typename Key, typename Value>
void put_keyed(std::vector<std::pair<Key, Value>>& items, KeyAction action, std::string_view key,
               Value value) {
  if (action == KeyAction::Add) {
    items.emplace_back(Key(key), std::move(value));
  } else if (action == KeyAction::Replace) {
    for (auto& [k, v] : items) {
      if (k == key) v = std::move(value);
    }
  }
}

/// BACKEND_CPU_LIMIT: the variable a `tunable` setting declares for one resource, written
/// over `name` (a buffer kept between lookups saves an allocation per name).
void write_derived_name(std::string& name, std::string_view prefix, std::string_view resource,
                        std::string_view suffix) {
  // Sized once and filled with copies: five appends cost more than the name's allocation.
  name.resize(prefix.size() + resource.size() + suffix.size() + 2);
  char* out = name.data();
  out = std::copy(prefix.begin(), prefix.end(), out);
  *out++ = '_';
  out = std::copy(resource.begin(), resource.end(), out);
  *out++ = '_';
  std::copy(suffix.begin(), suffix.end(), out);
}

/// The name of a variable a `tunable` setting declares, kept in the model's texts, where the
/// variable will view it.
std::string_view keep_derived_name(Context& ctx, std::string_view prefix, std::string_view resource,
                                   std::string_view suffix) {
  thread_local std::string buffer;
  write_derived_name(buffer, prefix, resource, suffix);
  return ctx.out.text.keep(buffer);
}

std::string list_of(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += fmt::format("`{}`", items[i]);
  }
  return out;
}

/// Whether `text` is one of `choices`, compared inline (is_word): the library's comparison is a
/// call, and a choice is checked for several settings of every service.
bool is_choice(const std::vector<std::string>& choices, std::string_view text) {
  return std::any_of(choices.begin(), choices.end(),
                     [&](const std::string& choice) { return is_word(text, choice); });
}

/// A bare word from a fixed set (restart policies, conditions, drivers). nullopt when reported.
std::optional<std::string> choice(Context& ctx, const ast::Value& value, std::string_view what,
                                  const std::vector<std::string>& choices) {
  // A quoted member is accepted too: `restart "no"`, and `"{policy}"` in a preset.
  if (const auto* text = std::get_if<ast::String>(&value.node)) {
    auto substituted = ctx.substitute(*text);
    if (!substituted) return std::nullopt;
    if (is_choice(choices, *substituted)) {
      return substituted;
    }
    auto b = ctx.diags.report(Code::InvalidChoice, value.span(), *substituted, what);
    if (auto near = diag::closest(*substituted, choices)) {
      b.help(fmt::format("did you mean `{}`?", *near));
    } else {
      b.help(fmt::format("expected one of {}", list_of(choices)));
    }
    return std::nullopt;
  }
  const auto* word = Context::as_ident(value);
  if (!word) {
    ctx.diags
        .report(Code::ExpectedValueKind, value.span(), fmt::format("a {}", what),
                fmt::format("`{}`", ctx.sources.text(value.span())))
        .help(fmt::format("expected one of {}", list_of(choices)));
    return std::nullopt;
  }
  if (is_choice(choices, word->text())) {
    return std::string(word->text());
  }
  auto b = ctx.diags.report(Code::InvalidChoice, value.span(), word->text(), what);
  if (auto near = diag::closest(word->text(), choices)) {
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
      .report(Code::ExpectedValueKind, value.span(), what,
              fmt::format("`{}`", ctx.sources.text(value.span())))
      .help(fmt::format("quote it: `\"{}\"`", ctx.sources.text(value.span())));
  return std::nullopt;
}

std::optional<std::int64_t> int_at_least(Context& ctx, const ast::Value& value, std::int64_t min) {
  std::string scratch;
  const auto text = ctx.typed_view(value, plain_type(TypeKind::Int), scratch);
  if (!text) return std::nullopt;
  const std::int64_t n = *parse_int(*text);
  if (n < min) {
    ctx.diags.report(Code::OutOfRange, value.span(), *text, fmt::format("the minimum is {}", min));
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
            .report(Code::UnexpectedArgument, extra->span(), ctx.sources.text(extra->span()),
                    "image")
            .help("give either a full reference (`image \"nginx:1.27\"`) or `repo=` and `tag=`");
      }
    }
    if (auto text = quoted(ctx, value, "a quoted image reference")) {
      if (auto problem = check_image(*text, true)) ctx.report(*problem, value.span());
      out.append(*text);
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
      out.append(model::VarRef{*index});
    }
  } else if (auto text = quoted(ctx, repo->value, "a variable or a quoted repository")) {
    if (auto problem = check_image(*text, false)) ctx.report(*problem, repo->value.span());
    out.append(*text);
  }
  if (tag) {
    if (const auto* var = Context::as_ident(tag->value)) {
      if (auto index = ctx.use_env(*var, {TypeKind::String}, "`image tag=`")) {
        out.append(std::string(":"));
        out.append(model::VarRef{*index});
      }
    } else if (auto text = ctx.scalar_text(tag->value, "a tag")) {
      if (auto problem = check_tag(*text)) {
        ctx.report(*problem, tag->value.span());
      } else {
        out.append(":" + *text);
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
  if (!pattern::is_long_object_name(*text)) {
    b.ctx.diags.report(Code::InvalidName, value.span(), *text, "container name")
        .help("use letters, digits, `_`, `.` and `-`, starting with a letter or digit");
    return;
  }
  b.service.extras.edit().container_name = *text;
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
  b.service.environment.reserve(b.service.environment.size() + s.body->stmts.size());
  b.env_keys.reserve(b.env_keys.size() + s.body->stmts.size());
  // The variables the entries name, looked up below, one entry after another.
  for (const ast::Stmt& stmt : s.body->stmts) {
    const auto* entry = std::get_if<ast::Setting>(&stmt.node);
    if (!entry) continue;
    const ast::Ident* word = entry->assigned ? Context::as_ident(*entry->assigned) : nullptr;
    ctx.env.prefetch(word ? word->text() : entry->keyword.text());
  }
  ctx.walk(*s.body, Where::Environment, [&](const ast::Stmt& stmt) {
    const auto* entry = std::get_if<ast::Setting>(&stmt.node);
    if (!entry) return ctx.misplaced(stmt, Where::Environment);
    const ast::Ident& key = entry->keyword;
    for (const ast::Arg& arg : entry->args) {
      ctx.diags
          .report(Code::UnexpectedArgument, arg.span(), ctx.sources.text(arg.span()), key.text())
          .help(fmt::format("write `{} = value`, or `{}` alone for the variable of that name",
                            key.text(), key.text()));
    }
    if (entry->body) ctx.diags.report(Code::UnexpectedBlock, entry->body->span, key.text());
    const KeyAction action = key_action(b, b.env_keys, key, "environment key");
    if (action == KeyAction::Skip) return;
    // A new key's value is built where it is kept, instead of being moved there.
    model::Template replacement;
    model::Template& value =
        action == KeyAction::Add
            ? b.service.environment
                  .emplace_back(std::piecewise_construct, std::forward_as_tuple(key.text()),
                                std::forward_as_tuple())
                  .second
            : replacement;
    if (!entry->assigned) {
      if (auto index = ctx.use_env(key, {}, "`environment`")) value.append(model::VarRef{*index});
    } else {
      const ast::Value& assigned = *entry->assigned;
      const auto* word = Context::as_ident(assigned);
      if (word && !is_word(word->text(), "true") && !is_word(word->text(), "false")) {
        if (auto index = ctx.use_env(*word, {}, "`environment`")) {
          value.append(model::VarRef{*index});
        }
      } else if (auto text = ctx.scalar_text(assigned, "a value or a variable")) {
        if (looks_like_credential(*text)) {
          ctx.diags.report(Code::CredentialInLiteral, assigned.span(), key.text())
              .help(fmt::format("declare a `secret` env var and write `{} = NAME`", key.text()));
        }
        value.append(std::move(*text));
      }
    }
    if (action == KeyAction::Replace) {
      put_keyed(b.service.environment, action, key.text(), std::move(replacement));
    }
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
  auto target_text = ctx.typed_text(target, plain_type(TypeKind::Port));
  if (target_text) port.target = static_cast<std::uint16_t>(*parse_int(*target_text));
  std::optional<std::string> known_host;  // the host port when it is known at compile time
  Span host_span = target.span();
  if (const ast::Arg* host = args.key("host")) {
    host_span = host->value.span();
    if (const auto* var = Context::as_ident(host->value)) {
      if (auto index = ctx.use_env(*var, {TypeKind::Port}, "`publish host=`")) {
        port.published.append(model::VarRef{*index});
        const model::EnvVar& ev = ctx.env.vars()[*index];
        if (ev.presence == model::EnvVar::Presence::Defaulted) known_host = ev.default_value;
      }
    } else if (auto text = ctx.typed_text(host->value, plain_type(TypeKind::Port))) {
      port.published.append(*text);
      known_host = *text;
    }
  } else if (target_text) {
    port.published.append(*target_text);
    known_host = *target_text;
  }
  if (const ast::Arg* ip = args.key("ip")) {
    if (auto text = quoted(ctx, ip->value, "a quoted IP address")) {
      if (is_ip_address(*text)) {
        port.host_ip = *text;
      } else {
        ctx.diags.report(Code::InvalidIp, ip->value.span(), *text, "")
            .help("write an address like `127.0.0.1` or `::1`");
      }
    }
  }
  if (const ast::Arg* protocol = args.key("protocol")) {
    static const std::vector<std::string> protocols{"tcp", "udp", "sctp"};
    if (auto p = choice(ctx, protocol->value, "protocol", protocols)) {
      port.protocol = *p == "tcp" ? std::string() : *p;
    }
  }
  if (known_host) {
    const std::string_view ip = port.host_ip ? std::string_view(*port.host_ip) : "";
    const std::string_view proto = port.protocol.empty() ? "tcp" : std::string_view(port.protocol);
    PublishedPort& published = ctx.published_ports.emplace_back();
    published.key.reserve(ip.size() + known_host->size() + proto.size() + 2);
    published.key.append(ip).append("|").append(*known_host).append("|").append(proto);
    if (ip.empty()) {
      published.display = std::move(*known_host);
    } else {
      published.display.append(ip).append(":").append(*known_host);
    }
    published.span = host_span;
  }
  b.service.ports.push_back(std::move(port));
}

/// D0601 for a command line holding a credential: it is shown by `docker inspect` and `ps` to
/// anyone on the host. `--password=$DB_PASSWORD`, expanded by the container's shell, is fine.
void forbid_credential_in_command(Context& ctx, std::string_view what, std::string_view text,
                                  Span span) {
  if (!looks_like_credential(text)) return;
  ctx.diags.report(Code::CredentialInLiteral, span, what)
      .help(
          "declare a `secret` env var, pass it in `environment`, and refer to it as `$NAME` "
          "in the command");
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
  static const std::vector<std::string> kinds{"http", "cmd", "none"};
  auto kind = choice(ctx, args.positional[0]->value, "health check kind", kinds);
  if (!kind) return;
  model::HealthCheck check;
  auto reject = [&](std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys) {
      if (const ast::Arg* arg = args.key(key)) {
        ctx.diags.report(Code::UnexpectedArgument, arg->span(), ctx.sources.text(arg->span()),
                         fmt::format("health {}", *kind));
      }
    }
  };
  if (is_word(*kind, "none")) {
    reject({"port", "path", "interval", "timeout", "retries", "start_period", "start_interval"});
    if (args.positional.size() > 1) {
      ctx.diags.report(Code::UnexpectedArgument, args.positional[1]->span(),
                       ctx.sources.text(args.positional[1]->span()), "health none");
    }
    check.disable = true;
    b.service.healthcheck = std::move(check);
    return;
  }
  if (is_word(*kind, "http")) {
    if (args.positional.size() > 1) {
      ctx.diags
          .report(Code::UnexpectedArgument, args.positional[1]->span(),
                  ctx.sources.text(args.positional[1]->span()), "health http")
          .help("write the path as `path=\"/health\"`");
    }
    std::string scratch;
    std::string_view port_text;
    if (const ast::Arg* port = args.key("port")) {
      port_text = ctx.typed_view(port->value, plain_type(TypeKind::Port), scratch).value_or("");
    } else {
      ctx.diags.report(Code::MissingArgument, s.keyword.span, "health http",
                       "the container port: `port=8000`");
    }
    std::string path = "/";
    if (const ast::Arg* p = args.key("path")) {
      if (auto text = quoted(ctx, p->value, "a quoted path")) {
        if (auto problem = check_text(plain_type(TypeKind::Path), *text)) {
          ctx.report(*problem, p->value.span());
        } else {
          path = std::move(*text);
        }
      }
    }
    constexpr std::string_view kLocalhost = "http://localhost:";
    std::string url;
    url.reserve(kLocalhost.size() + port_text.size() + path.size());
    url.append(kLocalhost).append(port_text).append(path);
    check.test.reserve(4);
    for (const char* word : {"CMD", "curl", "-f"}) check.test.emplace_back(word);
    check.test.push_back(std::move(url));
  } else {
    reject({"port", "path"});
    if (args.positional.size() < 2) {
      ctx.diags.report(Code::MissingArgument, s.keyword.span, "health cmd",
                       "a shell command: `health cmd \"pg_isready\"`");
    } else if (auto text = quoted(ctx, args.positional[1]->value, "a quoted shell command")) {
      forbid_credential_in_command(ctx, "health cmd", *text, args.positional[1]->value.span());
      check.test = {"CMD-SHELL", *text};
    }
  }
  auto duration = [&](std::string_view key, std::optional<std::string>& slot) -> const ast::Arg* {
    const ast::Arg* arg = args.key(key);
    if (!arg) return nullptr;
    slot = ctx.typed_text(arg->value, plain_type(TypeKind::Duration));
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
        .report(Code::HealthTimeoutNotBelowInterval, timeout->value.span(), *check.timeout,
                *check.interval)
        .label(interval->value.span(), "interval set here")
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

/// `limits` and `reserve`: `cpu=`, `memory=` (and `pids=` and `min_memory=` for limits),
/// optionally `tunable`. `min_memory` is not lowered: it is what the service states it needs,
/// checked against the memory limit (D0410).
void resources(Builder& b, const ast::Setting& s, bool is_limit) {
  Context& ctx = b.ctx;
  const std::string_view kw = s.keyword.text();
  const Args args = is_limit ? ctx.split(s, {"cpu", "memory", "pids", "min_memory"}, 1)
                             : ctx.split(s, {"cpu", "memory"}, 1);
  bool tunable = false;
  if (!args.positional.empty()) {
    const auto* word = Context::as_ident(args.positional[0]->value);
    if (word && is_word(word->text(), "tunable")) {
      tunable = true;
    } else {
      auto d = ctx.diags.report(Code::UnexpectedArgument, args.positional[0]->span(),
                                ctx.sources.text(args.positional[0]->span()), kw);
      if (word) Context::suggest(d, word->text(), {"tunable"});
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
  const std::string_view suffix = is_limit ? "LIMIT" : "RESERVATION";
  if (tunable && b.env_prefix.empty()) b.env_prefix = env_prefix(b.service.name);
  const std::string_view prefix = b.env_prefix;
  auto piece = [&](const ast::Arg* arg, TypeKind kind, std::string_view resource,
                   Quantity& quantity) -> std::optional<model::Template> {
    if (!arg) return std::nullopt;
    std::string scratch;
    const auto text = ctx.typed_view(arg->value, plain_type(kind), scratch);
    if (text) {
      quantity.text = *text;
      quantity.span = arg->value.span();
      if (kind == TypeKind::Cpu)
        quantity.value = parse_cpu(*text);
      else
        quantity.value = static_cast<double>(*parse_memory_bytes(*text));
    }
    model::Template t;
    if (tunable) {
      write_derived_name(b.derived_name, prefix, resource, suffix);
      if (const std::optional<std::size_t> index = ctx.env.find(b.derived_name)) {
        ctx.env_used[*index] = true;
        t.append(model::VarRef{*index});
        return t;
      }
    }
    if (!text) return std::nullopt;
    t.append(std::string(*text));
    return t;
  };
  out.cpus = piece(cpu, TypeKind::Cpu, "CPU", facts.cpu);
  out.memory = piece(memory, TypeKind::Memory, "MEMORY", facts.memory);
  if (const ast::Arg* minimum = args.key("min_memory")) {
    if (auto text = ctx.typed_text(minimum->value, plain_type(TypeKind::Memory))) {
      b.min_memory = {static_cast<double>(*parse_memory_bytes(*text)), *text,
                      minimum->value.span()};
      b.service.extras.edit().min_memory = model::MemoryMinimum{*text, minimum->value.span()};
    }
  }
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
  static const std::vector<std::string> conditions{"none", "on-failure", "any"};
  auto condition = choice(ctx, args.positional[0]->value, "restart condition", conditions);
  if (!condition) return;
  model::RestartPolicy policy;
  policy.condition = *condition;
  if (const ast::Arg* a = args.key("delay"))
    policy.delay = ctx.typed_text(a->value, plain_type(TypeKind::Duration));
  if (const ast::Arg* a = args.key("window"))
    policy.window = ctx.typed_text(a->value, plain_type(TypeKind::Duration));
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
    ctx.diags.report(Code::UnexpectedAssignment, s.assigned->span(), "logging");
  }
  if (s.body) ctx.diags.report(Code::UnexpectedBlock, s.body->span, "logging");
  model::Logging out;
  bool have_driver = false;
  // Option keys as Compose spells them (`max-size`), where each was set; a few per service.
  std::vector<std::pair<std::string, Span>> keys;
  keys.reserve(s.args.size());
  out.options.reserve(s.args.size());
  for (const ast::Arg& arg : s.args) {
    if (!arg.key) {
      if (have_driver) {
        ctx.diags
            .report(Code::UnexpectedArgument, arg.span(), ctx.sources.text(arg.span()), "logging")
            .help("options are written `key=value`");
        continue;
      }
      have_driver = true;
      if (auto driver = choice(ctx, arg.value, "logging driver", drivers)) out.driver = *driver;
      continue;
    }
    std::string key(arg.key->text());
    std::replace(key.begin(), key.end(), '_', '-');
    if (auto it = std::find_if(keys.begin(), keys.end(),
                               [&](const auto& entry) { return entry.first == key; });
        it != keys.end()) {
      ctx.diags.report(Code::Duplicate, arg.key->span, "key", arg.key->text())
          .label(it->second, "first set here");
      continue;
    }
    keys.emplace_back(key, arg.key->span);
    std::optional<std::string> text;
    const bool rotating = is_word(out.driver, "json-file") || is_word(out.driver, "local");
    if (rotating && is_word(key, "max-size")) {
      text = ctx.typed_text(arg.value, plain_type(TypeKind::Memory));
    } else if (rotating && is_word(key, "max-file")) {
      text = ctx.typed_text(arg.value, plain_type(TypeKind::Int));
      if (text && *parse_int(*text) < 1) {
        ctx.diags.report(Code::OutOfRange, arg.value.span(), *text, "the minimum is 1");
        text.reset();
      }
    } else {
      text = ctx.scalar_text(arg.value, "an option value");
    }
    if (text) out.options.emplace_back(std::move(key), std::move(*text));
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
                     args.positional.empty() ? s.keyword.span : args.positional[0]->span(),
                     "depends_on", "a service name: `depends_on backend healthy`");
    return;
  }
  for (const DependencyUse& use : b.facts.depends_on) {
    if (use.target == target->text()) {
      ctx.diags.report(Code::Duplicate, target->span, "dependency", target->text())
          .label(use.target_span, "first declared here");
      return;
    }
  }
  model::Dependency dep;
  dep.service = target->text();
  dep.condition = "service_started";
  DependencyUse use{std::string(target->text()), "started", target->span, target->span};
  if (args.positional.size() > 1) {
    const ast::Value& value = args.positional[1]->value;
    static const std::vector<std::string> conditions{"started", "healthy", "completed"};
    auto condition = choice(ctx, value, "dependency condition", conditions);
    if (condition) {
      use.condition = *condition;
      use.condition_span = value.span();
      dep.condition = is_word(*condition, "started")   ? "service_started"
                      : is_word(*condition, "healthy") ? "service_healthy"
                                                       : "service_completed_successfully";
    }
  }
  if (const ast::Arg* r = args.key("restart")) {
    std::string scratch;
    if (auto text = ctx.typed_view(r->value, plain_type(TypeKind::Bool), scratch))
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
      ctx.diags.report(Code::ExpectedValueKind, arg->span(), "a network key",
                       fmt::format("`{}`", ctx.sources.text(arg->span())));
      continue;
    }
    if (std::find(b.service.networks.begin(), b.service.networks.end(), key->text()) !=
        b.service.networks.end()) {
      ctx.diags.report(Code::Duplicate, key->span, "network", key->text());
      continue;
    }
    if (!ctx.network_spans.count(key->text())) {
      auto d = ctx.diags.report(Code::UnknownNetwork, key->span, key->text());
      std::vector<std::string> names;
      for (const auto& [name, span] : ctx.network_spans) names.push_back(name);
      if (auto near = diag::closest(key->text(), names)) {
        d.help(fmt::format("did you mean `{}`?", *near));
      } else {
        d.help(fmt::format("declare it: `network {} {{ name \"…\" }}`", key->text()));
      }
      continue;
    }
    b.service.networks.emplace_back(key->text());
  }
}

// ---- process and runtime settings
// -----------------------------------------------------------------

/// Splits a command line into words as a POSIX shell would (quotes and backslashes, no
/// expansions). nullopt on an unterminated quote.
std::optional<std::vector<std::string>> shell_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
    } else if (c == '\'') {
      const std::size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      word += text.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size() &&
            std::string_view("\"\\$`").find(text[j + 1]) != std::string_view::npos) {
          ++j;
        }
        word += text[j];
      }
      if (j >= text.size()) return std::nullopt;
      i = j;
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

/// `command` and `entrypoint`: a list of words, or one string split into words like a shell
/// would, so the output is always the unambiguous list form.
void argv(Builder& b, const ast::Setting& s, std::vector<model::Template>& out) {
  Context& ctx = b.ctx;
  const std::string_view kw = s.keyword.text();
  const Args args = ctx.split(s, {}, 1);
  if (args.positional.empty()) {
    ctx.diags.report(
        Code::MissingArgument, s.keyword.span, kw,
        fmt::format("a command: `{} [\"uvicorn\", \"app:app\"]` or `{} \"…\"`", kw, kw));
    return;
  }
  const ast::Value& value = args.positional[0]->value;
  std::vector<model::Template> words;
  auto literal = [](std::string text) {
    model::Template t;
    t.append(std::move(text));
    return t;
  };
  if (const auto* list = std::get_if<ast::List>(&value.node)) {
    if (list->items.empty()) {
      ctx.diags.report(Code::MissingArgument, value.span(), kw, "at least one word");
      return;
    }
    for (const ast::Value& item : list->items) {
      if (std::holds_alternative<ast::Ident>(item.node) ||
          std::holds_alternative<ast::List>(item.node)) {
        ctx.diags
            .report(Code::ExpectedValueKind, item.span(), "a quoted word",
                    fmt::format("`{}`", ctx.sources.text(item.span())))
            .help(fmt::format("quote it: `\"{}\"`", ctx.sources.text(item.span())));
        return;
      }
      auto text = ctx.scalar_text(item, "a word");
      if (!text) return;
      forbid_credential_in_command(ctx, kw, *text, item.span());
      words.push_back(literal(*text));
    }
  } else {
    auto text = quoted(ctx, value, "a quoted command or a list of words");
    if (!text) return;
    forbid_credential_in_command(ctx, kw, *text, value.span());
    auto split = shell_words(*text);
    if (!split) {
      ctx.diags.report(Code::InvalidName, value.span(), *text, "command: a quote is not closed")
          .help("close the quote, or write the command as a list: `[\"sh\", \"-c\", \"…\"]`");
      return;
    }
    if (split->empty()) {
      ctx.diags.report(Code::MissingArgument, value.span(), kw, "at least one word");
      return;
    }
    for (auto& word : *split) words.push_back(literal(std::move(word)));
  }
  out = std::move(words);
}

void command(Builder& b, const ast::Setting& s) {
  argv(b, s, b.service.command);
}
void entrypoint(Builder& b, const ast::Setting& s) {
  argv(b, s, b.service.extras.edit().entrypoint);
}

void user(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {}, 1);
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "user",
                     "a user: `user \"10001:10001\"`");
    return;
  }
  const ast::Value& value = args.positional[0]->value;
  std::optional<std::string> text;
  if (std::holds_alternative<ast::Number>(value.node)) {
    text = ctx.scalar_text(value, "a user");
  } else {
    text = quoted(ctx, value, "a quoted user");
  }
  if (!text) return;
  if (!pattern::is_user_spec(*text)) {
    ctx.diags.report(Code::InvalidName, value.span(), *text, "user")
        .help("write `user \"NAME\"`, `user \"UID\"` or `user \"UID:GID\"`");
    return;
  }
  b.service.extras.edit().user = *text;
}

void working_dir(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {}, 1);
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "working_dir", "an absolute path");
    return;
  }
  const ast::Value& value = args.positional[0]->value;
  auto text = quoted(ctx, value, "a quoted absolute path");
  if (!text) return;
  if (auto problem = check_text(plain_type(TypeKind::Path), *text)) {
    ctx.report(*problem, value.span());
    return;
  }
  b.service.extras.edit().working_dir = *text;
}

void labels(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  ctx.split(s, {}, 0, true);
  if (!s.body) {
    ctx.diags.report(Code::MissingBlock, s.keyword.span, "labels")
        .help("write `labels { com.example.team = \"payments\" }`");
    return;
  }
  b.label_keys.reserve(b.label_keys.size() + s.body->stmts.size());
  ctx.walk(*s.body, Where::Environment, [&](const ast::Stmt& stmt) {
    const auto* entry = std::get_if<ast::Setting>(&stmt.node);
    if (!entry) return ctx.misplaced(stmt, Where::Environment);
    const ast::Ident& key = entry->keyword;
    for (const ast::Arg& arg : entry->args) {
      ctx.diags
          .report(Code::UnexpectedArgument, arg.span(), ctx.sources.text(arg.span()), key.text())
          .help(fmt::format("write `{} = \"value\"`", key.text()));
    }
    if (entry->body) ctx.diags.report(Code::UnexpectedBlock, entry->body->span, key.text());
    if (!entry->assigned) {
      ctx.diags.report(Code::MissingArgument, key.span, key.text(), "a value: `= \"…\"`");
      return;
    }
    const ast::Value& assigned = *entry->assigned;
    if (Context::as_ident(assigned) || std::holds_alternative<ast::List>(assigned.node)) {
      ctx.diags
          .report(Code::ExpectedValueKind, assigned.span(), "a quoted label value",
                  fmt::format("`{}`", ctx.sources.text(assigned.span())))
          .help("labels are fixed text: quote the value");
      return;
    }
    const KeyAction action = key_action(b, b.label_keys, key, "label");
    if (action == KeyAction::Skip) return;
    auto text = ctx.scalar_text(assigned, "a label value");
    if (!text) return;
    if (looks_like_credential(*text)) {
      // Labels are shown to anyone who can list containers, images or the compose file.
      ctx.diags.report(Code::CredentialInLiteral, assigned.span(), key.text())
          .help("declare a `secret` env var and pass it in `environment`, not in a label");
    }
    put_keyed(b.service.extras.edit().labels, action, key.text(), *text);
  });
}

/// `read_only`, `init`: alone for true, or with `true` / `false`.
std::optional<bool> switch_value(Builder& b, const ast::Setting& s) {
  const Args args = b.ctx.split(s, {}, 1);
  if (args.positional.empty()) return true;
  std::string scratch;
  const auto text = b.ctx.typed_view(args.positional[0]->value, plain_type(TypeKind::Bool), scratch);
  if (!text) return std::nullopt;
  return *text == "true";
}

void read_only(Builder& b, const ast::Setting& s) {
  if (auto v = switch_value(b, s)) b.service.extras.edit().read_only = *v;
}
void init(Builder& b, const ast::Setting& s) {
  if (auto v = switch_value(b, s)) b.service.extras.edit().init = *v;
}

/// Positional words appended to `out`, each checked by `check` (nullopt: fine; else the
/// problem's help), duplicates reported.
void words(Builder& b, const ast::Setting& s, std::vector<std::string>& out, std::string_view what,
           std::string_view example, bool allow_ident,
           const std::function<std::optional<Problem>(const std::string&)>& check) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {}, s.args.size() + (s.assigned ? 1 : 0));
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, s.keyword.text(),
                     fmt::format("{}: `{} {}`", what, s.keyword.text(), example));
    return;
  }
  for (const ast::Arg* arg : args.positional) {
    const ast::Value& value = arg->value;
    std::optional<std::string> text;
    if (allow_ident && Context::as_ident(value)) {
      text = Context::as_ident(value)->text();
    } else {
      text = quoted(ctx, value, fmt::format("a quoted {}", what));
    }
    if (!text) continue;
    if (auto problem = check(*text)) {
      ctx.report(*problem, value.span());
      continue;
    }
    if (std::find(out.begin(), out.end(), *text) != out.end()) {
      ctx.diags.report(Code::Duplicate, value.span(), what, *text);
      continue;
    }
    out.push_back(*text);
  }
}

Problem invalid(std::string text, std::string what, std::string help) {
  return Problem{Code::InvalidName, std::move(text), std::move(what), std::move(help)};
}

void tmpfs(Builder& b, const ast::Setting& s) {
  words(b, s, b.service.extras.edit().tmpfs, "tmpfs path", "\"/tmp\"", false,
        [](const std::string& text) -> std::optional<Problem> {
          const std::string path = text.substr(0, text.find(':'));
          if (path.empty() || path[0] != '/') {
            return invalid(text, "tmpfs mount",
                           "write an absolute path: `\"/tmp\"`, optionally "
                           "with options: `\"/tmp:size=64m\"`");
          }
          return std::nullopt;
        });
}

void security_opt(Builder& b, const ast::Setting& s) {
  words(b, s, b.service.extras.edit().security_opt, "security option", "\"no-new-privileges:true\"",
        true, [](const std::string& text) -> std::optional<Problem> {
          if (!pattern::is_security_option(text)) {
            return invalid(text, "security option",
                           "write `\"no-new-privileges:true\"` or `\"seccomp=…\"`");
          }
          return std::nullopt;
        });
}

std::optional<Problem> check_capability(const std::string& text) {
  if (!pattern::is_capability(text)) {
    return invalid(text, "capability", "capabilities are upper case: `ALL`, `NET_BIND_SERVICE`");
  }
  return std::nullopt;
}

void cap_add(Builder& b, const ast::Setting& s) {
  words(b, s, b.service.extras.edit().cap_add, "capability", "NET_BIND_SERVICE", true,
        check_capability);
}
void cap_drop(Builder& b, const ast::Setting& s) {
  words(b, s, b.service.extras.edit().cap_drop, "capability", "ALL", true, check_capability);
}

void dns(Builder& b, const ast::Setting& s) {
  words(b, s, b.service.extras.edit().dns, "DNS server", "\"1.1.1.1\"", false,
        [](const std::string& text) -> std::optional<Problem> {
          if (!is_ip_address(text)) {
            return Problem{Code::InvalidIp, text, "", "write an address like `1.1.1.1`"};
          }
          return std::nullopt;
        });
}

void profile(Builder& b, const ast::Setting& s) {
  words(b, s, b.service.extras.edit().profiles, "profile", "debug", true,
        [](const std::string& text) -> std::optional<Problem> {
          if (!pattern::is_long_object_name(text)) {
            return invalid(text, "profile name",
                           "use two or more letters, digits, `_`, `.` and `-`, starting with a "
                           "letter or digit");
          }
          return std::nullopt;
        });
}

void stop_grace_period(Builder& b, const ast::Setting& s) {
  const Args args = b.ctx.split(s, {}, 1);
  if (args.positional.empty()) {
    b.ctx.diags.report(Code::MissingArgument, s.keyword.span, "stop_grace_period",
                       "a duration: `stop_grace_period 30s`");
    return;
  }
  b.service.extras.edit().stop_grace_period =
      b.ctx.typed_text(args.positional[0]->value, plain_type(TypeKind::Duration));
}

void stop_signal(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {}, 1);
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "stop_signal",
                     "a signal: `stop_signal SIGTERM`");
    return;
  }
  const ast::Value& value = args.positional[0]->value;
  const auto* word = Context::as_ident(value);
  auto text = word ? std::optional<std::string>(word->text()) : ctx.scalar_text(value, "a signal");
  if (!text) return;
  if (!pattern::is_stop_signal(*text)) {
    ctx.diags.report(Code::InvalidName, value.span(), *text, "signal")
        .help("write a signal name: `SIGTERM`, `SIGQUIT`, `SIGINT`");
    return;
  }
  b.service.extras.edit().stop_signal = *text;
}

void ulimits(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {"soft", "hard"}, 2);
  static const std::vector<std::string> names{
      "core",   "cpu",   "data", "fsize",  "locks",  "memlock",    "msgqueue", "nice",
      "nofile", "nproc", "rss",  "rtprio", "rttime", "sigpending", "stack"};
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "ulimits",
                     "a limit: `ulimits nofile soft=65536 hard=65536`");
    return;
  }
  auto name = choice(ctx, args.positional[0]->value, "ulimit", names);
  if (!name) return;
  for (const auto& u : b.service.extras->ulimits) {
    if (u.name == *name) {
      ctx.diags.report(Code::Duplicate, args.positional[0]->span(), "ulimit", *name);
      return;
    }
  }
  const ast::Arg* soft = args.key("soft");
  const ast::Arg* hard = args.key("hard");
  std::optional<std::int64_t> soft_value, hard_value;
  if (args.positional.size() > 1) {
    if (soft || hard) {
      ctx.diags
          .report(Code::UnexpectedArgument, args.positional[1]->span(),
                  ctx.sources.text(args.positional[1]->span()), "ulimits")
          .help("give one value for both, or `soft=` and `hard=`");
      return;
    }
    soft_value = hard_value = int_at_least(ctx, args.positional[1]->value, 0);
  } else {
    if (!soft || !hard) {
      ctx.diags.report(Code::MissingArgument, s.keyword.span, "ulimits",
                       "`soft=` and `hard=`, or one value for both");
      return;
    }
    soft_value = int_at_least(ctx, soft->value, 0);
    hard_value = int_at_least(ctx, hard->value, 0);
    if (soft_value && hard_value && *soft_value > *hard_value) {
      ctx.diags
          .report(Code::OutOfRange, soft->value.span(), std::to_string(*soft_value),
                  fmt::format("the soft limit cannot exceed the hard limit {}", *hard_value))
          .label(hard->value.span(), "hard limit set here");
      return;
    }
  }
  if (!soft_value || !hard_value) return;
  b.service.extras.edit().ulimits.push_back(model::Ulimit{*name, *soft_value, *hard_value});
}

void extra_hosts(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  if (s.assigned) ctx.diags.report(Code::UnexpectedAssignment, s.assigned->span(), "extra_hosts");
  if (s.body) ctx.diags.report(Code::UnexpectedBlock, s.body->span, "extra_hosts");
  if (s.args.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "extra_hosts",
                     "`host=\"address\"`: `extra_hosts db.internal=\"10.0.0.5\"`");
    return;
  }
  for (const ast::Arg& arg : s.args) {
    if (!arg.key) {
      ctx.diags
          .report(Code::UnexpectedArgument, arg.span(), ctx.sources.text(arg.span()), "extra_hosts")
          .help("write `host=\"address\"`, or `host=host-gateway`");
      continue;
    }
    std::string address;
    if (const auto* word = Context::as_ident(arg.value); word && word->text() == "host-gateway") {
      address = word->text();
    } else if (auto text = quoted(ctx, arg.value, "a quoted IP address or `host-gateway`")) {
      if (!is_ip_address(*text)) {
        ctx.diags.report(Code::InvalidIp, arg.value.span(), *text, "")
            .help("write an address like `10.0.0.5`, or `host-gateway`");
        continue;
      }
      address = *text;
    } else {
      continue;
    }
    // `host:ip` is the form every Compose reads; an IPv6 address needs `host=ip`.
    const char sep = address.find(':') == std::string::npos ? ':' : '=';
    std::string entry = std::string(arg.key->text()) + sep + address;
    const std::string prefix(arg.key->text());
    const std::vector<std::string>& hosts = b.service.extras->extra_hosts;
    const bool repeated = std::any_of(hosts.begin(), hosts.end(), [&](const std::string& e) {
      return e.size() > prefix.size() && e.compare(0, prefix.size(), prefix) == 0 &&
             (e[prefix.size()] == ':' || e[prefix.size()] == '=');
    });
    if (repeated) {
      ctx.diags.report(Code::Duplicate, arg.key->span, "extra host", arg.key->text());
      continue;
    }
    b.service.extras.edit().extra_hosts.push_back(std::move(entry));
  }
}

void expose(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {}, s.args.size() + (s.assigned ? 1 : 0));
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "expose", "a port: `expose 8000`");
    return;
  }
  for (const ast::Arg* arg : args.positional) {
    std::string scratch;
    const auto text = ctx.typed_view(arg->value, plain_type(TypeKind::Port), scratch);
    if (!text) continue;
    const auto port = static_cast<std::uint16_t>(*parse_int(*text));
    const std::vector<std::uint16_t>& exposed = b.service.extras->expose;
    if (std::find(exposed.begin(), exposed.end(), port) != exposed.end()) {
      ctx.diags.report(Code::Duplicate, arg->span(), "exposed port", *text);
      continue;
    }
    b.service.extras.edit().expose.push_back(port);
  }
}

void replicas(Builder& b, const ast::Setting& s) {
  const Args args = b.ctx.split(s, {}, 1);
  if (args.positional.empty()) {
    b.ctx.diags.report(Code::MissingArgument, s.keyword.span, "replicas", "a count: `replicas 3`");
    return;
  }
  if (auto n = int_at_least(b.ctx, args.positional[0]->value, 0)) {
    b.service.replicas = *n;
    b.replicas = *n;
    b.replicas_span = args.positional[0]->value.span();
  }
}

// ---- storage and secrets ------------------------------------------------------------------------

bool looks_like_path(std::string_view text) {
  return !text.empty() && (text[0] == '/' || text[0] == '.' || text[0] == '~');
}

/// `volume data "/var/lib/app" [ro]` or `volume "data:/var/lib/app[:ro]"`: a named volume.
void volume(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {}, 3);
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "volume",
                     "a named volume and a path: `volume data \"/var/lib/app\"`");
    return;
  }
  const ast::Value& first = args.positional[0]->value;
  model::VolumeMount mount;
  Span source_span = first.span();
  Span target_span = first.span();
  std::size_t next = 1;
  if (const auto* word = Context::as_ident(first)) {
    mount.source = word->text();
    if (args.positional.size() < 2) {
      ctx.diags.report(Code::MissingArgument, s.keyword.span, "volume",
                       fmt::format("a target path: `volume {} \"/data\"`", word->text()));
      return;
    }
    const ast::Value& target = args.positional[1]->value;
    auto text = quoted(ctx, target, "a quoted target path");
    if (!text) return;
    mount.target = *text;
    target_span = target.span();
    next = 2;
  } else {
    auto text = quoted(ctx, first, "a named volume");
    if (!text) return;
    const std::size_t colon = text->find(':');
    mount.source = text->substr(0, colon);
    if (colon != std::string::npos) {
      std::string rest = text->substr(colon + 1);
      if (rest.size() > 3 && (rest.ends_with(":ro") || rest.ends_with(":rw"))) {
        mount.read_only = rest.ends_with(":ro");
        rest.resize(rest.size() - 3);
      }
      mount.target = rest;
    }
  }
  if (looks_like_path(mount.source)) {
    ctx.diags.report(Code::BindMount, source_span, mount.source)
        .note("a host path ties the deployment to one machine's file system (FR-DEP-015)")
        .help(
            "declare a named volume at the top level, `volume data {}`, and mount it: "
            "`volume data \"/path\"`");
    return;
  }
  for (std::size_t i = next; i < args.positional.size(); ++i) {
    const ast::Value& mode = args.positional[i]->value;
    static const std::vector<std::string> modes{"ro", "rw"};
    if (auto m = choice(ctx, mode, "mount mode", modes)) mount.read_only = *m == "ro";
  }
  if (mount.target.empty()) {
    ctx.diags.report(Code::MissingArgument, first.span(), "volume",
                     fmt::format("a target path: `volume {} \"/data\"`", mount.source));
    return;
  }
  if (auto problem = check_text(plain_type(TypeKind::Path), mount.target)) {
    ctx.report(*problem, target_span);
    return;
  }
  if (!ctx.volume_spans.count(mount.source)) {
    auto d = ctx.diags.report(Code::UnknownVolume, source_span, mount.source);
    std::vector<std::string> names;
    for (const auto& [name, span] : ctx.volume_spans) names.push_back(name);
    if (auto near = diag::closest(mount.source, names)) {
      d.help(fmt::format("did you mean `{}`?", *near));
    } else {
      d.help(fmt::format("declare it at the top level: `volume {} {{}}`", mount.source));
    }
    return;
  }
  for (const auto& other : b.service.extras->volumes) {
    if (other.target == mount.target) {
      ctx.diags.report(Code::Duplicate, target_span, "mount target", mount.target);
      return;
    }
  }
  b.service.extras.edit().volumes.push_back(std::move(mount));
}

/// `secrets NAME…` / `configs NAME… [target="…"]`.
void file_mounts(Builder& b, const ast::Setting& s, bool is_config) {
  Context& ctx = b.ctx;
  const std::string what = is_config ? "config" : "secret";
  const Args args = ctx.split(s, {"target"}, s.args.size() + (s.assigned ? 1 : 0));
  if (args.positional.empty()) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, s.keyword.text(),
                     fmt::format("a {} name: `{} db_password`", what, s.keyword.text()));
    return;
  }
  const ast::Arg* target = args.key("target");
  std::optional<std::string> target_text;
  if (target) {
    if (args.positional.size() > 1) {
      ctx.diags
          .report(Code::UnexpectedArgument, target->span(), ctx.sources.text(target->span()),
                  s.keyword.text())
          .help(fmt::format("`target=` names the path of one {}: write one `{}` per target", what,
                            s.keyword.text()));
      return;
    }
    target_text = quoted(ctx, target->value, "a quoted path");
    if (!target_text) return;
    if (is_config) {
      if (auto problem = check_text(plain_type(TypeKind::Path), *target_text)) {
        ctx.report(*problem, target->value.span());
        return;
      }
    }
  }
  auto& spans = is_config ? ctx.config_spans : ctx.secret_spans;
  model::ServiceExtras& extras = b.service.extras.edit();
  auto& out = is_config ? extras.configs : extras.secrets;
  for (const ast::Arg* arg : args.positional) {
    const auto* name = Context::as_ident(arg->value);
    if (!name) {
      ctx.diags.report(Code::ExpectedValueKind, arg->span(), fmt::format("a {} name", what),
                       fmt::format("`{}`", ctx.sources.text(arg->span())));
      continue;
    }
    if (!spans.count(name->text())) {
      auto d = ctx.diags.report(Code::UnknownSecret, name->span, what, name->text());
      std::vector<std::string> names;
      for (const auto& [n, span] : spans) names.push_back(n);
      if (auto near = diag::closest(name->text(), names)) {
        d.help(fmt::format("did you mean `{}`?", *near));
      } else {
        d.help(fmt::format("declare it at the top level: `{} {} {{ environment VAR }}`", what,
                           name->text()));
      }
      continue;
    }
    if (std::any_of(out.begin(), out.end(),
                    [&](const model::FileMount& m) { return m.source == name->text(); })) {
      ctx.diags.report(Code::Duplicate, name->span, what, name->text());
      continue;
    }
    out.push_back(model::FileMount{std::string(name->text()), target_text});
  }
}

void secrets(Builder& b, const ast::Setting& s) {
  file_mounts(b, s, false);
}
void configs(Builder& b, const ast::Setting& s) {
  file_mounts(b, s, true);
}

/// `build context="./backend" dockerfile="Dockerfile" target=production { arg KEY="v" }`:
/// how CI builds the image; only compose.build.yml carries it (FR-DEP-014).
void build(Builder& b, const ast::Setting& s) {
  Context& ctx = b.ctx;
  const Args args = ctx.split(s, {"context", "dockerfile", "target"}, 0, true);
  model::Build out;
  const ast::Arg* context = args.key("context");
  if (!context) {
    ctx.diags.report(Code::MissingArgument, s.keyword.span, "build",
                     "a context: `build context=\"./backend\"`");
    return;
  }
  auto context_text = quoted(ctx, context->value, "a quoted build context");
  if (!context_text) return;
  if (context_text->empty()) {
    ctx.diags.report(Code::MissingArgument, context->value.span(), "build context", "a path");
    return;
  }
  out.context = *context_text;
  if (const ast::Arg* dockerfile = args.key("dockerfile")) {
    out.dockerfile = quoted(ctx, dockerfile->value, "a quoted Dockerfile path");
    if (!out.dockerfile) return;
  }
  if (const ast::Arg* target = args.key("target")) {
    const auto* word = Context::as_ident(target->value);
    auto text = word ? std::optional<std::string>(word->text())
                     : ctx.scalar_text(target->value, "a build stage");
    if (!text) return;
    if (!pattern::is_object_name(*text)) {
      ctx.diags.report(Code::InvalidName, target->value.span(), *text, "build stage");
      return;
    }
    out.target = *text;
  }
  if (s.body) {
    std::map<std::string, Span> seen;
    ctx.walk(*s.body, Where::Environment, [&](const ast::Stmt& stmt) {
      const auto* entry = std::get_if<ast::Setting>(&stmt.node);
      if (!entry) return ctx.misplaced(stmt, Where::Environment);
      if (entry->keyword.text() != "arg") {
        auto d = ctx.diags.report(Code::UnknownSetting, entry->keyword.span, entry->keyword.text(),
                                  "in a build");
        Context::suggest(d, entry->keyword.text(), {"arg"});
        return;
      }
      if (entry->assigned) {
        ctx.diags.report(Code::UnexpectedAssignment, entry->assigned->span(), "arg")
            .help("write `arg KEY=\"value\"`");
      }
      for (const ast::Arg& arg : entry->args) {
        if (!arg.key) {
          ctx.diags
              .report(Code::UnexpectedArgument, arg.span(), ctx.sources.text(arg.span()), "arg")
              .help("write `arg KEY=\"value\"`");
          continue;
        }
        if (auto it = seen.find(std::string(arg.key->text())); it != seen.end()) {
          ctx.diags.report(Code::Duplicate, arg.key->span, "build arg", arg.key->text())
              .label(it->second, "first set here");
          continue;
        }
        seen.emplace(arg.key->text(), arg.key->span);
        auto text = ctx.scalar_text(arg.value, "a build arg value");
        if (!text) continue;
        if (looks_like_credential(*text)) {
          // Build args stay in the image's history: a credential there is published with it.
          ctx.diags.report(Code::CredentialInLiteral, arg.value.span(), arg.key->text())
              .help("pass credentials to the build as build secrets, not args");
        }
        out.args.emplace_back(arg.key->text(), *text);
      }
    });
  }
  b.has_build = true;
  b.service.extras.edit().build = std::move(out);
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
    {"command", false, command},
    {"entrypoint", false, entrypoint},
    {"user", false, user},
    {"working_dir", false, working_dir},
    {"labels", true, labels},
    {"read_only", false, read_only},
    {"tmpfs", true, tmpfs},
    {"security_opt", true, security_opt},
    {"cap_add", true, cap_add},
    {"cap_drop", true, cap_drop},
    {"init", false, init},
    {"stop_grace_period", false, stop_grace_period},
    {"stop_signal", false, stop_signal},
    {"ulimits", true, ulimits},
    {"extra_hosts", true, extra_hosts},
    {"dns", true, dns},
    {"expose", true, expose},
    {"replicas", false, replicas},
    {"profile", true, profile},
    {"volume", true, volume},
    {"secrets", true, secrets},
    {"configs", true, configs},
    {"build", false, build},
};

/// D0410: a limit (the default, when `tunable`) below what the service says it needs is an
/// out-of-memory kill waiting for the first busy hour.
void check_minimum(Context& ctx, const std::string& service, const Quantity& limit,
                   const Quantity& minimum) {
  if (!limit.value || !minimum.value || *limit.value >= *minimum.value) return;
  ctx.diags.report(Code::MemoryLimitBelowMinimum, limit.span, limit.text, service, minimum.text)
      .label(minimum.span, "minimum stated here")
      .help(fmt::format("raise the limit to at least `{}`, or lower `min_memory` if the service "
                        "really fits",
                        minimum.text));
}

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
    out.emplace_back("use");  // expanded before the settings are checked (presets.cpp)
    return out;
  }();
  return names;
}

namespace {

/// The row of kSettings for `keyword`, or null for a setting a service does not know.
const SettingSpec* find_setting(std::string_view keyword) {
  const auto* spec =
      std::find_if(std::begin(kSettings), std::end(kSettings),
                   [&](const SettingSpec& sp) { return is_word(keyword, sp.keyword); });
  return spec == std::end(kSettings) ? nullptr : spec;
}

/// The index of a known setting's row in kSettings.
std::size_t setting_row(std::string_view keyword) {
  return static_cast<std::size_t>(find_setting(keyword) - std::begin(kSettings));
}

}  // namespace

bool setting_repeatable(std::string_view keyword) {
  // An unknown setting is reported when checked, never dropped in favour of another.
  const SettingSpec* spec = find_setting(keyword);
  return !spec || spec->repeatable;
}

std::optional<DerivedGroup> collect_derived(Context& ctx, const ast::Setting& service) {
  const ast::Ident* name =
      service.args.empty() ? nullptr : Context::as_ident(service.args[0].value);
  if (!name || !service.body) return std::nullopt;
  DerivedGroup group{name->text(), {}};
  group.vars.reserve(4);  // cpu and memory of limits and reserve: the usual case
  const std::string prefix = env_prefix(name->text());
  bool seen_limits = false, seen_reserve = false;
  auto visit = [&](const Expanded& entry) {
    const ScopeGuard guard(ctx, entry.scope);
    const auto* s = std::get_if<ast::Setting>(&entry.stmt->node);
    if (!s) return;
    const bool is_limit = is_word(s->keyword.text(), "limits");
    if (!is_limit && !is_word(s->keyword.text(), "reserve")) return;
    bool& seen = is_limit ? seen_limits : seen_reserve;
    if (seen) return;  // a duplicate setting is reported when the service is checked
    seen = true;
    const bool tunable = std::any_of(s->args.begin(), s->args.end(), [](const ast::Arg& a) {
      const auto* w = Context::as_ident(a.value);
      return !a.key && w && is_word(w->text(), "tunable");
    });
    if (!tunable) return;
    for (const ast::Arg& arg : s->args) {
      if (!arg.key) continue;
      const bool is_cpu = is_word(arg.key->text(), "cpu");
      if (!is_cpu && !is_word(arg.key->text(), "memory")) continue;
      const std::string_view text =
          std::visit(overloaded{[&](const ast::String& str) {
                                  if (const auto literal = Context::literal_text(str))
                                    return ctx.keep(*literal);
                                  return ctx.keep(ctx.substitute(str, /*quiet=*/true).value_or(""));
                                },
                                [&](const ast::Number& n) { return ctx.keep(n.text); },
                                [&](const ast::Ident& i) { return ctx.keep(i.text()); },
                                [](const ast::List&) { return std::string_view(); }},
                     arg.value.node);
      // Kept in `order`, a repeated key after the first: what a stable sort would give,
      // without the buffer std::stable_sort allocates.
      const int order = (is_limit ? 0 : 2) + (is_cpu ? 0 : 1);
      const auto at = std::find_if(group.vars.begin(), group.vars.end(),
                                   [&](const DerivedVar& other) { return other.order > order; });
      group.vars.insert(
          at, DerivedVar{keep_derived_name(ctx, prefix, is_cpu ? "CPU" : "MEMORY",
                                           is_limit ? "LIMIT" : "RESERVATION"),
                         is_cpu ? TypeKind::Cpu : TypeKind::Memory, text, arg.span(), order});
    }
  };
  // The body is expanded once, here, before the sections need the derived variables, and the
  // service is checked later from the same expansion. A body that expands to itself (no `when`,
  // `use` or `allow` at its top: the usual one) is read in place, and nothing is kept for it.
  if (expands_to_itself(service.body->stmts)) {
    for (const ast::Stmt& stmt : service.body->stmts) visit(Expanded{&stmt, nullptr, {}, {}});
  } else {
    const std::vector<Expanded>& body = ctx.service_bodies[&service] =
        expand(ctx, service.body->stmts, Where::Service);
    for (const Expanded& entry : body) visit(entry);
  }
  if (group.vars.empty()) return std::nullopt;
  return group;
}

namespace {

/// Checks one service into `slot` when given (a default-constructed Service), else into a new
/// one at the end of ctx.out.services.
void analyze_service(Context& ctx, const ast::Setting& setting, model::Service* slot = nullptr) {
  const Args args = ctx.split(setting, {}, 1, true);
  const ast::Ident* name =
      args.positional.empty() ? nullptr : Context::as_ident(args.positional[0]->value);
  if (!name) {
    ctx.diags.report(Code::MissingArgument, setting.keyword.span, "service",
                     "a name: `service backend { … }`");
    return;
  }
  if (auto it = ctx.service_facts.find(name->text()); it != ctx.service_facts.end()) {
    ctx.diags.report(Code::Duplicate, name->span, "service", name->text())
        .label(it->second.name_span, "first declared here");
    return;
  }
  ServiceFacts& facts = ctx.service_facts[name->text()];
  facts.name_span = name->span;
  // Built in place: a Service is large, and nothing reads the list until every service is in.
  model::Service& service = slot ? *slot : ctx.out.services.emplace_back();
  service.name = name->text();
  service.origin = name->span;
  Builder b{ctx, service, facts, {}, {}, false, {}, {}, std::nullopt, 1, false, {}, {}, {}};
  // Where each setting that may appear once was set, by its row in kSettings.
  std::array<std::optional<Span>, std::size(kSettings)> first_set{};
  bool has_image = false;
  if (!setting.body) {
    ctx.diags.report(Code::MissingBlock, setting.keyword.span, "service");
  } else {
    auto check = [&](const Expanded& entry) {
      const ScopeGuard guard(ctx, entry.scope);
      b.from_preset = entry.scope != nullptr;
      const ast::Stmt& inner = *entry.stmt;
      const auto* s = std::get_if<ast::Setting>(&inner.node);
      if (!s) {
        ctx.misplaced(inner, Where::Service);
        return;
      }
      const SettingSpec* spec = find_setting(s->keyword.text());
      if (!spec) {
        ctx.unknown_setting(s->keyword, Where::Service);
        return;
      }
      if (!spec->repeatable) {
        std::optional<Span>& first = first_set[static_cast<std::size_t>(spec - kSettings)];
        if (first) {
          ctx.diags.report(Code::Duplicate, s->keyword.span, "setting", s->keyword.text())
              .label(*first, "first set here");
          return;
        }
        first = s->keyword.span;
      }
      if (spec == std::begin(kSettings)) has_image = true;  // the `image` row
      spec->apply(b, *s);
    };
    // collect_derived expanded the bodies of the services that were kept; read that, or the
    // body itself when it expands to itself.
    const auto& bodies = ctx.expanded_bodies();
    if (auto cached = bodies.find(&setting); cached != bodies.end()) {
      for (const Expanded& entry : cached->second) check(entry);
    } else if (expands_to_itself(setting.body->stmts)) {
      for (const ast::Stmt& stmt : setting.body->stmts) check(Expanded{&stmt, nullptr, {}, {}});
    } else {
      for (const Expanded& entry : expand(ctx, setting.body->stmts, Where::Service)) check(entry);
    }
  }
  if (!has_image) {
    auto d = ctx.diags.report(Code::MissingImage, name->span, name->text());
    if (b.has_build) {
      d.help(
          "the production file pulls `image`, and `build` only tells CI how to build it: add "
          "`image repo=VAR tag=VAR` naming where CI pushes it");
    } else {
      d.help("add `image \"repository:tag\"` or `image repo=VAR tag=VAR`");
    }
  }
  if (b.replicas > 1 && service.extras->container_name && b.replicas_span) {
    // Compose refuses a fixed container name for a scaled service.
    ctx.diags.report(Code::ReplicasWithContainerName, *b.replicas_span, std::to_string(b.replicas))
        .label(*first_set[setting_row("container_name")], "`container_name` set here")
        .help("remove `container_name`: each replica needs its own name, which Compose gives it");
  }
  compare(ctx, "cpu", b.reservations.cpu, b.limits.cpu);
  compare(ctx, "memory", b.reservations.memory, b.limits.memory);
  check_minimum(ctx, service.name, b.limits.memory, b.min_memory);
}

/// The name analyze_service reads: the first positional argument, when it is a word.
const ast::Ident* written_name(const ast::Setting& setting) {
  if (setting.assigned) return nullptr;  // read as the first positional argument, and reported
  for (const ast::Arg& arg : setting.args) {
    if (!arg.key) return Context::as_ident(arg.value);
  }
  return nullptr;
}

/// Whether an `env` declaration stands anywhere inside `stmts`. Checking a service records
/// one met in a dropped `when` (Context::lint), and a later service's use of the variable
/// reads that record: services with such a declaration are not independent.
bool declares_env(std::span<const ast::Stmt> stmts) {
  for (const ast::Stmt& stmt : stmts) {
    if (std::holds_alternative<ast::EnvDecl>(stmt.node)) return true;
    if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
      if (declares_env(when->body.stmts)) return true;
    } else if (const auto* s = std::get_if<ast::Setting>(&stmt.node); s && s->body) {
      if (declares_env(s->body->stmts)) return true;
    }
  }
  return false;
}

/// Whether checking each service touches nothing another one reads, apart from what is merged
/// in order afterwards: every service is named, no name is taken twice (the duplicate check
/// reads the services before it), none declares an `env` inside (see declares_env), and every
/// body was expanded by collect_derived or expands to itself (expanding a `use` would create
/// preset scopes in the worker).
bool independent(const Context& ctx,
                 std::span<const std::pair<const ast::Stmt*, const ast::Setting*>> services) {
  std::unordered_set<std::string_view> names;
  names.reserve(services.size());
  for (const auto& [stmt, setting] : services) {
    const ast::Ident* name = written_name(*setting);
    if (!name || !names.insert(name->text()).second) return false;
    if (!setting->body) continue;
    if (auto cached = ctx.service_bodies.find(setting); cached != ctx.service_bodies.end()) {
      for (const Expanded& entry : cached->second) {
        if (declares_env({entry.stmt, 1})) return false;
      }
    } else if (!expands_to_itself(setting->body->stmts) ||
               declares_env(setting->body->stmts)) {
      return false;
    }
  }
  return true;
}

/// Adds what a worker collected to `ctx`, as if its services had been checked there after the
/// ones `ctx` checked.
void merge(Context& ctx, Context&& worker, diag::DiagnosticEngine&& worker_diags) {
  for (auto& [name, facts] : worker.service_facts) {
    ctx.service_facts.emplace(name, std::move(facts));
  }
  ctx.published_ports.insert(ctx.published_ports.end(),
                             std::make_move_iterator(worker.published_ports.begin()),
                             std::make_move_iterator(worker.published_ports.end()));
  for (std::size_t i = 0; i < worker.env_used.size(); ++i) {
    if (worker.env_used[i]) ctx.env_used[i] = true;
  }
  ctx.names_used_in_dropped_code.insert(worker.names_used_in_dropped_code.begin(),
                                        worker.names_used_in_dropped_code.end());
  ctx.diags.absorb(std::move(worker_diags));
}

}  // namespace

void analyze_services(Context& ctx,
                      std::span<const std::pair<const ast::Stmt*, const ast::Setting*>> services) {
  const std::size_t count = services.size();
  if (ctx.options.services_in_two_halves) *ctx.options.services_in_two_halves = false;
  if (count < 2 || count < ctx.options.parallel_services || !independent(ctx, services)) {
    for (const auto& [stmt, setting] : services) analyze_service(ctx, *setting);
    return;
  }
  // The second half on a worker, into its own tables and diagnostics, merged after the first
  // half: the engine's list, and so the sorted one, is the one-thread run's. Independent
  // services make one model::Service each, so each thread fills its own slots of the model's
  // list, which is sized before the worker starts and not resized until it is joined.
  // The worker takes a little more than half: this thread also checks the stack for independence
  // before and merges after, about a tenth of checking its own half at N = 1000.
  const std::size_t half = count * 23 / 50;
  const std::size_t first_slot = ctx.out.services.size();
  ctx.out.services.resize(first_slot + count);
  model::Service* const slots = ctx.out.services.data() + first_slot;
  diag::DiagnosticEngine worker_diags(ctx.diags.policy());
  Context worker(ctx, worker_diags);
  std::optional<support::Background<bool>> second;
  try {
    second.emplace([&worker, services, slots, half] {
      for (std::size_t i = half; i < services.size(); ++i) {
        analyze_service(worker, *services[i].second, slots + i);
      }
      return true;
    });
  } catch (const std::system_error&) {
    for (std::size_t i = 0; i < count; ++i) analyze_service(ctx, *services[i].second, slots + i);
    return;
  }
  for (std::size_t i = 0; i < half; ++i) analyze_service(ctx, *services[i].second, slots + i);
  second->get();
  merge(ctx, std::move(worker), std::move(worker_diags));
  if (ctx.options.services_in_two_halves) *ctx.options.services_in_two_halves = true;
}

}  // namespace deployc::sema
