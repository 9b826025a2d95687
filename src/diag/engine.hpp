// Collects diagnostics during a compilation. Stages report and carry on; the driver decides
// what to print. Formatting of messages happens here, once, from the registry's format.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <set>
#include <string_view>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include "diag/diagnostic.hpp"

namespace deployc::diag {

/// How warnings are treated: -Werror, -Wno-Dnnnn.
struct WarningPolicy {
  bool warnings_as_errors = false;
  std::set<Code> silenced;
};

class DiagnosticEngine;

namespace detail {

/// User text quoted in a message is cut to this many bytes, on a character boundary, and ends
/// in `…`: a spec with a 10 MB line must not produce a 10 MB message.
inline constexpr std::size_t kMaxQuotedBytes = 120;
/// Labels, notes and help lines may quote a whole source line; they are cut at this size.
inline constexpr std::size_t kMaxTrailerBytes = 2000;

std::string cap_text(std::string_view text, std::size_t max_bytes);

template <typename T>
decltype(auto) capped(const T& arg) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return cap_text(arg, kMaxQuotedBytes);
  } else {
    return (arg);
  }
}

template <typename... Capped>
std::string format_capped(std::string_view format, const Capped&... args) {
  return fmt::vformat(format, fmt::make_format_args(args...));
}

template <typename... Args>
std::string format_message(std::string_view format, const Args&... args) {
  return format_capped(format, capped(args)...);
}

}  // namespace detail

/// Returned by DiagnosticEngine::report; adds labels, notes and help to the diagnostic just
/// reported. A silenced warning yields a builder that discards everything.
class DiagnosticBuilder {
 public:
  DiagnosticBuilder& label(Span span, std::string text);
  DiagnosticBuilder& note(std::string text);
  DiagnosticBuilder& help(std::string text);

 private:
  friend class DiagnosticEngine;
  DiagnosticBuilder(DiagnosticEngine* engine, std::size_t index) : engine_(engine), index_(index) {}
  Diagnostic* target();
  DiagnosticEngine* engine_;  // null when the diagnostic was silenced
  std::size_t index_;         // an index, not a pointer: later reports may grow the vector
};

class DiagnosticEngine {
 public:
  explicit DiagnosticEngine(WarningPolicy policy = {}) : policy_(std::move(policy)) {}

  /// Reports `code` at `span`, its message formatted from the registry with `args`. A silenced
  /// warning is not even formatted: a spec that allows a warning everywhere silences it (sema's
  /// collect_allows), and a large stack would format it once per service.
  template <typename... Args>
  DiagnosticBuilder report(Code code, Span span, const Args&... args) {
    if (silenced(code)) return DiagnosticBuilder(nullptr, 0);
    return add(code, span, detail::format_message(info(code).format, args...));
  }
  /// For diagnostics that belong to no file (command line, I/O).
  template <typename... Args>
  DiagnosticBuilder report_global(Code code, const Args&... args) {
    if (silenced(code)) return DiagnosticBuilder(nullptr, 0);
    return add_global(code, detail::format_message(info(code).format, args...));
  }

  bool has_errors() const { return error_count_ > 0; }
  std::size_t error_count() const { return error_count_; }
  std::size_t warning_count() const { return diagnostics_.size() - error_count_; }

  /// Diagnostics sorted by (file, byte offset), stable, exact duplicates removed. Global ones first.
  std::vector<Diagnostic> sorted() const;
  /// sorted(), moving the diagnostics out instead of copying them: for the engine's last use.
  /// The engine is left empty.
  std::vector<Diagnostic> take_sorted();
  const std::vector<Diagnostic>& unsorted() const { return diagnostics_; }

  /// Appends another engine's diagnostics (used when a module is checked in a sub-engine, and
  /// for the services checked on a second thread).
  void absorb(const DiagnosticEngine& other);
  void absorb(DiagnosticEngine&& other);
  /// For an engine that collects part of the same compilation's diagnostics (see absorb).
  const WarningPolicy& policy() const { return policy_; }
  /// How warnings reported from now on are treated; those reported so far stay as they are.
  void set_policy(WarningPolicy policy) { policy_ = std::move(policy); }

  /// A mark for forget_since(): how many diagnostics were reported so far.
  std::size_t mark() const { return diagnostics_.size(); }
  /// Forgets what was reported since `mark`: for a look ahead whose findings are reported again
  /// when their turn comes.
  void forget_since(std::size_t mark);

  /// Removes the warnings `drop` selects, promoted ones (-Werror) included: a code's registry
  /// severity decides, so an error is never removed. Returns how many went. For the spec's
  /// own `allow`, whose scopes are known only once the whole spec is checked.
  std::size_t drop_warnings(const std::function<bool(const Diagnostic&)>& drop);

 private:
  friend class DiagnosticBuilder;
  bool silenced(Code code) const;
  DiagnosticBuilder add(Code code, Span span, std::string message);
  DiagnosticBuilder add_global(Code code, std::string message);
  Diagnostic& push(Code code, std::string message);  ///< one that is not silenced

  WarningPolicy policy_;
  std::vector<Diagnostic> diagnostics_;
  std::size_t error_count_ = 0;
};

}  // namespace deployc::diag
