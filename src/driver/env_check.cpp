#include "driver/env_check.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "diag/suggest.hpp"
#include "driver/dotenv.hpp"
#include "sema/types.hpp"

namespace deployc::driver {

namespace {

using diag::Code;

/// The placeholder every secret's example carries (D0504 makes sure of it).
constexpr std::string_view kPlaceholder = "CHANGE_ME";

struct Checker {
  const model::Deployment& deployment;
  std::string name;
  SourceManager& sources;
  diag::DiagnosticEngine& diags;
  FileId file{};
  std::map<std::string, const model::EnvVar*, std::less<>> declared;
  /// The assignment Compose uses for each key: the last one with a value.
  std::map<std::string, const dotenv::Entry*, std::less<>> last_set;

  Span span(std::uint32_t begin, std::uint32_t end) const { return Span{file, begin, end}; }
  Span key_span(const dotenv::Entry& e) const { return span(e.key_begin, e.key_end); }
  /// The value as written; the key when the value is empty, so the caret has something to mark.
  Span value_span(const dotenv::Entry& e) const {
    return e.value_begin < e.value_end ? span(e.value_begin, e.value_end) : key_span(e);
  }

  /// A value shown nowhere: a secret's, an undeclared key's (it may be a secret the spec does
  /// not know), or one built from either by interpolation.
  bool sensitive(const dotenv::Entry& e) const {
    auto public_name = [&](std::string_view key) {
      const auto it = declared.find(key);
      return it != declared.end() && !it->second->secret;
    };
    if (!public_name(e.key)) return true;
    for (const std::string& ref : e.references) {
      if (!public_name(ref)) return true;
    }
    return false;
  }

  /// Registers the file with every sensitive value masked; the spans stay those of `text`.
  void register_file(std::string_view text, const dotenv::File& parsed) {
    std::string shown(text);
    for (const dotenv::Entry& e : parsed.entries) {
      if (sensitive(e)) dotenv::mask(shown, e.value_begin, e.value_end);
    }
    if (parsed.error && parsed.error->value_from) {
      // The line of the error may hold a value that was never parsed: hide the rest of it.
      const std::uint32_t from = *parsed.error->value_from;
      std::size_t eol = shown.find('\n', from);
      if (eol == std::string::npos) eol = shown.size();
      dotenv::mask(shown, from, static_cast<std::uint32_t>(eol));
    }
    file = sources.add(name, std::move(shown));
  }

  void check_value(const model::EnvVar& var, const dotenv::Entry& e) {
    const std::string& value = *e.value;
    const bool hidden = sensitive(e);
    if (value.empty()) {
      if (var.presence == model::EnvVar::Presence::Required) {
        diags.report(Code::EnvRequiredEmpty, key_span(e), var.name)
            .help(fmt::format("set it: Compose refuses to start while `{}` is empty", var.name));
      }
      return;  // an empty optional value means "use the default", as `${VAR:-…}` reads it
    }
    if (const std::optional<sema::Problem> problem = sema::check_text(*var.type, value)) {
      auto report =
          diags.report(Code::EnvValueType, value_span(e), var.name, sema::type_noun(*var.type));
      report.label(var.origin, fmt::format("declared as `{}` here", sema::type_display(*var.type)));
      if (hidden) {
        report.note("the value is not shown: it may be a secret");
      } else {
        report.note(sema::render(*problem));
        if (problem->help) report.help(*problem->help);
      }
    }
    const bool is_example = var.example && value == *var.example;
    if (var.secret && (is_example || value.find(kPlaceholder) != std::string::npos)) {
      diags.report(Code::EnvSecretPlaceholder, value_span(e), var.name)
          .note(is_example ? "it is the example from the env example file"
                           : fmt::format("it contains `{}`", kPlaceholder))
          .help("replace it with the real secret");
    } else if (is_example && var.presence == model::EnvVar::Presence::Required) {
      diags.report(Code::EnvExampleValue, value_span(e), var.name)
          .help("set the deployment's own value, or silence this with -Wno-D0526");
    }
  }

  EnvCheckSummary run(std::string_view text) {
    for (const model::EnvVar& var : deployment.env) declared.emplace(var.name, &var);
    const dotenv::File parsed = dotenv::parse(text);
    register_file(text, parsed);

    EnvCheckSummary summary;
    summary.entries = parsed.entries.size();
    if (parsed.error) {
      diags
          .report(Code::EnvFileSyntax, span(parsed.error->begin, parsed.error->end),
                  parsed.error->message, name)
          .note("Compose stops reading the file here, so nothing else was checked");
      return summary;
    }

    // Compose keeps the last assignment of a key; a bare `KEY` assigns nothing here.
    std::map<std::string, const dotenv::Entry*, std::less<>> first_seen, bare;
    std::vector<std::string> names;
    for (const model::EnvVar& var : deployment.env) names.emplace_back(var.name);
    for (const dotenv::Entry& e : parsed.entries) {
      const auto [first, inserted] = first_seen.emplace(e.key, &e);
      if (!inserted) {
        diags.report(Code::EnvDuplicateKey, key_span(e), e.key)
            .label(key_span(*first->second), "first set here")
            .note("Compose uses the last assignment");
      }
      if (e.value) {
        last_set[e.key] = &e;
      } else {
        bare[e.key] = &e;
      }
      if (inserted && !declared.count(e.key)) {
        auto report = diags.report(Code::EnvUnknownKey, key_span(e), e.key);
        if (const std::optional<std::string> near = diag::closest(e.key, names)) {
          report.help(fmt::format("did you mean `{}`?", *near));
        } else {
          report.note("the compose file never reads it, so its value is unused");
        }
      }
    }

    for (const model::EnvVar& var : deployment.env) {
      ++summary.checked;
      const auto set = last_set.find(var.name);
      if (set != last_set.end()) {
        check_value(var, *set->second);
        continue;
      }
      if (var.presence != model::EnvVar::Presence::Required) continue;
      auto report = diags.report(Code::EnvRequiredMissing, var.origin, var.name, name);
      if (const auto b = bare.find(var.name); b != bare.end()) {
        report.label(key_span(*b->second), "listed without a value")
            .note(fmt::format(
                "a bare `{}` takes its value from the shell environment, which env-check does "
                "not read",
                var.name));
      }
      report.help(fmt::format("add `{}=…` to `{}`", var.name, name));
    }
    for (const model::Service& service : deployment.services) check_resources(service);
    return summary;
  }

  /// A resource value as Compose would substitute it with this env file.
  struct Resolved {
    std::string text;
    /// The env file's assignment it comes from; null when only defaults and literals make it,
    /// which the compile already checked (D0401, D0410).
    const dotenv::Entry* assigned = nullptr;
    const model::EnvVar* var = nullptr;  ///< the variable it reads, if any
  };

  /// nullopt when a part has no value to compare: an unset optional variable.
  std::optional<Resolved> resolve(const model::Template& value) const {
    Resolved resolved;
    for (const model::Template::Piece& piece : value.pieces()) {
      if (const auto* literal = std::get_if<std::string>(&piece)) {
        resolved.text += *literal;
        continue;
      }
      const model::EnvVar& var = deployment.env[std::get<model::VarRef>(piece).var];
      resolved.var = &var;
      const auto set = last_set.find(var.name);
      if (set != last_set.end() && !set->second->value->empty()) {
        resolved.text += *set->second->value;
        resolved.assigned = set->second;
      } else if (var.presence == model::EnvVar::Presence::Defaulted) {
        resolved.text += var.default_value;
      } else {
        return std::nullopt;
      }
    }
    return resolved;
  }

  /// Tunable limits are set in the env file, where nothing but env-check sees them against
  /// the service's reservations and its stated minimum.
  void check_resources(const model::Service& service) {
    const model::Resources* limits = service.limits ? &*service.limits : nullptr;
    const model::Resources* reservations = service.reservations ? &*service.reservations : nullptr;
    const auto resolve_optional = [&](const model::Resources* resources, auto member) {
      return resources && resources->*member ? resolve(*(resources->*member))
                                             : std::optional<Resolved>();
    };
    const std::optional<Resolved> memory_limit =
        resolve_optional(limits, &model::Resources::memory);

    if (memory_limit && memory_limit->assigned && service.extras->min_memory) {
      const auto limit = sema::parse_memory_bytes(memory_limit->text);
      const auto minimum = sema::parse_memory_bytes(service.extras->min_memory->text);
      if (limit && minimum && *limit < *minimum) {
        auto report =
            diags.report(Code::EnvMemoryBelowMinimum, value_span(*memory_limit->assigned),
                         memory_limit->var->name, service.name, service.extras->min_memory->text);
        report.label(service.extras->min_memory->origin, "minimum stated here");
        if (!sensitive(*memory_limit->assigned)) {
          report.note(fmt::format("`{}` is `{}`", memory_limit->var->name, memory_limit->text));
        }
        report.help(fmt::format(
            "raise it to at least `{}`, or lower `min_memory` in the spec if the service really "
            "fits",
            service.extras->min_memory->text));
      }
    }

    compare_reservation(
        service, "memory", resolve_optional(reservations, &model::Resources::memory), memory_limit,
        [](const std::string& text) {
          const auto bytes = sema::parse_memory_bytes(text);
          return bytes ? std::optional<double>(static_cast<double>(*bytes)) : std::nullopt;
        });
    compare_reservation(service, "cpu", resolve_optional(reservations, &model::Resources::cpus),
                        resolve_optional(limits, &model::Resources::cpus), sema::parse_cpu);
  }

  template <typename Parse>
  void compare_reservation(const model::Service& service, std::string_view resource,
                           const std::optional<Resolved>& reservation,
                           const std::optional<Resolved>& limit, Parse parse) {
    if (!reservation || !limit || (!reservation->assigned && !limit->assigned)) return;
    const std::optional<double> reserved = parse(reservation->text);
    const std::optional<double> allowed = parse(limit->text);
    if (!reserved || !allowed || *reserved <= *allowed) return;
    // Reported where the env file makes the difference: at the reservation when it sets it.
    const Resolved& at = reservation->assigned ? *reservation : *limit;
    const Resolved& other = reservation->assigned ? *limit : *reservation;
    auto report = diags.report(Code::EnvReservationExceedsLimit, value_span(*at.assigned), resource,
                               service.name);
    const std::string_view other_role = reservation->assigned ? "limit" : "reservation";
    if (other.assigned) {
      report.label(value_span(*other.assigned), fmt::format("the {} is set here", other_role));
    } else if (other.var) {
      report.label(other.var->origin, fmt::format("the {}'s default is declared here", other_role));
    }
    const bool hidden = sensitive(*at.assigned) || (other.assigned && sensitive(*other.assigned));
    if (!hidden) {
      report.note(fmt::format("reservation `{}`, limit `{}`", reservation->text, limit->text));
    }
    report.help(
        "a reservation is what the container is guaranteed; it cannot exceed what it may use");
  }
};

}  // namespace

EnvCheckSummary check_env_file(const model::Deployment& deployment, std::string name,
                               std::string_view text, SourceManager& sources,
                               diag::DiagnosticEngine& diags) {
  Checker checker{deployment, std::move(name), sources, diags, {}, {}, {}};
  return checker.run(text);
}

}  // namespace deployc::driver
