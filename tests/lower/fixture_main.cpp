// Lowers a deployment whose values are all tricky strings and writes, into DIR:
//   compose.yml   service `probe` with environment L<i> (literal), D<i> (a defaulted variable
//                 absent from the env file, so Compose substitutes the default) and R<i>
//                 (a required variable set by the env example)
//   .env          the lowered env example
//   expected.json what `docker compose config` must report for every key
#include <fstream>
#include <iostream>
#include <string>

#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "tests/emit/tricky.hpp"
#include "tests/lower/seed_model.hpp"

namespace {

void json_string(std::string& out, const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  out += '"';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lower_fixture DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  deployc::testing::ModelBuilder b;
  b.d.project = "probe";
  b.d.title = "Probe";
  deployc::model::Service probe;
  probe.name = "probe";
  probe.image = deployc::testing::lit("alpine:3.20");
  deployc::model::EnvGroup required;
  std::string expected = "{";
  const auto expect = [&](const std::string& key, const std::string& value) {
    if (expected.size() > 1) expected += ',';
    json_string(expected, key);
    expected += ':';
    json_string(expected, value);
  };
  const auto values = deployc::testing::tricky_strings(400, 99);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& t = values[i];
    if (t.find('\0') != std::string::npos) continue;  // no environment holds NUL
    const std::string n = std::to_string(i);
    probe.environment.emplace_back(b.d.text.keep("L" + n), deployc::testing::lit(t));
    expect("L" + n, t);
    // Compose cannot spell a default holding `}` or a line break; sema rejects them.
    if (t.find_first_of("}\r\n") == std::string::npos) {
      const auto d = b.defaulted("DV" + n, t);
      probe.environment.emplace_back(b.d.text.keep("D" + n), deployc::testing::ref(d));
      expect("D" + n, t);
    }
    if (t.empty()) continue;  // `${X:?…}` rejects an empty value by design
    const auto r = b.required("RV" + n, t, false, {"value " + n});
    required.vars.push_back(r);
    probe.environment.emplace_back(b.d.text.keep("R" + n), deployc::testing::ref(r));
    expect("R" + n, t);
  }
  expected += '}';
  b.d.sections.push_back({"Required", {required}});
  b.d.services.push_back(std::move(probe));
  const auto outputs = deployc::lower::lower(b.d, {"probe.deploy", {}});

  std::ofstream(dir + "/compose.yml", std::ios::binary) << deployc::emit::yaml(outputs.compose);
  std::ofstream(dir + "/.env", std::ios::binary) << deployc::emit::env(outputs.env);
  std::ofstream out(dir + "/expected.json", std::ios::binary);
  out << expected;
  return out ? 0 : 2;
}
