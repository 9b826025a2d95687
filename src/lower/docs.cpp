#include "lower/docs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string_view>

#include "sema/types.hpp"
#include "support/overloaded.hpp"
#include "support/shell.hpp"

namespace deployc::lower {

namespace {

using model::Deployment;
using model::EnvVar;
using model::Service;
using model::Template;
using model::TypeKind;

/// Every command goes through the env file: required variables are `${VAR:?…}`, so Compose
/// refuses even `ps` without them.
std::string compose_command() {
  return fmt::format("docker compose -f {} --env-file {}", kComposeFile, kEnvFile);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// ---- what the variables point at ---------------------------------------------------------------

bool has_scheme(const EnvVar& var, const std::function<bool(std::string_view)>& match) {
  if (var.type->kind != TypeKind::Url) return false;
  return std::any_of(var.type->options.begin(), var.type->options.end(),
                     [&](const std::string& scheme) { return match(scheme); });
}

struct PrerequisiteKind {
  std::string_view name;
  std::string_view description;
  std::function<bool(const EnvVar&)> matches;
};

const std::vector<PrerequisiteKind>& prerequisite_kinds() {
  static const std::vector<PrerequisiteKind> kinds{
      {"PostgreSQL",
       "a PostgreSQL server reachable from the host (a managed service is recommended)",
       [](const EnvVar& v) {
         return has_scheme(v, [](std::string_view s) { return s.starts_with("postgres"); }) ||
                contains(v.name, "POSTGRES");
       }},
      {"MySQL", "a MySQL or MariaDB server reachable from the host",
       [](const EnvVar& v) {
         return has_scheme(v,
                           [](std::string_view s) {
                             return s.starts_with("mysql") || s.starts_with("mariadb");
                           }) ||
                contains(v.name, "MYSQL") || contains(v.name, "MARIADB");
       }},
      {"MongoDB", "a MongoDB server reachable from the host",
       [](const EnvVar& v) {
         return has_scheme(v, [](std::string_view s) { return s.starts_with("mongodb"); }) ||
                contains(v.name, "MONGO");
       }},
      {"Redis", "a Redis server reachable from the host, with password authentication",
       [](const EnvVar& v) {
         return has_scheme(v, [](std::string_view s) { return s.starts_with("redis"); }) ||
                contains(v.name, "REDIS");
       }},
      {"RabbitMQ", "an AMQP broker such as RabbitMQ",
       [](const EnvVar& v) {
         return has_scheme(v, [](std::string_view s) { return s.starts_with("amqp"); }) ||
                contains(v.name, "RABBITMQ");
       }},
      {"OIDC provider",
       "an OAuth 2.0 / OpenID Connect provider (Keycloak or compatible) with a realm and client "
       "configured for the deployment",
       [](const EnvVar& v) {
         return (contains(v.name, "OAUTH") || contains(v.name, "OIDC") ||
                 contains(v.name, "KEYCLOAK")) &&
                (contains(v.name, "ISSUER") || contains(v.name, "URL"));
       }},
      {"SMTP server", "an SMTP relay for outgoing mail",
       [](const EnvVar& v) {
         return has_scheme(v, [](std::string_view s) { return s.starts_with("smtp"); }) ||
                contains(v.name, "SMTP");
       }},
      {"Sentry", "a Sentry project for error tracking (its DSN)",
       [](const EnvVar& v) { return v.name.starts_with("SENTRY_") && contains(v.name, "DSN"); }},
      {"OpenTelemetry collector", "an OTLP endpoint (an OpenTelemetry collector) for traces",
       [](const EnvVar& v) { return v.name.starts_with("OTEL_EXPORTER_OTLP"); }},
  };
  return kinds;
}

// ---- templates ---------------------------------------------------------------------------------

/// The value Compose would substitute with the example env file: the default, else `${NAME}`.
std::string var_value(const EnvVar& var) {
  if (var.presence == EnvVar::Presence::Defaulted) return std::string(var.default_value);
  if (var.presence == EnvVar::Presence::Optional) return "";
  return fmt::format("${{{}}}", var.name);
}

std::string render(const Deployment& d, const Template& t) {
  std::string out;
  for (const auto& piece : t.pieces()) {
    std::visit(overloaded{[&](const std::string& literal) { out += literal; },
                          [&](const model::VarRef& ref) { out += var_value(d.env[ref.var]); }},
               piece);
  }
  return out;
}

bool reads(const Template& t, std::size_t var) {
  const auto pieces = t.pieces();
  return std::any_of(pieces.begin(), pieces.end(), [&](const auto& piece) {
    const auto* ref = std::get_if<model::VarRef>(&piece);
    return ref && ref->var == var;
  });
}

bool service_reads(const Deployment& d, const Service& s, std::size_t var) {
  auto any = [&](const std::vector<Template>& ts) {
    return std::any_of(ts.begin(), ts.end(), [&](const Template& t) { return reads(t, var); });
  };
  auto resources = [&](const std::optional<model::Resources>& r) {
    return r && ((r->cpus && reads(*r->cpus, var)) || (r->memory && reads(*r->memory, var)));
  };
  auto mounts = [&](const std::vector<model::FileMount>& granted,
                    const std::vector<model::SecretSource>& sources) {
    for (const model::FileMount& m : granted) {
      for (const model::SecretSource& source : sources) {
        if (source.key == m.source && source.from == model::SecretSource::From::Environment &&
            source.value == d.env[var].name) {
          return true;
        }
      }
    }
    return false;
  };
  if (reads(s.image, var) || any(s.command) || any(s.extras->entrypoint)) return true;
  for (const auto& [name, value] : s.environment) {
    if (reads(value, var)) return true;
  }
  for (const model::Port& p : s.ports) {
    if (reads(p.published, var)) return true;
  }
  return resources(s.limits) || resources(s.reservations) || mounts(s.extras->secrets, d.secrets) ||
         mounts(s.extras->configs, d.configs);
}

/// The variable holding an image's tag: a reference right after the last `:` of the image.
std::optional<std::size_t> tag_var(const Template& image) {
  const auto pieces = image.pieces();
  if (pieces.size() < 2) return std::nullopt;
  const auto* ref = std::get_if<model::VarRef>(&pieces.back());
  const auto* before = std::get_if<std::string>(&pieces[pieces.size() - 2]);
  if (!ref || !before || !before->ends_with(":")) return std::nullopt;
  return ref->var;
}

// ---- markdown ----------------------------------------------------------------------------------

/// `text` as inline code, safe inside a table cell.
std::string code(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|') escaped += '\\';
    escaped += c;
  }
  if (escaped.empty()) return "`\"\"`";
  if (contains(escaped, "`")) return fmt::format("`` {} ``", escaped);
  return fmt::format("`{}`", escaped);
}

/// Prose inside a table cell: one line, pipes escaped.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += (c == '\n' ? ' ' : c);
  }
  return out;
}

std::string joined_doc(const EnvVar& var) {
  std::string text;
  for (const std::string_view line : var.doc) {
    if (line.empty()) continue;
    if (!text.empty()) text += ' ';
    text += line;
  }
  return text;
}

// ---- services ----------------------------------------------------------------------------------

std::string port_text(const Deployment& d, const model::Port& p) {
  std::string text;
  if (p.host_ip) text += *p.host_ip + ":";
  text += render(d, p.published);
  std::vector<std::string> vars;
  for (const auto& piece : p.published.pieces()) {
    if (const auto* ref = std::get_if<model::VarRef>(&piece)) vars.emplace_back(d.env[ref->var].name);
  }
  text = code(text);
  if (!vars.empty()) text += fmt::format(" (`{}`)", fmt::join(vars, "`, `"));
  text += fmt::format(" → {}", p.target);
  if (!p.protocol.empty()) text += "/" + p.protocol;
  return text;
}

/// The first http(s) URL in a health check.
std::optional<std::string> health_url(const model::HealthCheck& h) {
  for (std::size_t i = 1; i < h.test.size(); ++i) {
    const std::string& word = h.test[i];
    for (std::string_view scheme : {"http://", "https://"}) {
      const std::size_t at = word.find(scheme);
      if (at == std::string::npos) continue;
      const std::size_t end = word.find_first_of(" \t'\"", at);
      return word.substr(at, end == std::string::npos ? std::string::npos : end - at);
    }
  }
  return std::nullopt;
}

struct Url {
  std::string scheme, host;
  std::uint32_t port = 0;
  std::string path;
};

std::optional<Url> parse_url(const std::string& url) {
  const std::size_t colon = url.find("://");
  if (colon == std::string::npos) return std::nullopt;
  Url out;
  out.scheme = url.substr(0, colon);
  std::string rest = url.substr(colon + 3);
  const std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  out.port = out.scheme == "https" ? 443 : 80;
  const std::size_t port_colon = authority.rfind(':');
  if (port_colon != std::string::npos && authority.find(']', port_colon) == std::string::npos) {
    const std::string digits = authority.substr(port_colon + 1);
    if (digits.empty() || digits.size() > 5 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    out.port = static_cast<std::uint32_t>(std::stoul(digits));
    authority.resize(port_colon);
  }
  out.host = authority;
  return out;
}

/// How an operator checks a service's health from the host: curl on the published port when the
/// health check is an HTTP probe of a published port, else the probe itself through `exec`.
std::optional<std::string> health_command(const Deployment& d, const Service& s) {
  if (!s.healthcheck || s.healthcheck->disable || s.healthcheck->test.empty()) return std::nullopt;
  const model::HealthCheck& h = *s.healthcheck;
  if (const std::optional<std::string> url = health_url(h)) {
    const std::optional<Url> parsed = parse_url(*url);
    const bool local = parsed && (parsed->host == "localhost" || parsed->host == "127.0.0.1" ||
                                  parsed->host == "0.0.0.0" || parsed->host == "[::1]");
    if (local) {
      for (const model::Port& p : s.ports) {
        if (p.target != parsed->port || (!p.protocol.empty() && p.protocol != "tcp")) continue;
        const std::string host =
            p.host_ip && *p.host_ip != "0.0.0.0" ? *p.host_ip : std::string("localhost");
        return fmt::format("curl -f {}",
                           shell_quote(fmt::format("{}://{}:{}{}", parsed->scheme, host,
                                                   render(d, p.published), parsed->path)));
      }
    }
  }
  const std::string exec = fmt::format("{} exec {}", compose_command(), s.name);
  if (h.test.front() == "CMD") {
    std::string line = exec;
    for (std::size_t i = 1; i < h.test.size(); ++i) line += " " + shell_quote(h.test[i]);
    return line;
  }
  if (h.test.front() == "CMD-SHELL" && h.test.size() > 1) {
    return fmt::format("{} sh -c {}", exec, shell_quote(h.test[1]));
  }
  return std::nullopt;
}

/// Services with their dependencies first; otherwise in spec order.
std::vector<const Service*> dependency_order(const Deployment& d) {
  std::vector<const Service*> order;
  std::vector<bool> placed(d.services.size(), false);
  auto is_placed = [&](const std::string& name) -> bool {
    for (std::size_t i = 0; i < d.services.size(); ++i) {
      if (d.services[i].name == name) return placed[i];
    }
    return true;  // not a service of this deployment: nothing to wait for
  };
  while (order.size() < d.services.size()) {
    bool progressed = false;
    for (std::size_t i = 0; i < d.services.size(); ++i) {
      if (placed[i]) continue;
      const Service& s = d.services[i];
      if (std::all_of(s.depends_on.begin(), s.depends_on.end(),
                      [&](const model::Dependency& dep) { return is_placed(dep.service); })) {
        placed[i] = true;
        order.push_back(&s);
        progressed = true;
        break;
      }
    }
    if (!progressed) {  // sema rejects cycles; keep the remaining ones in spec order regardless
      for (std::size_t i = 0; i < d.services.size(); ++i) {
        if (!placed[i]) order.push_back(&d.services[i]);
      }
      break;
    }
  }
  return order;
}

std::string presence_text(const EnvVar& var) {
  switch (var.presence) {
    case EnvVar::Presence::Required:
      return "required";
    case EnvVar::Presence::Defaulted:
      return "default " + code(var.default_value);
    case EnvVar::Presence::Optional:
      break;
  }
  return "optional";
}

}  // namespace

std::vector<Prerequisite> prerequisites(const Deployment& deployment) {
  std::vector<Prerequisite> found;
  for (const PrerequisiteKind& kind : prerequisite_kinds()) {
    Prerequisite p{std::string(kind.name), std::string(kind.description), {}};
    for (const EnvVar& var : deployment.env) {
      if (!var.derived && kind.matches(var)) p.vars.emplace_back(var.name);
    }
    if (!p.vars.empty()) found.push_back(std::move(p));
  }
  return found;
}

std::vector<std::string> readers(const Deployment& deployment, std::size_t var) {
  std::vector<std::string> names;
  for (const Service& s : deployment.services) {
    if (service_reads(deployment, s, var)) names.push_back(s.name);
  }
  return names;
}

std::string docs(const Deployment& d, const Options& options) {
  std::string out;
  auto line = [&](std::string_view text = {}) {
    out += text;
    out += '\n';
  };
  const std::string title = d.title.empty() ? d.project : d.title;
  const std::string compose = compose_command();

  line(fmt::format("# {}: production deployment", title));
  line();
  std::string regenerate =
      fmt::format("deployc build {} -o . --emit compose,env{},docs", shell_quote(options.spec_name),
                  std::any_of(d.services.begin(), d.services.end(),
                              [](const Service& s) { return s.extras->build; })
                      ? ",build"
                      : "");
  for (const std::string& define : options.define_args) regenerate += " " + define;
  line(fmt::format(
      "Generated by deployc from `{}`, like `{}` and `{}` beside it. Do not edit it by hand: "
      "change the spec and regenerate the three with",
      options.spec_name, kComposeFile, kEnvExample));
  line();
  line("```sh");
  line(regenerate);
  line("```");
  line();

  // Services.
  line("## Services");
  line();
  line("| service | image | published ports | health check |");
  line("|---|---|---|---|");
  for (const Service& s : d.services) {
    std::vector<std::string> ports;
    for (const model::Port& p : s.ports) ports.push_back(port_text(d, p));
    std::string health = "none";
    if (s.healthcheck && !s.healthcheck->disable && !s.healthcheck->test.empty() &&
        s.healthcheck->test.front() != "NONE") {
      const std::optional<std::string> url = health_url(*s.healthcheck);
      health = url ? code(*url) : "command";
      if (s.healthcheck->interval) health += fmt::format(", every {}", *s.healthcheck->interval);
    }
    std::string name = code(s.name);
    if (!s.extras->profiles.empty())
      name += fmt::format(" (profile `{}`)", fmt::join(s.extras->profiles, "`, `"));
    line(fmt::format(
        "| {} | {} | {} | {} |", name, code(render(d, s.image)),
        ports.empty() ? std::string("none") : fmt::format("{}", fmt::join(ports, ", ")), health));
  }
  line();

  // Prerequisites.
  line("## Prerequisites");
  line();
  int n = 0;
  line(fmt::format("{}. **Docker Engine with the Compose plugin** (`docker compose`) on the host.",
                   ++n));
  for (const Prerequisite& p : prerequisites(d)) {
    line(fmt::format("{}. **{}**: {}. Configured by `{}`.", ++n, p.name, p.description,
                     fmt::join(p.vars, "`, `")));
  }
  std::vector<std::string> images;
  for (const Service& s : d.services) {
    const std::string image = render(d, s.image);
    if (std::find(images.begin(), images.end(), image) == images.end()) images.push_back(image);
  }
  if (!images.empty()) {
    line(fmt::format("{}. **Container registry access**: the host pulls `{}`.", ++n,
                     fmt::join(images, "`, `")));
  }
  const bool publishes = std::any_of(d.services.begin(), d.services.end(),
                                     [](const Service& s) { return !s.ports.empty(); });
  if (publishes) {
    line(fmt::format(
        "{}. **A reverse proxy or load balancer** in front of the published ports, for TLS "
        "termination.",
        ++n));
  }
  line();

  // Variables.
  line("## Configuration");
  line();
  line(fmt::format(
      "Copy `{}` to `{}` and set every required variable. Never commit `{}`: it holds the "
      "secrets.",
      kEnvExample, kEnvFile, kEnvFile));
  for (const model::EnvSection& section : d.sections) {
    line();
    line(fmt::format("### {}", section.title));
    line();
    line("| variable | type | required / default | secret | description |");
    line("|---|---|---|---|---|");
    for (const model::EnvGroup& group : section.groups) {
      for (std::size_t index : group.vars) {
        const EnvVar& var = d.env[index];
        std::string description = joined_doc(var);
        if (description.empty() && !group.heading.empty()) {
          description = group.heading.front();
        }
        line(fmt::format("| `{}` | {} | {} | {} | {} |", var.name,
                         code(sema::type_display(*var.type)), presence_text(var),
                         var.secret ? "yes" : "no", cell(description)));
      }
    }
  }
  line();

  // Deploy.
  std::vector<std::string> required;
  for (const EnvVar& var : d.env) {
    if (var.presence == EnvVar::Presence::Required) required.emplace_back(var.name);
  }
  line("## Deploy");
  line();
  line("```sh");
  line("# 1. Configure the environment");
  line(fmt::format("cp {} {}", kEnvExample, kEnvFile));
  if (required.empty()) {
    line(fmt::format("# edit {}: every variable has a default", kEnvFile));
  } else {
    line(fmt::format("# edit {}: set {}", kEnvFile, fmt::join(required, ", ")));
  }
  line();
  line("# 2. Start the services");
  line(fmt::format("{} up -d", compose));
  line();
  line("# 3. Verify their health");
  line(fmt::format("{} ps", compose));
  for (const Service& s : d.services) {
    if (const std::optional<std::string> command = health_command(d, s)) line(*command);
  }
  line("```");
  line();

  // Update.
  line("## Update");
  line();
  line("```sh");
  line("# Pull the new images");
  line(fmt::format("{} pull", compose));
  line();
  line("# Restart one service at a time, dependencies first");
  for (const Service* s : dependency_order(d))
    line(fmt::format("{} up -d --no-deps {}", compose, s->name));
  line();
  line("# Or restart everything that changed at once");
  line(fmt::format("{} up -d", compose));
  line("```");
  line();

  // Rollback.
  std::vector<std::string> tags;
  for (const Service& s : d.services) {
    if (const std::optional<std::size_t> var = tag_var(s.image)) {
      const std::string_view name = d.env[*var].name;
      if (std::find(tags.begin(), tags.end(), name) == tags.end()) tags.emplace_back(name);
    }
  }
  line("## Rollback");
  line();
  if (tags.empty()) {
    line(fmt::format(
        "The images are pinned in the spec: put the previous release's image back in `{}`, "
        "regenerate, and run `{} up -d`.",
        options.spec_name, compose));
  } else {
    line("```sh");
    line("# Run the previous release's images (here 1.0.0)");
    std::string assignments;
    for (const std::string& tag : tags) assignments += tag + "=1.0.0 ";
    line(fmt::format("{}{} up -d", assignments, compose));
    line("```");
    line();
    line(fmt::format("Then set `{}` in `{}` to that tag, so the next `up` keeps it.",
                     fmt::join(tags, "`, `"), kEnvFile));
  }

  // Building the images.
  if (std::any_of(d.services.begin(), d.services.end(),
                  [](const Service& s) { return s.extras->build.has_value(); })) {
    line();
    line("## Build the images");
    line();
    line(fmt::format(
        "`{}` builds the `production` target of every image under the name `{}` pulls:", kBuildFile,
        kComposeFile));
    line();
    line("```sh");
    line(fmt::format("docker compose -f {} -f {} --env-file {} build", kComposeFile, kBuildFile,
                     kEnvFile));
    line(fmt::format("docker compose -f {} -f {} --env-file {} push", kComposeFile, kBuildFile,
                     kEnvFile));
    line("```");
  }
  return out;
}

}  // namespace deployc::lower
