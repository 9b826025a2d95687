// The checked deployment: what the spec means for one set of -D values. Flags are already
// applied (no `when` is left), params substituted, every value typed and validated. Lowering
// turns it into output documents and cannot fail, so every invariant a Compose file needs is
// established here, by sema.
//
// The environment's texts are views: of the sources, where the spec wrote them (names, doc
// comments, most defaults and examples), else of Deployment::text. A large spec declares tens
// of thousands of variables, and a string of each, several of them allocated, was a quarter of
// the model's memory. So a Deployment is valid while the SourceManager it was analysed from is
// alive: in every pipeline both live side by side (driver::CompileResult).
#pragma once

#include <deque>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "source/span.hpp"
#include "support/lazy_box.hpp"
#include "support/text_store.hpp"

namespace deployc::model {

enum class TypeKind : std::uint8_t {
  String,
  Int,
  Bool,
  Port,
  Duration,
  Memory,
  Cpu,
  Url,
  Host,
  List,
  Enum,
  Path,
  Image
};

struct Type {
  TypeKind kind = TypeKind::String;
  std::vector<std::string> options;  ///< url: allowed schemes; enum: members (in order)
  std::vector<Type> element;         ///< list<T>: exactly one element type
};

/// `string`: the type of a variable until it is given its own.
inline const Type kStringType{};

/// Comment lines of the env example (a variable's doc, a group's heading): views of
/// Deployment::lines, rather than a vector each, which cost an allocation per variable.
using Lines = std::span<const std::string_view>;

/// A runtime variable of the deployment, read through Compose interpolation.
struct EnvVar {
  enum class Presence : std::uint8_t {
    Required,   ///< `${NAME:?…}`: Compose refuses to start without it
    Defaulted,  ///< `${NAME:-default}`
    Optional,   ///< `${NAME:-}`: empty when unset
  };
  // Largest members first, the flags last: a spec declares thousands of variables, and this
  // order leaves 1 byte of padding where the order of meaning left 17.
  std::string_view name;
  std::string_view default_value;           ///< Defaulted only: the text Compose substitutes
  std::optional<std::string_view> example;  ///< shown in the env example instead of the default
  Lines doc;                                ///< lines shown above it in the env example
  /// Deployment::types, or a type with static storage (kStringType, sema's plain types):
  /// variables of the same type share it, as a spec declares thousands of variables and a
  /// handful of distinct types.
  const Type* type = &kStringType;
  Span origin;
  Presence presence = Presence::Required;
  bool secret = false;
  bool derived = false;  ///< declared by a `tunable` setting, not written by the user
};
static_assert(sizeof(EnvVar) <= 96);

/// Index into Deployment::env.
struct VarRef {
  std::size_t var = 0;
};

/// A Compose value: literal text and variable references, concatenated. Literal pieces hold
/// the user's text unescaped; lowering escapes `$` and writes `${…}` for the references.
class Template {
 public:
  using Piece = std::variant<std::string, VarRef>;

  Template() = default;
  Template(std::initializer_list<Piece> pieces) {
    for (const Piece& piece : pieces) append(piece);
  }

  void append(Piece piece) {
    if (std::holds_alternative<std::monostate>(pieces_)) {
      pieces_.emplace<Piece>(std::move(piece));
      return;
    }
    if (Piece* single = std::get_if<Piece>(&pieces_)) {
      std::vector<Piece> several;
      several.reserve(2);
      several.push_back(std::move(*single));
      several.push_back(std::move(piece));
      pieces_ = std::move(several);
      return;
    }
    std::get<std::vector<Piece>>(pieces_).push_back(std::move(piece));
  }

  /// The pieces in order; empty for an empty value.
  std::span<const Piece> pieces() const {
    if (const Piece* single = std::get_if<Piece>(&pieces_)) return {single, 1};
    if (const auto* several = std::get_if<std::vector<Piece>>(&pieces_)) return *several;
    return {};
  }

 private:
  // Almost every value is one literal or one variable: that piece is held in place, without an
  // allocation of its own. Only a concatenation (`repo:tag`) holds its pieces in a vector. One
  // variant of the three states: 48 bytes, where an optional piece beside a vector took 72.
  std::variant<std::monostate, Piece, std::vector<Piece>> pieces_;
};
static_assert(sizeof(Template) <= 48);

struct Port {
  std::optional<std::string> host_ip;  ///< `127.0.0.1` binds to one interface
  Template published;                  ///< host side: a literal or a `port` variable
  std::uint16_t target = 0;            ///< container side
  std::string protocol;                ///< empty (tcp) or `udp`
};

struct HealthCheck {
  std::vector<std::string> test;  ///< `CMD …`, `CMD-SHELL …` or `NONE`
  std::optional<std::string> interval, timeout, start_period,
      start_interval;  ///< durations as written
  std::optional<std::int64_t> retries;
  bool disable = false;
};

struct Resources {
  std::optional<Template> cpus;
  std::optional<Template> memory;
  std::optional<std::int64_t> pids;
};

struct RestartPolicy {
  std::string condition;  ///< none | on-failure | any
  std::optional<std::string> delay, window;
  std::optional<std::int64_t> max_attempts;
};

struct Logging {
  std::string driver;
  std::vector<std::pair<std::string, std::string>> options;  ///< in the order written
};

struct Dependency {
  std::string service;
  std::string condition;  ///< service_started | service_healthy | service_completed_successfully
  bool restart = false;
};

struct Ulimit {
  std::string name;
  std::int64_t soft = 0, hard = 0;
};

/// A named volume mounted into a service (bind mounts are rejected by sema).
struct VolumeMount {
  std::string source;  ///< top-level volume key
  std::string target;
  bool read_only = false;
};

/// A Compose secret or config granted to a service.
struct FileMount {
  std::string source;  ///< top-level secret/config key
  std::optional<std::string> target;
};

struct Build {
  std::string context;
  std::optional<std::string> dockerfile;
  std::string target = "production";
  std::vector<std::pair<std::string, std::string>> args;
};

/// `limits … min_memory=`: the least memory the service states it needs. Not written to
/// Compose: checked against the memory limit at compile time (D0410), and against the values
/// of a real env file when the limit is tunable (D0528).
struct MemoryMinimum {
  std::string text;  ///< as written: `512M`
  Span origin;
};

/// The settings a service seldom writes, held apart from the ones most services write (see
/// Service::extras).
struct ServiceExtras {
  std::optional<std::string> container_name;
  std::vector<std::string> profiles;
  std::vector<Template> entrypoint;
  std::optional<std::string> user, working_dir;
  std::vector<std::uint16_t> expose;
  std::optional<MemoryMinimum> min_memory;
  std::vector<VolumeMount> volumes;
  std::vector<FileMount> secrets, configs;
  std::vector<std::pair<std::string, std::string>> labels;
  std::optional<bool> read_only, init;
  std::vector<std::string> tmpfs, security_opt, cap_add, cap_drop, extra_hosts, dns;
  std::optional<std::string> stop_grace_period, stop_signal;
  std::vector<Ulimit> ulimits;
  std::optional<Build> build;  ///< only in compose.build.yml, never in the production file
};

struct Service {
  std::string name;
  Template image;
  std::optional<std::string> restart;
  std::vector<Template> command;
  /// Keys view the sources, where the spec writes them (as EnvVar's texts do): a large stack
  /// has about ten entries per service, most of them names too long to be held in place.
  std::vector<std::pair<std::string_view, Template>> environment;
  std::vector<Port> ports;
  std::optional<HealthCheck> healthcheck;
  std::optional<std::int64_t> replicas;
  std::optional<Resources> limits, reservations;
  std::optional<RestartPolicy> restart_policy;
  std::optional<Logging> logging;
  std::vector<Dependency> depends_on;
  std::vector<std::string> networks;  ///< top-level network keys
  /// Null until one of them is written. Inline, the members of ServiceExtras were 700 of a
  /// service's 1,700 bytes, and the model's services are made at once, default-constructed, for
  /// the threads that fill them: 7 MB of empty members at 10,000 services that write none.
  support::LazyBox<ServiceExtras> extras;
  Span origin;
};

struct Network {
  std::string key;   ///< the spec's identifier (`network main`); the Compose key when unnamed
  std::string name;  ///< Compose `name:` (not prefixed with the project), also its Compose key
  std::string driver = "bridge";
  bool internal = false;
};

struct Volume {
  std::string key;
  std::optional<std::string> name, driver;
};

/// A top-level Compose secret or config, read from a file or from a variable.
struct SecretSource {
  enum class From : std::uint8_t { File, Environment };
  std::string key;
  From from = From::Environment;
  std::string value;  ///< a file path, or the name of the variable
};

struct EnvGroup {
  Lines heading;                  ///< comment lines above the group; may be empty
  std::vector<std::size_t> vars;  ///< into Deployment::env, in output order
};

struct EnvSection {
  std::string title;
  std::vector<EnvGroup> groups;
};

struct Deployment {
  std::string project;  ///< Compose project name (`name:`), already valid for Compose
  std::string title;    ///< human name, for file headers
  std::vector<Service> services;
  std::vector<Network> networks;
  std::vector<Volume> volumes;
  std::vector<SecretSource> secrets, configs;
  std::vector<EnvVar> env;
  std::vector<EnvSection> sections;  ///< the env example's layout; covers every var in `env`
  /// The types EnvVar::type points to; a deque, so that they stay where they are.
  std::deque<Type> types;
  /// The model's texts that are not in the sources: names of derived variables, substituted
  /// values, decoded escapes, headings sema composes. Move-only, so a Deployment is too: a copy
  /// would view the original's store.
  support::TextStore text;
  /// The lines EnvVar::doc and EnvGroup::heading view; move-only, as `text` is.
  support::BlockStore<std::string_view> lines;
};

}  // namespace deployc::model
