// Project, networks, sections, groups and env declarations.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace deployc;
using namespace deployc::testing;

namespace {

// Uses every variable it is given, so "declared but never used" stays quiet.
std::string using_service(std::initializer_list<const char*> vars) {
  std::string out = "service app {\n  image \"nginx:1.27\"\n  environment {\n";
  for (const char* v : vars) out += fmt::format("    {}\n", v);
  return out + "  }\n}\n";
}

}  // namespace

TEST_CASE("D0208: a spec without `project`") {
  const Analysis a = analyze_text("network n { name \"x\" }\n");
  CHECK(a.rendered_in_full() ==
        "D0208 1:1 missing `project` declaration\n"
        "  help: name the Compose project: `project \"my_app\"`\n");
}

TEST_CASE("D0209: a project name Compose would rewrite") {
  const Analysis a = analyze_text("project \"Acme Shop\"\n");
  CHECK(a.rendered_in_full() ==
        "D0209 1:9 `Acme Shop` is not a valid Compose project name\n"
        "  note: Compose project names are lowercase letters, digits, `-` and `_`, starting with a "
        "letter or digit\n"
        "  help: write `acmeshop`\n");
}

TEST_CASE("the title defaults to the project name; a second project is a duplicate") {
  CHECK(analyze_text("project \"shop\"\n").model.title == "shop");
  CHECK(analyze_text("project \"shop\"\nproject \"other\"\n").rendered_in_full() ==
        "D0207 2:1 duplicate declaration `project`\n"
        "  label 1:1 first declared here\n");
}

TEST_CASE("networks: name, driver, internal; D0318 for an unknown driver") {
  const Analysis a = analyze_snippet("network back { name \"b\"; driver bridge; internal }\n");
  CHECK(a.rendered() == "");
  REQUIRE(a.model.networks.size() == 1);
  CHECK(a.model.networks[0].internal);
  CHECK(analyze_snippet("network n { driver brigde }\n").rendered_in_full() ==
        "D0318 1:20 `brigde` is not a network driver\n"
        "  help: did you mean `bridge`?\n");
  CHECK(
      analyze_snippet("network n { name \"x\" }\nnetwork n { name \"y\" }\n").rendered_in_full() ==
      "D0207 2:9 duplicate network `n`\n"
      "  label 1:9 first declared here\n");
}

TEST_CASE("an env outside a group forms its own group; a group's doc is its heading") {
  const Analysis a = analyze_snippet(R"(section "Required" {
  ## Database
  ## Use a managed one
  env DATABASE_URL: url<postgresql> secret { example "postgresql://u:CHANGE_ME@h/db" }
  ## Ports
  group {
    ## The backend's
    env BACKEND_PORT: port = 8000
    env FRONTEND_PORT: port = 80
  }
}
)" + using_service({"DATABASE_URL", "BACKEND_PORT", "FRONTEND_PORT"}));
  CHECK(a.rendered() == "");
  REQUIRE(a.model.sections.size() == 1);
  const auto& groups = a.model.sections[0].groups;
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].heading.empty());
  CHECK(groups[0].vars == std::vector<std::size_t>{0});
  CHECK(lines(a.var("DATABASE_URL").doc) ==
        std::vector<std::string_view>{"Database", "Use a managed one"});
  CHECK(lines(groups[1].heading) == std::vector<std::string_view>{"Ports"});
  CHECK(groups[1].vars == std::vector<std::size_t>{1, 2});
  CHECK(lines(a.var("BACKEND_PORT").doc) == std::vector<std::string_view>{"The backend's"});
}

TEST_CASE("presence: required, defaulted, optional") {
  const Analysis a = analyze_snippet(R"(section "S" {
  env A: string
  env B: int = 3
  env C: list<host> optional
  env D: list<port> = [80, 443]
  env E: bool = true
}
)" + using_service({"A", "B", "C", "D", "E"}));
  CHECK(a.rendered() == "");
  using P = model::EnvVar::Presence;
  CHECK(a.var("A").presence == P::Required);
  CHECK(a.var("B").presence == P::Defaulted);
  CHECK(a.var("B").default_value == "3");
  CHECK(a.var("C").presence == P::Optional);
  CHECK(a.var("C").type->element.at(0).kind == model::TypeKind::Host);
  CHECK(a.var("D").default_value == "80,443");
  CHECK(a.var("E").default_value == "true");
}

TEST_CASE("D0207: an env var declared twice") {
  const Analysis a = analyze_snippet(R"(section "S" {
  env A: string = "x"
  group { env A: int = 1 }
}
)" + using_service({"A"}));
  CHECK(a.rendered_in_full() ==
        "D0207 3:15 duplicate env var `A`\n"
        "  label 2:7 first declared here\n");
}

TEST_CASE("D0211: env outside a section, service inside a section") {
  CHECK(analyze_snippet("env A: string = \"x\"\n").rendered_in_full() ==
        "D0211 1:5 `env` is not allowed at the top level\n"
        "  help: declare env vars inside a `section \"…\" { … }`\n");
  CHECK(analyze_snippet("section \"S\" {\n  service x { }\n}\n").rendered_in_full() ==
        "D0211 2:3 `service` is not allowed in a section\n"
        "  help: `service` belongs at the top level\n");
}

TEST_CASE("D0201: unknown statements in a section and at the top level") {
  CHECK(analyze_snippet("section \"S\" {\n  grup { }\n}\n").rendered_in_full() ==
        "D0201 2:3 unknown setting `grup` in a section\n"
        "  help: did you mean `group`?\n");
  CHECK(analyze_snippet("servise x { }\n").rendered_in_full() ==
        "D0201 1:1 unknown setting `servise` at the top level\n"
        "  help: did you mean `service`?\n");
}

TEST_CASE("D0301: unknown type, with did-you-mean or a hint for `secret`") {
  CHECK(analyze_snippet("section \"S\" {\n  env A: strnig\n}\n" + using_service({"A"}))
            .rendered_in_full() ==
        "D0301 2:10 unknown type `strnig`\n"
        "  help: did you mean `string`?\n");
  CHECK(analyze_snippet("section \"S\" {\n  env A: secret\n}\n" + using_service({"A"}))
            .rendered_in_full() ==
        "D0301 2:10 unknown type `secret`\n"
        "  help: `secret` is a modifier: write `string secret`\n");
}

TEST_CASE("D0302: wrong type arguments") {
  CHECK(analyze_snippet("section \"S\" {\n  env A: list\n}\n" + using_service({"A"})).rendered() ==
        "D0302 2:10 type `list` needs exactly one element type: `list<host>`\n");
  CHECK(
      analyze_snippet("section \"S\" {\n  env A: port<x>\n}\n" + using_service({"A"})).rendered() ==
      "D0302 2:10 type `port` takes no arguments\n");
}

TEST_CASE("a poisoned declaration is still declared: no follow-on errors at its uses") {
  const Analysis a =
      analyze_snippet("section \"S\" {\n  env A: nonsense = 3\n}\n" + using_service({"A"}));
  CHECK(a.rendered() == "D0301 2:10 unknown type `nonsense`\n");
}

TEST_CASE("D0503: a secret with a default") {
  const Analysis a = analyze_snippet("section \"S\" {\n  env PW: string = \"hunter2\" secret\n}\n" +
                                     using_service({"PW"}));
  CHECK(a.rendered_in_full() ==
        "D0503 2:20 secret `PW` has a default\n"
        "  label 2:30 declared secret here\n"
        "  help: a secret's value comes only from the environment: put a placeholder in `example` "
        "instead\n");
}

TEST_CASE("D0504: a secret's example without CHANGE_ME") {
  const Analysis a = analyze_snippet(
      "section \"S\" {\n  env PW: string secret example=\"hunter2\"\n}\n" + using_service({"PW"}));
  CHECK(a.rendered() == "D0504 2:33 the example of secret `PW` does not contain `CHANGE_ME`\n");
  CHECK(analyze_snippet("section \"S\" {\n  env PW: string secret { example \"CHANGE_ME\" }\n}\n" +
                        using_service({"PW"}))
            .rendered() == "");
}

TEST_CASE("D0505: a default and `optional`") {
  CHECK(analyze_snippet("section \"S\" {\n  env A: string = \"x\" optional\n}\n" +
                        using_service({"A"}))
            .rendered() == "D0505 2:23 `A` has a default and is `optional`\n");
}

TEST_CASE("D0506: an env var name Compose cannot substitute") {
  CHECK(analyze_snippet("section \"S\" {\n  env my-var: string = \"x\"\n}\n" +
                        using_service({"my-var"}))
            .rendered_in_full() ==
        "D0506 2:7 `my-var` is not a valid env var name\n"
        "  note: Compose can only substitute names of letters, digits and `_`\n"
        "  help: write `my_var`\n");
}

TEST_CASE("D0213/D0214: unknown env modifiers") {
  CHECK(analyze_snippet("section \"S\" {\n  env A: string secrte\n}\n" + using_service({"A"}))
            .rendered_in_full() ==
        "D0213 2:17 unexpected argument `secrte` for `env`\n"
        "  help: did you mean `secret`?\n");
  CHECK(analyze_snippet("section \"S\" {\n  env A: string exmple=\"x\"\n}\n" + using_service({"A"}))
            .rendered_in_full() ==
        "D0214 2:17 unknown key `exmple` for `env`\n"
        "  help: did you mean `example`?\n");
}

TEST_CASE("D0502: a variable declared but never used (warning)") {
  const Analysis a = analyze_snippet("section \"S\" {\n  env UNUSED: string = \"x\"\n}\n");
  CHECK(a.rendered_in_full() ==
        "D0502 2:7 env var `UNUSED` is declared but never used\n"
        "  help: pass it to a service (`environment { UNUSED }`) or remove it\n");
  CHECK(a.diagnostics.at(0).severity == diag::Severity::Warning);
}

TEST_CASE("a variable used only under a flag that is off is not unused") {
  const Analysis a = analyze_snippet(R"(flag f = false
section "S" { env A: string = "x" }
service app {
  image "nginx:1.27"
  when f { environment { A } }
}
)");
  CHECK(a.rendered() == "");
}

TEST_CASE("D0501: use of an undeclared variable, with did-you-mean or the dropping flag") {
  CHECK(analyze_snippet("section \"S\" {\n  env DATABASE_URL: string\n}\n" +
                        using_service({"DATABASE_URL", "DATABSE_URL"}))
            .rendered_in_full() ==
        "D0501 8:5 env var `DATABSE_URL` is not declared\n"
        "  help: did you mean `DATABASE_URL`?\n");
  CHECK(analyze_snippet("flag f = false\nsection \"S\" {\n  when f { env A: string }\n}\n" +
                        using_service({"A"}))
            .rendered_in_full() ==
        "D0501 8:5 env var `A` is not declared\n"
        "  note: `A` is declared only when `f` is on\n");
}

TEST_CASE("D0601: a non-secret default that looks like a credential") {
  CHECK(analyze_snippet("section \"S\" {\n  env DB: url = \"postgresql://app:hunter2@db/x\"\n}\n" +
                        using_service({"DB"}))
            .rendered_in_full() ==
        "D0601 2:17 the literal value of `DB` looks like a credential\n"
        "  help: declare `DB` as a `secret` without default\n");
}

TEST_CASE("`tunables` places derived variables; without it they close the env example") {
  const std::string service = R"(service api-gw {
  image "nginx:1.27"
  limits cpu=2 memory=1G tunable
  reserve memory=256M tunable
}
)";
  const Analysis placed = analyze_snippet(
      "section \"Limits\" { tunables }\nsection \"Other\" {\n"
      "  env A: string = \"x\"\n}\n" +
      service + using_service({"A"}).replace(8, 3, "app2"));
  CHECK(placed.rendered() == "");
  REQUIRE(placed.model.sections.size() == 2);
  CHECK(placed.model.sections[0].title == "Limits");
  CHECK(lines(placed.model.sections[0].groups.at(0).heading) ==
        std::vector<std::string_view>{"Api-gw Resources"});
  CHECK(placed.model.env.at(0).name == "API_GW_CPU_LIMIT");
  CHECK(placed.model.env.at(1).name == "API_GW_MEMORY_LIMIT");
  CHECK(placed.model.env.at(2).name == "API_GW_MEMORY_RESERVATION");
  CHECK(placed.model.env.at(2).default_value == "256M");
  CHECK(placed.model.env.at(3).name == "A");

  const Analysis appended = analyze_snippet(service);
  CHECK(appended.rendered() == "");
  REQUIRE(appended.model.sections.size() == 1);
  CHECK(appended.model.sections[0].title == "Resource limits");
}

TEST_CASE("D0207: a declared variable clashing with a derived one") {
  const Analysis a = analyze_snippet(R"(section "S" {
  tunables
  env APP_CPU_LIMIT: cpu = 1
}
service app {
  image "nginx:1.27"
  limits cpu=2 tunable
}
)");
  CHECK(a.rendered_in_full() ==
        "D0207 3:7 duplicate env var `APP_CPU_LIMIT`\n"
        "  label 7:10 first declared here, by a `tunable` setting\n");
}
