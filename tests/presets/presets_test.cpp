#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "stdlib_harness.hpp"

using namespace deployc;
using namespace deployc::testing;
namespace fs = std::filesystem;

namespace {

/// Compiles `root` with one extra module `lib.deploy` holding `module_text`.
Compiled with_module(const std::string& module_text, const std::string& root) {
  return compile_sources({{"lib.deploy", module_text}, {"app.deploy", root}});
}

std::vector<std::string> preset_names_in(const std::string& text) {
  std::vector<std::string> names;
  std::size_t at = 0;
  while ((at = text.find("\npreset ", at)) != std::string::npos) {
    at += 8;
    names.push_back(text.substr(at, text.find(' ', at) - at));
  }
  return names;
}

}  // namespace

TEST_CASE("every stdlib module compiles with zero diagnostics") {
  const Compiled all = compile_with_modules("app.deploy", "project \"p\"\n");
  CHECK(all.rendered_all() == "");
  CHECK(all.ok);
  // Each module on its own (services.deploy with the modules it imports).
  for (const auto& module : stdlib_modules()) {
    CAPTURE(module);
    std::vector<std::string> modules{module};
    if (module == "services") modules = stdlib_modules();
    const Compiled one = compile_with_modules("app.deploy", "project \"p\"\n", modules);
    CHECK(one.rendered_all() == "");
  }
}

TEST_CASE("every stdlib preset has a golden case") {
  std::vector<std::string> missing;
  for (const auto& module : stdlib_modules()) {
    const std::string text =
        read_text(std::string(DEPLOYC_SOURCE_DIR) + "/stdlib/" + module + ".deploy");
    for (const auto& name : preset_names_in("\n" + text)) {
      if (!fs::exists(fs::path(DEPLOYC_SOURCE_DIR) / "tests/presets/cases" / (name + ".deploy")))
        missing.push_back(name);
    }
  }
  CHECK(missing == std::vector<std::string>{});
}

TEST_CASE("every stdlib preset lowers to its golden") {
  std::vector<fs::path> cases;
  for (const auto& entry :
       fs::directory_iterator(fs::path(DEPLOYC_SOURCE_DIR) / "tests/presets/cases")) {
    if (entry.path().extension() == ".deploy") cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() >= 21);
  for (const auto& path : cases) {
    const std::string name = path.stem().string();
    DYNAMIC_SECTION(name) {
      const Compiled c = compile_with_modules(name + ".deploy", read_text(path.string()));
      CHECK(c.rendered() == "");
      REQUIRE(c.ok);
      CHECK(compare_golden("tests/presets/cases/" + name + ".compose.yml", c.compose) == "");
      CHECK(compare_golden("tests/presets/cases/" + name + ".env", c.env) == "");
    }
  }
}

TEST_CASE("the stdlib backend and frontend bundles are the seed's services") {
  const Compiled c = compile_with_modules("app.deploy", R"(project "p"
section "Resource limits" { tunables }
service backend {
  image "b:1"
  use fastapi_backend health_path="/api/v1/health"
}
service frontend {
  image "f:1"
  use nginx_frontend
}
)");
  REQUIRE(c.rendered() == "");
  const auto& backend = c.model.services.at(0);
  CHECK(backend.restart == "always");
  REQUIRE(backend.healthcheck);
  CHECK(backend.healthcheck->test ==
        std::vector<std::string>{"CMD", "curl", "-f", "http://localhost:8000/api/v1/health"});
  CHECK(backend.healthcheck->timeout == "10s");
  CHECK(backend.healthcheck->start_period == "30s");
  REQUIRE(backend.logging);
  CHECK(backend.logging->options ==
        std::vector<std::pair<std::string, std::string>>{{"max-size", "10m"}, {"max-file", "5"}});
  REQUIRE(backend.restart_policy);
  CHECK(backend.restart_policy->max_attempts == 3);
  const auto& frontend = c.model.services.at(1);
  CHECK(frontend.healthcheck->timeout == "5s");
  CHECK(frontend.healthcheck->start_period == "10s");
  std::vector<std::string> vars;
  for (const auto& v : c.model.env) vars.push_back(std::string(v.name) + "=" + std::string(v.default_value));
  CHECK(vars == std::vector<std::string>{
                    "BACKEND_CPU_LIMIT=1.0", "BACKEND_MEMORY_LIMIT=512M",
                    "BACKEND_CPU_RESERVATION=0.25", "BACKEND_MEMORY_RESERVATION=256M",
                    "FRONTEND_CPU_LIMIT=0.5", "FRONTEND_MEMORY_LIMIT=128M",
                    "FRONTEND_CPU_RESERVATION=0.1", "FRONTEND_MEMORY_RESERVATION=64M"});
}

TEST_CASE("a setting written in the service wins over a preset's, silently") {
  const Compiled c = compile_with_modules("app.deploy", R"(project "p"
service app {
  image "a:1"
  use rotated_logs
  logging local
  use hardened
  user "app"
  use fastapi_backend
  environment { DEBUG = "true" }
}
)");
  CHECK(c.rendered() == "");
  const auto& s = c.model.services.at(0);
  CHECK(s.logging->driver == "local");
  CHECK(s.extras->user == "app");
  // An environment key of the service replaces the preset's, in the preset's position.
  REQUIRE(s.environment.size() == 2);
  CHECK(s.environment[1].first == "DEBUG");
  CHECK(std::get<std::string>(s.environment[1].second.pieces()[0]) == "true");
}

TEST_CASE("two presets setting the same setting are an error naming both") {
  const Compiled c = compile_with_modules("app.deploy", R"(project "p"
service app {
  image "a:1"
  use rotated_logs
  use local_logs
}
)");
  CHECK(c.rendered() ==
        "D0704 app.deploy:5:3 presets `rotated_logs` and `local_logs` both set `logging`\n"
        "  label app.deploy:4:3 `rotated_logs` sets `logging`\n"
        "  label app.deploy:5:3 `local_logs` sets `logging` too\n"
        "  help: write `logging` in the body itself to choose the value, or drop one of the "
        "presets\n");
}

TEST_CASE("params: typed arguments, defaults, substitution checked by the setting") {
  SECTION("an argument overrides the default") {
    const Compiled c = compile_with_modules("app.deploy",
                                            "project \"p\"\nservice app {\n  image \"a:1\"\n  use "
                                            "rotated_logs max_size=20m max_file=3\n}\n");
    REQUIRE(c.rendered() == "");
    CHECK(c.model.services[0].logging->options ==
          std::vector<std::pair<std::string, std::string>>{{"max-size", "20m"}, {"max-file", "3"}});
  }
  SECTION("an argument of the wrong type is reported at the use") {
    const Compiled c = compile_with_modules(
        "app.deploy",
        "project \"p\"\nservice app {\n  image \"a:1\"\n  use rotated_logs max_size=lots\n}\n");
    CHECK(c.rendered().starts_with("D0303 app.deploy:4:29 expected a memory size"));
  }
  SECTION("an unknown argument gets did-you-mean") {
    const Compiled c = compile_with_modules(
        "app.deploy",
        "project \"p\"\nservice app {\n  image \"a:1\"\n  use rotated_logs max_sise=20m\n}\n");
    CHECK(c.rendered() ==
          "D0703 app.deploy:4:20 preset `rotated_logs` has no param `max_sise`\n"
          "  help: did you mean `max_size`?\n");
  }
  SECTION("a param without default must be given") {
    const Compiled c = compile_with_modules(
        "app.deploy", "project \"p\"\nservice app {\n  image \"a:1\"\n  use http_curl\n}\n");
    CHECK(c.rendered().starts_with(
        "D0212 app.deploy:4:7 `use http_curl` needs a value for param `port`\n"
        "  label stdlib/health.deploy:"));
  }
  SECTION("a string param substituted where a quantity is expected is checked there") {
    const Compiled c = compile_with_modules("app.deploy", R"(project "p"
preset sized {
  param mem: string = "lots"
  limits memory="{mem}"
}
service app {
  image "a:1"
  use sized
}
)",
                                            {});
    CHECK(c.rendered().starts_with("D0307 app.deploy:4:17 `lots` is not a memory size"));
  }
  SECTION("a root preset sees the spec's params, a module preset does not") {
    const Compiled root = compile_with_modules("app.deploy", R"(param tag: string = "1.2"
project "p"
preset pinned {
  image "nginx:{tag}"
}
service app {
  use pinned
}
)",
                                               {});
    CHECK(root.rendered() == "");
  }
}

TEST_CASE("unknown presets, recursion, wrong places") {
  SECTION("unknown preset with did-you-mean") {
    const Compiled c = compile_with_modules(
        "app.deploy", "project \"p\"\nservice app {\n  image \"a:1\"\n  use rotated_log\n}\n");
    CHECK(c.rendered() ==
          "D0702 app.deploy:4:7 unknown preset `rotated_log`\n"
          "  help: did you mean `rotated_logs`?\n");
  }
  SECTION("a preset using itself, indirectly") {
    const Compiled c = compile_with_modules("app.deploy", R"(project "p"
preset a {
  restart always
  use b
}
preset b {
  use a
}
service app {
  image "x:1"
  use a
}
)",
                                            {});
    CHECK(c.rendered() ==
          "D0705 app.deploy:7:7 preset `a` uses itself: `a` -> `b` -> `a`\n"
          "  help: presets do not recurse: remove this `use`\n");
  }
  SECTION("an env preset in a service, a service preset in a section") {
    const Compiled c = compile_with_modules("app.deploy", R"(project "p"
section "S" {
  use rotated_logs
}
service app {
  image "x:1"
  use redis
}
)");
    const std::string r = c.rendered();
    CHECK(r.find("D0706 app.deploy:3:7 preset `rotated_logs` holds service settings, so it "
                 "cannot be used in a section") != std::string::npos);
    CHECK(r.find("D0706 app.deploy:7:7 preset `redis` declares env vars, so it cannot be used "
                 "in a service") != std::string::npos);
  }
  SECTION("a preset mixing env vars and settings") {
    const Compiled c = compile_with_modules("app.deploy", R"(project "p"
preset both {
  env X: string = "x"
  restart always
}
)",
                                            {});
    CHECK(c.rendered().starts_with(
        "D0707 app.deploy:2:8 preset `both` mixes env declarations and service settings"));
  }
  SECTION("two presets with one name") {
    const Compiled c = compile_with_modules("app.deploy", R"(project "p"
preset rotated_logs {
  restart always
}
)",
                                            {"logging"});
    CHECK(c.rendered() ==
          "D0207 app.deploy:2:8 duplicate preset `rotated_logs`\n"
          "  label stdlib/logging.deploy:8:8 first declared here\n");
  }
}

TEST_CASE("a module declares only presets and imports") {
  const Compiled ok =
      with_module("import \"std/logging\"\n## doc\npreset quiet {\n  logging none\n}\n",
                  "project \"p\"\nservice app {\n  image \"a:1\"\n  use quiet\n}\n");
  CHECK(ok.rendered() == "");
  const Compiled bad = with_module(R"(param x: string = "a"
flag f = true
env X: string = "x"
service web {
  image "nginx:1"
}
)",
                                   "project \"p\"\n");
  CHECK(bad.rendered() ==
        "D0701 lib.deploy:1:7 only presets can be declared in a module, found `param`\n"
        "  help: a module holds presets: move this into the spec that imports the module, or "
        "into a `preset`\n"
        "D0701 lib.deploy:2:6 only presets can be declared in a module, found `flag`\n"
        "  help: a module holds presets: move this into the spec that imports the module, or "
        "into a `preset`\n"
        "D0701 lib.deploy:3:5 only presets can be declared in a module, found `env`\n"
        "  help: a module holds presets: move this into the spec that imports the module, or "
        "into a `preset`\n"
        "D0701 lib.deploy:4:1 only presets can be declared in a module, found `service`\n"
        "  help: a module holds presets: move this into the spec that imports the module, or "
        "into a `preset`\n");
  // A module's preset cannot read the root spec's params.
  const Compiled hidden =
      with_module("preset tagged {\n  image \"nginx:{tag}\"\n}\n",
                  "param tag: string = \"1\"\nproject \"p\"\nservice a {\n  use tagged\n}\n");
  CHECK(hidden.rendered() ==
        "D0203 lib.deploy:2:17 unknown param `tag`\n"
        "  help: a module's preset sees only its own params: declare `param tag` in `tagged` "
        "and pass it with `use tagged tag=…`\n");
}

TEST_CASE("env presets splice their declarations where `use` stands") {
  const Compiled c = compile_with_modules("app.deploy", R"(project "p"
flag include_sentry = true
section "Required configuration" {
  use postgres database="shop"
  use redis
  group {
    use oidc realm="acme"
  }
  when include_sentry {
    use sentry
  }
}
service app {
  image "x:1"
  environment {
    DATABASE_URL
    MIGRATION_DATABASE_URL
    REDIS_URL
    OAUTH_ISSUER_URL
    SENTRY_DSN
  }
}
)");
  REQUIRE(c.rendered() == "");
  std::vector<std::string> vars;
  for (const auto& v : c.model.env) vars.emplace_back(v.name);
  CHECK(vars == std::vector<std::string>{"DATABASE_URL", "MIGRATION_DATABASE_URL", "REDIS_URL",
                                         "OAUTH_ISSUER_URL", "SENTRY_DSN"});
  CHECK(c.model.env[0].example ==
        "postgresql+asyncpg://app_user:CHANGE_ME@db.example.com:5432/shop");
  CHECK(c.model.env[3].example == "https://auth.example.com/realms/acme");
  REQUIRE_FALSE(c.model.env[0].doc.empty());
  CHECK(c.model.env[0].doc[0] == "Database Connection (PostgreSQL)");
}

TEST_CASE("the saas-platform example compiles cleanly and matches its expected outputs") {
  const std::string spec =
      read_text(std::string(DEPLOYC_SOURCE_DIR) + "/examples/saas-platform/app.deploy");
  struct Combo {
    const char* folder;
    std::vector<sema::Define> defines;
  };
  const std::vector<Combo> combos{
      {"default", {}},
      {"sentry", {{"include_sentry", "yes"}}},
      {"flower", {{"include_flower", "yes"}}},
      {"sentry+flower", {{"include_sentry", "yes"}, {"include_flower", "yes"}}}};
  for (const Combo& combo : combos) {
    DYNAMIC_SECTION(combo.folder) {
      const Compiled c = compile_with_modules("examples/saas-platform/app.deploy", spec,
                                              stdlib_modules(), combo.defines, "../../app.deploy");
      CHECK(c.rendered_all() == "");
      REQUIRE(c.ok);
      const std::string dir = std::string("examples/saas-platform/expected/") + combo.folder;
      CHECK(compare_golden(dir + "/compose.production.yml", c.compose) == "");
      CHECK(compare_golden(dir + "/.env.production.example", c.env) == "");
      CHECK(compare_golden(dir + "/compose.build.yml", c.build) == "");
      // Services the flags keep, in order; the migration runs before everything using the schema.
      std::vector<std::string> names;
      for (const auto& s : c.model.services) names.push_back(s.name);
      std::vector<std::string> expected{"migrate", "api", "worker", "scheduler", "frontend"};
      if (std::string(combo.folder).find("flower") != std::string::npos) {
        expected.push_back("flower");
      }
      CHECK(names == expected);
      for (const auto& s : c.model.services) {
        if (s.name == "migrate" || s.name == "frontend" || s.name == "flower") continue;
        REQUIRE_FALSE(s.depends_on.empty());
        CHECK(s.depends_on[0].condition == "service_completed_successfully");
        CHECK(s.extras->read_only == true);
        CHECK(s.extras->cap_drop == std::vector<std::string>{"ALL"});
      }
    }
  }
}
