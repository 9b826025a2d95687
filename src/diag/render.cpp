#include "diag/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <variant>

#include "support/utf8.hpp"

namespace deployc::diag {

namespace {

// ---- text ---------------------------------------------------------------------------------------

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kYellow = "\x1b[1;33m";
constexpr std::string_view kBlue = "\x1b[1;34m";

// rustc shows a tab as four spaces; anything else would misalign carets in some terminal.
constexpr std::size_t kTabWidth = 4;
// A source line wider than this is shown as a window around its first label, so a generated
// line of megabytes is not printed whole under every diagnostic that points into it.
constexpr std::size_t kMaxShownWidth = 160;
constexpr std::size_t kContextBefore = 40;  // columns kept left of the first label
constexpr std::string_view kCut = "...";

/// Appends text in an ANSI style when colours are on. `start`/`stop` bracket text that is
/// appended in several pieces; `append` paints one piece (an empty piece gets no codes).
struct Painter {
  bool on = false;
  void start(std::string& out, std::string_view style) const {
    if (on) out += style;
  }
  void stop(std::string& out) const {
    if (on) out += kReset;
  }
  void append(std::string& out, std::string_view style, std::string_view text) const {
    if (text.empty()) return;
    start(out, style);
    out += text;
    stop(out);
  }
};

std::string_view severity_name(Severity s) {
  return s == Severity::Error ? "error" : "warning";
}
std::string_view severity_style(Severity s) {
  return s == Severity::Error ? kRed : kYellow;
}

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

/// Display columns taken by the first `bytes` bytes of `line`.
std::size_t display_width(std::string_view line, std::size_t bytes) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < bytes && i < line.size(); ++i) {
    if (line[i] == '\t') {
      width += kTabWidth;
    } else if (!is_continuation(line[i])) {
      ++width;
    }
  }
  return width;
}

std::string expand_tabs(std::string_view line) {
  std::string out;
  out.reserve(line.size() + 3 * kTabWidth);
  for (char c : line) {
    if (c == '\t') {
      out.append(kTabWidth, ' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view without_trailing_spaces(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

bool has_location(const Diagnostic& d, const SourceManager& sources) {
  const Label* p = d.primary();
  return p && p->span.file.index < sources.file_count();
}

/// A label resolved to the line it is drawn under.
struct Placed {
  const Label* label;
  bool primary;  // labels[0] is the primary one, whatever its flag says
  std::uint32_t line;
  std::uint32_t column;      // 1-based byte column, for `-->`
  std::size_t underline_at;  // display column where the marks start, 0-based
  std::size_t underline_width;
};

std::uint32_t clamp_offset(const SourceManager& sources, FileId file, std::uint32_t offset) {
  const auto size = static_cast<std::uint32_t>(sources.text(file).size());
  return std::min(offset, size);
}

Placed place(const Label& label, bool primary, const SourceManager& sources) {
  const FileId file = label.span.file;
  const std::uint32_t begin = clamp_offset(sources, file, label.span.begin);
  const std::uint32_t end = std::max(begin, clamp_offset(sources, file, label.span.end));
  const LineCol start = sources.line_col(file, begin);
  const std::string_view text = sources.line_text(file, start.line);
  const std::size_t begin_in_line = std::min<std::size_t>(start.column - 1, text.size());
  // Clamped to the line's text, an end on a later line falls at the end of the first: a span
  // that crosses lines is underlined to the end of its first line.
  const std::size_t end_in_line =
      std::min<std::size_t>(std::size_t{start.column - 1} + (end - begin), text.size());
  const std::size_t at = display_width(text, begin_in_line);
  const std::size_t width = display_width(text, end_in_line) - at;
  return {&label, primary, start.line, start.column, at, std::max<std::size_t>(width, 1)};
}

std::size_t digits(std::uint32_t n) {
  std::size_t d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

/// The left margin of a line that shows no line number: the gutter's blanks, then `|`.
void append_margin(std::string& out, std::size_t gutter, const Painter& paint) {
  out.append(gutter + 1, ' ');
  paint.append(out, kBlue, "|");
}

/// `line` right-aligned in the gutter, then `|`.
void append_numbered_margin(std::string& out, std::uint32_t line, std::size_t gutter,
                            const Painter& paint) {
  paint.start(out, kBlue);
  out.append(gutter - std::min(gutter, digits(line)), ' ');
  out += std::to_string(line);
  paint.stop(out);
  out += ' ';
  paint.append(out, kBlue, "|");
}

/// Appends `= kind: text` lines; continuation lines of a multi-line text align under its start.
void append_trailer(std::string& out, std::size_t gutter, std::string_view kind,
                    std::string_view text, const Painter& paint) {
  std::string_view rest = text;
  bool first = true;
  while (true) {
    const std::size_t nl = rest.find('\n');
    out.append(gutter + 1, ' ');
    if (first) {
      paint.append(out, kBlue, "=");
      out += ' ';
      paint.append(out, kBold, kind);
      out += ": ";
    } else {
      out.append(kind.size() + 4, ' ');  // under the text of the first line
    }
    out += rest.substr(0, nl);
    out += '\n';
    first = false;
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
}

void render_group(std::string& out, const SourceManager& sources, FileId file,
                  std::vector<Placed>& labels, std::size_t gutter, bool first_group,
                  const Placed& anchor, Severity severity, const Painter& paint) {
  if (!first_group) {
    append_margin(out, gutter, paint);
    out += '\n';
  }
  out.append(gutter, ' ');
  paint.append(out, kBlue, first_group ? "-->" : ":::");
  out += ' ';
  out += sources.name(file);
  out += ':';
  out += std::to_string(anchor.line);
  out += ':';
  out += std::to_string(anchor.column);
  out += '\n';
  append_margin(out, gutter, paint);
  out += '\n';

  // The display columns [from, to) of the line being drawn, and where `from` lands in the
  // output (after a `...` when the line is cut on the left).
  struct Window {
    std::size_t from = 0, to = 0, shift = 0;
  };
  auto source_line = [&](std::uint32_t line, std::size_t first_mark) {
    // Only a line with tabs needs a copy; the others are shown straight from the source.
    std::string expanded;
    std::string_view text = sources.line_text(file, line);
    if (text.find('\t') != std::string_view::npos) {
      expanded = expand_tabs(text);
      text = expanded;
    }
    text = without_trailing_spaces(text);
    const std::size_t width = display_width(text, text.size());
    // Uncut, nothing is clamped: a mark may sit past the text, on trailing blanks or at the end.
    Window w{0, std::numeric_limits<std::size_t>::max(), 0};
    std::string_view shown = text;
    if (width > kMaxShownWidth) {
      w.from = first_mark > kContextBefore ? first_mark - kContextBefore : 0;
      w.from = std::min(w.from, width - kMaxShownWidth);
      w.to = w.from + kMaxShownWidth;
      // Display column → byte: after expand_tabs, every character is one column.
      auto byte_at = [&](std::size_t column) {
        std::size_t i = 0;
        for (std::size_t seen = 0; i < text.size(); ++i) {
          if (is_continuation(text[i])) continue;
          if (seen++ == column) break;
        }
        return i;
      };
      const std::size_t begin = byte_at(w.from), end = byte_at(w.to);
      shown = text.substr(begin, end - begin);
      w.shift = w.from > 0 ? kCut.size() : 0;
    }
    const bool cut_left = w.from > 0;
    const bool cut_right = w.to < width;
    append_numbered_margin(out, line, gutter, paint);
    if (cut_left || !shown.empty() || cut_right) {
      out += ' ';
      if (cut_left) out += kCut;
      out += shown;
      if (cut_right) out += kCut;
    }
    out += '\n';
    return w;
  };

  std::stable_sort(labels.begin(), labels.end(), [](const Placed& a, const Placed& b) {
    return std::tie(a.line, a.underline_at) < std::tie(b.line, b.underline_at);
  });
  std::uint32_t previous = 0;
  Window window;
  for (const Placed& p : labels) {
    if (p.line != previous) {
      if (previous != 0 && p.line == previous + 2) {
        source_line(previous + 1, 0);
      } else if (previous != 0 && p.line > previous + 2) {
        paint.append(out, kBlue, "...");
        out += '\n';
      }
      window = source_line(p.line, p.underline_at);
      previous = p.line;
    }
    // Marks outside a cut window are clamped to its edge; at least one is always drawn.
    const std::size_t at = std::clamp(p.underline_at, window.from, window.to);
    const std::size_t width = std::max<std::size_t>(
        1, std::min(p.underline_at + p.underline_width, window.to) - std::min(at, window.to));
    append_margin(out, gutter, paint);
    out += ' ';
    out.append(at - window.from + window.shift, ' ');
    paint.start(out, p.primary ? severity_style(severity) : kBlue);
    out.append(width, p.primary ? '^' : '-');
    if (!p.label->text.empty()) {
      out += ' ';
      out += p.label->text;
    }
    paint.stop(out);
    out += '\n';
  }
}

std::string counts(std::size_t errors, std::size_t warnings) {
  std::vector<std::string> parts;
  if (errors > 0 || warnings == 0) {
    parts.push_back(fmt::format("{} error{}", errors, errors == 1 ? "" : "s"));
  }
  if (warnings > 0)
    parts.push_back(fmt::format("{} warning{}", warnings, warnings == 1 ? "" : "s"));
  return fmt::format("{}", fmt::join(parts, ", "));
}

// ---- JSON ---------------------------------------------------------------------------------------

struct Json;
using JsonArray = std::vector<Json>;
using JsonObject = std::vector<std::pair<std::string, Json>>;
struct Json {
  std::variant<std::nullptr_t, bool, std::int64_t, std::string, JsonArray, JsonObject> value;
};

Json str(std::string_view s) {
  return Json{std::string(s)};
}
Json num(std::uint32_t n) {
  return Json{static_cast<std::int64_t>(n)};
}

void write_json(const Json& json, std::string& out, std::size_t depth) {
  const std::string indent(2 * (depth + 1), ' ');
  const std::string closing(2 * depth, ' ');
  struct Visitor {
    std::string& out;
    std::size_t depth;
    const std::string& indent;
    const std::string& closing;
    void operator()(std::nullptr_t) const { out += "null"; }
    void operator()(bool b) const { out += b ? "true" : "false"; }
    void operator()(std::int64_t n) const { out += std::to_string(n); }
    void operator()(const std::string& s) const { out += json_quote(s); }
    void operator()(const JsonArray& items) const {
      if (items.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (std::size_t i = 0; i < items.size(); ++i) {
        out += indent;
        write_json(items[i], out, depth + 1);
        out += i + 1 < items.size() ? ",\n" : "\n";
      }
      out += closing + "]";
    }
    void operator()(const JsonObject& members) const {
      if (members.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      for (std::size_t i = 0; i < members.size(); ++i) {
        out += indent + json_quote(members[i].first) + ": ";
        write_json(members[i].second, out, depth + 1);
        out += i + 1 < members.size() ? ",\n" : "\n";
      }
      out += closing + "}";
    }
  };
  std::visit(Visitor{out, depth, indent, closing}, json.value);
}

std::string to_json_text(const Json& json) {
  std::string out;
  write_json(json, out, 0);
  out += '\n';
  return out;
}

struct Position {
  std::uint32_t line;
  std::uint32_t column;
};

Position byte_position(const SourceManager& sources, FileId file, std::uint32_t offset) {
  const LineCol lc = sources.line_col(file, clamp_offset(sources, file, offset));
  return {lc.line, lc.column};
}

Position code_point_position(const SourceManager& sources, FileId file, std::uint32_t offset) {
  const LineCol lc = sources.line_col(file, clamp_offset(sources, file, offset));
  const std::string_view line = sources.line_text(file, lc.line);
  std::uint32_t column = 1;
  for (std::size_t i = 0; i + 1 < lc.column && i < line.size(); ++i) {
    if (!is_continuation(line[i])) ++column;
  }
  // A position past the line's last character (its line end) counts one column per byte.
  if (lc.column - 1 > line.size())
    column += static_cast<std::uint32_t>(lc.column - 1 - line.size());
  return {lc.line, column};
}

Json end_json(const SourceManager& sources, const Span& span) {
  const Position e = byte_position(sources, span.file, std::max(span.begin, span.end));
  return Json{JsonObject{{"line", num(e.line)}, {"column", num(e.column)}}};
}

Json diagnostic_json(const Diagnostic& d, const SourceManager& sources) {
  JsonObject o;
  o.emplace_back("code", str(info(d.code).id));
  o.emplace_back("severity", str(severity_name(d.severity)));
  o.emplace_back("message", str(d.message));
  JsonArray labels;
  if (has_location(d, sources)) {
    const Span& span = d.primary()->span;
    const Position p = byte_position(sources, span.file, span.begin);
    o.emplace_back("file", str(sources.name(span.file)));
    o.emplace_back("line", num(p.line));
    o.emplace_back("column", num(p.column));
    o.emplace_back("end", end_json(sources, span));
    for (const Label& l : d.labels) {
      if (l.span.file.index >= sources.file_count()) continue;
      const bool primary = &l == d.primary() || l.primary;
      const Position lp = byte_position(sources, l.span.file, l.span.begin);
      labels.push_back(Json{JsonObject{{"file", str(sources.name(l.span.file))},
                                       {"line", num(lp.line)},
                                       {"column", num(lp.column)},
                                       {"end", end_json(sources, l.span)},
                                       {"text", str(l.text)},
                                       {"primary", Json{primary}}}});
    }
  } else {
    for (const char* key : {"file", "line", "column", "end"}) o.emplace_back(key, Json{nullptr});
  }
  o.emplace_back("labels", Json{std::move(labels)});
  JsonArray notes;
  for (const std::string& n : d.notes) notes.push_back(str(n));
  o.emplace_back("notes", Json{std::move(notes)});
  o.emplace_back("help", d.help ? str(*d.help) : Json{nullptr});
  return Json{std::move(o)};
}

// ---- SARIF --------------------------------------------------------------------------------------

/// A file name as a URI reference: relative names stay relative (SARIF viewers resolve them
/// against the repository), absolute ones become file: URIs.
std::string artifact_uri(std::string_view name) {
  std::string out = name.starts_with('/') ? "file://" : "";
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned>(u));
    }
  }
  return out;
}

Json physical_location(const SourceManager& sources, const Span& span) {
  const Position b = code_point_position(sources, span.file, span.begin);
  const Position e = code_point_position(sources, span.file, std::max(span.begin, span.end));
  JsonObject region{{"startLine", num(b.line)},
                    {"startColumn", num(b.column)},
                    {"endLine", num(e.line)},
                    {"endColumn", num(e.column)}};
  return Json{JsonObject{
      {"artifactLocation", Json{JsonObject{{"uri", str(artifact_uri(sources.name(span.file)))}}}},
      {"region", Json{std::move(region)}}}};
}

Json sarif_result(const Diagnostic& d, const SourceManager& sources) {
  std::string text = d.message;
  for (const std::string& n : d.notes) text += "\nnote: " + n;
  if (d.help) text += "\nhelp: " + *d.help;
  JsonObject o{{"ruleId", str(info(d.code).id)},
               {"ruleIndex", Json{static_cast<std::int64_t>(d.code)}},
               {"level", str(severity_name(d.severity))},
               {"message", Json{JsonObject{{"text", str(text)}}}}};
  if (has_location(d, sources)) {
    JsonObject location{{"physicalLocation", physical_location(sources, d.primary()->span)}};
    if (!d.primary()->text.empty()) {
      location.emplace_back("message", Json{JsonObject{{"text", str(d.primary()->text)}}});
    }
    o.emplace_back("locations", Json{JsonArray{Json{std::move(location)}}});
    JsonArray related;
    for (std::size_t i = 1; i < d.labels.size(); ++i) {
      const Label& l = d.labels[i];
      if (l.span.file.index >= sources.file_count()) continue;
      JsonObject r{{"id", Json{static_cast<std::int64_t>(related.size())}},
                   {"physicalLocation", physical_location(sources, l.span)}};
      if (!l.text.empty()) r.emplace_back("message", Json{JsonObject{{"text", str(l.text)}}});
      related.push_back(Json{std::move(r)});
    }
    if (!related.empty()) o.emplace_back("relatedLocations", Json{std::move(related)});
  }
  return Json{std::move(o)};
}

}  // namespace

namespace {

/// render_diagnostic, appending to `out`: render_text writes every diagnostic into one string.
void append_diagnostic(std::string& out, const Diagnostic& diagnostic, const SourceManager& sources,
                       bool color) {
  const Painter paint{color};
  const bool located = has_location(diagnostic, sources);
  if (!located) out += "deployc: ";
  paint.start(out, severity_style(diagnostic.severity));
  out += severity_name(diagnostic.severity);
  out += '[';
  out += info(diagnostic.code).id;
  out += ']';
  paint.stop(out);
  paint.start(out, kBold);
  out += ": ";
  out += diagnostic.message;
  paint.stop(out);
  out += '\n';

  if (!located) {
    for (const std::string& n : diagnostic.notes) append_trailer(out, 1, "note", n, paint);
    if (diagnostic.help) append_trailer(out, 1, "help", *diagnostic.help, paint);
    out += '\n';
    return;
  }

  // Group labels by file, the primary label's file first, the others in order of appearance.
  std::vector<std::pair<FileId, std::vector<Placed>>> groups;
  std::uint32_t max_line = 1;
  for (const Label& label : diagnostic.labels) {
    if (label.span.file.index >= sources.file_count()) continue;
    const Placed p = place(label, &label == diagnostic.primary() || label.primary, sources);
    max_line = std::max(max_line, p.line);
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == label.span.file; });
    if (it == groups.end()) {
      groups.push_back({label.span.file, {p}});
    } else {
      it->second.push_back(p);
    }
  }
  const std::size_t gutter = digits(max_line);
  const Placed primary = groups.front().second.front();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    auto& [file, labels] = groups[g];
    const Placed anchor =
        g == 0 ? primary : *std::min_element(labels.begin(), labels.end(), [](auto& a, auto& b) {
          return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
    render_group(out, sources, file, labels, gutter, g == 0, anchor, diagnostic.severity, paint);
  }
  if (!diagnostic.notes.empty() || diagnostic.help) {
    append_margin(out, gutter, paint);
    out += '\n';
    for (const std::string& n : diagnostic.notes) append_trailer(out, gutter, "note", n, paint);
    if (diagnostic.help) append_trailer(out, gutter, "help", *diagnostic.help, paint);
  }
  out += '\n';
}

}  // namespace

std::string render_diagnostic(const Diagnostic& diagnostic, const SourceManager& sources,
                              bool color) {
  std::string out;
  append_diagnostic(out, diagnostic, sources, color);
  return out;
}

std::string summary_line(std::size_t errors, std::size_t warnings) {
  return "deployc: " + counts(errors, warnings);
}

void TextRenderer::add(std::span<const Diagnostic> diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    const bool error = d.severity == Severity::Error;
    (error ? errors_ : warnings_) += 1;
    any_located_ = any_located_ || has_location(d, sources_);
    if (!cut_ && error && options_.max_errors != 0 && shown_errors_ == options_.max_errors) {
      cut_ = true;
    }
    if (cut_) {
      (error ? hidden_errors_ : hidden_warnings_) += 1;
      continue;
    }
    append_diagnostic(text_, d, sources_, options_.color);
    if (error) ++shown_errors_;
  }
}

std::string TextRenderer::finish() && {
  if (cut_) {
    text_ += fmt::format("deployc: stopped after {}; not shown: {} (--max-errors 0 shows all)\n",
                         counts(options_.max_errors, 0), counts(hidden_errors_, hidden_warnings_));
  }
  if (any_located_) text_ += summary_line(errors_, warnings_) + "\n";
  return std::move(text_);
}

std::string render_text(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                        const TextOptions& options) {
  TextRenderer renderer(sources, options);
  renderer.add(diagnostics);
  return std::move(renderer).finish();
}

std::string render_json(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources) {
  JsonArray items;
  for (const Diagnostic& d : diagnostics) items.push_back(diagnostic_json(d, sources));
  return to_json_text(Json{std::move(items)});
}

std::string render_sarif(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                         std::string_view tool_version) {
  JsonArray rules;
  for (const CodeInfo& c : all_codes()) {
    rules.push_back(Json{JsonObject{
        {"id", str(c.id)},
        {"name", str(c.name)},
        {"shortDescription", Json{JsonObject{{"text", str(message_shape(c.format))}}}},
        {"defaultConfiguration", Json{JsonObject{{"level", str(severity_name(c.severity))}}}}}});
  }
  JsonArray results;
  for (const Diagnostic& d : diagnostics) results.push_back(sarif_result(d, sources));
  JsonObject driver{
      {"name", str("deployc")}, {"version", str(tool_version)}, {"rules", Json{std::move(rules)}}};
  JsonObject run{{"tool", Json{JsonObject{{"driver", Json{std::move(driver)}}}}},
                 {"columnKind", str("unicodeCodePoints")},
                 {"results", Json{std::move(results)}}};
  JsonObject log{{"$schema", str("https://json.schemastore.org/sarif-2.1.0.json")},
                 {"version", str("2.1.0")},
                 {"runs", Json{JsonArray{Json{std::move(run)}}}}};
  return to_json_text(Json{std::move(log)});
}

}  // namespace deployc::diag
