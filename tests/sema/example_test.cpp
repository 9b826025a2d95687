// The acme-shop example is the contract: it must analyse without a single diagnostic for every
// flag combination, and mean what the P4-05 card's templates mean.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "harness.hpp"

using namespace deployc;
using namespace deployc::testing;

namespace {

std::vector<std::string> env_names(const model::Deployment& d) {
  std::vector<std::string> out;
  for (const auto& v : d.env) out.emplace_back(v.name);
  return out;
}

std::vector<std::string> ordered_section_vars(const model::Deployment& d) {
  std::vector<std::string> out;
  for (const auto& s : d.sections) {
    for (const auto& g : s.groups) {
      for (std::size_t v : g.vars) out.emplace_back(d.env.at(v).name);
    }
  }
  return out;
}

const std::vector<std::string> kBaseVars{
    "DATABASE_URL",  "MIGRATION_DATABASE_URL", "REDIS_URL", "OAUTH_ISSUER_URL",
    "BACKEND_IMAGE", "FRONTEND_IMAGE",         "IMAGE_TAG", "BACKEND_PORT",
    "FRONTEND_PORT", "API_V1_PREFIX",          "LOG_LEVEL", "ALLOWED_HOSTS",
    "CORS_ORIGINS"};
const std::vector<std::string> kResourceVars{
    "BACKEND_CPU_LIMIT",          "BACKEND_MEMORY_LIMIT",       "BACKEND_CPU_RESERVATION",
    "BACKEND_MEMORY_RESERVATION", "FRONTEND_CPU_LIMIT",         "FRONTEND_MEMORY_LIMIT",
    "FRONTEND_CPU_RESERVATION",   "FRONTEND_MEMORY_RESERVATION"};

}  // namespace

TEST_CASE("the example analyses cleanly for every flag combination") {
  for (const char* sentry : {"no", "yes"}) {
    for (const char* otel : {"false", "true"}) {
      CAPTURE(sentry, otel);
      const Analysis a = analyze_text(
          read_example(), {{"include_sentry", sentry}, {"include_observability", otel}});
      CHECK_FALSE(a.parse_errors);
      CHECK(a.rendered_in_full() == "");

      std::vector<std::string> expected = kBaseVars;
      if (std::string(sentry) == "yes") expected.push_back("SENTRY_DSN");
      if (std::string(otel) == "true") expected.push_back("OTEL_EXPORTER_OTLP_ENDPOINT");
      expected.insert(expected.end(), kResourceVars.begin(), kResourceVars.end());
      CHECK(env_names(a.model) == expected);
      // Env order is the env example's order; the sections cover every variable once.
      CHECK(ordered_section_vars(a.model) == expected);

      std::vector<std::string> backend_env;
      for (const auto& [key, value] : a.service("backend").environment)
        backend_env.emplace_back(key);
      std::vector<std::string> expected_env{"ENV",
                                            "DEBUG",
                                            "LOG_LEVEL",
                                            "DATABASE_URL",
                                            "MIGRATION_DATABASE_URL",
                                            "REDIS_URL",
                                            "API_V1_PREFIX",
                                            "OAUTH_ISSUER_URL",
                                            "ALLOWED_HOSTS",
                                            "CORS_ORIGINS"};
      if (std::string(sentry) == "yes") {
        expected_env.insert(expected_env.end(), {"SENTRY_DSN", "SENTRY_ENVIRONMENT"});
      }
      if (std::string(otel) == "true") {
        expected_env.insert(expected_env.end(),
                            {"OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT"});
      }
      CHECK(backend_env == expected_env);
    }
  }
}

TEST_CASE("the example means what the card's templates mean") {
  const Analysis a = analyze_text(read_example(), {{"include_sentry", "yes"}});
  REQUIRE(a.rendered_in_full() == "");
  const model::Deployment& d = a.model;
  CHECK(d.project == "acme_shop");
  CHECK(d.title == "Acme Shop");

  SECTION("variables") {
    using P = model::EnvVar::Presence;
    CHECK(a.var("DATABASE_URL").presence == P::Required);
    CHECK(a.var("DATABASE_URL").secret);
    CHECK(a.var("DATABASE_URL").type->kind == model::TypeKind::Url);
    CHECK(a.var("DATABASE_URL").type->options == std::vector<std::string>{"postgresql+asyncpg"});
    CHECK(a.var("DATABASE_URL").example ==
          "postgresql+asyncpg://app_user:CHANGE_ME@db.example.com:5432/acme_shop");
    CHECK(lines(a.var("DATABASE_URL").doc) ==
          std::vector<std::string_view>{
              "Database Connection (PostgreSQL)",
              "Format: postgresql+asyncpg://user:password@host:port/database",
              "Use a managed database service (RDS, Cloud SQL, Azure Database) in production"});
    CHECK(a.var("REDIS_URL").type->options == std::vector<std::string>{"redis", "rediss"});
    CHECK(a.var("OAUTH_ISSUER_URL").example == "https://auth.example.com/realms/acme");
    CHECK_FALSE(a.var("OAUTH_ISSUER_URL").secret);
    CHECK(a.var("BACKEND_IMAGE").default_value == "ghcr.io/your-org/acme_shop-backend");
    CHECK(a.var("FRONTEND_IMAGE").default_value == "ghcr.io/your-org/acme_shop-frontend");
    CHECK(a.var("IMAGE_TAG").default_value == "latest");
    CHECK(a.var("BACKEND_PORT").default_value == "8000");
    CHECK(a.var("FRONTEND_PORT").default_value == "80");
    CHECK(a.var("API_V1_PREFIX").default_value == "/api/v1");
    CHECK(a.var("LOG_LEVEL").default_value == "info");
    CHECK(a.var("LOG_LEVEL").type->options ==
          std::vector<std::string>{"debug", "info", "warning", "error"});
    CHECK(a.var("ALLOWED_HOSTS").default_value == "*");
    CHECK(a.var("ALLOWED_HOSTS").example == "api.example.com,app.example.com");
    CHECK(a.var("CORS_ORIGINS").presence == P::Optional);
    CHECK(a.var("CORS_ORIGINS").example == "https://app.example.com");
    CHECK(a.var("SENTRY_DSN").presence == P::Optional);
    CHECK(lines(a.var("SENTRY_DSN").doc) ==
          std::vector<std::string_view>{"Sentry Error Tracking (optional)"});
    const std::vector<std::pair<std::string, std::string>> derived{
        {"BACKEND_CPU_LIMIT", "1.0"},        {"BACKEND_MEMORY_LIMIT", "512M"},
        {"BACKEND_CPU_RESERVATION", "0.25"}, {"BACKEND_MEMORY_RESERVATION", "256M"},
        {"FRONTEND_CPU_LIMIT", "0.5"},       {"FRONTEND_MEMORY_LIMIT", "128M"},
        {"FRONTEND_CPU_RESERVATION", "0.1"}, {"FRONTEND_MEMORY_RESERVATION", "64M"}};
    for (const auto& [name, value] : derived) {
      CAPTURE(name);
      CHECK(a.var(name).derived);
      CHECK(a.var(name).presence == P::Defaulted);
      CHECK(a.var(name).default_value == value);
    }
    CHECK(a.var("BACKEND_CPU_LIMIT").type->kind == model::TypeKind::Cpu);
    CHECK(a.var("BACKEND_MEMORY_LIMIT").type->kind == model::TypeKind::Memory);
  }

  SECTION("sections and groups") {
    REQUIRE(d.sections.size() == 3);
    CHECK(d.sections[0].title == "Required configuration");
    CHECK(d.sections[0].groups.size() == 4);
    CHECK(d.sections[0].groups[0].heading.empty());
    CHECK(d.sections[1].title == "Optional configuration");
    REQUIRE(d.sections[1].groups.size() == 5);
    CHECK(lines(d.sections[1].groups[0].heading) ==
          std::vector<std::string_view>{"Container Images", "Override if using a custom registry"});
    CHECK(lines(d.sections[1].groups[1].heading) == std::vector<std::string_view>{"Service Ports"});
    CHECK(d.sections[1].groups[4].heading.empty());  // SENTRY_DSN: its doc is its own
    CHECK(d.sections[2].title == "Resource limits");
    REQUIRE(d.sections[2].groups.size() == 2);
    CHECK(lines(d.sections[2].groups[0].heading) ==
          std::vector<std::string_view>{"Backend Resources"});
    CHECK(lines(d.sections[2].groups[1].heading) ==
          std::vector<std::string_view>{"Frontend Resources"});
  }

  SECTION("services") {
    REQUIRE(d.services.size() == 2);
    CHECK(d.services[0].name == "backend");
    CHECK(d.services[1].name == "frontend");
    const model::Service& backend = d.services[0];
    CHECK(show(d, backend.image) == "${BACKEND_IMAGE}:${IMAGE_TAG}");
    CHECK_FALSE(backend.extras->container_name);
    CHECK(backend.restart == "always");
    CHECK(show(d, backend.environment[0].second) == "production");
    CHECK(show(d, backend.environment[1].second) == "false");
    CHECK(show(d, backend.environment[2].second) == "${LOG_LEVEL}");
    REQUIRE(backend.ports.size() == 1);
    CHECK(show(d, backend.ports[0].published) == "${BACKEND_PORT}");
    CHECK(backend.ports[0].target == 8000);
    CHECK(backend.ports[0].protocol.empty());
    REQUIRE(backend.healthcheck);
    CHECK(backend.healthcheck->test ==
          std::vector<std::string>{"CMD", "curl", "-f", "http://localhost:8000/api/v1/health"});
    CHECK(backend.healthcheck->interval == "30s");
    CHECK(backend.healthcheck->timeout == "10s");
    CHECK(backend.healthcheck->retries == 3);
    CHECK(backend.healthcheck->start_period == "30s");
    REQUIRE(backend.limits);
    CHECK(show(d, *backend.limits->cpus) == "${BACKEND_CPU_LIMIT}");
    CHECK(show(d, *backend.limits->memory) == "${BACKEND_MEMORY_LIMIT}");
    REQUIRE(backend.reservations);
    CHECK(show(d, *backend.reservations->cpus) == "${BACKEND_CPU_RESERVATION}");
    CHECK(show(d, *backend.reservations->memory) == "${BACKEND_MEMORY_RESERVATION}");
    REQUIRE(backend.restart_policy);
    CHECK(backend.restart_policy->condition == "on-failure");
    CHECK(backend.restart_policy->delay == "5s");
    CHECK(backend.restart_policy->max_attempts == 3);
    CHECK(backend.restart_policy->window == "120s");
    REQUIRE(backend.logging);
    CHECK(backend.logging->driver == "json-file");
    CHECK(backend.logging->options ==
          std::vector<std::pair<std::string, std::string>>{{"max-size", "10m"}, {"max-file", "5"}});
    CHECK(backend.networks == std::vector<std::string>{"main"});
    CHECK(backend.depends_on.empty());

    const model::Service& frontend = d.services[1];
    CHECK(show(d, frontend.image) == "${FRONTEND_IMAGE}:${IMAGE_TAG}");
    CHECK(frontend.healthcheck->test ==
          std::vector<std::string>{"CMD", "curl", "-f", "http://localhost:80/"});
    CHECK(frontend.healthcheck->timeout == "5s");
    REQUIRE(frontend.depends_on.size() == 1);
    CHECK(frontend.depends_on[0].service == "backend");
    CHECK(frontend.depends_on[0].condition == "service_healthy");
  }

  SECTION("networks") {
    REQUIRE(d.networks.size() == 1);
    CHECK(d.networks[0].key == "main");
    CHECK(d.networks[0].name == "acme_shop-network");
    CHECK(d.networks[0].driver == "bridge");
    CHECK_FALSE(d.networks[0].internal);
  }
}

TEST_CASE("params change the example's model through substitution") {
  const Analysis a = analyze_text(
      read_example(),
      {{"project_slug", "shop"}, {"backend_api_prefix", "/v2"}, {"project_name", "Shop"}});
  REQUIRE(a.rendered_in_full() == "");
  CHECK(a.model.project == "shop");
  CHECK(a.model.title == "Shop");
  CHECK(a.var("BACKEND_IMAGE").default_value == "ghcr.io/your-org/shop-backend");
  CHECK(a.var("API_V1_PREFIX").default_value == "/v2");
  CHECK(a.model.networks[0].name == "shop-network");
  CHECK(a.service("backend").healthcheck->test.back() == "http://localhost:8000/v2/health");
}

TEST_CASE("the model dump of the example is stable") {
  const std::string path =
      std::string(DEPLOYC_SOURCE_DIR) + "/tests/sema/golden/acme-shop.model.txt";
  const Analysis a =
      analyze_text(read_example(), {{"include_sentry", "yes"}, {"include_observability", "yes"}});
  REQUIRE(a.rendered_in_full() == "");
  const std::string dumped = sema::dump(a.model);
  CHECK(dumped == sema::dump(analyze_text(read_example(), {{"include_sentry", "yes"},
                                                           {"include_observability", "yes"}})
                                 .model));
  if (std::getenv("DEPLOYC_BLESS")) {
    std::ofstream(path, std::ios::binary) << dumped;
  }
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream golden;
  golden << in.rdbuf();
  CHECK(dumped == golden.str());
}
