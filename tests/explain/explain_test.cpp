// Every code of the registry has a long explanation, and its examples do what they claim: the
// wrong one reports the code, the right one does not (for codes a spec can trigger).
#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "diag/diagnostic.hpp"
#include "diag/explain.hpp"
#include "driver/compile.hpp"

namespace {

using namespace deployc;

/// `# deployc build -D a=b -D c=d` on the first line of an example: its -D values.
std::vector<sema::Define> defines_of(std::string_view example) {
  std::vector<sema::Define> out;
  const std::string first(example.substr(0, example.find('\n')));
  if (first.rfind("# deployc ", 0) != 0) return out;
  std::istringstream words(first);
  std::string word;
  while (words >> word) {
    if (word != "-D" || !(words >> word)) continue;
    const auto eq = word.find('=');
    out.push_back({word.substr(0, eq), word.substr(eq + 1)});
  }
  return out;
}

std::vector<std::string> codes_reported(std::string_view example) {
  driver::CompileOptions options;
  options.defines = defines_of(example);
  // Examples live, as far as imports are concerned, in the repository root.
  const driver::CompileResult result =
      driver::compile_text("explain-example.deploy", std::string(example), options);
  std::vector<std::string> codes;
  for (const diag::Diagnostic& d : result.diagnostics) {
    codes.emplace_back(diag::info(d.code).id);
  }
  return codes;
}

bool contains(const std::vector<std::string>& codes, std::string_view id) {
  return std::find(codes.begin(), codes.end(), id) != codes.end();
}

}  // namespace

TEST_CASE("every code of the registry has an explanation, and every explanation a code") {
  std::vector<std::string> missing;
  for (const diag::CodeInfo& c : diag::all_codes()) {
    if (!diag::find_explanation(c.id)) missing.emplace_back(c.id);
  }
  INFO("codes without an entry in src/diag/explain.cpp: " << [&] {
    std::string list;
    for (const auto& id : missing) list += id + " ";
    return list;
  }());
  CHECK(missing.empty());

  std::set<std::string_view> seen;
  for (const diag::Explanation& e : diag::all_explanations()) {
    INFO(e.id);
    CHECK(diag::code_from_id(e.id).has_value());  // no explanation of a removed code
    CHECK(seen.insert(e.id).second);              // one entry per code
    CHECK_FALSE(e.meaning.empty());
    CHECK_FALSE(e.why.empty());
    CHECK_FALSE(e.wrong.empty());
    CHECK_FALSE(e.right.empty());
    CHECK(e.wrong != e.right);
    CHECK(e.meaning.back() == '.');
    CHECK(e.why.back() == '.');
  }
}

TEST_CASE("each wrong example reports its code and each right example does not") {
  for (const diag::Explanation& e : diag::all_explanations()) {
    if (!e.compiles) continue;
    INFO(e.id << "\n--- wrong:\n" << e.wrong << "\n--- right:\n" << e.right);
    const std::vector<std::string> wrong = codes_reported(e.wrong);
    const std::vector<std::string> right = codes_reported(e.right);
    INFO(
        "wrong reports: " <<
        [&] {
          std::string s;
          for (const auto& c : wrong) s += c + " ";
          return s;
        }()
                          << "\nright reports: " <<
        [&] {
          std::string s;
          for (const auto& c : right) s += c + " ";
          return s;
        }());
    CHECK(contains(wrong, e.id));
    CHECK_FALSE(contains(right, e.id));
  }
}

TEST_CASE("the rendered explanation: header, both examples indented, warning advice") {
  const std::string text = diag::render_explanation(diag::Code::LatestTag);
  CHECK(text.rfind("D0607 (LatestTag, warning): image `…` uses the moving tag `latest`\n\n", 0) ==
        0);
  CHECK(text.find("\nWrong:\n\n    project \"shop\"\n") != std::string::npos);
  CHECK(text.find("\nRight:\n\n    project \"shop\"\n") != std::string::npos);
  CHECK(text.find("`-Wno-D0607`") != std::string::npos);
  CHECK(text.find("`allow D0607 \"reason\"`") != std::string::npos);

  const std::string error = diag::render_explanation(diag::Code::HealthyWithoutHealthcheck);
  CHECK(error.rfind("D0402 (HealthyWithoutHealthcheck, error): `…` waits for `…` to be healthy",
                    0) == 0);
  CHECK(error.find("-Wno-") == std::string::npos);  // errors cannot be silenced
  CHECK(error.back() == '\n');

  const std::string io = diag::render_explanation(diag::Code::CannotReadFile);
  CHECK(io.find("\nExample of the problem:\n\n    $ deployc build missing.deploy\n") !=
        std::string::npos);
}

TEST_CASE("explain_command: a code in any case, unknown codes and usage errors exit 2") {
  std::string out, err;
  CHECK(diag::explain_command({"D0402"}, out, err) == 0);
  CHECK(out == diag::render_explanation(diag::Code::HealthyWithoutHealthcheck));
  CHECK(err.empty());

  out.clear();
  CHECK(diag::explain_command({"d0402"}, out, err) == 0);
  CHECK(out == diag::render_explanation(diag::Code::HealthyWithoutHealthcheck));

  out.clear();
  CHECK(diag::explain_command({"D0499"}, out, err) == 2);
  CHECK(out.empty());
  CHECK(err == "deployc: error: unknown diagnostic code `D0499`\ndid you mean `D0409`?\n");

  err.clear();
  CHECK(diag::explain_command({"nonsense-code"}, out, err) == 2);
  CHECK(err ==
        "deployc: error: unknown diagnostic code `nonsense-code`\ncodes look like `D0402`; every "
        "diagnostic prints its code\n");

  err.clear();
  CHECK(diag::explain_command({}, out, err) == 2);
  CHECK(err.find("`explain` needs a code") != std::string::npos);
  err.clear();
  CHECK(diag::explain_command({"D0402", "D0403"}, out, err) == 2);
  CHECK(err.find("`explain` takes one code") != std::string::npos);

  err.clear();
  CHECK(diag::explain_command({"--help"}, out, err) == 0);
  CHECK(out.rfind("usage: deployc explain CODE\n", 0) == 0);
}
