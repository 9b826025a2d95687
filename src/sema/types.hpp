// Value types of the language and the checks of values against them. Pure functions over text:
// no AST, no diagnostics engine, so -D values (which have no source location) and spec values
// share one implementation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "diag/diagnostic.hpp"
#include "sema/model.hpp"

namespace deployc::sema {

/// Why a text is not a value of a type. Every code used here has a format taking exactly two
/// arguments (`subject`, `detail`), so callers can report it at a span or render it into a
/// -D message without knowing which code it is.
struct Problem {
  diag::Code code;
  std::string subject;  ///< usually the offending text
  std::string detail;   ///< e.g. the enum members, for the message
  std::optional<std::string> help;
};

/// The type of `kind` without options or element (`int`, `port`, `cpu`): one instance per kind
/// for the whole program, so a value's check builds none and the model may point to it.
const model::Type& plain_type(model::TypeKind kind);

/// `url<https>`, `enum(a|b)`, `list<host>`: the type as the user writes it.
std::string type_display(const model::Type& type);
/// "a memory size", "a port": what a value of the type is called in messages.
std::string type_noun(const model::Type& type);

/// nullopt when `text` is a valid value of `type`.
std::optional<Problem> check_text(const model::Type& type, std::string_view text);

/// The message of a problem, as the registry formats it.
std::string render(const Problem& problem);

// Units, for comparisons between values. Each returns nullopt when the text is not valid.
std::optional<double> parse_cpu(std::string_view text);
std::optional<std::int64_t> parse_memory_bytes(std::string_view text);
std::optional<double> parse_duration_us(std::string_view text);
std::optional<std::int64_t> parse_int(std::string_view text);

/// Problems of a Docker image reference. `allow_tag`: `name:tag@digest` allowed; otherwise only
/// a repository (`ghcr.io/org/app`).
std::optional<Problem> check_image(std::string_view text, bool allow_tag);
/// A tag on its own (`1.27`, `latest`).
std::optional<Problem> check_tag(std::string_view text);
bool is_ip_address(std::string_view text);

/// A literal that should have been a secret: `user:pass@` in a URL, `password=`, a PEM block.
bool looks_like_credential(std::string_view text);

/// Compose project names: lowercase alphanumerics, `-`, `_`, starting with a letter or digit.
bool is_valid_project_name(std::string_view name);
/// What Compose would silently turn `name` into.
std::string normalise_project_name(std::string_view name);

/// Hand-written matchers for the text patterns of the language. Each is exactly the regular
/// expression in its comment (`match`: the whole text; `search`: anywhere in it), ASCII only
/// like the C locale; tests/perf_equiv compares them with std::regex. std::regex is not used:
/// compiling one costs more than a whole small compilation.
namespace pattern {
/// match `\d+(\.\d+)?`
bool is_decimal(std::string_view text);
/// match `[A-Za-z][A-Za-z0-9+.-]*`
bool is_url_scheme(std::string_view text);
/// match `[a-z][a-z0-9+.-]*`
bool is_lowercase_url_scheme(std::string_view text);
/// match `([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*`
bool is_hostname(std::string_view text);
/// search `[A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]+:[^/@\s]+@`
bool has_url_userinfo(std::string_view text);
/// search `(password|passwd|pwd)\s*=`, ignoring case
bool has_password_assignment(std::string_view text);
/// match `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
bool is_image_tag(std::string_view text);
/// match `(([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(\.([A-Za-z0-9]|[A-Za-z0-9]`
///        `[A-Za-z0-9-]*[A-Za-z0-9]))*|\[[0-9A-Fa-f:.]+\])(:[0-9]+)?` (one pattern, two lines)
bool is_registry_host(std::string_view text);
/// match `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
bool is_repository_component(std::string_view text);
/// match `[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`
bool is_image_digest(std::string_view text);
/// match `[a-z0-9][a-z0-9_-]*`
bool is_project_name(std::string_view text);
/// match `[A-Za-z_][A-Za-z0-9_]*`
bool is_env_name(std::string_view text);
/// match `[a-zA-Z0-9][a-zA-Z0-9_.-]*`: network names, build stages
bool is_object_name(std::string_view text);
/// match `[a-zA-Z0-9][a-zA-Z0-9_.-]+`: container names, profiles
bool is_long_object_name(std::string_view text);
/// match `[a-zA-Z0-9._-]+`: volume, secret and config keys
bool is_resource_key(std::string_view text);
/// match `[a-zA-Z0-9_][a-zA-Z0-9_.-]*(:[a-zA-Z0-9_][a-zA-Z0-9_.-]*)?`
bool is_user_spec(std::string_view text);
/// match `[a-z][a-z0-9_-]*([:=][^ \t]+)?`
bool is_security_option(std::string_view text);
/// match `ALL|(CAP_)?[A-Z][A-Z0-9_]*`
bool is_capability(std::string_view text);
/// match `SIG[A-Z][A-Z0-9]*(\+[0-9]+)?`
bool is_stop_signal(std::string_view text);
}  // namespace pattern

}  // namespace deployc::sema
