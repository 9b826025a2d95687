// Whole-spec checks (src/sema/check_*.cpp) through the same driver the CLI uses: which codes
// fire, where, and what they say. One golden per code lives in tests/diagnostics/; these cover
// the variations a golden cannot: flag combinations, `allow` scopes, -Werror with `allow`.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "diag/diagnostic.hpp"
#include "driver/compile.hpp"

namespace {

using namespace deployc;

driver::CompileResult compile(const std::string& text, driver::CompileOptions options = {}) {
  return driver::compile_text("spec.deploy", text, options);
}

/// "D0409@18 message" per diagnostic, in the order reported.
std::vector<std::string> listed(const driver::CompileResult& r) {
  std::vector<std::string> out;
  for (const diag::Diagnostic& d : r.diagnostics) {
    std::uint32_t line = 0;
    if (const diag::Label* p = d.primary())
      line = r.sources.line_col(p->span.file, p->span.begin).line;
    out.push_back(fmt::format("{}@{} {}", diag::info(d.code).id, line, d.message));
  }
  return out;
}

std::vector<std::string> codes(const driver::CompileResult& r) {
  std::vector<std::string> out;
  for (const diag::Diagnostic& d : r.diagnostics) out.emplace_back(diag::info(d.code).id);
  return out;
}

// A service with everything the production rules ask for, so only the rule under test fires.
std::string complete(const std::string& name, const std::string& extra = "") {
  return fmt::format(
      "service {} {{\n"
      "  image \"ghcr.io/acme/{}:1.4.2\"\n"
      "  health http port=8000 path=\"/health\"\n"
      "  limits cpu=1.0 memory=512M\n"
      "  logging json-file max_size=10m\n"
      "{}"
      "}}\n",
      name, name, extra);
}

}  // namespace

TEST_CASE("five independent mistakes: five errors, in source order, no output") {
  const std::string spec =
      "project \"Shop Demo\"\n"     // 1: D0209
      "service web {\n"             // 2
      "  image \"nginx:1.27\"\n"    // 3
      "  restrat always\n"          // 4: D0201
      "  limits memory=512Mi\n"     // 5: D0307
      "  publish 80 host=70000\n"   // 6: D0305
      "  depends_on api started\n"  // 7: D0205
      "  health http port=80\n"
      "  logging json-file max_size=10m\n"
      "}\n";
  const driver::CompileResult r = compile(spec);
  std::vector<std::string> errors;
  for (const std::string& line : listed(r)) {
    if (line.rfind("D0209", 0) == 0 || line.rfind("D0201", 0) == 0 || line.rfind("D0307", 0) == 0 ||
        line.rfind("D0305", 0) == 0 || line.rfind("D0205", 0) == 0) {
      errors.push_back(line.substr(0, line.find(' ')));
    }
  }
  CHECK(errors == std::vector<std::string>{"D0209@1", "D0201@4", "D0307@5", "D0305@6", "D0205@7"});
  CHECK(r.error_count == 5);
  CHECK_FALSE(r.files.has_value());  // the CLI exits 1 (explain_cli.py runs it for real)
}

TEST_CASE("D0409: every flag combination is checked, the nearest broken one is named") {
  SECTION("the default combination is fine, the other one is reported") {
    const std::string spec = "flag workers = true\nproject \"p\"\nwhen workers {\n" +
                             complete("worker") + "}\n" +
                             complete("api", "  depends_on worker started\n");
    const auto r = compile(spec);
    REQUIRE(listed(r) == std::vector<std::string>{
                             "D0409@16 with `workers=false`, `api` depends on `worker`, which is "
                             "dropped"});
    CHECK(r.diagnostics[0].labels.at(1).text == "declared only when `workers` is on");
    CHECK(r.diagnostics[0].help ==
          "put this `depends_on` inside `when workers { … }` too, or declare `worker` whatever "
          "the flags");
  }
  SECTION("a depends_on under the same flag is consistent") {
    const std::string spec =
        "flag workers = false\nproject \"p\"\nwhen workers {\n" + complete("worker") + "}\n" +
        complete("api", "  when workers {\n    depends_on worker started\n  }\n");
    CHECK(codes(compile(spec)).empty());
  }
  SECTION("a target declared under both values of a flag is always there") {
    const std::string spec = "flag big = false\nproject \"p\"\nwhen big {\n" + complete("db") +
                             "}\nwhen !big {\n" + complete("db") + "}\n" +
                             complete("api", "  depends_on db started\n");
    CHECK(codes(compile(spec)).empty());
  }
  SECTION("two flags: only the flags that matter are named, with their breaking values") {
    const std::string spec =
        "flag a = true\nflag b = true\nflag unrelated = false\n"
        "project \"p\"\nwhen a {\n  when !b {\n" +
        complete("cache") + "  }\n}\n" +
        complete("api", "  when !b {\n    depends_on cache started\n  }\n");
    driver::CompileOptions b_off;
    b_off.defines = {{"b", "false"}};
    const auto r = compile(spec, b_off);
    const auto l = listed(r);
    REQUIRE(l.size() == 1);
    CHECK(l[0].find("with `a=false` and `b=false`, `api` depends on `cache`, which is dropped") !=
          std::string::npos);
    CHECK(r.diagnostics[0].help ==
          "declare `cache` for every combination that keeps this `depends_on`");
  }
  SECTION("the combination being compiled is D0205's, not reported twice") {
    const std::string spec = "flag workers = false\nproject \"p\"\nwhen workers {\n" +
                             complete("worker") + "}\n" +
                             complete("api", "  depends_on worker started\n");
    CHECK(codes(compile(spec)) == std::vector<std::string>{"D0205"});
  }
}

TEST_CASE("allow: scopes, reasons, and errors that cannot be allowed") {
  const std::string latest = "image \"nginx:latest\"";
  auto service = [&](const std::string& name, const std::string& extra = "") {
    return "service " + name + " {\n  " + latest +
           "\n  health http port=80\n  limits cpu=1.0 memory=512M\n  logging json-file "
           "max_size=10m\n" +
           extra + "}\n";
  };
  SECTION("without allow: one warning per service") {
    CHECK(codes(compile("project \"p\"\n" + service("a") + service("b"))) ==
          std::vector<std::string>{"D0607", "D0607"});
  }
  SECTION("at the top level: the whole spec") {
    const auto r = compile("project \"p\"\nallow D0607 \"pinned at deploy time\"\n" + service("a") +
                           service("b"));
    CHECK(r.diagnostics.empty());
    CHECK(r.files.has_value());
  }
  SECTION("in a service: that service only") {
    const auto r =
        compile("project \"p\"\n" + service("a", "  allow D0607 \"pinned at deploy time\"\n") +
                service("b"));
    CHECK(listed(r) ==
          std::vector<std::string>{"D0607@10 image `nginx:latest` uses the moving tag `latest`"});
  }
  SECTION("a code in quotes, and inside a `when` that is kept") {
    const auto r = compile(
        "flag lax = true\nproject \"p\"\nwhen lax {\n  allow \"D0607\" \"ok\"\n}\n" + service("a"));
    CHECK(r.diagnostics.empty());
    const auto strict =
        compile("flag lax = false\nproject \"p\"\nwhen lax {\n  allow \"D0607\" \"ok\"\n}\n" +
                service("a"));
    CHECK(codes(strict) == std::vector<std::string>{"D0607"});
  }
  SECTION("-Werror: an allowed warning does not fail the build, the others do") {
    driver::CompileOptions werror;
    werror.warnings.warnings_as_errors = true;
    const auto allowed =
        compile("project \"p\"\nallow D0607 \"reviewed\"\n" + service("a"), werror);
    CHECK(allowed.error_count == 0);
    CHECK(allowed.files.has_value());
    const auto strict = compile("project \"p\"\n" + service("a"), werror);
    CHECK(strict.error_count == 1);
    CHECK(strict.diagnostics.at(0).severity == diag::Severity::Error);
  }
  SECTION("a reason is required and must say something") {
    CHECK(listed(compile("project \"p\"\nallow D0607\n" + service("a"))) ==
          std::vector<std::string>{"D0212@2 `allow D0607` needs a reason: `allow D0607 \"why "
                                   "this is fine here\"`",
                                   "D0607@4 image `nginx:latest` uses the moving tag `latest`"});
    CHECK(codes(compile("project \"p\"\nallow D0607 \"  \"\n" + service("a"))) ==
          std::vector<std::string>{"D0212", "D0607"});
    CHECK(codes(compile("project \"p\"\nallow\n" + service("a"))) ==
          std::vector<std::string>{"D0212", "D0607"});
  }
  SECTION("errors, unknown codes, duplicates") {
    CHECK(codes(compile("project \"p\"\nallow D0401 \"x\"\n" + service("a"))) ==
          std::vector<std::string>{"D0610", "D0607"});
    CHECK(codes(compile("project \"p\"\nallow D9999 \"x\"\n" + service("a"))) ==
          std::vector<std::string>{"D0609", "D0607"});
    CHECK(codes(compile("project \"p\"\nallow D0607 \"x\"\nallow D0607 \"y\"\n" + service("a"))) ==
          std::vector<std::string>{"D0207"});
  }
  SECTION("misplaced in a section") {
    CHECK(
        codes(compile("project \"p\"\nsection \"S\" {\n  allow D0607 \"x\"\n}\n" + service("a"))) ==
        std::vector<std::string>{"D0211"});  // an error: production checks wait for a fix
  }
}

TEST_CASE("production rules: what counts as limits, a health check and rotated logs") {
  auto only = [](const std::string& body) {
    return codes(compile("project \"p\"\nservice web {\n  image \"nginx:1.27\"\n" + body + "}\n"));
  };
  CHECK(only("") == std::vector<std::string>{"D0604", "D0605", "D0606"});
  CHECK(only("  limits pids=100\n  health none\n  logging local\n") ==
        std::vector<std::string>{"D0604"});  // pids alone limits neither cpu nor memory
  CHECK(only("  limits memory=256M\n  health cmd \"true\"\n  logging syslog\n").empty());
  CHECK(only("  limits cpu=0.5\n  health http port=80\n  logging json-file max_file=3\n") ==
        std::vector<std::string>{"D0606"});
}

TEST_CASE("D0607 and D0608: images as Compose pulls them, defaults substituted") {
  auto spec = [](const std::string& env, const std::string& image) {
    return "project \"p\"\nsection \"Images\" {\n" + env + "}\nservice web {\n  " + image +
           "\n  health http port=80\n  limits cpu=1.0 memory=512M\n  logging json-file "
           "max_size=10m\n}\n";
  };
  // No tag is `latest` too.
  const auto untagged = compile(spec("", "image \"nginx\""));
  REQUIRE(codes(untagged) == std::vector<std::string>{"D0607"});
  CHECK(untagged.diagnostics[0].notes.at(0) == "an image without a tag is pulled as `latest`");
  // A digest pins the image whatever the tag says.
  CHECK(codes(compile(spec("",
                           "image "
                           "\"nginx:latest@sha256:"
                           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"")))
            .empty());
  // A required tag variable: unknown until deploy time, so nothing to say.
  CHECK(codes(compile(spec("  env TAG: string\n", "image repo=\"ghcr.io/acme/web\" tag=TAG")))
            .empty());
  // An optional tag variable is empty when unset: `web:` cannot be pulled.
  const auto empty_tag =
      compile(spec("  env TAG: string optional\n", "image repo=\"ghcr.io/acme/web\" tag=TAG"));
  REQUIRE(codes(empty_tag) == std::vector<std::string>{"D0608"});
  CHECK(empty_tag.diagnostics[0].message ==
        "with its defaults, the image of `web` is `ghcr.io/acme/web:`, which cannot be pulled");
  CHECK(empty_tag.diagnostics[0].labels.at(1).text == "`TAG` is empty when unset");
  // A string repository variable with an uppercase default.
  CHECK(codes(compile(spec("  env REPO: string = \"ghcr.io/Acme/web\"\n",
                           "image repo=REPO tag=\"1.0\""))) == std::vector<std::string>{"D0608"});
}

TEST_CASE("D0407 and D0408: cpu reservations, and limits against the host") {
  SECTION("a reservation from a preset is reported at the `use` line") {
    const auto r = compile(
        "import \"std/sizing\"\nproject \"p\"\nservice web {\n  image \"nginx:1.27\"\n"
        "  use small\n  health http port=80\n  logging json-file max_size=10m\n}\n");
    REQUIRE(listed(r) == std::vector<std::string>{
                             "D0407@5 `docker compose` ignores the cpu reservation of `web`"});
  }
  SECTION("replicas multiply, tunable limits count with their defaults, unknown ones are named") {
    const auto r = compile(
        "project \"p\"\nhost cpu=2\nsection \"Limits\" {\n  tunables\n}\n"
        "service api {\n  image \"nginx:1.27\"\n  replicas 3\n  limits cpu=0.5 tunable\n"
        "  health http port=80\n  logging json-file max_size=10m\n}\n"
        "service web {\n  image \"nginx:1.27\"\n  limits cpu=1.0\n  health http port=80\n"
        "  logging json-file max_size=10m\n}\n"
        "service tool {\n  image \"nginx:1.27\"\n  limits memory=64M\n  health none\n"
        "  logging json-file max_size=10m\n}\n");
    REQUIRE(listed(r) ==
            std::vector<std::string>{"D0408@2 the cpu limits add up to `2.5`, more than the "
                                     "host's `2`"});
    const diag::Diagnostic& d = r.diagnostics[0];
    CHECK(d.labels.at(1).text == "`api`: 3 × `0.5`");
    CHECK(d.labels.at(2).text == "`web`: `1`");
    CHECK(d.notes == std::vector<std::string>{
                         "not counted, without a cpu limit known at compile time: `tool`"});
  }
  SECTION("within budget: nothing; a second host is a duplicate") {
    CHECK(codes(compile("project \"p\"\nhost cpu=2 memory=2G\n" + complete("api"))).empty());
    CHECK(codes(compile("project \"p\"\nhost cpu=2\nhost memory=2G\n" + complete("api"))) ==
          std::vector<std::string>{"D0207"});
    CHECK(codes(compile("project \"p\"\nhost\n" + complete("api"))) ==
          std::vector<std::string>{"D0212"});
    CHECK(codes(compile("project \"p\"\nhost memory=2Gi\n" + complete("api"))) ==
          std::vector<std::string>{"D0307"});
  }
}

TEST_CASE("D0507: a secret's example repeated in any literal of a service") {
  const std::string head =
      "project \"p\"\nsection \"S\" {\n  env TOKEN: string secret example=\"tok-CHANGE_ME\"\n}\n";
  const auto in_label =
      compile(head + complete("api",
                              "  environment {\n    TOKEN\n  }\n"
                              "  labels {\n    auth = \"Bearer tok-CHANGE_ME\"\n  }\n"));
  CHECK(codes(in_label) == std::vector<std::string>{"D0507"});
  const auto in_command =
      compile(head + complete("api",
                              "  environment {\n    TOKEN\n  }\n"
                              "  command [\"run\", \"--token=tok-CHANGE_ME\"]\n"));
  CHECK(codes(in_command) == std::vector<std::string>{"D0507"});
  // Looks like a credential too: reported once, as D0601.
  const auto both = compile(
      "project \"p\"\nsection \"S\" {\n  env DB: url<postgresql> secret "
      "example=\"postgresql://app:CHANGE_ME@db/app\"\n}\n" +
      complete(
          "api",
          "  environment {\n    DB\n    OTHER = \"postgresql://app:CHANGE_ME@db/app\"\n  }\n"));
  CHECK(codes(both) == std::vector<std::string>{"D0601"});
}
