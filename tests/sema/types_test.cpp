// Value types: the pure checks (sema/types.hpp), then each invalid-value code through a spec.
#include <catch2/catch.hpp>

#include "harness.hpp"
#include "sema/types.hpp"

using namespace deployc;
using namespace deployc::testing;
using model::TypeKind;

namespace {

model::Type t(TypeKind kind, std::vector<std::string> options = {}) {
  return model::Type{kind, std::move(options), {}};
}

bool ok(const model::Type& type, std::string_view text) {
  return !sema::check_text(type, text);
}

std::string help_of(const model::Type& type, std::string_view text) {
  auto p = sema::check_text(type, text);
  return p && p->help ? *p->help : std::string();
}

/// One variable of `type` with default `value`, used by a service.
std::string spec_with_default(const std::string& type, const std::string& value) {
  return "section \"S\" {\n  env V: " + type + " = " + value +
         "\n}\nservice app {\n  image \"nginx:1.27\"\n  environment { V }\n}\n";
}

}  // namespace

TEST_CASE("int, port, cpu") {
  CHECK(ok(t(TypeKind::Int), "-3"));
  CHECK_FALSE(ok(t(TypeKind::Int), "3.5"));
  CHECK(ok(t(TypeKind::Port), "1"));
  CHECK(ok(t(TypeKind::Port), "65535"));
  CHECK_FALSE(ok(t(TypeKind::Port), "0"));
  CHECK_FALSE(ok(t(TypeKind::Port), "65536"));
  CHECK(ok(t(TypeKind::Cpu), "0.25"));
  CHECK(ok(t(TypeKind::Cpu), "2"));
  CHECK_FALSE(ok(t(TypeKind::Cpu), "0"));
  CHECK(help_of(t(TypeKind::Cpu), "0.0") == "a cpu count must be greater than 0");
  CHECK_FALSE(ok(t(TypeKind::Cpu), "1c"));
  CHECK(sema::parse_cpu("0.5") == 0.5);
}

TEST_CASE("memory: Compose units, binary multipliers, Kubernetes units rejected with a hint") {
  for (const char* good : {"512M", "1G", "10m", "64k", "100", "2gb", "512b"}) {
    CAPTURE(good);
    CHECK(ok(t(TypeKind::Memory), good));
  }
  CHECK(sema::parse_memory_bytes("1G") == 1024LL * 1024 * 1024);
  CHECK(sema::parse_memory_bytes("512m") == 512LL * 1024 * 1024);
  CHECK(help_of(t(TypeKind::Memory), "512Mi") ==
        "Compose reads binary units already: write `512M`");
  CHECK(help_of(t(TypeKind::Memory), "1GiB") == "Compose reads binary units already: write `1G`");
  CHECK(help_of(t(TypeKind::Memory), "1.5G") == "use a whole number: `1536M`");
  CHECK_FALSE(ok(t(TypeKind::Memory), "12T"));
}

TEST_CASE("durations: us ms s m h, combinable, at least 1ms") {
  for (const char* good : {"30s", "1m30s", "500ms", "1h5m30s20ms", "1.5s", "1000us"}) {
    CAPTURE(good);
    CHECK(ok(t(TypeKind::Duration), good));
  }
  CHECK(sema::parse_duration_us("1m30s") == 90e6);
  CHECK(help_of(t(TypeKind::Duration), "30") ==
        "add a unit: `30s` (units: `us`, `ms`, `s`, `m`, `h`)");
  CHECK(help_of(t(TypeKind::Duration), "500us") == "durations must be at least `1ms`");
  CHECK_FALSE(ok(t(TypeKind::Duration), "1d"));
  CHECK_FALSE(ok(t(TypeKind::Duration), "s"));
}

TEST_CASE("bool: only true and false, with a hint for YAML 1.1 words") {
  CHECK(ok(t(TypeKind::Bool), "true"));
  CHECK(ok(t(TypeKind::Bool), "false"));
  CHECK(help_of(t(TypeKind::Bool), "yes") == "write `true`");
  CHECK(help_of(t(TypeKind::Bool), "off") == "write `false`");
  CHECK(help_of(t(TypeKind::Bool), "True") == "write `true`");
}

TEST_CASE("url: a scheme from the list") {
  const auto pg = t(TypeKind::Url, {"postgresql+asyncpg", "postgresql"});
  CHECK(ok(pg, "postgresql+asyncpg://u:CHANGE_ME@h:5432/db"));
  CHECK(ok(pg, "POSTGRESQL://h/db"));
  CHECK(ok(t(TypeKind::Url), "anything://x"));
  CHECK(sema::check_text(pg, "mysql://h/db")->code == diag::Code::UrlSchemeNotAllowed);
  CHECK(help_of(pg, "mysql://h/db") == "allowed schemes: `postgresql+asyncpg`, `postgresql`");
  CHECK(sema::check_text(pg, "h/db")->code == diag::Code::InvalidUrl);
}

TEST_CASE("host, path, enum, list") {
  CHECK(ok(t(TypeKind::Host), "db.example.com"));
  CHECK(ok(t(TypeKind::Host), "10.0.0.1"));
  CHECK(ok(t(TypeKind::Host), "::1"));
  CHECK_FALSE(ok(t(TypeKind::Host), "db_example.com"));
  CHECK_FALSE(ok(t(TypeKind::Host), "-db"));
  CHECK(ok(t(TypeKind::Path), "/api"));
  CHECK_FALSE(ok(t(TypeKind::Path), "api"));
  const auto level = t(TypeKind::Enum, {"debug", "info"});
  CHECK(ok(level, "info"));
  CHECK(help_of(level, "inf") == "did you mean `info`?");
  model::Type hosts = t(TypeKind::List);
  hosts.element.push_back(t(TypeKind::Host));
  CHECK(ok(hosts, "a.com, b.com"));
  CHECK(ok(hosts, ""));
  CHECK_FALSE(ok(hosts, "a.com,b_c"));
}

TEST_CASE("image references follow the Docker reference grammar") {
  for (const char* good : {"nginx", "ghcr.io/your-org/acme_shop-backend", "localhost:5000/a/b",
                           "registry.example.com/a__b/c.d", "Docker.io/library/nginx"}) {
    CAPTURE(good);
    CHECK_FALSE(sema::check_image(good, false));
  }
  CHECK_FALSE(sema::check_image("nginx:1.27", true));
  CHECK_FALSE(sema::check_image(
      "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true));
  CHECK(sema::check_image("ghcr.io/OWNER/app", false)->help ==
        "repositories are lowercase: write `ghcr.io/owner/app`");
  CHECK(sema::check_image("nginx:1.27", false)->help ==
        "an `image` value is a repository without tag: put the tag in its own variable");
  CHECK(sema::check_image("a/-b", false));
  CHECK(sema::check_image("a/b..c", false));
  CHECK(sema::check_image("nginx:-bad", true));
}

TEST_CASE("project names: valid, and what Compose would normalise them to") {
  CHECK(sema::is_valid_project_name("acme_shop"));
  CHECK(sema::is_valid_project_name("1-a"));
  CHECK_FALSE(sema::is_valid_project_name("_a"));
  CHECK_FALSE(sema::is_valid_project_name("Acme"));
  CHECK(sema::normalise_project_name("_My App!") == "myapp");
}

TEST_CASE("credential-looking literals") {
  CHECK(sema::looks_like_credential("postgresql://user:pass@db/x"));
  CHECK(sema::looks_like_credential("host=db PASSWORD=x"));
  CHECK(sema::looks_like_credential("-----BEGIN PRIVATE KEY-----"));
  CHECK_FALSE(sema::looks_like_credential("postgresql://user@db/x"));
  CHECK_FALSE(sema::looks_like_credential("https://example.com/a:b"));
}

TEST_CASE("each invalid value is one diagnostic at the value") {
  struct Case {
    std::string type, value, expected;
  };
  const std::vector<Case> cases{
      {"int", "\"x\"", "D0304 2:16 `x` is not an integer\n"},
      {"port", "70000", "D0305 2:17 `70000` is not a port number (1-65535)\n"},
      {"duration", "30", "D0306 2:21 `30` is not a duration\n"},
      {"memory", "512Mi", "D0307 2:19 `512Mi` is not a memory size\n"},
      {"cpu", "0", "D0308 2:16 `0` is not a cpu count\n"},
      {"bool", "\"yes\"", "D0309 2:17 `yes` is not a bool\n"},
      {"url<https>", "\"example.com\"", "D0310 2:23 `example.com` is not a url\n"},
      {"url<https>", "\"http://x\"", "D0311 2:23 url scheme `http` is not allowed here\n"},
      {"enum(a|b)", "c", "D0312 2:22 `c` is not one of `a`, `b`\n"},
      {"path", "\"api\"", "D0313 2:17 `api` is not an absolute path\n"},
      {"image", "\"ghcr.io/Org/app\"",
       "D0314 2:18 `ghcr.io/Org/app` is not a valid image reference\n"},
      {"host", "\"a_b\"", "D0315 2:17 `a_b` is not a host name or IP address\n"},
      {"string", "latest", "D0303 2:19 expected a string, found identifier `latest`\n"},
      {"port", "[80]", "D0303 2:17 expected a port, found a list\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.type, c.value);
    CHECK(analyze_snippet(spec_with_default(c.type, c.value)).rendered() == c.expected);
  }
}

TEST_CASE("helps of invalid values reach the diagnostic") {
  CHECK(analyze_snippet(spec_with_default("memory", "512Mi")).rendered_in_full() ==
        "D0307 2:19 `512Mi` is not a memory size\n"
        "  help: Compose reads binary units already: write `512M`\n");
  CHECK(analyze_snippet(spec_with_default("bool", "\"on\"")).rendered_in_full() ==
        "D0309 2:17 `on` is not a bool\n"
        "  help: write `true`\n");
  CHECK(analyze_snippet(spec_with_default("url<postgresql+asyncpg, postgresql>", "\"mysql://h\""))
            .rendered_in_full() ==
        "D0311 2:48 url scheme `mysql` is not allowed here\n"
        "  help: allowed schemes: `postgresql+asyncpg`, `postgresql`\n");
  CHECK(analyze_snippet(spec_with_default("string", "latest")).rendered_in_full() ==
        "D0303 2:19 expected a string, found identifier `latest`\n"
        "  help: write a quoted string: `\"latest\"`\n");
}

TEST_CASE("examples are checked against the type too") {
  CHECK(analyze_snippet("section \"S\" {\n  env V: port example=\"x\"\n}\n"
                        "service app {\n  image \"nginx:1.27\"\n  environment { V }\n}\n")
            .rendered() == "D0305 2:23 `x` is not a port number (1-65535)\n");
}
