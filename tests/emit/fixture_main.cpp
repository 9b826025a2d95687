// Writes the documents the script tests feed to external readers:
//   <dir>/tricky.yml + tricky.json   YAML tree of tricky strings (values and keys), and the tree
//   <dir>/tricky.env + compose.yml + expected.json   env values and a compose file reading them
//   <dir>/values.json   the tricky values alone, for tests that feed them through a whole spec
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "emit/emit.hpp"
#include "tests/emit/tricky.hpp"

namespace {

using deployc::lower::Map;
using deployc::lower::Node;
using deployc::lower::Seq;

void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7F) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else {
      out += ch;
    }
  }
  out += '"';
}

/// Maps as lists of [key, value] pairs, so the reader can check order too.
void json(std::string& out, const Node& n) {
  if (std::holds_alternative<deployc::lower::Null>(n.value)) {
    out += "null";
  } else if (const auto* b = std::get_if<bool>(&n.value)) {
    out += *b ? "true" : "false";
  } else if (const auto* i = std::get_if<std::int64_t>(&n.value)) {
    out += std::to_string(*i);
  } else if (const auto* s = std::get_if<std::string_view>(&n.value)) {
    json_string(out, *s);
  } else if (const auto* seq = std::get_if<Seq>(&n.value)) {
    out += '[';
    for (std::size_t k = 0; k < seq->size(); ++k) {
      if (k) out += ',';
      json(out, (*seq)[k]);
    }
    out += ']';
  } else {
    const auto& map = std::get<Map>(n.value);
    out += "{\"map\":[";
    for (std::size_t k = 0; k < map.size(); ++k) {
      if (k) out += ',';
      out += '[';
      json_string(out, map[k].first);
      out += ',';
      json(out, map[k].second);
      out += ']';
    }
    out += "]}";
  }
}

bool write(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  return static_cast<bool>(file);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: emit_fixture DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const auto values = deployc::testing::tricky_strings(800);
  const auto keys = deployc::testing::tricky_keys(600);

  Seq block, flow;
  Map by_key;
  for (const auto& v : values) {
    block.push_back(Node{v});
    flow.push_back(Node{v});
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    by_key.emplace_back(keys[i], Node{values[i % values.size()]});
  }
  deployc::lower::YamlDocument doc;
  doc.header = {"tricky strings"};
  doc.root = {{"block", Node{std::move(block)}},
              {"flow", Node{std::move(flow), Node::Style::Flow}},
              {"by_key", Node{std::move(by_key)}},
              {"scalars", Node{Seq{Node{true}, Node{false}, Node{std::int64_t{-7}},
                                   Node{deployc::lower::Null{}}, Node{Map{}}, Node{Seq{}}}}}};
  std::string expected;
  json(expected, Node{doc.root});

  // Env: every tricky value without NUL (no process environment can hold one).
  deployc::lower::EnvDocument env;
  deployc::lower::EnvBlock entries;
  std::string compose = "services:\n  probe:\n    image: alpine\n    environment:\n";
  std::string env_expected = "{";
  // The document views its keys and comment lines, so they are kept here.
  std::vector<std::string> env_keys, env_doc_texts;
  std::vector<std::string_view> env_docs;
  for (std::size_t i = 0; i < values.size(); ++i) {
    env_keys.push_back("V" + std::to_string(i));
    env_doc_texts.push_back("value " + std::to_string(i));
  }
  env_docs.assign(env_doc_texts.begin(), env_doc_texts.end());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].find('\0') != std::string::npos) continue;
    const std::string& key = env_keys[i];
    entries.entries.push_back({{&env_docs[i], 1}, key, values[i]});
    compose += "      " + key + ": ${" + key + "}\n";
    if (env_expected.size() > 1) env_expected += ',';
    json_string(env_expected, key);
    env_expected += ':';
    json_string(env_expected, values[i]);
  }
  env_expected += '}';
  env.header = {"tricky values"};
  env.sections.push_back({"TRICKY", {entries}});

  std::string values_json = "[";
  for (const auto& v : values) {
    if (values_json.size() > 1) values_json += ',';
    json_string(values_json, v);
  }
  values_json += ']';

  const bool ok = write(dir + "/values.json", values_json) &&
                  write(dir + "/tricky.yml", deployc::emit::yaml(doc)) &&
                  write(dir + "/tricky.json", expected) &&
                  write(dir + "/tricky.env", deployc::emit::env(env)) &&
                  write(dir + "/compose.yml", compose) &&
                  write(dir + "/expected.json", env_expected);
  if (!ok) {
    std::cerr << "emit_fixture: cannot write into " << dir << "\n";
    return 2;
  }
  return 0;
}
