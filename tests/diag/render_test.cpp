// The renderers on hand-built diagnostics: the text layout is pinned byte for byte, the JSON
// and SARIF output is read back with a strict JSON reader.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "diag/engine.hpp"
#include "diag/render.hpp"
#include "support/utf8.hpp"
#include "mini_json.hpp"

using namespace deployc;
using diag::Diagnostic;
using diag::Label;
using diag::Severity;

namespace {

// Any registered code will do: rendering does not depend on what the code means.
constexpr diag::Code kCode = diag::Code::StaleOutput;  // D0904

/// The span of the `nth` occurrence of `needle` in `file`.
Span find(const SourceManager& sources, FileId file, std::string_view needle, int nth = 0) {
  const std::string_view text = sources.text(file);
  std::size_t at = text.find(needle);
  for (int i = 0; i < nth; ++i) at = text.find(needle, at + 1);
  REQUIRE(at != std::string_view::npos);
  return {file, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
}

Diagnostic error(std::string message, std::vector<Label> labels = {}) {
  if (!labels.empty()) labels.front().primary = true;
  return Diagnostic{kCode, Severity::Error, std::move(message), std::move(labels),
                    {},    std::nullopt};
}

const char* kSpec =
    "# acme\n"
    "param slug: string = \"acme\"\n"
    "\n"
    "section \"Required\" {\n"
    "  env DATABASE_URL: url secret\n"
    "}\n"
    "service backend {\n"
    "  env DATABSE_URL\n"
    "}\n";

}  // namespace

TEST_CASE("a single primary label with help") {
  SourceManager sources;
  const FileId f = sources.add("examples/x.deploy", kSpec);
  Diagnostic d =
      error("unknown variable `DATABSE_URL`", {{find(sources, f, "DATABSE_URL"), "not declared"}});
  d.help = "did you mean `DATABASE_URL`?";
  CHECK(diag::render_diagnostic(d, sources) ==
        "error[D0904]: unknown variable `DATABSE_URL`\n"
        " --> examples/x.deploy:8:7\n"
        "  |\n"
        "8 |   env DATABSE_URL\n"
        "  |       ^^^^^^^^^^^ not declared\n"
        "  |\n"
        "  = help: did you mean `DATABASE_URL`?\n"
        "\n");
}

TEST_CASE("a label without text shows only the carets, and no trailer without notes") {
  SourceManager sources;
  const FileId f = sources.add("x.deploy", kSpec);
  const Diagnostic d = error("bad slug", {{find(sources, f, "\"acme\""), ""}});
  CHECK(diag::render_diagnostic(d, sources) ==
        "error[D0904]: bad slug\n"
        " --> x.deploy:2:22\n"
        "  |\n"
        "2 | param slug: string = \"acme\"\n"
        "  |                      ^^^^^^\n"
        "\n");
}

TEST_CASE("secondary labels: own underline with '-', a skipped line shown, a longer gap as ...") {
  SourceManager sources;
  const FileId f = sources.add("x.deploy", kSpec);
  SECTION("one line apart: the line between is shown") {
    Diagnostic d = error("duplicate", {{find(sources, f, "service backend"), "second here"},
                                       {find(sources, f, "env DATABASE_URL"), "first here"}});
    CHECK(diag::render_diagnostic(d, sources) ==
          "error[D0904]: duplicate\n"
          " --> x.deploy:7:1\n"
          "  |\n"
          "5 |   env DATABASE_URL: url secret\n"
          "  |   ---------------- first here\n"
          "6 | }\n"
          "7 | service backend {\n"
          "  | ^^^^^^^^^^^^^^^ second here\n"
          "\n");
  }
  SECTION("further apart: ... stands for the lines between") {
    Diagnostic d = error("unknown", {{find(sources, f, "DATABSE_URL"), "used here"},
                                     {find(sources, f, "DATABASE_URL"), "declared here"},
                                     {find(sources, f, "slug"), "far away"}});
    CHECK(diag::render_diagnostic(d, sources) ==
          "error[D0904]: unknown\n"
          " --> x.deploy:8:7\n"
          "  |\n"
          "2 | param slug: string = \"acme\"\n"
          "  |       ---- far away\n"
          "...\n"
          "5 |   env DATABASE_URL: url secret\n"
          "  |       ------------ declared here\n"
          "...\n"
          "8 |   env DATABSE_URL\n"
          "  |       ^^^^^^^^^^^ used here\n"
          "\n");
  }
  SECTION("two labels on one line") {
    const Diagnostic d =
        error("two", {{find(sources, f, "string"), "type"}, {find(sources, f, "slug"), "name"}});
    CHECK(diag::render_diagnostic(d, sources) ==
          "error[D0904]: two\n"
          " --> x.deploy:2:13\n"
          "  |\n"
          "2 | param slug: string = \"acme\"\n"
          "  |       ---- name\n"
          "  |             ^^^^^^ type\n"
          "\n");
  }
}

TEST_CASE("notes come before help; a multi-line note keeps its indentation") {
  SourceManager sources;
  const FileId f = sources.add("x.deploy", kSpec);
  Diagnostic d = error("secret with a default", {{find(sources, f, "secret"), ""}});
  d.severity = Severity::Warning;
  d.notes = {"secrets are read from the environment", "first line\nsecond line"};
  d.help = "remove the default";
  CHECK(diag::render_diagnostic(d, sources) ==
        "warning[D0904]: secret with a default\n"
        " --> x.deploy:5:25\n"
        "  |\n"
        "5 |   env DATABASE_URL: url secret\n"
        "  |                         ^^^^^^\n"
        "  |\n"
        "  = note: secrets are read from the environment\n"
        "  = note: first line\n"
        "          second line\n"
        "  = help: remove the default\n"
        "\n");
}

TEST_CASE("tabs are shown as four spaces and the carets stay under their text") {
  SourceManager sources;
  const FileId f = sources.add("t.deploy", "service a {\n\timage\t= x:1  \n}\n");
  const Diagnostic d = error("bad image", {{find(sources, f, "x:1"), "here"}});
  CHECK(diag::render_diagnostic(d, sources) ==
        "error[D0904]: bad image\n"
        " --> t.deploy:2:10\n"
        "  |\n"
        "2 |     image    = x:1\n"
        "  |                ^^^ here\n"
        "\n");
}

TEST_CASE("multi-byte characters count as one column for the carets") {
  SourceManager sources;
  const FileId f = sources.add("u.deploy", "title \"Café\" x\n");
  const Diagnostic d = error("u", {{find(sources, f, "x"), ""}});
  CHECK(diag::render_diagnostic(d, sources) ==
        "error[D0904]: u\n"
        " --> u.deploy:1:15\n"
        "  |\n"
        "1 | title \"Café\" x\n"
        "  |              ^\n"
        "\n");
}

TEST_CASE("the gutter is as wide as the largest line number shown") {
  SourceManager sources;
  std::string text;
  for (int i = 1; i <= 12; ++i) text += "line" + std::to_string(i) + "\n";
  const FileId f = sources.add("long.deploy", text);
  Diagnostic d =
      error("wide", {{find(sources, f, "line11"), "here"}, {find(sources, f, "line9"), "there"}});
  d.help = "h";
  CHECK(diag::render_diagnostic(d, sources) ==
        "error[D0904]: wide\n"
        "  --> long.deploy:11:1\n"
        "   |\n"
        " 9 | line9\n"
        "   | ----- there\n"
        "10 | line10\n"
        "11 | line11\n"
        "   | ^^^^^^ here\n"
        "   |\n"
        "   = help: h\n"
        "\n");
}

TEST_CASE("a span over several lines is underlined to the end of its first line") {
  SourceManager sources;
  const FileId f = sources.add("x.deploy", kSpec);
  const Span block = find(sources, f, "section").to(find(sources, f, "}"));
  const Diagnostic d = error("empty section", {{block, "this block"}});
  CHECK(diag::render_diagnostic(d, sources) ==
        "error[D0904]: empty section\n"
        " --> x.deploy:4:1\n"
        "  |\n"
        "4 | section \"Required\" {\n"
        "  | ^^^^^^^^^^^^^^^^^^^^ this block\n"
        "\n");
}

TEST_CASE("an empty span, or one at the end of the file, gets one caret") {
  SourceManager sources;
  const FileId f = sources.add("e.deploy", "service a {\n");
  const auto end = static_cast<std::uint32_t>(sources.text(f).size());
  SECTION("empty span inside a line") {
    const Diagnostic d = error("missing name", {{Span{f, 8, 8}, "expected a name"}});
    CHECK(diag::render_diagnostic(d, sources) ==
          "error[D0904]: missing name\n"
          " --> e.deploy:1:9\n"
          "  |\n"
          "1 | service a {\n"
          "  |         ^ expected a name\n"
          "\n");
  }
  SECTION("end of file: the last, empty line") {
    const Diagnostic d = error("unclosed", {{Span{f, end, end}, "expected `}`"}});
    CHECK(diag::render_diagnostic(d, sources) ==
          "error[D0904]: unclosed\n"
          " --> e.deploy:2:1\n"
          "  |\n"
          "2 |\n"
          "  | ^ expected `}`\n"
          "\n");
  }
  SECTION("a span past the end is clamped, not a crash") {
    const Diagnostic d = error("far", {{Span{f, end + 10, end + 20}, ""}});
    CHECK_NOTHROW(diag::render_diagnostic(d, sources));
  }
}

TEST_CASE("a label in another file gets its own ::: block") {
  SourceManager sources;
  const FileId main = sources.add("app.deploy", "import \"std/logging\"\nuse rotated\n");
  const FileId lib = sources.add("stdlib/std/logging.deploy", "preset rotate {\n}\n");
  Diagnostic d = error("unknown preset `rotated`", {{find(sources, main, "rotated"), "used here"},
                                                    {find(sources, lib, "rotate"), "similar"}});
  CHECK(diag::render_diagnostic(d, sources) ==
        "error[D0904]: unknown preset `rotated`\n"
        " --> app.deploy:2:5\n"
        "  |\n"
        "2 | use rotated\n"
        "  |     ^^^^^^^ used here\n"
        "  |\n"
        " ::: stdlib/std/logging.deploy:1:8\n"
        "  |\n"
        "1 | preset rotate {\n"
        "  |        ------ similar\n"
        "\n");
}

TEST_CASE("a diagnostic without a location names the tool instead") {
  SourceManager sources;
  Diagnostic d = error("cannot read `missing.deploy`: No such file or directory");
  d.code = diag::Code::CannotReadFile;
  d.notes = {"n"};
  d.help = "check the path";
  CHECK(diag::render_diagnostic(d, sources) ==
        "deployc: error[D0901]: cannot read `missing.deploy`: No such file or directory\n"
        "  = note: n\n"
        "  = help: check the path\n"
        "\n");
}

TEST_CASE("colour only when asked for") {
  SourceManager sources;
  const FileId f = sources.add("x.deploy", kSpec);
  const Diagnostic d = error("bad", {{find(sources, f, "slug"), "here"}});
  CHECK(diag::render_diagnostic(d, sources, false).find('\x1b') == std::string::npos);
  const std::string coloured = diag::render_diagnostic(d, sources, true);
  CHECK(coloured.find("\x1b[1;31merror[D0904]\x1b[0m") != std::string::npos);
  CHECK(coloured.find("\x1b[1;31m^^^^ here\x1b[0m") != std::string::npos);
}

TEST_CASE("the list: summary line, error limit") {
  SourceManager sources;
  const FileId f = sources.add("x.deploy", kSpec);
  auto at = [&](std::string_view needle, Severity s) {
    Diagnostic d = error(std::string(needle), {{find(sources, f, needle), ""}});
    d.severity = s;
    return d;
  };
  const std::vector<Diagnostic> list{at("slug", Severity::Error), at("string", Severity::Warning),
                                     at("section", Severity::Error), at("DATABSE", Severity::Error),
                                     at("backend", Severity::Warning)};
  SECTION("nothing to print") {
    CHECK(diag::render_text(std::vector<Diagnostic>{}, sources, {}).empty());
  }
  SECTION("summary counts errors and warnings") {
    const std::string out = diag::render_text(list, sources, {});
    CHECK(out.ends_with("\ndeployc: 3 errors, 2 warnings\n"));
    CHECK(out.find("error[D0904]: DATABSE") != std::string::npos);
    CHECK(diag::summary_line(1, 0) == "deployc: 1 error");
    CHECK(diag::summary_line(0, 1) == "deployc: 1 warning");
    CHECK(diag::summary_line(2, 1) == "deployc: 2 errors, 1 warning");
  }
  SECTION("--max-errors cuts after the Nth error and says what it left out") {
    diag::TextOptions options;
    options.max_errors = 2;
    const std::string out = diag::render_text(list, sources, options);
    CHECK(out.find("error[D0904]: section") != std::string::npos);
    CHECK(out.find("DATABSE") == std::string::npos);
    CHECK(out.find("warning[D0904]: backend") == std::string::npos);
    CHECK(
        out.ends_with("\n\ndeployc: stopped after 2 errors; not shown: 1 error, 1 warning "
                      "(--max-errors 0 shows all)\n"
                      "deployc: 3 errors, 2 warnings\n"));
  }
  SECTION("0 means no limit") {
    diag::TextOptions options;
    options.max_errors = 0;
    CHECK(diag::render_text(list, sources, options).find("backend") != std::string::npos);
  }
  SECTION("no summary when nothing has a location") {
    const std::vector<Diagnostic> global{error("cannot read `x`: gone")};
    CHECK(diag::render_text(global, sources, {}) ==
          "deployc: error[D0904]: cannot read `x`: gone\n\n");
  }
}

TEST_CASE("json_quote escapes and repairs") {
  CHECK(deployc::json_quote("plain") == "\"plain\"");
  CHECK(deployc::json_quote("a\"b\\c\nd\te\x01") == "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  CHECK(deployc::json_quote("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
  CHECK(deployc::json_quote("bad\xFF!") == "\"bad\xEF\xBF\xBD!\"");
  CHECK(deployc::json_quote("cut\xC3") == "\"cut\xEF\xBF\xBD\"");
}

TEST_CASE("JSON: one object per diagnostic, positions 1-based, end exclusive") {
  SourceManager sources;
  const FileId f = sources.add("dir/x \"q\".deploy", kSpec);
  Diagnostic located = error("unknown variable `DATABSE_URL`",
                             {{find(sources, f, "DATABSE_URL"), "not declared"},
                              {find(sources, f, "DATABASE_URL"), "declared here"}});
  located.help = "did you mean `DATABASE_URL`?";
  located.notes = {"a note"};
  Diagnostic global = error("cannot read `y`: gone");
  global.severity = Severity::Warning;

  const mini_json::Value doc = mini_json::parse(diag::render_json({located, global}, sources));
  REQUIRE(doc.arr().size() == 2);
  const auto& a = doc[0];
  CHECK(a["code"].str() == "D0904");
  CHECK(a["severity"].str() == "error");
  CHECK(a["message"].str() == "unknown variable `DATABSE_URL`");
  CHECK(a["file"].str() == "dir/x \"q\".deploy");
  CHECK(a["line"].num() == 8);
  CHECK(a["column"].num() == 7);
  CHECK(a["end"]["line"].num() == 8);
  CHECK(a["end"]["column"].num() == 18);
  REQUIRE(a["labels"].arr().size() == 2);
  CHECK(a["labels"][0]["primary"].boolean());
  CHECK(a["labels"][0]["text"].str() == "not declared");
  CHECK_FALSE(a["labels"][1]["primary"].boolean());
  CHECK(a["labels"][1]["line"].num() == 5);
  CHECK(a["labels"][1]["column"].num() == 7);
  CHECK(a["labels"][1]["file"].str() == "dir/x \"q\".deploy");
  CHECK(a["labels"][1]["end"]["column"].num() == 19);
  CHECK(a["notes"][0].str() == "a note");
  CHECK(a["help"].str() == "did you mean `DATABASE_URL`?");

  const auto& b = doc[1];
  CHECK(b["severity"].str() == "warning");
  for (const char* key : {"file", "line", "column", "end", "help"}) CHECK(b[key].is_null());
  CHECK(b["labels"].arr().empty());
  CHECK(b["notes"].arr().empty());

  CHECK(diag::render_json({}, sources) == "[]\n");
}

TEST_CASE("SARIF 2.1.0: rules from the registry, results with regions") {
  SourceManager sources;
  const FileId f = sources.add("my dir/x.deploy", "title \"Café\" DATABSE_URL\n");
  Diagnostic located = error("unknown", {{find(sources, f, "DATABSE_URL"), "not declared"},
                                         {find(sources, f, "Café"), "context"}});
  located.help = "did you mean `DATABASE_URL`?";
  const Diagnostic global = error("cannot read `y`: gone");

  const mini_json::Value log =
      mini_json::parse(diag::render_sarif({located, global}, sources, "9.8.7"));
  CHECK(log["version"].str() == "2.1.0");
  CHECK(log["$schema"].str().find("sarif-2.1.0") != std::string::npos);
  REQUIRE(log["runs"].arr().size() == 1);
  const auto& run = log["runs"][0];
  const auto& driver = run["tool"]["driver"];
  CHECK(driver["name"].str() == "deployc");
  CHECK(driver["version"].str() == "9.8.7");
  const auto& rules = driver["rules"].arr();
  REQUIRE(rules.size() == diag::all_codes().size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const diag::CodeInfo& c = diag::all_codes()[i];
    CHECK(rules[i]["id"].str() == c.id);
    CHECK(rules[i]["name"].str() == c.name);
    CHECK_FALSE(rules[i]["shortDescription"]["text"].str().empty());
    CHECK(rules[i]["defaultConfiguration"]["level"].str() ==
          (c.severity == Severity::Error ? "error" : "warning"));
  }
  const auto& stale = rules[static_cast<std::size_t>(diag::Code::StaleOutput)];
  CHECK(stale["shortDescription"]["text"].str() == "`…` is out of date with its spec");

  REQUIRE(run["results"].arr().size() == 2);
  const auto& r = run["results"][0];
  CHECK(r["ruleId"].str() == "D0904");
  CHECK(r["ruleIndex"].num() == static_cast<double>(diag::Code::StaleOutput));
  CHECK(r["level"].str() == "error");
  CHECK(r["message"]["text"].str() == "unknown\nhelp: did you mean `DATABASE_URL`?");
  const auto& physical = r["locations"][0]["physicalLocation"];
  CHECK(physical["artifactLocation"]["uri"].str() == "my%20dir/x.deploy");
  // SARIF columns count code points: "é" is one column although it is two bytes.
  CHECK(physical["region"]["startLine"].num() == 1);
  CHECK(physical["region"]["startColumn"].num() == 14);
  CHECK(physical["region"]["endLine"].num() == 1);
  CHECK(physical["region"]["endColumn"].num() == 25);
  CHECK(r["relatedLocations"][0]["message"]["text"].str() == "context");
  CHECK(r["relatedLocations"][0]["physicalLocation"]["region"]["startColumn"].num() == 8);

  CHECK_FALSE(run["results"][1].has("locations"));
}

TEST_CASE("labels[0] is the primary label even when its flag is not set") {
  SourceManager sources;
  const FileId f = sources.add("x.deploy", kSpec);
  const Diagnostic d{
      kCode, Severity::Error,
      "m",   {{find(sources, f, "slug"), "a", false}, {find(sources, f, "string"), "b", false}},
      {},    std::nullopt};
  CHECK(diag::render_diagnostic(d, sources).find("  |       ^^^^ a\n  |             ------ b\n") !=
        std::string::npos);
  const mini_json::Value doc = mini_json::parse(diag::render_json({d}, sources));
  CHECK(doc[0]["labels"][0]["primary"].boolean());
  CHECK_FALSE(doc[0]["labels"][1]["primary"].boolean());
}

TEST_CASE("a line wider than 160 columns is shown as a window around its first label") {
  SourceManager sources;
  const std::string line = std::string(300, 'a') + " bad " + std::string(300, 'z');
  const FileId f = sources.add("x.deploy", line + "\n");
  const Diagnostic d = error("unexpected `bad`", {{find(sources, f, "bad"), "here"}});
  // 40 columns of context before the mark, 160 in all, `...` where the line was cut.
  CHECK(diag::render_diagnostic(d, sources) ==
        "error[D0904]: unexpected `bad`\n"
        " --> x.deploy:1:302\n"
        "  |\n"
        "1 | ..." + std::string(39, 'a') + " bad " + std::string(116, 'z') + "...\n"
        "  |    " + std::string(40, ' ') + "^^^ here\n"
        "\n");
}

TEST_CASE("user text quoted in a message is cut at 120 bytes, on a character boundary") {
  diag::DiagnosticEngine diags;
  const std::string long_name = std::string(119, 'x') + "\xc3\xa9" + std::string(50, 'y');
  diags.report(diag::Code::StaleOutput, Span{}, long_name);
  const std::string& message = diags.unsorted().front().message;
  CHECK(message.find(std::string(119, 'x') + "\xe2\x80\xa6") != std::string::npos);
  CHECK(message.find('y') == std::string::npos);
}

TEST_CASE("the engine's last read moves the sorted diagnostics out, in sorted()'s order") {
  SourceManager sources;
  const FileId f = sources.add("a.deploy", "service b {\n  image x\n}\nservice c {}\n");
  diag::DiagnosticEngine diags;
  diags.report(diag::Code::UnknownSetting, Span{f, 30, 31}, "z", "a service");
  diags.report(diag::Code::UnknownSetting, Span{f, 2, 3}, "y", "a service").help("h");
  diags.report(diag::Code::UnknownSetting, Span{f, 30, 31}, "z", "a service");  // a duplicate
  diags.report_global(diag::Code::NothingToBuild);
  diags.report(diag::Code::MissingImage, Span{f, 2, 3}, "b");  // same place: stays second
  const std::vector<Diagnostic> copied = diags.sorted();
  REQUIRE(copied.size() == 4);
  CHECK(copied[0].code == diag::Code::NothingToBuild);
  CHECK(copied[1].code == diag::Code::UnknownSetting);
  CHECK(copied[2].code == diag::Code::MissingImage);
  const std::string expected = diag::render_text(copied, sources, {});
  const std::vector<Diagnostic> taken = diags.take_sorted();
  CHECK(diag::render_text(taken, sources, {}) == expected);
  CHECK(diags.unsorted().empty());
  CHECK(diags.error_count() == 0);
}

TEST_CASE("a silenced warning is neither kept nor counted, from the policy set on") {
  SourceManager sources;
  const FileId f = sources.add("a.deploy", "service b {}\n");
  diag::DiagnosticEngine diags(diag::WarningPolicy{true, {}});  // -Werror
  diags.report(diag::Code::LatestTag, Span{f, 0, 7}, "b:latest");
  CHECK(diags.error_count() == 1);  // promoted
  diag::WarningPolicy silencing = diags.policy();
  silencing.silenced.insert(diag::Code::LatestTag);
  silencing.silenced.insert(diag::Code::MissingImage);  // an error: never silenced
  diags.set_policy(silencing);
  diags.report(diag::Code::LatestTag, Span{f, 8, 9}, "c:latest").help("ignored");
  diags.report(diag::Code::MissingImage, Span{f, 8, 9}, "b");
  REQUIRE(diags.unsorted().size() == 2);  // what was reported before the policy stays
  CHECK(diags.unsorted()[0].code == diag::Code::LatestTag);
  CHECK(diags.unsorted()[1].code == diag::Code::MissingImage);
  CHECK(diags.error_count() == 2);
}

TEST_CASE("forget_since drops what was reported after the mark, and its errors from the count") {
  SourceManager sources;
  const FileId f = sources.add("a.deploy", "service b {}\n");
  diag::DiagnosticEngine diags;
  diags.report(diag::Code::MissingImage, Span{f, 0, 7}, "b");
  const std::size_t mark = diags.mark();
  diags.report(diag::Code::MissingImage, Span{f, 8, 9}, "c");
  diags.report(diag::Code::LatestTag, Span{f, 8, 9}, "c:latest");
  CHECK(diags.error_count() == 2);
  diags.forget_since(mark);
  REQUIRE(diags.unsorted().size() == 1);
  CHECK(diags.error_count() == 1);
  CHECK(diags.warning_count() == 0);
  diags.forget_since(mark + 5);  // nothing after a mark past the end
  CHECK(diags.unsorted().size() == 1);
}
