// The P4-05 seed's deployment (backend + frontend, Sentry on) as a hand-built model, the way
// sema hands it to lowering. Shared by the lower and emit tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sema/model.hpp"

namespace deployc::testing {

class ModelBuilder {
 public:
  model::Deployment d;

  std::size_t var(std::string name, model::EnvVar::Presence presence, std::string default_value,
                  std::optional<std::string> example = std::nullopt, bool secret = false,
                  std::vector<std::string> doc = {}) {
    // A hand-built model has no sources: every text is kept in the deployment's store.
    model::EnvVar v;
    v.name = d.text.keep(name);
    v.presence = presence;
    v.default_value = d.text.keep(default_value);
    if (example) v.example = d.text.keep(*example);
    v.secret = secret;
    v.doc = lines(doc);
    d.env.push_back(std::move(v));
    return d.env.size() - 1;
  }
  /// Comment lines (a variable's doc, a group's heading) kept in the deployment's stores.
  model::Lines lines(const std::vector<std::string>& texts) {
    const std::span<std::string_view> out = d.lines.make(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) out[i] = d.text.keep(texts[i]);
    return out;
  }
  std::size_t required(std::string name, std::string example, bool secret,
                       std::vector<std::string> doc) {
    return var(std::move(name), model::EnvVar::Presence::Required, "", std::move(example), secret,
               std::move(doc));
  }
  std::size_t defaulted(std::string name, std::string value,
                        std::optional<std::string> example = std::nullopt,
                        std::vector<std::string> doc = {}) {
    return var(std::move(name), model::EnvVar::Presence::Defaulted, std::move(value),
               std::move(example), false, std::move(doc));
  }
  std::size_t optional(std::string name, std::optional<std::string> example = std::nullopt,
                       std::vector<std::string> doc = {}) {
    return var(std::move(name), model::EnvVar::Presence::Optional, "", std::move(example), false,
               std::move(doc));
  }
};

inline model::Template lit(std::string text) {
  model::Template t;
  t.append(std::move(text));
  return t;
}
inline model::Template ref(std::size_t var) {
  model::Template t;
  t.append(model::VarRef{var});
  return t;
}
inline model::Template image(std::size_t repo, std::size_t tag) {
  model::Template t;
  t.append(model::VarRef{repo});
  t.append(std::string(":"));
  t.append(model::VarRef{tag});
  return t;
}

inline model::Deployment seed_model(bool sentry = true) {
  using Group = model::EnvGroup;
  ModelBuilder b;
  b.d.project = "acme_shop";
  b.d.title = "Acme Shop";

  const auto database_url = b.required(
      "DATABASE_URL", "postgresql+asyncpg://app_user:CHANGE_ME@db.example.com:5432/acme_shop", true,
      {"Database Connection (PostgreSQL)",
       "Format: postgresql+asyncpg://user:password@host:port/database",
       "Use a managed database service (RDS, Cloud SQL, Azure Database) in production"});
  const auto migration_url = b.required(
      "MIGRATION_DATABASE_URL",
      "postgresql+asyncpg://migration_user:CHANGE_ME@db.example.com:5432/acme_shop", true,
      {"Migration Database URL (with BYPASSRLS privileges)",
       "Used only for running migrations - can be same as DATABASE_URL for managed services"});
  const auto redis_url =
      b.required("REDIS_URL", "redis://default:CHANGE_ME@redis.example.com:6379/0", true,
                 {"Redis Connection", "Format: redis://default:password@host:port/db",
                  "Use a managed Redis service (ElastiCache, Memorystore) in production"});
  const auto oauth =
      b.required("OAUTH_ISSUER_URL", "https://auth.example.com/realms/acme", false,
                 {"OAuth/OIDC Issuer URL", "Your Keycloak realm URL or other OIDC provider"});

  const auto backend_image = b.defaulted("BACKEND_IMAGE", "ghcr.io/your-org/acme_shop-backend");
  const auto frontend_image = b.defaulted("FRONTEND_IMAGE", "ghcr.io/your-org/acme_shop-frontend");
  const auto image_tag = b.defaulted("IMAGE_TAG", "latest");
  const auto backend_port = b.defaulted("BACKEND_PORT", "8000");
  const auto frontend_port = b.defaulted("FRONTEND_PORT", "80");
  const auto api_prefix = b.defaulted("API_V1_PREFIX", "/api/v1");
  const auto log_level = b.defaulted("LOG_LEVEL", "info");
  const auto allowed_hosts = b.defaulted("ALLOWED_HOSTS", "*", "api.example.com,app.example.com",
                                         {"Comma-separated list of allowed hosts"});
  const auto cors = b.optional("CORS_ORIGINS", "https://app.example.com",
                               {"Comma-separated list of allowed CORS origins"});
  std::size_t sentry_dsn = 0;
  if (sentry) sentry_dsn = b.optional("SENTRY_DSN");

  const auto be_cpu = b.defaulted("BACKEND_CPU_LIMIT", "1.0");
  const auto be_mem = b.defaulted("BACKEND_MEMORY_LIMIT", "512M");
  const auto be_cpu_res = b.defaulted("BACKEND_CPU_RESERVATION", "0.25");
  const auto be_mem_res = b.defaulted("BACKEND_MEMORY_RESERVATION", "256M");
  const auto fe_cpu = b.defaulted("FRONTEND_CPU_LIMIT", "0.5");
  const auto fe_mem = b.defaulted("FRONTEND_MEMORY_LIMIT", "128M");
  const auto fe_cpu_res = b.defaulted("FRONTEND_CPU_RESERVATION", "0.1");
  const auto fe_mem_res = b.defaulted("FRONTEND_MEMORY_RESERVATION", "64M");

  b.d.sections.push_back({"Required configuration",
                          {Group{{}, {database_url}}, Group{{}, {migration_url}},
                           Group{{}, {redis_url}}, Group{{}, {oauth}}}});
  model::EnvSection optional{
      "Optional configuration",
      {Group{b.lines({"Container Images", "Override if using a custom registry"}),
             {backend_image, frontend_image, image_tag}},
       Group{b.lines({"Service Ports"}), {backend_port, frontend_port}},
       Group{b.lines({"API Configuration"}), {api_prefix, log_level}},
       Group{b.lines({"Security Configuration"}), {allowed_hosts, cors}}}};
  if (sentry)
    optional.groups.push_back(Group{b.lines({"Sentry Error Tracking (optional)"}), {sentry_dsn}});
  b.d.sections.push_back(std::move(optional));
  b.d.sections.push_back(
      {"Resource limits",
       {Group{b.lines({"Backend Resources"}), {be_cpu, be_mem, be_cpu_res, be_mem_res}},
        Group{b.lines({"Frontend Resources"}), {fe_cpu, fe_mem, fe_cpu_res, fe_mem_res}}}});

  b.d.networks.push_back({"main", "acme_shop-network", "bridge", false});

  const auto common = [&](model::Service& s) {
    s.restart = "always";
    s.restart_policy = model::RestartPolicy{"on-failure", "5s", "120s", 3};
    s.logging = model::Logging{"json-file", {{"max-size", "10m"}, {"max-file", "5"}}};
    s.networks = {"main"};
  };

  model::Service backend;
  backend.name = "backend";
  backend.image = image(backend_image, image_tag);
  common(backend);
  backend.environment = {{"ENV", lit("production")},
                         {"DEBUG", lit("false")},
                         {"LOG_LEVEL", ref(log_level)},
                         {"DATABASE_URL", ref(database_url)},
                         {"MIGRATION_DATABASE_URL", ref(migration_url)},
                         {"REDIS_URL", ref(redis_url)},
                         {"API_V1_PREFIX", ref(api_prefix)},
                         {"OAUTH_ISSUER_URL", ref(oauth)},
                         {"ALLOWED_HOSTS", ref(allowed_hosts)},
                         {"CORS_ORIGINS", ref(cors)}};
  if (sentry) {
    backend.environment.emplace_back("SENTRY_DSN", ref(sentry_dsn));
    backend.environment.emplace_back("SENTRY_ENVIRONMENT", lit("production"));
  }
  backend.ports.push_back({std::nullopt, ref(backend_port), 8000, ""});
  model::HealthCheck be_health;
  be_health.test = {"CMD", "curl", "-f", "http://localhost:8000/api/v1/health"};
  be_health.interval = "30s";
  be_health.timeout = "10s";
  be_health.retries = 3;
  be_health.start_period = "30s";
  backend.healthcheck = be_health;
  backend.limits = model::Resources{ref(be_cpu), ref(be_mem), std::nullopt};
  backend.reservations = model::Resources{ref(be_cpu_res), ref(be_mem_res), std::nullopt};

  model::Service frontend;
  frontend.name = "frontend";
  frontend.image = image(frontend_image, image_tag);
  common(frontend);
  frontend.environment = {{"NODE_ENV", lit("production")}};
  frontend.ports.push_back({std::nullopt, ref(frontend_port), 80, ""});
  model::HealthCheck fe_health;
  fe_health.test = {"CMD", "curl", "-f", "http://localhost:80/"};
  fe_health.interval = "30s";
  fe_health.timeout = "5s";
  fe_health.retries = 3;
  fe_health.start_period = "10s";
  frontend.healthcheck = fe_health;
  frontend.limits = model::Resources{ref(fe_cpu), ref(fe_mem), std::nullopt};
  frontend.reservations = model::Resources{ref(fe_cpu_res), ref(fe_mem_res), std::nullopt};
  frontend.depends_on.push_back({"backend", "service_healthy", false});

  b.d.services.push_back(std::move(backend));
  b.d.services.push_back(std::move(frontend));
  return std::move(b.d);
}

}  // namespace deployc::testing
