// Reads emitted YAML back with yaml-cpp (an independent reader) and compares it with the
// document tree, node by node. Plain scalars are also checked against the YAML 1.1 (PyYAML's
// resolver) and YAML 1.2 core-schema regular expressions, written out here independently of
// the emitter's own quoting rule.
#pragma once

#include <yaml-cpp/yaml.h>

#include <regex>
#include <string>

#include "lower/document.hpp"

namespace deployc::testing {

/// Would a YAML 1.1 or 1.2 reader resolve this plain scalar to something other than a string?
inline bool plain_resolves_to_non_string(const std::string& s) {
  static const std::regex patterns[] = {
      // YAML 1.2 core schema
      std::regex(R"(^(null|Null|NULL|~|)$)"),
      std::regex(R"(^(true|True|TRUE|false|False|FALSE)$)"),
      std::regex(R"(^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$)"),
      std::regex(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)"),
      std::regex(R"(^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$)"),
      // YAML 1.1 (PyYAML's resolver, plus the y/n booleans of the 1.1 type repository)
      std::regex(R"(^(y|Y|n|N|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$)"),
      std::regex(
          R"(^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$)"),
      std::regex(
          R"(^([-+]?([0-9][0-9_]*)\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9_]+([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$)"),
      std::regex(
          R"(^([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](\.[0-9]*)?([ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))?)$)"),
      std::regex(R"(^(<<|=)$)"),
  };
  for (const auto& p : patterns) {
    if (std::regex_match(s, p)) return true;
  }
  return false;
}

inline std::string describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Scalar:
      return "scalar '" + n.Scalar() + "' tag " + n.Tag();
    case YAML::NodeType::Sequence:
      return "sequence";
    case YAML::NodeType::Map:
      return "map";
    default:
      return "undefined";
  }
}

/// Empty when equal, else the path and the difference.
inline std::string compare(const YAML::Node& y, const lower::Node& n, const std::string& path) {
  const auto fail = [&](const std::string& want) {
    return path + ": expected " + want + ", read " + describe(y);
  };
  if (std::holds_alternative<lower::Null>(n.value)) {
    return y.IsNull() ? "" : fail("null");
  }
  if (const auto* b = std::get_if<bool>(&n.value)) {
    const std::string text = *b ? "true" : "false";
    return (y.IsScalar() && y.Tag() == "?" && y.Scalar() == text) ? "" : fail(text);
  }
  if (const auto* i = std::get_if<std::int64_t>(&n.value)) {
    const std::string text = std::to_string(*i);
    return (y.IsScalar() && y.Tag() == "?" && y.Scalar() == text) ? "" : fail(text);
  }
  if (const auto* view = std::get_if<std::string_view>(&n.value)) {
    const std::string s(*view);
    if (!y.IsScalar() || y.Scalar() != s) return fail("string '" + s + "'");
    if (y.Tag() == "?" && plain_resolves_to_non_string(s)) {
      return fail("a quoted string '" + s + "'");
    }
    return "";
  }
  if (const auto* seq = std::get_if<lower::Seq>(&n.value)) {
    if (!y.IsSequence() || y.size() != seq->size()) {
      return fail("sequence of " + std::to_string(seq->size()));
    }
    for (std::size_t k = 0; k < seq->size(); ++k) {
      auto d = compare(y[k], (*seq)[k], path + "[" + std::to_string(k) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  const auto& map = std::get<lower::Map>(n.value);
  if (!y.IsMap() || y.size() != map.size()) return fail("map of " + std::to_string(map.size()));
  std::size_t k = 0;
  for (auto it = y.begin(); it != y.end(); ++it, ++k) {  // yaml-cpp keeps the file's order
    const std::string key(map[k].first);
    const auto& value = map[k].second;
    const auto child = path + "/" + key;
    if (!it->first.IsScalar() || it->first.Scalar() != key) {
      return child + ": key read as " + describe(it->first);
    }
    if (it->first.Tag() == "?" && plain_resolves_to_non_string(key)) {
      return child + ": key should be quoted";
    }
    auto d = compare(it->second, value, child);
    if (!d.empty()) return d;
  }
  return "";
}

inline std::string compare_document(const std::string& text, const lower::Map& root) {
  YAML::Node y;
  try {
    y = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return std::string("yaml-cpp could not parse: ") + e.what();
  }
  return compare(y, lower::Node{root}, "");
}

}  // namespace deployc::testing
