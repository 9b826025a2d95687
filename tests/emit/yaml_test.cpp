// The YAML writer: layout, quoting, and exact round trips through yaml-cpp.
#include <catch2/catch.hpp>

#include <string>

#include "emit/emit.hpp"
#include "emit/scalar.hpp"
#include "lower/lower.hpp"
#include "tests/emit/tree_compare.hpp"
#include "tests/emit/tricky.hpp"
#include "tests/lower/seed_model.hpp"

using deployc::emit::yaml;
using deployc::lower::Map;
using deployc::lower::Node;
using deployc::lower::Seq;
using deployc::lower::YamlDocument;

namespace {

/// `text` must outlive the node: a literal or a string the test keeps.
Node s(std::string_view text) {
  return Node{text};
}

std::string one_value(const Node& value) {
  YamlDocument doc;
  doc.root.emplace_back("k", value);
  return yaml(doc);
}

std::string scalar(const std::string& text) {
  std::string out;
  deployc::emit::append_yaml_scalar(out, text);
  return out;
}

}  // namespace

TEST_CASE("ordinary Compose values stay plain") {
  for (const std::string text :
       {"production",
        "on-failure",
        "json-file",
        "10m",
        "512M",
        "30s",
        "1m30s",
        "service_healthy",
        "${BACKEND_CPU_LIMIT:-1.0}",
        "${BACKEND_IMAGE:-ghcr.io/your-org/acme_shop-backend}:${IMAGE_TAG:-latest}",
        "http://localhost:80/",
        "a:b",
        "a#b",
        ".env",
        "caf\xc3\xa9",
        "acme_shop-network",
        "x,y",
        "no-new-privileges:true",
        "/api/v1",
        "curl -f http://x/ || exit 1",
        "it's",
        "a\"b"}) {
    CAPTURE(text);
    CHECK(deployc::emit::yaml_plain_safe(text));
    CHECK(scalar(text) == text);
  }
}

TEST_CASE("scalars another YAML type would claim are double-quoted") {
  for (const std::string text : {"",           "~",
                                 "null",       "NULL",
                                 "true",       "False",
                                 "yes",        "No",
                                 "on",         "OFF",
                                 "y",          "N",
                                 "yEs",        "0",
                                 "-1",         "+1",
                                 "012",        "0o17",
                                 "0x1F",       "0b101",
                                 "1_000",      "1e3",
                                 "1.0",        "1.",
                                 ".5",         "-.5",
                                 ".inf",       "-.INF",
                                 ".NaN",       "22:22",
                                 "1:30:00",    "8000:8000",
                                 "2001-12-14", "2001-12-14 21:59:43.10 -5",
                                 "<<",         "=",
                                 "0.25",       "5"}) {
    CAPTURE(text);
    CHECK(scalar(text) == "\"" + text + "\"");
  }
}

TEST_CASE("indicators, comments and surrounding spaces force quotes") {
  for (const std::string text :
       {"-x", "- x", "?x",  ":x", ",x", "[x]", "]",  "{x}", "}",    "#x",   "&a", "*a",  "!t", "|",
        ">",  "'x'", "\"x", "%x", "@x", "`x`", " x", "x ",  "x: y", "x #y", "x:", "...", "---"}) {
    CAPTURE(text);
    CHECK_FALSE(deployc::emit::yaml_plain_safe(text));
    CHECK(scalar(text).front() == '"');
  }
}

TEST_CASE("double-quoted scalars escape what YAML cannot hold literally") {
  CHECK(scalar("a\nb") == R"("a\nb")");
  CHECK(scalar("a\tb") == R"("a\tb")");
  CHECK(scalar("say \"hi\" \\o/\r") == R"("say \"hi\" \\o/\r")");
  CHECK(scalar(std::string("\0\x01\x1b\x7f", 4)) == R"("\0\x01\e\x7F")");
  CHECK(scalar("x\xc2\x85y") == R"("x\x85y")");           // NEL is a YAML 1.1 line break
  CHECK(scalar("\xe2\x80\xa8") == R"("\u2028")");         // so are LS and PS
  CHECK(scalar("\xef\xbb\xbfx") == R"("\uFEFFx")");       // a BOM would be dropped
  CHECK(scalar("\xe6\x97\xa5 ") == "\"\xe6\x97\xa5 \"");  // printable Unicode stays UTF-8
  CHECK(scalar("bad\xff") == "\"bad\xef\xbf\xbd\"");      // not UTF-8: replaced, never emitted
}

TEST_CASE("block layout follows hand-written Compose files") {
  YamlDocument doc;
  doc.header = {"Title", "", "  indented"};
  Map service{
      {"image", s("nginx:1.27")},
      {"ports", Node{Seq{s("80:80"), s("${P:-8000}:8000")}}},
      {"healthcheck", Node{Map{{"test", Node{Seq{s("CMD"), s("curl"), s("-f"), s("http://x/")},
                                             Node::Style::Flow}},
                               {"retries", Node{std::int64_t{3}}}}}},
      {"read_only", Node{true}},
      {"volumes", Node{Seq{}}},
      {"labels", Node{Map{}}},
      {"secrets", Node{Seq{Node{Map{{"source", s("a")}, {"target", s("b")}}}, s("c")}}},
      {"nested", Node{Seq{Node{Seq{s("x"), Node{deployc::lower::Null{}}}}}}}};
  doc.root = {{"name", s("demo")},
              {"services", Node{Map{{"web", Node{std::move(service)}},
                                    {"db", Node{Map{{"image", s("postgres")}}}}}}}};
  CHECK(yaml(doc) ==
        "# Title\n"
        "#\n"
        "#   indented\n"
        "\n"
        "name: demo\n"
        "\n"
        "services:\n"
        "  web:\n"
        "    image: nginx:1.27\n"
        "    ports:\n"
        "      - \"80:80\"\n"
        "      - \"${P:-8000}:8000\"\n"
        "    healthcheck:\n"
        "      test: [\"CMD\", \"curl\", \"-f\", \"http://x/\"]\n"
        "      retries: 3\n"
        "    read_only: true\n"
        "    volumes: []\n"
        "    labels: {}\n"
        "    secrets:\n"
        "      - source: a\n"
        "        target: b\n"
        "      - c\n"
        "    nested:\n"
        "      - - x\n"
        "        - null\n"
        "\n"
        "  db:\n"
        "    image: postgres\n");
  CHECK(deployc::testing::compare_document(yaml(doc), doc.root).empty());
}

TEST_CASE("flow collections quote every string and nest") {
  Node flow{Seq{s("a"), Node{std::int64_t{-2}}, Node{false}, Node{Map{{"k", s("v")}}}, Node{Seq{}}},
            Node::Style::Flow};
  CHECK(one_value(flow) == "k: [\"a\", -2, false, {\"k\": \"v\"}, []]\n");
  YamlDocument doc;
  doc.root.emplace_back("k", flow);
  CHECK(deployc::testing::compare_document(yaml(doc), doc.root).empty());
}

TEST_CASE("an empty document is an empty map") {
  CHECK(yaml(YamlDocument{}) == "{}\n");
}

TEST_CASE("keys too long for an implicit key use the explicit form") {
  const std::string key(1500, 'k');
  YamlDocument doc;
  doc.root = {{key, s("v")}, {"m", Node{Seq{Node{Map{{key, Node{Map{{"a", s("b")}}}}}}}}}};
  const std::string text = yaml(doc);
  CHECK(text.starts_with("? " + key + "\n: v\n"));
  CHECK(deployc::testing::compare_document(text, doc.root).empty());
}

TEST_CASE("the seed-shaped compose document reads back identically") {
  const auto model = deployc::testing::seed_model();
  const auto outputs = deployc::lower::lower(model, {"app.deploy", {}});
  const std::string text = yaml(outputs.compose);
  INFO(text);
  CHECK(deployc::testing::compare_document(text, outputs.compose.root).empty());
}

TEST_CASE("tricky strings round-trip as values and as keys") {
  const auto values = deployc::testing::tricky_strings(800);
  const auto keys = deployc::testing::tricky_keys(600);
  REQUIRE(values.size() >= 500);
  REQUIRE(keys.size() >= 500);

  Seq block, flow;
  Map by_key, nested;
  for (std::size_t i = 0; i < values.size(); ++i) {
    block.push_back(s(values[i]));
    flow.push_back(s(values[i]));
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    by_key.emplace_back(keys[i], s(values[i % values.size()]));
    nested.emplace_back(keys[i], Node{Seq{s(values[(i + 1) % values.size()])}});
  }
  YamlDocument doc;
  doc.root = {{"block", Node{std::move(block)}},
              {"flow", Node{std::move(flow), Node::Style::Flow}},
              {"by_key", Node{std::move(by_key)}},
              {"nested", Node{Seq{Node{std::move(nested)}}}}};
  const std::string text = yaml(doc);
  const std::string diff = deployc::testing::compare_document(text, doc.root);
  CHECK(diff.empty());
  if (!diff.empty()) WARN(diff);

  // Each string alone too, so one failure names the string.
  for (const auto& v : values) {
    YamlDocument single;
    single.root = {{v, s(v)}};
    const std::string one = yaml(single);
    CAPTURE(v, one);
    CHECK(deployc::testing::compare_document(one, single.root).empty());
  }
}

TEST_CASE("the writer is deterministic") {
  const auto model = deployc::testing::seed_model();
  const auto outputs = deployc::lower::lower(model, {"app.deploy", {}});
  CHECK(yaml(outputs.compose) == yaml(outputs.compose));
}
