// Production rules over the checked services: what a service lacks (limits, health check, log
// rotation: D0604-D0606, each naming the stdlib preset that adds it), what Compose ignores (a
// cpu reservation, D0407), images as Compose will pull them with the defaults substituted
// (D0607 `latest`, D0608 not pullable), and the sum of limits against a declared `host` (D0408).
//
// Decision: no "memory limit below a stated minimum" rule. The only minimum a spec can state
// for a service is its reservation, and a reservation above the limit is already an error
// (D0401); a second `min_memory=` written beside the limit it guards would only repeat it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

#include "sema/checks.hpp"

namespace deployc::sema {

using diag::Code;
using model::TypeKind;

namespace {

bool real_errors(const Context& ctx) {
  const auto& all = ctx.diags.unsorted();
  return std::any_of(all.begin(), all.end(), [](const diag::Diagnostic& d) {
    return diag::info(d.code).severity == diag::Severity::Error;
  });
}

/// A template with every variable replaced by what Compose substitutes when it is unset.
struct Resolved {
  std::string text;
  bool known = true;  // false when a required variable makes it unknowable
  std::vector<std::size_t> vars;
};

Resolved resolve(const Context& ctx, const model::Template& t) {
  Resolved out;
  for (const auto& piece : t.pieces()) {
    if (const auto* literal = std::get_if<std::string>(&piece)) {
      out.text += *literal;
      continue;
    }
    const std::size_t index = std::get<model::VarRef>(piece).var;
    const model::EnvVar& var = ctx.out.env[index];
    out.vars.push_back(index);
    switch (var.presence) {
      case model::EnvVar::Presence::Defaulted:
        out.text += var.default_value;
        break;
      case model::EnvVar::Presence::Optional:
        break;
      case model::EnvVar::Presence::Required:
        out.known = false;
        break;
    }
  }
  return out;
}

/// Where a variable is declared: its name in the spec, or the setting that derived it.
Span var_span(const Context& ctx, std::size_t index) {
  return ctx.out.env[index].origin;
}

/// One setting of a service as written, or as brought in by a `use`.
struct Found {
  const ast::Setting* setting = nullptr;
  std::optional<Span> use_span;  // the `use` that brought it, when it came from a preset
};

/// A service's settings after `when` and `use`, searched where they are: the cached expansion,
/// or the body itself. Two settings are looked for per service; a list of them would cost more
/// than the search.
class ServiceBody {
 public:
  ServiceBody(Context& ctx, const ast::Setting* service) : ctx_(ctx) {
    if (!service || !service->body) return;
    stmts_ = service->body->stmts;
    if (auto expanded = ctx.service_bodies.find(service); expanded != ctx.service_bodies.end()) {
      expanded_ = &expanded->second;
    }
  }

  Found find(std::string_view keyword) const {
    if (expanded_) {
      for (const Expanded& e : *expanded_) {
        const auto* s = std::get_if<ast::Setting>(&e.stmt->node);
        if (s && s->keyword.text() == keyword) {
          return {s, e.scope ? std::optional<Span>(e.use_span) : std::nullopt};
        }
      }
      return {};
    }
    return find_in(stmts_, keyword);
  }

 private:
  Found find_in(std::span<const ast::Stmt> stmts, std::string_view keyword) const {
    for (const ast::Stmt& stmt : stmts) {
      if (const auto* when = std::get_if<ast::When>(&stmt.node)) {
        if (!ctx_.when_active(*when, /*quiet=*/true)) continue;
        if (Found found = find_in(when->body.stmts, keyword); found.setting) return found;
      } else if (const auto* s = std::get_if<ast::Setting>(&stmt.node)) {
        if (s->keyword.text() == keyword) return {s, std::nullopt};
      }
    }
    return {};
  }

  Context& ctx_;
  const std::vector<Expanded>* expanded_ = nullptr;
  std::span<const ast::Stmt> stmts_;
};

/// Each service's setting by name, the first one written when a name repeats.
std::unordered_map<std::string_view, const ast::Setting*> service_settings(
    const std::vector<const ast::Stmt*>& top) {
  std::unordered_map<std::string_view, const ast::Setting*> out;
  for (const ast::Stmt* stmt : top) {
    const auto* s = std::get_if<ast::Setting>(&stmt->node);
    if (!s || s->keyword.text() != "service" || s->args.empty()) continue;
    const ast::Ident* id = Context::as_ident(s->args.front().value);
    if (id) out.try_emplace(id->text(), s);
  }
  return out;
}

const ast::Arg* keyed(const ast::Setting& s, std::string_view key) {
  for (const ast::Arg& arg : s.args) {
    if (arg.key && arg.key->text() == key) return &arg;
  }
  return nullptr;
}

/// Where to point at a setting: the `use` line when a preset brought it in, since that is the
/// line the spec's author wrote.
Span place(const Found& found, Span fallback, Span detail) {
  if (found.use_span) return *found.use_span;
  return found.setting ? detail : fallback;
}

// ---- what a service lacks -----------------------------------------------------------------------

void check_missing(Context& ctx, const model::Service& service, Span name_span) {
  const bool limited = service.limits && (service.limits->cpus || service.limits->memory);
  if (!limited) {
    ctx.diags.report(Code::MissingLimits, name_span, service.name)
        .note("without limits, one leaking or busy container can starve every other one")
        .help(
            "`import \"std/sizing\"` and `use medium` in the service set cpu and memory limits; "
            "or write `limits cpu=1.0 memory=512M`");
  }
  if (!service.healthcheck) {
    ctx.diags.report(Code::MissingHealthcheck, name_span, service.name)
        .note("Compose then counts a running process as healthy, even one that cannot serve")
        .help(
            "`import \"std/health\"` and `use http_curl port=8000 path=\"/health\"` in the "
            "service add one; or write `health cmd \"…\"`, or `health none` if there is "
            "nothing to check");
  }
  const bool rotated = [&] {
    if (!service.logging) return false;
    if (service.logging->driver != "json-file") return true;  // `local` and remote drivers cap
    return std::any_of(service.logging->options.begin(), service.logging->options.end(),
                       [](const auto& option) { return option.first == "max-size"; });
  }();
  if (!rotated) {
    auto b = ctx.diags.report(Code::LogsNotRotated, name_span, service.name);
    b.note(service.logging ? "`json-file` without `max_size` grows until the disk is full"
                           : "the default `json-file` driver keeps every line until the disk is "
                             "full");
    b.help(
        "`import \"std/logging\"` and `use rotated_logs` in the service rotate them; or write "
        "`logging json-file max_size=10m max_file=5`");
  }
}

void check_cpu_reservation(Context& ctx, const model::Service& service, const ServiceBody& body,
                           Span name_span) {
  if (!service.reservations || !service.reservations->cpus) return;
  const Found reserve = body.find("reserve");
  const ast::Arg* cpu = reserve.setting ? keyed(*reserve.setting, "cpu") : nullptr;
  auto b = ctx.diags.report(Code::CpuReservationIgnored,
                            place(reserve, name_span, cpu ? cpu->span() : name_span), service.name);
  if (reserve.use_span && cpu) b.label(cpu->span(), "reserved here");
  b.note("plain Compose applies limits and memory reservations; only Swarm reserves cpus");
  b.help(
      "keep it for `docker stack deploy`, or remove `cpu=` from `reserve` and rely on the "
      "cpu limit");
}

// ---- images -------------------------------------------------------------------------------------

struct Reference {
  std::optional<std::string> tag;
  bool digest = false;
};

Reference split_reference(std::string_view text) {
  Reference out;
  if (const std::size_t at = text.find('@'); at != std::string_view::npos) {
    out.digest = true;
    text = text.substr(0, at);
  }
  const std::size_t slash = text.rfind('/');
  const std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    out.tag = std::string(text.substr(colon + 1));
  }
  return out;
}

void label_defaults(Context& ctx, diag::DiagnosticBuilder& b, const Resolved& image) {
  for (std::size_t index : image.vars) {
    const model::EnvVar& var = ctx.out.env[index];
    if (var.presence == model::EnvVar::Presence::Optional) {
      b.label(var_span(ctx, index), fmt::format("`{}` is empty when unset", var.name));
    } else {
      b.label(var_span(ctx, index),
              fmt::format("`{}` defaults to `{}`", var.name, var.default_value));
    }
  }
}

void check_pull(Context& ctx, const model::Service& service, const ServiceBody& body,
                Span name_span) {
  if (service.image.pieces().empty()) return;
  const Resolved image = resolve(ctx, service.image);
  if (!image.known) return;  // a required variable: the deployer supplies the reference
  const Found setting = body.find("image");
  Span at = name_span;
  Span tag_at = name_span;
  if (setting.setting) {
    const ast::Setting& s = *setting.setting;
    at = s.args.empty() ? s.keyword.span : s.keyword.span.to(s.args.back().span());
    const ast::Arg* tag = keyed(s, "tag");
    tag_at = tag ? tag->value.span() : at;
    if (setting.use_span) at = tag_at = *setting.use_span;
  }
  // A literal reference is checked where it is written (D0314); one with variables only now,
  // with their defaults in place.
  if (!image.vars.empty()) {
    if (auto problem = sema::check_image(image.text, true)) {
      auto b = ctx.diags.report(Code::ImageInvalidWithDefaults, at, service.name, image.text);
      label_defaults(ctx, b, image);
      b.note(render(*problem));
      if (problem->help) b.help(*problem->help);
      return;
    }
  }
  const Reference ref = split_reference(image.text);
  if (ref.digest || (ref.tag && *ref.tag != "latest")) return;
  auto b = ctx.diags.report(Code::LatestTag, ref.tag ? tag_at : at, image.text);
  // Point at the default that says `latest`; without one, at every default in the reference.
  Resolved culprits = image;
  culprits.vars.clear();
  for (std::size_t index : image.vars) {
    const std::string_view value = ctx.out.env[index].default_value;
    if (value == "latest" || value.ends_with(":latest")) culprits.vars.push_back(index);
  }
  label_defaults(ctx, b, culprits.vars.empty() ? image : culprits);
  if (!ref.tag) b.note("an image without a tag is pulled as `latest`");
  b.note("`latest` moves: two hosts, or one host before and after a pull, run different code");
  b.help("pin a release tag (`1.4.2`) or a digest (`@sha256:…`) and change it to deploy");
}

// ---- host budget --------------------------------------------------------------------------------

std::string show_cpu(std::int64_t millis) {
  return fmt::format("{:g}", static_cast<double>(millis) / 1000.0);
}

std::string show_memory(std::int64_t bytes) {
  constexpr std::int64_t k = 1024, m = k * 1024, g = m * 1024;
  if (bytes % g == 0) return fmt::format("{}G", bytes / g);
  if (bytes % m == 0) return fmt::format("{}M", bytes / m);
  if (bytes % k == 0) return fmt::format("{}K", bytes / k);
  return fmt::format("{}b", bytes);
}

void check_budget(Context& ctx, const SpecFacts& facts) {
  if (!facts.host) return;
  const HostBudget& host = *facts.host;
  struct Part {
    std::string service;
    Span span;
    std::int64_t amount;
    std::int64_t replicas;
  };
  auto total = [&](bool cpu) {
    std::vector<Part> parts;
    std::vector<std::string> uncounted;
    for (const model::Service& service : ctx.out.services) {
      const std::optional<model::Template>* limit = nullptr;
      if (service.limits) limit = cpu ? &service.limits->cpus : &service.limits->memory;
      std::optional<std::int64_t> amount;
      if (limit && *limit) {
        const Resolved r = resolve(ctx, **limit);
        if (r.known) {
          if (cpu) {
            if (auto v = parse_cpu(r.text)) amount = std::llround(*v * 1000.0);
          } else {
            amount = parse_memory_bytes(r.text);
          }
        }
      }
      if (!amount) {
        uncounted.push_back(service.name);
        continue;
      }
      parts.push_back({service.name, service.origin, *amount, service.replicas.value_or(1)});
    }
    return std::pair(parts, uncounted);
  };
  for (const bool cpu : {true, false}) {
    const std::optional<double>& budget = cpu ? host.cpu : host.memory;
    if (!budget) continue;
    const auto [parts, uncounted] = total(cpu);
    std::int64_t sum = 0;
    for (const Part& p : parts) sum += p.amount * p.replicas;
    const std::int64_t limit =
        cpu ? std::llround(*budget * 1000.0) : static_cast<std::int64_t>(*budget);
    if (sum <= limit) continue;
    auto show = [&](std::int64_t v) { return cpu ? show_cpu(v) : show_memory(v); };
    auto b =
        ctx.diags.report(Code::HostBudgetExceeded, cpu ? host.cpu_span : host.memory_span,
                         cpu ? "cpu" : "memory", show(sum), cpu ? host.cpu_text : host.memory_text);
    for (const Part& p : parts) {
      b.label(p.span, p.replicas > 1
                          ? fmt::format("`{}`: {} × `{}`", p.service, p.replicas, show(p.amount))
                          : fmt::format("`{}`: `{}`", p.service, show(p.amount)));
    }
    if (!uncounted.empty()) {
      std::string names;
      for (const std::string& n : uncounted) names += (names.empty() ? "`" : ", `") + n + "`";
      b.note(fmt::format("not counted, without a {} limit known at compile time: {}",
                         cpu ? "cpu" : "memory", names));
    }
    b.help(cpu ? "lower the limits or give the host more cores: under load the services "
                 "will slow each other down"
               : "lower the limits or give the host more memory: under load the kernel's "
                 "out-of-memory killer stops one of them");
  }
}

}  // namespace

void analyze_host(Context& ctx, const ast::Setting& setting, SpecFacts& facts) {
  const Args args = ctx.split(setting, {"cpu", "memory"}, 0);
  if (facts.host_seen) {
    ctx.diags.report(Code::Duplicate, setting.keyword.span, "declaration", "host")
        .label(*facts.host_seen, "first declared here");
    return;
  }
  facts.host_seen = setting.keyword.span;
  const ast::Arg* cpu = args.key("cpu");
  const ast::Arg* memory = args.key("memory");
  if (!cpu && !memory) {
    ctx.diags.report(Code::MissingArgument, setting.keyword.span, "host",
                     "`cpu=` or `memory=`: `host cpu=4 memory=8G`");
    return;
  }
  HostBudget host;
  if (cpu) {
    if (auto text = ctx.typed_text(cpu->value, model::Type{TypeKind::Cpu, {}, {}})) {
      host.cpu = parse_cpu(*text);
      host.cpu_text = *text;
      host.cpu_span = cpu->value.span();
    }
  }
  if (memory) {
    if (auto text = ctx.typed_text(memory->value, model::Type{TypeKind::Memory, {}, {}})) {
      if (auto bytes = parse_memory_bytes(*text)) host.memory = static_cast<double>(*bytes);
      host.memory_text = *text;
      host.memory_span = memory->value.span();
    }
  }
  facts.host = std::move(host);
}

void check_production(Context& ctx, const std::vector<const ast::Stmt*>& top,
                      const SpecFacts& facts) {
  const bool errors = real_errors(ctx);
  const auto settings = service_settings(top);
  for (const model::Service& service : ctx.out.services) {
    auto it = ctx.service_facts.find(service.name);
    const Span name_span = it != ctx.service_facts.end() ? it->second.name_span : service.origin;
    const auto setting = settings.find(service.name);
    const ServiceBody body(ctx, setting != settings.end() ? setting->second : nullptr);
    check_missing(ctx, service, name_span);
    check_cpu_reservation(ctx, service, body, name_span);
    if (!errors) check_pull(ctx, service, body, name_span);  // a bad default: reported once
  }
  check_budget(ctx, facts);
}

}  // namespace deployc::sema
