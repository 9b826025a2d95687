// Service settings and the whole-deployment checks over services.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace deployc;
using namespace deployc::testing;

namespace {

/// A service `app` whose body is `settings` (line 2 onwards), plus `extra` after it.
Analysis service(const std::string& settings, const std::string& extra = {}) {
  return analyze_snippet("service app {\n" + settings + "\n}\n" + extra);
}

const std::string kPorts = R"(section "S" {
  env APP_PORT: port = 8000
  env LEVEL: string = "info"
}
)";

}  // namespace

TEST_CASE("D0201: unknown setting with did-you-mean; D0207: a setting given twice") {
  CHECK(service("  image \"nginx:1.27\"\n  restrat always").rendered_in_full() ==
        "D0201 3:3 unknown setting `restrat` in a service\n"
        "  help: did you mean `restart`?\n");
  CHECK(service("  image \"nginx:1.27\"\n  restart always\n  restart no").rendered_in_full() ==
        "D0207 4:3 duplicate setting `restart`\n"
        "  label 3:3 first set here\n");
}

TEST_CASE("image: a literal reference, repo/tag variables, repo/tag literals") {
  const Analysis literal = service("  image \"nginx:1.27\"");
  CHECK(literal.rendered() == "");
  CHECK(show(literal.model, literal.service("app").image) == "nginx:1.27");

  const Analysis mixed = service("  image repo=\"ghcr.io/org/app\" tag=\"1.0\"");
  CHECK(mixed.rendered() == "");
  CHECK(show(mixed.model, mixed.service("app").image) == "ghcr.io/org/app:1.0");

  const Analysis vars = service("  image repo=IMG tag=TAG",
                                "section \"S\" {\n  env IMG: image = \"ghcr.io/org/app\"\n"
                                "  env TAG: string = \"1.0\"\n}\n");
  CHECK(vars.rendered() == "");
  CHECK(show(vars.model, vars.service("app").image) == "${IMG}:${TAG}");
}

TEST_CASE("D0314: an invalid image reference; D0216: no image") {
  CHECK(service("  image \"ghcr.io/Acme/app:1\"").rendered_in_full() ==
        "D0314 2:9 `ghcr.io/Acme/app:1` is not a valid image reference\n"
        "  help: repositories are lowercase: write `ghcr.io/acme/app:1`\n");
  CHECK(service("  restart always").rendered_in_full() ==
        "D0216 1:9 service `app` has no `image`\n"
        "  help: add `image \"repository:tag\"` or `image repo=VAR tag=VAR`\n");
}

TEST_CASE("D0320: a variable of the wrong type") {
  CHECK(
      service("  image \"nginx:1.27\"\n  publish 80 host=LEVEL", kPorts + "").rendered_in_full() ==
      "D0320 3:19 env var `LEVEL` is a `string`, but `publish host=` needs `port`\n"
      "  label 7:7 declared here\n"
      "D0502 6:7 env var `APP_PORT` is declared but never used\n"
      "  help: pass it to a service (`environment { APP_PORT }`) or remove it\n");
}

TEST_CASE("restart: D0318 for an unknown policy") {
  CHECK(service("  image \"nginx:1.27\"\n  restart alway").rendered_in_full() ==
        "D0318 3:11 `alway` is not a restart policy\n"
        "  help: did you mean `always`?\n");
}

TEST_CASE("container_name: D0317 for a name Compose rejects") {
  const Analysis good = service("  image \"nginx:1.27\"\n  container_name \"shop-app\"");
  CHECK(good.service("app").extras->container_name == "shop-app");
  CHECK(service("  image \"nginx:1.27\"\n  container_name \"-x\"").rendered() ==
        "D0317 3:18 `-x` is not a valid container name\n");
  // Docker container names have at least two characters.
  CHECK(service("  image \"nginx:1.27\"\n  container_name \"c\"").rendered() ==
        "D0317 3:18 `c` is not a valid container name\n");
}

TEST_CASE("environment: literals, variables, duplicates") {
  const Analysis a =
      service(R"(  image "nginx:1.27"
  environment {
    A = "text"
    B = 3
    C = true
    D = LEVEL
    LEVEL
  })",
              kPorts + "service other { image \"nginx:1.27\"; publish 80 host=APP_PORT }\n");
  CHECK(a.rendered() == "");
  const auto& env = a.service("app").environment;
  REQUIRE(env.size() == 5);
  CHECK(show(a.model, env[0].second) == "text");
  CHECK(show(a.model, env[1].second) == "3");
  CHECK(show(a.model, env[2].second) == "true");
  CHECK(show(a.model, env[3].second) == "${LEVEL}");
  CHECK(env[4].first == "LEVEL");
  CHECK(show(a.model, env[4].second) == "${LEVEL}");

  CHECK(service("  image \"nginx:1.27\"\n  environment {\n    A = \"1\"\n    A = \"2\"\n  }")
            .rendered_in_full() ==
        "D0207 5:5 duplicate environment key `A`\n"
        "  label 4:5 first set here\n");
}

TEST_CASE("D0601: credential-looking literals in environment values") {
  for (const char* value :
       {"postgresql://app:hunter2@db/x", "user=a password=b", "-----BEGIN KEY"}) {
    CAPTURE(value);
    CHECK(service(std::string("  image \"nginx:1.27\"\n  environment { DB = \"") + value + "\" }")
              .rendered_in_full() ==
          "D0601 3:22 the literal value of `DB` looks like a credential\n"
          "  help: declare a `secret` env var and write `DB = NAME`\n");
  }
}

TEST_CASE("publish: literal host port, ip, protocol") {
  const Analysis a = service(
      "  image \"nginx:1.27\"\n  publish 53 host=5353 ip=\"127.0.0.1\" protocol=udp\n"
      "  publish 80");
  CHECK(a.rendered() == "");
  const auto& ports = a.service("app").ports;
  REQUIRE(ports.size() == 2);
  CHECK(show(a.model, ports[0].published) == "5353");
  CHECK(ports[0].target == 53);
  CHECK(ports[0].host_ip == "127.0.0.1");
  CHECK(ports[0].protocol == "udp");
  CHECK(show(a.model, ports[1].published) == "80");
  CHECK(service("  image \"nginx:1.27\"\n  publish 80 ip=\"localhost\"").rendered() ==
        "D0316 3:17 `localhost` is not an IP address\n");
}

TEST_CASE("D0405: a host port published twice (literals and variable defaults)") {
  CHECK(service("  image \"nginx:1.27\"\n  publish 8000 host=APP_PORT",
                kPorts + "service b {\n  image \"nginx:1.27\"\n  publish 80 host=8000\n}\n"
                         "service c {\n  image \"nginx:1.27\"\n  environment { LEVEL }\n}\n")
            .rendered_in_full() ==
        "D0405 11:19 host port `8000` is published twice\n"
        "  label 3:21 first published here\n"
        "  help: two containers cannot listen on the same host port: pick another one\n");
  // Another interface or protocol is another port.
  CHECK(service("  image \"nginx:1.27\"\n  publish 53 protocol=udp\n  publish 53").rendered() ==
        "");
}

TEST_CASE("health: http, cmd, none") {
  const Analysis http = service(
      "  image \"nginx:1.27\"\n  health http port=8080 path=\"/ready\" retries=5 start_interval=1s "
      "start_period=10s");
  CHECK(http.rendered() == "");
  const auto& h = *http.service("app").healthcheck;
  CHECK(h.test == std::vector<std::string>{"CMD", "curl", "-f", "http://localhost:8080/ready"});
  CHECK(h.retries == 5);
  CHECK(h.start_interval == "1s");

  const Analysis cmd = service("  image \"nginx:1.27\"\n  health cmd \"pg_isready -U app\"");
  CHECK(cmd.service("app").healthcheck->test ==
        std::vector<std::string>{"CMD-SHELL", "pg_isready -U app"});

  const Analysis none = service("  image \"nginx:1.27\"\n  health none");
  CHECK(none.service("app").healthcheck->disable);
  CHECK(none.service("app").healthcheck->test.empty());
}

TEST_CASE("D0404: health timeout not shorter than the interval (warning)") {
  const Analysis a =
      service("  image \"nginx:1.27\"\n  health http port=80 interval=10s timeout=10s");
  CHECK(a.rendered_in_full() ==
        "D0404 3:44 health check timeout `10s` is not shorter than its interval `10s`\n"
        "  label 3:32 interval set here\n"
        "  help: a check that may take as long as the interval overlaps the next one: shorten the "
        "timeout\n");
  CHECK(a.diagnostics.at(0).severity == diag::Severity::Warning);
}

TEST_CASE("D0406: start_interval without start_period") {
  CHECK(service("  image \"nginx:1.27\"\n  health http port=80 start_interval=1s").rendered() ==
        "D0406 3:23 `start_interval` needs `start_period`\n");
}

TEST_CASE("D0321: a negative retry count") {
  CHECK(service("  image \"nginx:1.27\"\n  health http port=80 retries=\"-1\"").rendered() ==
        "D0321 3:31 `-1` is out of range: the minimum is 0\n");
}

TEST_CASE("limits and reservations: literal templates without `tunable`") {
  const Analysis a = service(
      "  image \"nginx:1.27\"\n  limits cpu=1.5 memory=1G pids=100\n"
      "  reserve cpu=0.5 memory=512M");
  // The cpu reservation is kept for Swarm, with the warning that plain Compose ignores it.
  CHECK(a.rendered() == "D0407 4:11 `docker compose` ignores the cpu reservation of `app`\n");
  const auto& s = a.service("app");
  CHECK(show(a.model, *s.limits->cpus) == "1.5");
  CHECK(show(a.model, *s.limits->memory) == "1G");
  CHECK(s.limits->pids == 100);
  CHECK(show(a.model, *s.reservations->memory) == "512M");
  CHECK(a.model.env.empty());
}

TEST_CASE("D0401: a reservation greater than its limit") {
  CHECK(service("  image \"nginx:1.27\"\n  limits cpu=0.5 memory=256M tunable\n"
                "  reserve cpu=1 memory=1G tunable")
            .rendered_in_full() ==
        "D0407 4:11 `docker compose` ignores the cpu reservation of `app`\n"
        "  note: plain Compose applies limits and memory reservations; only Swarm reserves cpus\n"
        "  help: keep it for `docker stack deploy`, or remove `cpu=` from `reserve` and rely on "
        "the cpu limit\n"
        "D0401 4:15 cpu reservation `1` is greater than the limit `0.5`\n"
        "  label 3:14 limit set here\n"
        "  help: a reservation is what the container is guaranteed; it cannot exceed what it may "
        "use\n"
        "D0401 4:24 memory reservation `1G` is greater than the limit `256M`\n"
        "  label 3:25 limit set here\n"
        "  help: a reservation is what the container is guaranteed; it cannot exceed what it may "
        "use\n");
}

TEST_CASE("restart_policy and logging") {
  const Analysis a = service(
      "  image \"nginx:1.27\"\n  restart_policy any max_attempts=2\n"
      "  logging local max_size=\"20m\" max_file=3 compress=true");
  CHECK(a.rendered() == "");
  const auto& s = a.service("app");
  CHECK(s.restart_policy->condition == "any");
  CHECK(s.restart_policy->max_attempts == 2);
  CHECK(s.logging->driver == "local");
  CHECK(s.logging->options == std::vector<std::pair<std::string, std::string>>{
                                  {"max-size", "20m"}, {"max-file", "3"}, {"compress", "true"}});
  CHECK(service("  image \"nginx:1.27\"\n  logging json max_size=10m").rendered_in_full() ==
        "D0318 3:11 `json` is not a logging driver\n"
        "  help: expected one of `json-file`, `local`, `syslog`, `journald`, `gelf`, `fluentd`, "
        "`awslogs`, `splunk`, `etwlogs`, `gcplogs`, `none`\n");
  CHECK(service("  image \"nginx:1.27\"\n  logging json-file max_size=10Mi").rendered() ==
        "D0307 3:30 `10Mi` is not a memory size\n");
}

TEST_CASE("depends_on: conditions") {
  const Analysis a = analyze_snippet(R"(service db { image "postgres:16"; health cmd "pg_isready" }
service job { image "busybox:1" }
service app {
  image "nginx:1.27"
  depends_on db healthy restart=true
  depends_on job completed
}
)");
  CHECK(a.rendered() == "");
  const auto& deps = a.service("app").depends_on;
  REQUIRE(deps.size() == 2);
  CHECK(deps[0].condition == "service_healthy");
  CHECK(deps[0].restart);
  CHECK(deps[1].condition == "service_completed_successfully");
}

TEST_CASE("D0205: depends_on an unknown or dropped service") {
  CHECK(analyze_snippet(
            "service backend { image \"a:1\" }\nservice app { image \"a:1\"; depends_on backnd }\n")
            .rendered_in_full() ==
        "D0205 2:39 unknown service `backnd`\n"
        "  help: did you mean `backend`?\n");
  CHECK(analyze_snippet("flag f = false\nwhen f { service db { image \"a:1\" } }\n"
                        "service app { image \"a:1\"; depends_on db }\n")
            .rendered_in_full() ==
        "D0205 3:39 unknown service `db`\n"
        "  note: `db` exists only when `f` is on\n");
}

TEST_CASE("D0402: waiting for a service without health check to be healthy") {
  CHECK(analyze_snippet(
            "service db { image \"a:1\" }\nservice app { image \"a:1\"; depends_on db healthy }\n")
            .rendered_in_full() ==
        "D0402 2:42 `app` waits for `db` to be healthy, but `db` has no health check\n"
        "  label 1:9 `db` declared here\n"
        "  help: add a `health` setting to `db`, or wait for it with `started`\n");
}

TEST_CASE("D0403: dependency cycles show the cycle") {
  CHECK(analyze_snippet(R"(service a { image "x:1"; depends_on b }
service b { image "x:1"; depends_on c }
service c { image "x:1"; depends_on a }
service d { image "x:1"; depends_on d }
)")
            .rendered() ==
        "D0403 3:37 dependency cycle: `a` -> `b` -> `c` -> `a`\n"
        "D0403 4:37 dependency cycle: `d` -> `d`\n");
}

TEST_CASE("networks: D0206 for an unknown network") {
  const Analysis a = service("  image \"nginx:1.27\"\n  networks front back",
                             "network front { }\nnetwork back { }\n");
  CHECK(a.rendered() == "");
  CHECK(a.service("app").networks == std::vector<std::string>{"front", "back"});
  CHECK(
      service("  image \"nginx:1.27\"\n  networks mian", "network main { }\n").rendered_in_full() ==
      "D0206 3:12 unknown network `mian`\n"
      "  help: did you mean `main`?\n");
}

TEST_CASE("argument errors: D0212 D0213 D0214 D0215 D0217 D0218") {
  CHECK(service("  image \"nginx:1.27\"\n  publish").rendered() ==
        "D0212 3:3 `publish` needs the container port: `publish 8000 host=BACKEND_PORT`\n");
  CHECK(service("  image \"nginx:1.27\"\n  restart always now").rendered() ==
        "D0213 3:18 unexpected argument `now` for `restart`\n");
  CHECK(service("  image \"nginx:1.27\"\n  limits cpu=1 memroy=1G").rendered_in_full() ==
        "D0214 3:16 unknown key `memroy` for `limits`\n"
        "  help: did you mean `memory`?\n");
  CHECK(service("  image \"nginx:1.27\"\n  restart always { }").rendered() ==
        "D0215 3:18 `restart` takes no block\n");
  CHECK(service("  image \"nginx:1.27\"\n  restart = always").rendered_in_full() ==
        "D0217 3:13 `restart` takes arguments, not `= value`\n"
        "  help: write `restart always`\n");
  CHECK(service("  image \"nginx:1.27\"\n  environment").rendered() ==
        "D0218 3:3 `environment` needs a block\n");
}

TEST_CASE("a service-level `when` keeps or drops settings") {
  const Analysis a = analyze_snippet(R"(flag prod = true
service app {
  image "nginx:1.27"
  when prod { limits memory=1G }
  when !prod { limits memory=128M }
}
)");
  CHECK(a.rendered() == "");
  CHECK(show(a.model, *a.service("app").limits->memory) == "1G");
}

TEST_CASE("the model dump names every setting") {
  const Analysis a = service(
      "  image \"nginx:1.27\"\n  container_name \"cc\"\n  restart no\n"
      "  environment { A = \"$x\" }\n  publish 80 host=8080\n  health none");
  CHECK(a.rendered() == "");
  CHECK(sema::dump(a.model) ==
        "project \"p\"\n"
        "title \"p\"\n"
        "env\n"
        "sections\n"
        "networks\n"
        "volumes\n"
        "secrets\n"
        "configs\n"
        "services\n"
        "  service app\n"
        "    image \"nginx:1.27\"\n"
        "    container_name \"cc\"\n"
        "    restart no\n"
        "    environment\n"
        "      A = \"$$x\"\n"
        "    port \"8080\" -> 80\n"
        "    health disable\n");
}
