// Params, flags, -D values and `when`.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace deployc;
using namespace deployc::testing;

namespace {

// A flag-controlled variable, used only when the flag keeps it.
const char* kSentry = R"(flag sentry = false
section "S" {
  when sentry {
    env SENTRY_DSN: url<https> optional
  }
}
service app {
  image "nginx:1.27"
  environment {
    when sentry { SENTRY_DSN }
  }
}
)";

}  // namespace

TEST_CASE("defines: -D accepts true/false/yes/no for flags, in any case") {
  for (const char* on : {"true", "yes", "YES", "True"}) {
    CAPTURE(on);
    const Analysis a = analyze_snippet(kSentry, {{"sentry", on}});
    CHECK(a.rendered() == "");
    CHECK(a.env_index("SENTRY_DSN") == 0);
    CHECK(a.service("app").environment.size() == 1);
  }
  for (const char* off : {"false", "no", "No", "FALSE"}) {
    CAPTURE(off);
    const Analysis a = analyze_snippet(kSentry, {{"sentry", off}});
    CHECK(a.rendered() == "");
    CHECK(a.env_index("SENTRY_DSN") == -1);
    CHECK(a.service("app").environment.empty());
  }
}

TEST_CASE("a flag's default applies without -D") {
  CHECK(analyze_snippet(kSentry).env_index("SENTRY_DSN") == -1);
}

TEST_CASE("D0319: -D with a value a flag cannot take") {
  const Analysis a = analyze_snippet(kSentry, {{"sentry", "maybe"}});
  CHECK(a.rendered_in_full() ==
        "D0319 - invalid value `maybe` for `-D sentry`: `sentry` is a flag\n"
        "  help: write `true`, `false`, `yes` or `no`\n");
}

TEST_CASE("D0319: -D with a value of the wrong type for a param") {
  const Analysis a = analyze_snippet(R"(param prefix: path = "/api"
param port: port = 80
)",
                                     {{"prefix", "api"}, {"port", "70000"}});
  CHECK(a.rendered_in_full() ==
        "D0319 - invalid value `api` for `-D prefix`: `api` is not an absolute path\n"
        "  help: write `/api`\n"
        "D0319 - invalid value `70000` for `-D port`: `70000` is not a port number (1-65535)\n");
}

TEST_CASE("D0204: -D of a name the spec does not declare") {
  const Analysis a = analyze_snippet(kSentry, {{"sentyr", "yes"}, {"zzz", "1"}});
  CHECK(a.rendered_in_full() ==
        "D0204 - `-D sentyr` names no param or flag\n"
        "  help: did you mean `-D sentry`?\n"
        "D0204 - `-D zzz` names no param or flag\n"
        "  note: the spec declares `sentry`\n");
}

TEST_CASE("defines: -D sets a param, and substitution uses it") {
  const Analysis a = analyze_snippet(R"(param slug: string = "shop"
network main { name "{slug}-net" }
)",
                                     {{"slug", "store"}});
  CHECK(a.rendered() == "");
  CHECK(a.model.networks.at(0).name == "store-net");
}

TEST_CASE("a param default may substitute an earlier param") {
  const Analysis a = analyze_text(R"x(param slug: string = "shop"
param name: string = "The {slug}"
project "p" { title "{name} ({slug})" }
)x");
  CHECK(a.rendered() == "");
  CHECK(a.model.title == "The shop (shop)");
}

TEST_CASE("D0210: a param without default and without -D") {
  const std::string spec = "param realm: string\nnetwork n { name \"{realm}\" }\n";
  CHECK(analyze_snippet(spec).rendered_in_full() ==
        "D0210 1:7 param `realm` has no value\n"
        "  help: give it a default, or pass `-D realm=…`\n");
  CHECK(analyze_snippet(spec, {{"realm", "acme"}}).rendered() == "");
}

TEST_CASE("D0313: a param default of the wrong type") {
  CHECK(analyze_snippet("param prefix: path = \"api\"\n").rendered() ==
        "D0313 1:22 `api` is not an absolute path\n");
}

TEST_CASE("D0309: a flag default that is not true or false") {
  CHECK(analyze_snippet("flag sentry = yes\n").rendered_in_full() ==
        "D0309 1:15 `yes` is not a bool\n"
        "  help: write `true`\n");
}

TEST_CASE("D0207: a name declared twice among params and flags") {
  CHECK(analyze_snippet("param a: string = \"x\"\nflag a = true\n").rendered_in_full() ==
        "D0207 2:6 duplicate flag `a`\n"
        "  label 1:7 first declared here\n");
}

TEST_CASE("D0203: substitution of an unknown param") {
  CHECK(analyze_snippet("param slug: string = \"s\"\nnetwork n { name \"{slgu}-x\" }\n")
            .rendered_in_full() ==
        "D0203 2:20 unknown param `slgu`\n"
        "  help: did you mean `slug`?\n");
  CHECK(analyze_snippet("flag f = true\nnetwork n { name \"{f}\" }\n").rendered_in_full() ==
        "D0203 2:20 unknown param `f`\n"
        "  help: flags cannot be substituted; use `when` to choose text\n");
}

TEST_CASE("D0202: `when` on an unknown flag") {
  CHECK(analyze_snippet("flag sentry = true\nwhen sentri { network n { name \"x\" } }\n")
            .rendered_in_full() ==
        "D0202 2:6 unknown flag `sentri`\n"
        "  help: did you mean `sentry`?\n");
  CHECK(analyze_snippet("param p: string = \"x\"\nwhen p { }\n").rendered_in_full() ==
        "D0202 2:6 unknown flag `p`\n"
        "  help: `p` is a param; `when` takes a flag\n");
}

TEST_CASE("D0211: params and flags cannot be inside `when`") {
  CHECK(analyze_snippet("flag f = true\nwhen f {\n  param p: string = \"x\"\n}\n").rendered() ==
        "D0211 3:9 `param` is not allowed inside `when`\n");
}

TEST_CASE("`when` keeps or drops statements at every level") {
  const std::string spec = R"(flag on = true
flag off = false
network always { name "a" }
when off { network never { name "b" } }
when !off { network negated { name "c" } }
section "S" {
  when off { env DROPPED_IN_SECTION: string = "x" }
  group {
    when on { env KEPT_IN_GROUP: string = "x" }
    when !on { env DROPPED_IN_GROUP: string = "x" }
  }
}
service app {
  image "nginx:1.27"
  when off { restart always }
  when on { restart no }
  environment {
    KEPT_IN_GROUP
    when on { LITERAL = "yes" }
    when off { OTHER = "no" }
  }
}
when off { service dropped { image "x" } }
)";
  const Analysis a = analyze_snippet(spec);
  CHECK(a.rendered() == "");
  REQUIRE(a.model.networks.size() == 2);
  CHECK(a.model.networks[0].key == "always");
  CHECK(a.model.networks[1].key == "negated");
  REQUIRE(a.model.env.size() == 1);
  CHECK(a.model.env[0].name == "KEPT_IN_GROUP");
  REQUIRE(a.model.services.size() == 1);
  CHECK(a.service("app").restart == "no");
  REQUIRE(a.service("app").environment.size() == 2);
  CHECK(a.service("app").environment[1].first == "LITERAL");
}

TEST_CASE("dropped code is still checked for unknown keywords and flags") {
  const Analysis a = analyze_snippet(R"(flag off = false
when off {
  service s {
    image "nginx:1.27"
    restrat always
    when nope { }
  }
}
)");
  CHECK(a.rendered_in_full() ==
        "D0201 5:5 unknown setting `restrat` in a service\n"
        "  help: did you mean `restart`?\n"
        "D0202 6:10 unknown flag `nope`\n");
}
