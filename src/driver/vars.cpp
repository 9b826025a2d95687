#include "driver/vars.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "lower/docs.hpp"
#include "sema/types.hpp"
#include "support/utf8.hpp"

namespace deployc::driver {

namespace {

using model::EnvVar;

struct Row {
  const EnvVar* var = nullptr;
  std::string type;
  std::string section;
  std::vector<std::string> services;
  model::Lines doc;  ///< the variable's doc, else its group's heading
};

/// Rows in the env example's order (sections cover every variable).
std::vector<Row> rows_of(const model::Deployment& d) {
  std::vector<Row> rows;
  std::vector<bool> seen(d.env.size(), false);
  auto add = [&](std::size_t index, const std::string& section, model::Lines heading) {
    if (index >= d.env.size() || seen[index]) return;
    seen[index] = true;
    const EnvVar& var = d.env[index];
    rows.push_back({&var, sema::type_display(*var.type), section, lower::readers(d, index),
                    var.doc.empty() ? heading : var.doc});
  };
  for (const model::EnvSection& section : d.sections) {
    for (const model::EnvGroup& group : section.groups) {
      for (std::size_t index : group.vars) add(index, section.title, group.heading);
    }
  }
  for (std::size_t index = 0; index < d.env.size(); ++index) add(index, "", {});
  return rows;
}

std::string doc_text(model::Lines doc) {
  std::string text;
  for (const std::string_view line : doc) {
    if (line.empty()) continue;
    if (!text.empty()) text += ' ';
    text += line;
  }
  return text;
}

std::optional<std::string> default_of(const EnvVar& var) {
  if (var.presence == EnvVar::Presence::Defaulted) return std::string(var.default_value);
  return std::nullopt;
}

std::string presence_name(const EnvVar& var) {
  switch (var.presence) {
    case EnvVar::Presence::Required:
      return "required";
    case EnvVar::Presence::Defaulted:
      return "default";
    case EnvVar::Presence::Optional:
      break;
  }
  return "optional";
}

std::string json_string(std::string_view text) {
  return json_quote(text);
}

std::string json(const std::vector<Row>& rows) {
  std::string out = "[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const EnvVar& var = *row.var;
    std::vector<std::string> services;
    for (const std::string& s : row.services) services.push_back(json_string(s));
    const std::optional<std::string> default_value = default_of(var);
    out += i == 0 ? "\n" : ",\n";
    out += fmt::format(
        "  {{\"name\": {}, \"type\": {}, \"required\": {}, \"presence\": {}, \"default\": {}, "
        "\"secret\": {}, \"section\": {}, \"doc\": {}, \"services\": [{}]}}",
        json_string(var.name), json_string(row.type),
        var.presence == EnvVar::Presence::Required ? "true" : "false",
        json_string(presence_name(var)), default_value ? json_string(*default_value) : "null",
        var.secret ? "true" : "false", json_string(row.section), json_string(doc_text(row.doc)),
        fmt::join(services, ", "));
  }
  return out + (rows.empty() ? "]\n" : "\n]\n");
}

/// Display width of UTF-8 text: one column per code point.
std::size_t width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string table(const std::vector<Row>& rows) {
  std::vector<std::vector<std::string>> cells{
      {"NAME", "TYPE", "REQUIRED", "DEFAULT", "SECRET", "SECTION", "SERVICES", "DOC"}};
  for (const Row& row : rows) {
    const EnvVar& var = *row.var;
    const std::optional<std::string> default_value = default_of(var);
    std::string shown_default = "-";
    if (default_value) shown_default = default_value->empty() ? "\"\"" : *default_value;
    // The table keeps one line per variable: the first doc line, the rest is in --format json.
    std::string doc;
    for (const std::string_view line : row.doc) {
      if (!line.empty()) {
        doc = line;
        break;
      }
    }
    cells.push_back(
        {std::string(var.name), row.type, var.presence == EnvVar::Presence::Required ? "yes" : "no",
         shown_default, var.secret ? "yes" : "no", row.section.empty() ? "-" : row.section,
         row.services.empty() ? "-" : fmt::format("{}", fmt::join(row.services, ",")), doc});
  }
  std::vector<std::size_t> widths(cells.front().size(), 0);
  for (const auto& line : cells) {
    for (std::size_t c = 0; c < line.size(); ++c) widths[c] = std::max(widths[c], width(line[c]));
  }
  std::string out;
  for (const auto& line : cells) {
    std::string text;
    for (std::size_t c = 0; c < line.size(); ++c) {
      text += line[c];
      if (c + 1 < line.size()) text += std::string(widths[c] - width(line[c]) + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  return out;
}

std::string markdown_cell(std::string_view text, bool as_code) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  if (!as_code) return out;
  if (out.empty()) return "`\"\"`";
  if (out.find('`') != std::string::npos) return "`` " + out + " ``";
  return "`" + out + "`";
}

std::string markdown(const std::vector<Row>& rows) {
  std::string out =
      "| name | type | required | default | secret | section | services | doc |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const Row& row : rows) {
    const EnvVar& var = *row.var;
    const std::optional<std::string> default_value = default_of(var);
    std::vector<std::string> services;
    for (const std::string& s : row.services) services.push_back(markdown_cell(s, true));
    out += fmt::format(
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n", markdown_cell(var.name, true),
        markdown_cell(row.type, true), var.presence == EnvVar::Presence::Required ? "yes" : "no",
        default_value ? markdown_cell(*default_value, true) : std::string("-"),
        var.secret ? "yes" : "no", markdown_cell(row.section, false),
        services.empty() ? std::string("-") : fmt::format("{}", fmt::join(services, ", ")),
        markdown_cell(doc_text(row.doc), false));
  }
  return out;
}

}  // namespace

std::string vars_report(const model::Deployment& deployment, VarsFormat format) {
  const std::vector<Row> rows = rows_of(deployment);
  switch (format) {
    case VarsFormat::Json:
      return json(rows);
    case VarsFormat::Markdown:
      return markdown(rows);
    case VarsFormat::Table:
      break;
  }
  return table(rows);
}

}  // namespace deployc::driver
