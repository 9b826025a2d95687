// model::Deployment → output documents. Every key order, default and interpolation form of the
// output is decided here; the emitters only spell it. Nothing here can fail: sema has checked
// every invariant, and the asserts below only document them.
#include "lower/lower.hpp"

#include <cassert>
#include <charconv>
#include <iterator>
#include <span>
#include <string_view>

#include "support/background.hpp"
#include "support/overloaded.hpp"
#include "support/shell.hpp"

namespace deployc::lower {
namespace {

using model::Deployment;
using model::EnvVar;
using model::Template;

/// Compose reads `$$` as a literal `$`.
void append_escaped(std::string& out, std::string_view literal) {
  for (auto dollar = literal.find('$'); dollar != std::string_view::npos;
       dollar = literal.find('$')) {
    out.append(literal.substr(0, dollar + 1));
    out += '$';
    literal.remove_prefix(dollar + 1);
  }
  out.append(literal);
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

struct TailServices;

class Lowerer {
 public:
  Lowerer(const Deployment& deployment, const Options& options, TextStore& store)
      : d_(deployment), options_(options), store_(store) {}

  /// Fills the documents of `outputs`, whose composed text goes to the store given above. The
  /// services `tail` covers, if any, are taken from it instead of lowered here; the env example
  /// comes first, so that it is done while they are lowered.
  void run(Outputs& outputs, TailServices* tail);

  /// The entries of `services` in the compose file's `services:` map, appended to `out`.
  void append_services(std::span<const model::Service> services, Map& out) {
    for (const auto& service : services) out.emplace_back(service.name, this->service(service));
  }

 private:
  // ---- values -------------------------------------------------------------------------------

  // Compose interpolates every string value of the file (keys are left alone), so a string from
  // the spec reaches the output through one of these two doors: `text` for a literal, escaped so
  // Compose reads back exactly what the spec says, and `interpolated` for a template, whose
  // `${…}` must stay live. Making the escaping door the short one keeps a new field from leaking
  // a bare `$`. Both view the model's string when it needs no change (most values), and keep
  // what they compose in the store otherwise.

  /// `literal` must be a string of the model or a string literal: the node views it.
  Node text(std::string_view literal) {
    if (literal.find('$') == std::string_view::npos) return Node{literal};
    return Node{composed([&](std::string& out) { append_escaped(out, literal); })};
  }

  Node interpolated(const Template& t) {
    if (t.pieces().size() == 1) {
      const auto* literal = std::get_if<std::string>(&t.pieces().front());
      if (literal && literal->find('$') == std::string::npos)
        return Node{std::string_view(*literal)};
    }
    return Node{composed([&](std::string& out) { append_interpolation(out, t); })};
  }

  /// The text `build` appends to an empty buffer, kept in the store. The buffer is reused, so
  /// composing a value allocates nothing once it has grown to the longest value.
  template <class Build>
  std::string_view composed(const Build& build) {
    scratch_.clear();
    build(scratch_);
    return store_.keep(scratch_);
  }

  /// Kept rather than viewed: the name is stored in the Deployment object itself, not in a
  /// vector's heap block, so a view would not survive moving the deployment.
  Node project_name() {
    return Node{composed([&](std::string& out) { append_escaped(out, d_.project); })};
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

  /// The key a network has in the Compose file: its name when it has one, as Compose labels
  /// the network it creates with the key and refuses to reuse one created under another key.
  std::string_view network_key(const std::string& key) const {
    for (const auto& n : d_.networks) {
      if (n.key == key) return n.name.empty() ? n.key : n.name;
    }
    return key;
  }

  void append_interpolation(std::string& out, const Template& t) const {
    for (const auto& piece : t.pieces()) {
      std::visit(overloaded{
                     [&](const std::string& literal) { append_escaped(out, literal); },
                     [&](const model::VarRef& ref) { append_reference(out, ref); },
                 },
                 piece);
    }
  }

  void append_reference(std::string& out, model::VarRef ref) const {
    // String-view literals: appending a C string would measure it first, for every reference.
    using namespace std::string_view_literals;
    assert(ref.var < d_.env.size());
    const EnvVar& var = d_.env[ref.var];
    out += "${"sv;
    out += var.name;
    switch (var.presence) {
      case EnvVar::Presence::Required:
        // The message ends at the first `}`, so it must not contain one.
        out += ":?"sv;
        out += var.name;
        out += " is required: set it in "sv;
        out += kEnvFile;
        break;
      case EnvVar::Presence::Defaulted:
        // Compose cannot spell a default holding `}` (it ends the reference) or a line break
        // (the interpolation pattern stops there); sema rejects such defaults.
        assert(var.default_value.find_first_of("}\r\n") == std::string::npos);
        out += ":-"sv;
        append_escaped(out, var.default_value);
        break;
      case EnvVar::Presence::Optional:
        out += ":-"sv;
        break;
    }
    out += '}';
  }

  Node templates(const std::vector<Template>& items) {
    Seq out;
    out.reserve(items.size());
    for (const auto& item : items) out.push_back(interpolated(item));
    return seq(std::move(out), Node::Style::Flow);
  }

  /// `[host_ip]:published:target/protocol`, the parts present; an interpolated value.
  void append_port(std::string& out, const model::Port& p) const {
    if (p.host_ip) {
      const bool ipv6 = p.host_ip->find(':') != std::string::npos;
      if (ipv6) out += '[';
      out += *p.host_ip;
      if (ipv6) out += ']';
      out += ':';
      append_interpolation(out, p.published);
      out += ':';
    } else {
      const std::size_t start = out.size();
      append_interpolation(out, p.published);
      if (out.size() != start) out += ':';
    }
    char digits[8];
    const auto end = std::to_chars(digits, digits + sizeof digits, p.target).ptr;
    out.append(digits, end);
    if (!p.protocol.empty()) {
      out += '/';
      out += p.protocol;
    }
  }

  // ---- compose.production.yml ---------------------------------------------------------------

  YamlDocument compose(TailServices* tail) {
    YamlDocument doc;
    doc.header = header("Production Docker Compose Configuration");
    doc.header.emplace_back("");
    doc.header.emplace_back("Usage:");
    doc.header.push_back("  1. Copy " + std::string(kEnvExample) + " to " + std::string(kEnvFile) +
                         " and set every required value");
    doc.header.push_back("  2. " + run_command());

    doc.root.emplace_back("name", project_name());
    doc.root.emplace_back("services", map(services(tail)));

    if (!d_.networks.empty()) {
      Map networks;
      networks.reserve(d_.networks.size());
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
      volumes.reserve(d_.volumes.size());
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

  Map services(TailServices* tail);

  Node sources(const std::vector<model::SecretSource>& items) {
    Map out;
    out.reserve(items.size());
    for (const auto& s : items) {
      const char* kind = s.from == model::SecretSource::From::File ? "file" : "environment";
      out.emplace_back(s.key, map({{kind, text(s.value)}}));
    }
    return map(std::move(out));
  }

  Node service(const model::Service& s) {
    const model::ServiceExtras& extras = *s.extras;
    // The entries go to a buffer reused across services and are then moved into a map of the
    // exact size: a service's map is neither regrown entry by entry nor left with spare slots.
    Map& out = service_entries_;
    out.clear();
    const auto put = [&](std::string_view key, Node value) {
      out.emplace_back(key, std::move(value));
    };
    const auto put_string = [&](std::string_view key, const std::optional<std::string>& value) {
      if (value) put(key, text(*value));
    };
    const auto put_strings = [&](std::string_view key, const std::vector<std::string>& items) {
      if (!items.empty()) put(key, strings(items));
    };

    put("image", interpolated(s.image));
    if (extras.container_name) {
      put("container_name", text(*extras.container_name));
    } else if (!s.replicas || *s.replicas <= 1) {
      // Compose refuses a fixed container name for a scaled service.
      put("container_name", Node{composed([&](std::string& name) {
            append_escaped(name, d_.project);
            name += '-';
            append_escaped(name, s.name);
          })});
    }
    put_string("restart", s.restart);
    put_strings("profiles", extras.profiles);
    if (!s.command.empty()) put("command", templates(s.command));
    if (!extras.entrypoint.empty()) put("entrypoint", templates(extras.entrypoint));
    put_string("user", extras.user);
    put_string("working_dir", extras.working_dir);
    if (!s.environment.empty()) {
      Map env;
      env.reserve(s.environment.size());
      for (const auto& [key, value] : s.environment) env.emplace_back(key, interpolated(value));
      put("environment", map(std::move(env)));
    }
    if (!s.ports.empty()) {
      Seq ports;
      ports.reserve(s.ports.size());
      for (const auto& p : s.ports) {
        ports.push_back(Node{composed([&](std::string& port) { append_port(port, p); })});
      }
      put("ports", seq(std::move(ports)));
    }
    if (!extras.expose.empty()) {
      Seq expose;
      expose.reserve(extras.expose.size());
      for (const auto p : extras.expose) expose.push_back(integer(p));
      put("expose", seq(std::move(expose)));
    }
    if (s.healthcheck) put("healthcheck", healthcheck(*s.healthcheck));
    if (auto deploy = this->deploy(s)) put("deploy", std::move(*deploy));
    if (s.logging) {
      Map logging;
      logging.reserve(2);
      logging.emplace_back("driver", text(s.logging->driver));
      if (!s.logging->options.empty())
        logging.emplace_back("options", string_map(s.logging->options));
      put("logging", map(std::move(logging)));
    }
    if (!s.depends_on.empty()) {
      Map depends;
      depends.reserve(s.depends_on.size());
      for (const auto& dep : s.depends_on) {
        Map entry;
        entry.reserve(2);
        entry.emplace_back("condition", text(dep.condition));
        if (dep.restart) entry.emplace_back("restart", boolean(true));
        depends.emplace_back(dep.service, map(std::move(entry)));
      }
      put("depends_on", map(std::move(depends)));
    }
    if (!s.networks.empty()) {
      Seq networks;
      networks.reserve(s.networks.size());
      for (const auto& key : s.networks) networks.push_back(text(network_key(key)));
      put("networks", seq(std::move(networks)));
    }
    if (!extras.volumes.empty()) {
      Seq volumes;
      volumes.reserve(extras.volumes.size());
      for (const auto& v : extras.volumes) {
        volumes.push_back(Node{composed([&](std::string& mount) {
          append_escaped(mount, v.source);
          mount += ':';
          append_escaped(mount, v.target);
          if (v.read_only) mount += ":ro";
        })});
      }
      put("volumes", seq(std::move(volumes)));
    }
    if (!extras.secrets.empty()) put("secrets", file_mounts(extras.secrets));
    if (!extras.configs.empty()) put("configs", file_mounts(extras.configs));
    if (!extras.labels.empty()) put("labels", string_map(extras.labels));
    if (extras.read_only) put("read_only", boolean(*extras.read_only));
    put_strings("tmpfs", extras.tmpfs);
    put_strings("security_opt", extras.security_opt);
    put_strings("cap_add", extras.cap_add);
    put_strings("cap_drop", extras.cap_drop);
    if (extras.init) put("init", boolean(*extras.init));
    put_string("stop_grace_period", extras.stop_grace_period);
    put_string("stop_signal", extras.stop_signal);
    if (!extras.ulimits.empty()) {
      Map ulimits;
      ulimits.reserve(extras.ulimits.size());
      for (const auto& u : extras.ulimits) {
        ulimits.emplace_back(u.name, map({{"soft", integer(u.soft)}, {"hard", integer(u.hard)}}));
      }
      put("ulimits", map(std::move(ulimits)));
    }
    put_strings("extra_hosts", extras.extra_hosts);
    put_strings("dns", extras.dns);
    return map(Map(std::make_move_iterator(out.begin()), std::make_move_iterator(out.end())));
  }

  Node file_mounts(const std::vector<model::FileMount>& mounts) {
    Seq out;
    out.reserve(mounts.size());
    for (const auto& m : mounts) {
      if (m.target) {
        out.push_back(map({{"source", text(m.source)}, {"target", text(*m.target)}}));
      } else {
        out.push_back(text(m.source));
      }
    }
    return seq(std::move(out));
  }

  Node healthcheck(const model::HealthCheck& h) {
    if (h.disable) return map({{"disable", boolean(true)}});
    Map out;
    out.reserve(6);  // every key below
    if (!h.test.empty()) {
      Seq test;
      test.reserve(h.test.size());
      for (const auto& word : h.test) test.push_back(text(word));
      out.emplace_back("test", seq(std::move(test), Node::Style::Flow));
    }
    const auto put = [&](std::string_view key, const std::optional<std::string>& value) {
      if (value) out.emplace_back(key, text(*value));
    };
    put("interval", h.interval);
    put("timeout", h.timeout);
    if (h.retries) out.emplace_back("retries", integer(*h.retries));
    put("start_period", h.start_period);
    put("start_interval", h.start_interval);
    return map(std::move(out));
  }

  std::optional<Node> resources(const std::optional<model::Resources>& r, bool limits) {
    if (!r) return std::nullopt;
    Map out;
    out.reserve(3);  // every key below
    if (r->cpus) out.emplace_back("cpus", interpolated(*r->cpus));
    if (r->memory) out.emplace_back("memory", interpolated(*r->memory));
    // Reservations have no pids in Compose; sema never sets it there.
    assert(limits || !r->pids);
    if (limits && r->pids) out.emplace_back("pids", integer(*r->pids));
    if (out.empty()) return std::nullopt;
    return map(std::move(out));
  }

  std::optional<Node> deploy(const model::Service& s) {
    Map out;
    out.reserve(3);  // every key below
    if (s.replicas) out.emplace_back("replicas", integer(*s.replicas));
    Map resources;
    resources.reserve(2);
    if (auto limits = this->resources(s.limits, true)) {
      resources.emplace_back("limits", std::move(*limits));
    }
    if (auto reservations = this->resources(s.reservations, false)) {
      resources.emplace_back("reservations", std::move(*reservations));
    }
    if (!resources.empty()) out.emplace_back("resources", map(std::move(resources)));
    if (s.restart_policy) {
      const auto& p = *s.restart_policy;
      Map policy;
      policy.reserve(4);  // every key below
      policy.emplace_back("condition", text(p.condition));
      if (p.delay) policy.emplace_back("delay", text(*p.delay));
      if (p.max_attempts) policy.emplace_back("max_attempts", integer(*p.max_attempts));
      if (p.window) policy.emplace_back("window", text(*p.window));
      out.emplace_back("restart_policy", map(std::move(policy)));
    }
    if (out.empty()) return std::nullopt;
    return map(std::move(out));
  }

  // ---- compose.build.yml --------------------------------------------------------------------

  std::optional<YamlDocument> build() {
    Map services;
    for (const auto& s : d_.services) {
      if (!s.extras->build) continue;
      const auto& b = *s.extras->build;
      Map build{{"context", text(b.context)}};
      if (b.dockerfile) build.emplace_back("dockerfile", text(*b.dockerfile));
      build.emplace_back("target", text(b.target));
      if (!b.args.empty()) build.emplace_back("args", string_map(b.args));
      Map entry;
      entry.reserve(2);
      entry.emplace_back("image", interpolated(s.image));
      entry.emplace_back("build", map(std::move(build)));
      services.emplace_back(s.name, map(std::move(entry)));
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
    doc.root.emplace_back("name", project_name());
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
    doc.sections.reserve(d_.sections.size());
    for (const auto& section : d_.sections) {
      EnvSection out{upper(section.title), {}};
      out.blocks.reserve(section.groups.size());
      for (const auto& group : section.groups) {
        if (group.vars.empty()) continue;
        EnvBlock block{group.heading, {}};
        block.entries.reserve(group.vars.size());
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

  static std::string_view example_value(const EnvVar& var) {
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
  TextStore& store_;
  std::string scratch_;  ///< the buffer `composed` builds in
  Map service_entries_;  ///< the buffer `service` builds in
};

/// The entries of a deployment's last services, and the text they view.
struct LoweredServices {
  Map entries;
  TextStore text;
};

/// The services from `first` on, lowered on a second thread into their own store while the
/// calling thread lowers everything else.
struct TailServices {
  std::size_t first;
  support::Background<LoweredServices> lowered;
};

void Lowerer::run(Outputs& outputs, TailServices* tail) {
  outputs.env = env();
  outputs.build = build();
  outputs.compose = compose(tail);
}

Map Lowerer::services(TailServices* tail) {
  if (!options_.service_entries) return {};
  const std::span<const model::Service> all(d_.services);
  Map out;
  out.reserve(all.size());
  append_services(all.first(tail ? tail->first : all.size()), out);
  if (tail) {
    LoweredServices rest = tail->lowered.get();
    out.insert(out.end(), std::make_move_iterator(rest.entries.begin()),
               std::make_move_iterator(rest.entries.end()));
    store_.adopt(std::move(rest.text));
  }
  return out;
}

}  // namespace

Outputs lower(const model::Deployment& deployment, const Options& options) {
  Outputs outputs;
  const std::size_t count = deployment.services.size();
  if (count < 2 || count < options.parallel_services || !options.service_entries) {
    Lowerer(deployment, options, outputs.text).run(outputs, nullptr);
    return outputs;
  }
  const std::size_t first = count / 2;
  TailServices tail{first, support::Background<LoweredServices>([&deployment, &options, first] {
                      LoweredServices out;
                      const std::span<const model::Service> services(deployment.services);
                      out.entries.reserve(services.size() - first);
                      Lowerer(deployment, options, out.text)
                          .append_services(services.subspan(first), out.entries);
                      return out;
                    })};
  Lowerer(deployment, options, outputs.text).run(outputs, &tail);
  return outputs;
}

void lower_services(const model::Deployment& deployment, const Options& options,
                    std::span<const model::Service> services, Map& out, TextStore& text) {
  Lowerer(deployment, options, text).append_services(services, out);
}

}  // namespace deployc::lower
