// sema::dump: one line per fact, indented by nesting, in model order. Strings are quoted with
// C-style escapes; templates show variables as `${NAME}` and literal dollars as `$$`, the way
// Compose will read them.
#include <fmt/format.h>

#include "sema/sema.hpp"
#include "sema/types.hpp"
#include "support/overloaded.hpp"
#include "support/utf8.hpp"

namespace deployc::sema {

namespace {

std::string quote(std::string_view text) {
  return json_quote(text);
}

class Dumper {
 public:
  explicit Dumper(const model::Deployment& d) : d_(d) {}

  std::string run() {
    line(0, "project {}", quote(d_.project));
    line(0, "title {}", quote(d_.title));
    line(0, "env");
    for (std::size_t i = 0; i < d_.env.size(); ++i) env(i);
    line(0, "sections");
    for (const auto& section : d_.sections) {
      line(1, "section {}", quote(section.title));
      for (const auto& group : section.groups) {
        std::string heading;
        for (const auto& h : group.heading) heading += " " + quote(h);
        line(2, "group{}", heading);
        for (std::size_t v : group.vars) line(3, "{}", d_.env[v].name);
      }
    }
    line(0, "networks");
    for (const auto& n : d_.networks) {
      line(1, "network {} name={} driver={}{}", n.key, quote(n.name), n.driver,
           n.internal ? " internal" : "");
    }
    line(0, "volumes");
    for (const auto& v : d_.volumes) {
      line(1, "volume {}{}{}", v.key, v.name ? " name=" + quote(*v.name) : "",
           v.driver ? " driver=" + *v.driver : "");
    }
    sources("secrets", d_.secrets);
    sources("configs", d_.configs);
    line(0, "services");
    for (const auto& s : d_.services) service(s);
    return out_;
  }

 private:
  template <typename... Args>
  void line(int depth, fmt::format_string<Args...> format, Args&&... args) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += fmt::format(format, std::forward<Args>(args)...);
    out_ += '\n';
  }

  std::string tmpl(const model::Template& t) const {
    std::string out;
    for (const auto& piece : t.pieces()) {
      std::visit(
          overloaded{[&](const std::string& text) {
                       for (char c : text) out += c == '$' ? std::string("$$") : std::string(1, c);
                     },
                     [&](const model::VarRef& ref) {
                       out += "${";
                       out += ref.var < d_.env.size() ? d_.env[ref.var].name : "?";
                       out += "}";
                     }},
          piece);
    }
    return quote(out);
  }

  void env(std::size_t i) {
    const model::EnvVar& v = d_.env[i];
    std::string facts;
    switch (v.presence) {
      case model::EnvVar::Presence::Required:
        facts += " required";
        break;
      case model::EnvVar::Presence::Defaulted:
        facts += " default=" + quote(v.default_value);
        break;
      case model::EnvVar::Presence::Optional:
        facts += " optional";
        break;
    }
    if (v.secret) facts += " secret";
    if (v.derived) facts += " derived";
    if (v.example) facts += " example=" + quote(*v.example);
    line(1, "[{}] {}: {}{}", i, v.name, type_display(*v.type), facts);
    for (const auto& doc : v.doc) line(2, "doc {}", quote(doc));
  }

  void sources(std::string_view title, const std::vector<model::SecretSource>& list) {
    line(0, "{}", title);
    for (const auto& s : list) {
      line(1, "{} {}={}", s.key, s.from == model::SecretSource::From::File ? "file" : "environment",
           quote(s.value));
    }
  }

  void strings(int depth, std::string_view key, const std::vector<std::string>& items) {
    if (items.empty()) return;
    std::string out;
    for (const auto& i : items) out += " " + quote(i);
    line(depth, "{}{}", key, out);
  }

  void resources(std::string_view key, const std::optional<model::Resources>& r) {
    if (!r) return;
    std::string out;
    if (r->cpus) out += " cpus=" + tmpl(*r->cpus);
    if (r->memory) out += " memory=" + tmpl(*r->memory);
    if (r->pids) out += fmt::format(" pids={}", *r->pids);
    line(2, "{}{}", key, out);
  }

  void service(const model::Service& s) {
    const model::ServiceExtras& extras = *s.extras;
    line(1, "service {}", s.name);
    line(2, "image {}", tmpl(s.image));
    if (extras.container_name) line(2, "container_name {}", quote(*extras.container_name));
    if (s.restart) line(2, "restart {}", *s.restart);
    strings(2, "profiles", extras.profiles);
    auto templates = [&](std::string_view key, const std::vector<model::Template>& items) {
      if (items.empty()) return;
      std::string out;
      for (const auto& t : items) out += " " + tmpl(t);
      line(2, "{}{}", key, out);
    };
    templates("command", s.command);
    templates("entrypoint", extras.entrypoint);
    if (extras.user) line(2, "user {}", quote(*extras.user));
    if (extras.working_dir) line(2, "working_dir {}", quote(*extras.working_dir));
    if (!s.environment.empty()) {
      line(2, "environment");
      for (const auto& [key, value] : s.environment) line(3, "{} = {}", key, tmpl(value));
    }
    for (const auto& p : s.ports) {
      line(2, "port {}{} -> {}{}", p.host_ip ? *p.host_ip + " " : "", tmpl(p.published), p.target,
           p.protocol.empty() ? "" : "/" + p.protocol);
    }
    if (!extras.expose.empty()) {
      std::string out;
      for (auto e : extras.expose) out += fmt::format(" {}", e);
      line(2, "expose{}", out);
    }
    if (const auto& h = s.healthcheck) {
      std::string out;
      if (h->disable) out += " disable";
      if (!h->test.empty()) {
        out += " test=[";
        for (std::size_t i = 0; i < h->test.size(); ++i) out += (i ? ", " : "") + quote(h->test[i]);
        out += "]";
      }
      if (h->interval) out += " interval=" + *h->interval;
      if (h->timeout) out += " timeout=" + *h->timeout;
      if (h->retries) out += fmt::format(" retries={}", *h->retries);
      if (h->start_period) out += " start_period=" + *h->start_period;
      if (h->start_interval) out += " start_interval=" + *h->start_interval;
      line(2, "health{}", out);
    }
    if (s.replicas) line(2, "replicas {}", *s.replicas);
    resources("limits", s.limits);
    resources("reservations", s.reservations);
    if (const auto& r = s.restart_policy) {
      std::string out;
      if (r->delay) out += " delay=" + *r->delay;
      if (r->max_attempts) out += fmt::format(" max_attempts={}", *r->max_attempts);
      if (r->window) out += " window=" + *r->window;
      line(2, "restart_policy {}{}", r->condition, out);
    }
    if (const auto& l = s.logging) {
      std::string out;
      for (const auto& [k, v] : l->options) out += " " + k + "=" + quote(v);
      line(2, "logging {}{}", l->driver, out);
    }
    for (const auto& dep : s.depends_on) {
      line(2, "depends_on {} {}{}", dep.service, dep.condition, dep.restart ? " restart" : "");
    }
    strings(2, "networks", s.networks);
    for (const auto& v : extras.volumes) {
      line(2, "volume {} -> {}{}", v.source, quote(v.target), v.read_only ? " ro" : "");
    }
    for (const auto& m : extras.secrets)
      line(2, "secret {}{}", m.source, m.target ? " -> " + quote(*m.target) : "");
    for (const auto& m : extras.configs)
      line(2, "config {}{}", m.source, m.target ? " -> " + quote(*m.target) : "");
    for (const auto& [k, v] : extras.labels) line(2, "label {}={}", k, quote(v));
    if (extras.read_only) line(2, "read_only {}", *extras.read_only);
    if (extras.init) line(2, "init {}", *extras.init);
    strings(2, "tmpfs", extras.tmpfs);
    strings(2, "security_opt", extras.security_opt);
    strings(2, "cap_add", extras.cap_add);
    strings(2, "cap_drop", extras.cap_drop);
    strings(2, "extra_hosts", extras.extra_hosts);
    strings(2, "dns", extras.dns);
    if (extras.stop_grace_period) line(2, "stop_grace_period {}", *extras.stop_grace_period);
    if (extras.stop_signal) line(2, "stop_signal {}", *extras.stop_signal);
    for (const auto& u : extras.ulimits)
      line(2, "ulimit {} soft={} hard={}", u.name, u.soft, u.hard);
    if (extras.build) {
      line(2, "build context={} target={}{}", quote(extras.build->context), extras.build->target,
           extras.build->dockerfile ? " dockerfile=" + quote(*extras.build->dockerfile) : "");
    }
  }

  const model::Deployment& d_;
  std::string out_;
};

}  // namespace

std::string dump(const model::Deployment& deployment) {
  return Dumper(deployment).run();
}

}  // namespace deployc::sema
