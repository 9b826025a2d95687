// model::Deployment → output documents. Every key order, default and interpolation form of the
// output is decided here; the emitters only spell it. Nothing here can fail: sema has checked
// every invariant, and the asserts below only document them.
#include "lower/lower.hpp"

#include <cassert>
#include <string_view>

#include "support/overloaded.hpp"
#include "support/shell.hpp"

namespace deployc::lower {
namespace {

using model::Deployment;
using model::EnvVar;
using model::Template;

/// Compose reads `$$` as a literal `$`.
void append_escaped(std::string& out, std::string_view literal) {
  for (const char c : literal) {
    if (c == '$') out += '$';
    out += c;
  }
}

// Compose interpolates every string value of the file (keys are left alone), so a string from
// the spec reaches the output through one of these two doors: `text` for a literal, escaped so
// Compose reads back exactly what the spec says, and `interpolated` for the output of
// `interpolate()`, whose `${…}` must stay live. Making the escaping door the short one keeps a
// new field from leaking a bare `$`.
Node text(std::string_view literal) {
  std::string out;
  out.reserve(literal.size());
  append_escaped(out, literal);
  return Node{std::move(out)};
}
Node interpolated(std::string value) {
  return Node{std::move(value)};
}
Node integer(std::int64_t value) {
  return Node{value};
}
Node boolean(bool value) {
  return Node{value};
}
Node map(Map entries) {
  return Node{std::move(entries)};
}
Node seq(Seq items, Node::Style style = Node::Style::Block) {
  return Node{std::move(items), style};
}

Node strings(const std::vector<std::string>& items) {
  Seq out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(text(item));
  return seq(std::move(out));
}

Node string_map(const std::vector<std::pair<std::string, std::string>>& entries) {
  Map out;
  out.reserve(entries.size());
  for (const auto& [key, value] : entries) out.emplace_back(key, text(value));
  return map(std::move(out));
}

class Lowerer {
 public:
  Lowerer(const Deployment& deployment, const Options& options)
      : d_(deployment), options_(options) {}

  Outputs run() {
    Outputs outputs;
    outputs.compose = compose();
    outputs.env = env();
    outputs.build = build();
    return outputs;
  }

 private:
  // ---- values -------------------------------------------------------------------------------

  /// The key a network has in the Compose file: its name when it has one, as Compose labels
  /// the network it creates with the key and refuses to reuse one created under another key.
  std::string network_key(const std::string& key) const {
    for (const auto& n : d_.networks) {
      if (n.key == key) return n.name.empty() ? n.key : n.name;
    }
    return key;
  }

  std::string interpolate(const Template& t) const {
    std::string out;
    for (const auto& piece : t.pieces) {
      std::visit(overloaded{
                     [&](const std::string& literal) { append_escaped(out, literal); },
                     [&](const model::VarRef& ref) { append_reference(out, ref); },
                 },
                 piece);
    }
    return out;
  }

  void append_reference(std::string& out, model::VarRef ref) const {
    assert(ref.var < d_.env.size());
    const EnvVar& var = d_.env[ref.var];
    out += "${";
    out += var.name;
    switch (var.presence) {
      case EnvVar::Presence::Required:
        // The message ends at the first `}`, so it must not contain one.
        out += ":?";
        out += var.name;
        out += " is required: set it in ";
        out += kEnvFile;
        break;
      case EnvVar::Presence::Defaulted:
        // Compose cannot spell a default holding `}` (it ends the reference) or a line break
        // (the interpolation pattern stops there); sema rejects such defaults.
        assert(var.default_value.find_first_of("}\r\n") == std::string::npos);
        out += ":-";
        append_escaped(out, var.default_value);
        break;
      case EnvVar::Presence::Optional:
        out += ":-";
        break;
    }
    out += '}';
  }

  Node templates(const std::vector<Template>& items) const {
    Seq out;
    out.reserve(items.size());
    for (const auto& item : items) out.push_back(interpolated(interpolate(item)));
    return seq(std::move(out), Node::Style::Flow);
  }

  std::string port(const model::Port& p) const {
    std::string out;
    const std::string published = interpolate(p.published);
    if (p.host_ip) {
      const bool ipv6 = p.host_ip->find(':') != std::string::npos;
      if (ipv6) out += '[';
      out += *p.host_ip;
      if (ipv6) out += ']';
      out += ':';
      out += published;
      out += ':';
    } else if (!published.empty()) {
      out += published;
      out += ':';
    }
    out += std::to_string(p.target);
    if (!p.protocol.empty()) {
      out += '/';
      out += p.protocol;
    }
    return out;
  }

  // ---- compose.production.yml ---------------------------------------------------------------

  YamlDocument compose() const {
    YamlDocument doc;
    doc.header = header("Production Docker Compose Configuration");
    doc.header.emplace_back("");
    doc.header.emplace_back("Usage:");
    doc.header.push_back("  1. Copy " + std::string(kEnvExample) + " to " + std::string(kEnvFile) +
                         " and set every required value");
    doc.header.push_back("  2. " + run_command());

    doc.root.emplace_back("name", text(d_.project));
    Map services;
    services.reserve(d_.services.size());
    for (const auto& service : d_.services)
      services.emplace_back(service.name, this->service(service));
    doc.root.emplace_back("services", map(std::move(services)));

    if (!d_.networks.empty()) {
      Map networks;
      for (const auto& n : d_.networks) {
        Map entry;
        if (!n.name.empty()) entry.emplace_back("name", text(n.name));
        entry.emplace_back("driver", text(n.driver));
        if (n.internal) entry.emplace_back("internal", boolean(true));
        networks.emplace_back(network_key(n.key), map(std::move(entry)));
      }
      doc.root.emplace_back("networks", map(std::move(networks)));
    }
    if (!d_.volumes.empty()) {
      Map volumes;
      for (const auto& v : d_.volumes) {
        Map entry;
        if (v.name) entry.emplace_back("name", text(*v.name));
        if (v.driver) entry.emplace_back("driver", text(*v.driver));
        volumes.emplace_back(v.key, map(std::move(entry)));
      }
      doc.root.emplace_back("volumes", map(std::move(volumes)));
    }
    if (!d_.secrets.empty()) doc.root.emplace_back("secrets", sources(d_.secrets));
    if (!d_.configs.empty()) doc.root.emplace_back("configs", sources(d_.configs));
    return doc;
  }

  static Node sources(const std::vector<model::SecretSource>& items) {
    Map out;
    for (const auto& s : items) {
      const char* kind = s.from == model::SecretSource::From::File ? "file" : "environment";
      out.emplace_back(s.key, map({{kind, text(s.value)}}));
    }
    return map(std::move(out));
  }

  Node service(const model::Service& s) const {
    Map out;
    const auto put = [&](std::string key, Node value) {
      out.emplace_back(std::move(key), std::move(value));
    };
    const auto put_string = [&](std::string key, const std::optional<std::string>& value) {
      if (value) put(std::move(key), text(*value));
    };
    const auto put_strings = [&](std::string key, const std::vector<std::string>& items) {
      if (!items.empty()) put(std::move(key), strings(items));
    };

    put("image", interpolated(interpolate(s.image)));
    if (s.container_name) {
      put("container_name", text(*s.container_name));
    } else if (!s.replicas || *s.replicas <= 1) {
      // Compose refuses a fixed container name for a scaled service.
      put("container_name", text(d_.project + "-" + s.name));
    }
    put_string("restart", s.restart);
    put_strings("profiles", s.profiles);
    if (!s.command.empty()) put("command", templates(s.command));
    if (!s.entrypoint.empty()) put("entrypoint", templates(s.entrypoint));
    put_string("user", s.user);
    put_string("working_dir", s.working_dir);
    if (!s.environment.empty()) {
      Map env;
      env.reserve(s.environment.size());
      for (const auto& [key, value] : s.environment)
        env.emplace_back(key, interpolated(interpolate(value)));
      put("environment", map(std::move(env)));
    }
    if (!s.ports.empty()) {
      Seq ports;
      for (const auto& p : s.ports) ports.push_back(interpolated(port(p)));
      put("ports", seq(std::move(ports)));
    }
    if (!s.expose.empty()) {
      Seq expose;
      for (const auto p : s.expose) expose.push_back(integer(p));
      put("expose", seq(std::move(expose)));
    }
    if (s.healthcheck) put("healthcheck", healthcheck(*s.healthcheck));
    if (auto deploy = this->deploy(s)) put("deploy", std::move(*deploy));
    if (s.logging) {
      Map logging{{"driver", text(s.logging->driver)}};
      if (!s.logging->options.empty())
        logging.emplace_back("options", string_map(s.logging->options));
      put("logging", map(std::move(logging)));
    }
    if (!s.depends_on.empty()) {
      Map depends;
      for (const auto& dep : s.depends_on) {
        Map entry{{"condition", text(dep.condition)}};
        if (dep.restart) entry.emplace_back("restart", boolean(true));
        depends.emplace_back(dep.service, map(std::move(entry)));
      }
      put("depends_on", map(std::move(depends)));
    }
    if (!s.networks.empty()) {
      Seq networks;
      for (const auto& key : s.networks) networks.push_back(text(network_key(key)));
      put("networks", seq(std::move(networks)));
    }
    if (!s.volumes.empty()) {
      Seq volumes;
      for (const auto& v : s.volumes) {
        volumes.push_back(text(v.source + ":" + v.target + (v.read_only ? ":ro" : "")));
      }
      put("volumes", seq(std::move(volumes)));
    }
    if (!s.secrets.empty()) put("secrets", file_mounts(s.secrets));
    if (!s.configs.empty()) put("configs", file_mounts(s.configs));
    if (!s.labels.empty()) put("labels", string_map(s.labels));
    if (s.read_only) put("read_only", boolean(*s.read_only));
    put_strings("tmpfs", s.tmpfs);
    put_strings("security_opt", s.security_opt);
    put_strings("cap_add", s.cap_add);
    put_strings("cap_drop", s.cap_drop);
    if (s.init) put("init", boolean(*s.init));
    put_string("stop_grace_period", s.stop_grace_period);
    put_string("stop_signal", s.stop_signal);
    if (!s.ulimits.empty()) {
      Map ulimits;
      for (const auto& u : s.ulimits) {
        ulimits.emplace_back(u.name, map({{"soft", integer(u.soft)}, {"hard", integer(u.hard)}}));
      }
      put("ulimits", map(std::move(ulimits)));
    }
    put_strings("extra_hosts", s.extra_hosts);
    put_strings("dns", s.dns);
    return map(std::move(out));
  }

  static Node file_mounts(const std::vector<model::FileMount>& mounts) {
    Seq out;
    for (const auto& m : mounts) {
      if (m.target) {
        out.push_back(map({{"source", text(m.source)}, {"target", text(*m.target)}}));
      } else {
        out.push_back(text(m.source));
      }
    }
    return seq(std::move(out));
  }

  static Node healthcheck(const model::HealthCheck& h) {
    if (h.disable) return map({{"disable", boolean(true)}});
    Map out;
    if (!h.test.empty()) {
      Seq test;
      for (const auto& word : h.test) test.push_back(text(word));
      out.emplace_back("test", seq(std::move(test), Node::Style::Flow));
    }
    const auto put = [&](const char* key, const std::optional<std::string>& value) {
      if (value) out.emplace_back(key, text(*value));
    };
    put("interval", h.interval);
    put("timeout", h.timeout);
    if (h.retries) out.emplace_back("retries", integer(*h.retries));
    put("start_period", h.start_period);
    put("start_interval", h.start_interval);
    return map(std::move(out));
  }

  std::optional<Node> resources(const std::optional<model::Resources>& r, bool limits) const {
    if (!r) return std::nullopt;
    Map out;
    if (r->cpus) out.emplace_back("cpus", interpolated(interpolate(*r->cpus)));
    if (r->memory) out.emplace_back("memory", interpolated(interpolate(*r->memory)));
    // Reservations have no pids in Compose; sema never sets it there.
    assert(limits || !r->pids);
    if (limits && r->pids) out.emplace_back("pids", integer(*r->pids));
    if (out.empty()) return std::nullopt;
    return map(std::move(out));
  }

  std::optional<Node> deploy(const model::Service& s) const {
    Map out;
    if (s.replicas) out.emplace_back("replicas", integer(*s.replicas));
    Map resources;
    if (auto limits = this->resources(s.limits, true)) {
      resources.emplace_back("limits", std::move(*limits));
    }
    if (auto reservations = this->resources(s.reservations, false)) {
      resources.emplace_back("reservations", std::move(*reservations));
    }
    if (!resources.empty()) out.emplace_back("resources", map(std::move(resources)));
    if (s.restart_policy) {
      const auto& p = *s.restart_policy;
      Map policy{{"condition", text(p.condition)}};
      if (p.delay) policy.emplace_back("delay", text(*p.delay));
      if (p.max_attempts) policy.emplace_back("max_attempts", integer(*p.max_attempts));
      if (p.window) policy.emplace_back("window", text(*p.window));
      out.emplace_back("restart_policy", map(std::move(policy)));
    }
    if (out.empty()) return std::nullopt;
    return map(std::move(out));
  }

  // ---- compose.build.yml --------------------------------------------------------------------

  std::optional<YamlDocument> build() const {
    Map services;
    for (const auto& s : d_.services) {
      if (!s.build) continue;
      const auto& b = *s.build;
      Map build{{"context", text(b.context)}};
      if (b.dockerfile) build.emplace_back("dockerfile", text(*b.dockerfile));
      build.emplace_back("target", text(b.target));
      if (!b.args.empty()) build.emplace_back("args", string_map(b.args));
      services.emplace_back(s.name, map({{"image", interpolated(interpolate(s.image))},
                                         {"build", map(std::move(build))}}));
    }
    if (services.empty()) return std::nullopt;
    YamlDocument doc;
    doc.header = header("Image Build Configuration");
    doc.header.emplace_back("");
    doc.header.emplace_back("Usage:");
    doc.header.push_back("  docker compose -f " + std::string(kBuildFile) + " --env-file " +
                         std::string(kEnvFile) + " build");
    doc.header.push_back("  docker compose -f " + std::string(kBuildFile) + " --env-file " +
                         std::string(kEnvFile) + " push");
    doc.root.emplace_back("name", text(d_.project));
    doc.root.emplace_back("services", map(std::move(services)));
    return doc;
  }

  // ---- .env.production.example --------------------------------------------------------------

  EnvDocument env() const {
    EnvDocument doc;
    doc.header = {
        title_prefix() + "Production Environment Configuration",
        "",
        "Copy this file to " + std::string(kEnvFile) + " and configure all required values.",
        "DO NOT commit " + std::string(kEnvFile) + " to version control.",
        "",
        "Usage: " + run_command(),
    };
    for (const auto& section : d_.sections) {
      EnvSection out{upper(section.title), {}};
      for (const auto& group : section.groups) {
        if (group.vars.empty()) continue;
        EnvBlock block{group.heading, {}};
        for (const std::size_t index : group.vars) {
          assert(index < d_.env.size());
          const EnvVar& var = d_.env[index];
          block.entries.push_back(EnvEntry{var.doc, var.name, example_value(var)});
        }
        out.blocks.push_back(std::move(block));
      }
      if (!out.blocks.empty()) doc.sections.push_back(std::move(out));
    }
    return doc;
  }

  static std::string example_value(const EnvVar& var) {
    if (var.example) return *var.example;
    if (var.secret) return "CHANGE_ME";
    if (var.presence == EnvVar::Presence::Defaulted) return var.default_value;
    return {};
  }

  static std::string upper(std::string text) {
    for (char& c : text) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return text;
  }

  // ---- headers ------------------------------------------------------------------------------

  std::string title_prefix() const { return d_.title.empty() ? "" : d_.title + " "; }

  std::string run_command() const {
    return "docker compose -f " + std::string(kComposeFile) + " --env-file " +
           std::string(kEnvFile) + " up -d";
  }

  std::vector<std::string> header(std::string_view what) const {
    return {
        title_prefix() + std::string(what),
        "",
        "Generated by deployc from " + options_.spec_name + ". Do not edit this file by hand:",
        "change the spec and regenerate it with",
        "  " + rebuild_command(),
    };
  }

  std::string rebuild_command() const {
    std::string out = "deployc build " + shell_quote(options_.spec_name) + " -o .";
    for (const auto& arg : options_.define_args) {
      std::string_view define = arg;
      if (define.starts_with("-D")) {
        define.remove_prefix(2);
        while (!define.empty() && define.front() == ' ') define.remove_prefix(1);
      }
      out += " -D ";
      out += shell_quote(define);
    }
    return out;
  }

  const Deployment& d_;
  const Options& options_;
};

}  // namespace

Outputs lower(const model::Deployment& deployment, const Options& options) {
  return Lowerer(deployment, options).run();
}

}  // namespace deployc::lower
