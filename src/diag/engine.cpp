#include "diag/engine.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_map>

namespace deployc::diag {

namespace {

std::vector<CodeInfo> build_registry() {
  return {
#define DEPLOYC_DIAG(name, id, severity, format) \
  {Code::name, #name, id, Severity::severity, format},
#include "diag/codes.def"
#undef DEPLOYC_DIAG
  };
}

}  // namespace

const std::vector<CodeInfo>& all_codes() {
  static const std::vector<CodeInfo> registry = build_registry();
  return registry;
}

const CodeInfo& info(Code code) {
  return all_codes()[static_cast<std::size_t>(code)];
}

std::string message_shape(std::string_view format) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if ((c == '{' || c == '}') && i + 1 < format.size() && format[i + 1] == c) {
      out += c;
      ++i;
    } else if (c == '{') {
      const std::size_t close = format.find('}', i);
      out += "…";
      i = close == std::string_view::npos ? format.size() : close;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<Code> code_from_id(std::string_view id) {
  for (const CodeInfo& c : all_codes()) {
    if (c.id == id) return c.code;
  }
  return std::nullopt;
}

std::string detail::cap_text(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back up to the start of a UTF-8 character.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\u2026";
}

Diagnostic* DiagnosticBuilder::target() {
  return engine_ ? &engine_->diagnostics_[index_] : nullptr;
}

namespace {

/// A label, note or help text cut to kMaxTrailerBytes; one that fits is moved, not copied.
std::string capped_trailer(std::string text) {
  if (text.size() <= detail::kMaxTrailerBytes) return text;
  return detail::cap_text(text, detail::kMaxTrailerBytes);
}

}  // namespace

DiagnosticBuilder& DiagnosticBuilder::label(Span span, std::string text) {
  if (Diagnostic* d = target()) {
    d->labels.push_back({span, capped_trailer(std::move(text)), false});
  }
  return *this;
}
DiagnosticBuilder& DiagnosticBuilder::note(std::string text) {
  if (Diagnostic* d = target()) d->notes.push_back(capped_trailer(std::move(text)));
  return *this;
}
DiagnosticBuilder& DiagnosticBuilder::help(std::string text) {
  if (Diagnostic* d = target()) d->help = capped_trailer(std::move(text));
  return *this;
}

bool DiagnosticEngine::silenced(Code code) const {
  return !policy_.silenced.empty() && info(code).severity == Severity::Warning &&
         policy_.silenced.count(code) != 0;
}

Diagnostic& DiagnosticEngine::push(Code code, std::string message) {
  Severity severity = info(code).severity;
  if (severity == Severity::Warning && policy_.warnings_as_errors) severity = Severity::Error;
  if (severity == Severity::Error) ++error_count_;
  return diagnostics_.emplace_back(
      Diagnostic{code, severity, std::move(message), {}, {}, std::nullopt});
}

DiagnosticBuilder DiagnosticEngine::add(Code code, Span span, std::string message) {
  push(code, std::move(message)).labels.push_back({span, {}, true});
  return DiagnosticBuilder(this, diagnostics_.size() - 1);
}

DiagnosticBuilder DiagnosticEngine::add_global(Code code, std::string message) {
  push(code, std::move(message));
  return DiagnosticBuilder(this, diagnostics_.size() - 1);
}

namespace {

/// The order of sorted(): by (file, byte offset), stable, global diagnostics first; each index
/// once, without the exact duplicates of a diagnostic before it.
std::vector<std::size_t> sorted_order(const std::vector<Diagnostic>& diagnostics) {
  auto key = [](const Diagnostic& d) {
    const Label* p = d.primary();
    // Global diagnostics (no location) sort first.
    return p ? std::tuple(1u, p->span.file.index, p->span.begin) : std::tuple(0u, 0u, 0u);
  };
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    const Label* pa = a.primary();
    const Label* pb = b.primary();
    return a.code == b.code && a.message == b.message && (pa == nullptr) == (pb == nullptr) &&
           (!pa || pa->span == pb->span);
  };
  // Sorting indices rather than diagnostics moves none of them until each goes into place.
  std::vector<std::size_t> order(diagnostics.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return key(diagnostics[a]) < key(diagnostics[b]);
  });
  std::size_t kept = 0;
  for (const std::size_t i : order) {
    if (kept > 0 && same(diagnostics[order[kept - 1]], diagnostics[i])) continue;
    order[kept++] = i;
  }
  order.resize(kept);
  return order;
}

}  // namespace

std::vector<Diagnostic> DiagnosticEngine::sorted() const {
  std::vector<Diagnostic> out;
  const std::vector<std::size_t> order = sorted_order(diagnostics_);
  out.reserve(order.size());
  for (const std::size_t i : order) out.push_back(diagnostics_[i]);
  return out;
}

std::vector<Diagnostic> DiagnosticEngine::take_sorted() {
  std::vector<Diagnostic> out;
  const std::vector<std::size_t> order = sorted_order(diagnostics_);
  out.reserve(order.size());
  for (const std::size_t i : order) out.push_back(std::move(diagnostics_[i]));
  diagnostics_.clear();
  error_count_ = 0;
  return out;
}

void DiagnosticEngine::absorb(const DiagnosticEngine& other) {
  for (const Diagnostic& d : other.diagnostics_) {
    diagnostics_.push_back(d);
    if (d.severity == Severity::Error) ++error_count_;
  }
}

void DiagnosticEngine::absorb(DiagnosticEngine&& other) {
  diagnostics_.reserve(diagnostics_.size() + other.diagnostics_.size());
  for (Diagnostic& d : other.diagnostics_) {
    if (d.severity == Severity::Error) ++error_count_;
    diagnostics_.push_back(std::move(d));
  }
  other.diagnostics_.clear();
  other.error_count_ = 0;
}

void DiagnosticEngine::forget_since(std::size_t mark) {
  for (std::size_t i = mark; i < diagnostics_.size(); ++i) {
    if (diagnostics_[i].severity == Severity::Error) --error_count_;
  }
  diagnostics_.resize(std::min(mark, diagnostics_.size()));
}

std::size_t DiagnosticEngine::drop_warnings(const std::function<bool(const Diagnostic&)>& drop) {
  const std::size_t before = diagnostics_.size();
  auto gone = [&](const Diagnostic& d) {
    if (info(d.code).severity != Severity::Warning || !drop(d)) return false;
    if (d.severity == Severity::Error) --error_count_;
    return true;
  };
  diagnostics_.erase(std::remove_if(diagnostics_.begin(), diagnostics_.end(), gone),
                     diagnostics_.end());
  return before - diagnostics_.size();
}

}  // namespace deployc::diag
