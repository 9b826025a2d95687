// Compose features beyond the seed: goldens of what each lowers to, and the checks behind them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "../presets/stdlib_harness.hpp"

using namespace deployc;
using namespace deployc::testing;
namespace fs = std::filesystem;

namespace {

Compiled snippet(const std::string& body) {
  return compile_with_modules("app.deploy", "project \"p\"\n" + body, {});
}

}  // namespace

TEST_CASE("every feature case lowers to its goldens") {
  std::vector<fs::path> cases;
  for (const auto& entry :
       fs::directory_iterator(fs::path(DEPLOYC_SOURCE_DIR) / "tests/features/cases")) {
    if (entry.path().extension() == ".deploy") cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() >= 17);
  for (const auto& path : cases) {
    const std::string name = path.stem().string();
    DYNAMIC_SECTION(name) {
      const Compiled c = compile_with_modules(name + ".deploy", read_text(path.string()));
      CHECK(c.rendered_all() == "");
      REQUIRE(c.ok);
      const std::string base = "tests/features/cases/" + name;
      CHECK(compare_golden(base + ".compose.yml", c.compose) == "");
      CHECK(compare_golden(base + ".env", c.env) == "");
      if (!c.build.empty() || fs::exists(fs::path(DEPLOYC_SOURCE_DIR) / (base + ".build.yml"))) {
        CHECK(compare_golden(base + ".build.yml", c.build) == "");
      }
    }
  }
}

TEST_CASE("command: one string is split like a shell; a list is kept") {
  const Compiled c = snippet(R"(service a {
  image "x:1"
  command "sh -c 'echo \"hi there\"' --flag=a\\ b"
  entrypoint ["tini", "--"]
}
)");
  REQUIRE(c.rendered() == "");
  std::vector<std::string> words;
  for (const auto& t : c.model.services[0].command)
    words.push_back(std::get<std::string>(t.pieces()[0]));
  CHECK(words == std::vector<std::string>{"sh", "-c", "echo \"hi there\"", "--flag=a b"});
  CHECK(c.model.services[0].extras->entrypoint.size() == 2);
  CHECK(snippet("service a {\n  image \"x:1\"\n  command \"sh -c 'oops\"\n}\n").rendered() ==
        "D0317 app.deploy:4:11 `sh -c 'oops` is not a valid command: a quote is not closed\n"
        "  help: close the quote, or write the command as a list: `[\"sh\", \"-c\", \"…\"]`\n");
  CHECK(snippet("service a {\n  image \"x:1\"\n  command [celery, \"worker\"]\n}\n")
            .rendered()
            .starts_with("D0303 app.deploy:4:12 expected a quoted word, found `celery`"));
}

TEST_CASE("bind mounts are rejected, named volumes must be declared") {
  CHECK(snippet("service a {\n  image \"x:1\"\n  volume \"./data:/data\"\n}\n").rendered() ==
        "D0602 app.deploy:4:10 bind mount `./data` in a production spec\n"
        "  help: declare a named volume at the top level, `volume data {}`, and mount it: "
        "`volume data \"/path\"`\n");
  CHECK(snippet("service a {\n  image \"x:1\"\n  volume \"/srv/data:/data\"\n}\n")
            .rendered()
            .starts_with("D0602 app.deploy:4:10 bind mount `/srv/data` in a production spec"));
  CHECK(snippet("volume pgdata\nservice a {\n  image \"x:1\"\n  volume pgdat \"/data\"\n}\n")
            .rendered() ==
        "D0219 app.deploy:5:10 unknown volume `pgdat`\n  help: did you mean `pgdata`?\n");
  CHECK(snippet("volume v\nservice a {\n  image \"x:1\"\n  volume v \"data\"\n}\n")
            .rendered()
            .starts_with("D0313 app.deploy:5:12 `data` is not an absolute path"));
}

TEST_CASE("secrets and configs: declared, one source, granted by name") {
  CHECK(snippet("secret s\nservice a {\n  image \"x:1\"\n}\n").rendered() ==
        "D0212 app.deploy:2:8 `secret s` needs a source: `{ environment VAR }` or "
        "`{ file \"./path\" }`\n");
  CHECK(snippet("secret s { file \"./a\"; environment X }\nservice a {\n  image \"x:1\"\n}\n")
            .rendered() ==
        "D0207 app.deploy:2:24 duplicate secret source `environment`\n"
        "  label app.deploy:2:12 the source is already set here\n"
        "  help: a secret reads exactly one `environment` or `file`\n");
  CHECK(snippet("secret s { environment NOPE }\nservice a {\n  image \"x:1\"\n}\n")
            .rendered()
            .starts_with("D0501 app.deploy:2:24 env var `NOPE` is not declared"));
  CHECK(snippet("secret tls { file \"./k\" }\nservice a {\n  image \"x:1\"\n  secrets tsl\n}\n")
            .rendered() ==
        "D0220 app.deploy:5:11 unknown secret `tsl`\n  help: did you mean `tls`?\n");
  CHECK(snippet("config c { file \"./k\" }\nservice a {\n  image \"x:1\"\n  configs c d "
                "target=\"/etc/c\"\n}\n")
            .rendered()
            .starts_with("D0213 app.deploy:5:15 unexpected argument `target=\"/etc/c\"`"));
}

TEST_CASE("replicas conflict with an explicit container_name") {
  const Compiled c = snippet(R"(service a {
  image "x:1"
  container_name "fixed"
  replicas 2
}
)");
  CHECK(c.rendered() ==
        "D0603 app.deploy:5:12 `replicas 2` conflicts with `container_name`\n"
        "  label app.deploy:4:3 `container_name` set here\n"
        "  help: remove `container_name`: each replica needs its own name, which Compose gives "
        "it\n");
  // One replica keeps the fixed name.
  CHECK(snippet("service a {\n  image \"x:1\"\n  container_name \"fixed\"\n  replicas 1\n}\n")
            .rendered() == "");
}

TEST_CASE("build needs an image the production file can pull") {
  CHECK(snippet("service a {\n  build context=\"./a\"\n}\n").rendered() ==
        "D0216 app.deploy:2:9 service `a` has no `image`\n"
        "  help: the production file pulls `image`, and `build` only tells CI how to build it: "
        "add `image repo=VAR tag=VAR` naming where CI pushes it\n");
  const Compiled c = snippet(
      "service a {\n  image \"ghcr.io/a/b:1\"\n  build context=\"./a\" { arg "
      "TOKEN=\"password=hunter2\" }\n}\n");
  CHECK(c.rendered() ==
        "D0601 app.deploy:4:35 the literal value of `TOKEN` looks like a credential\n"
        "  help: pass credentials to the build as build secrets, not args\n");
  const Compiled ok =
      snippet("service a {\n  image \"ghcr.io/a/b:1\"\n  build context=\"./a\"\n}\n");
  REQUIRE(ok.ok);
  CHECK(ok.compose.find("build:") == std::string::npos);
  CHECK(ok.build.find("target: production") != std::string::npos);
}

TEST_CASE("values of the new settings are type-checked") {
  auto first = [](const std::string& body) {
    const std::string r = snippet("service a {\n  image \"x:1\"\n  " + body + "\n}\n").rendered();
    return r.substr(0, r.find('\n'));
  };
  CHECK(first("stop_grace_period soon") ==
        "D0303 app.deploy:4:21 expected a duration, found identifier `soon`");
  CHECK(first("stop_signal TERM") == "D0317 app.deploy:4:15 `TERM` is not a valid signal");
  CHECK(
      first("ulimits nofile soft=10 hard=5") ==
      "D0321 app.deploy:4:23 `10` is out of range: the soft limit cannot exceed the hard limit 5");
  CHECK(first("ulimits nofiles 5") == "D0318 app.deploy:4:11 `nofiles` is not a ulimit");
  CHECK(first("cap_drop all") == "D0317 app.deploy:4:12 `all` is not a valid capability");
  CHECK(first("dns \"one.one\"") == "D0316 app.deploy:4:7 `one.one` is not an IP address");
  CHECK(first("extra_hosts db=\"nowhere\"") ==
        "D0316 app.deploy:4:18 `nowhere` is not an IP address");
  CHECK(first("expose 70000") == "D0305 app.deploy:4:10 `70000` is not a port number (1-65535)");
  CHECK(first("read_only maybe") == "D0309 app.deploy:4:13 `maybe` is not a bool");
  CHECK(first("tmpfs \"tmp\"") == "D0317 app.deploy:4:9 `tmp` is not a valid tmpfs mount");
  CHECK(first("user \"root user\"") == "D0317 app.deploy:4:8 `root user` is not a valid user");
  CHECK(first("working_dir \"srv\"") == "D0313 app.deploy:4:15 `srv` is not an absolute path");
  CHECK(first("profile x") == "D0317 app.deploy:4:11 `x` is not a valid profile name");
  CHECK(first("labels { a = b }") ==
        "D0303 app.deploy:4:16 expected a quoted label value, found `b`");
  CHECK(first("restart \"never\"") == "D0318 app.deploy:4:11 `never` is not a restart policy");
  CHECK(first("replicas 1.5") == "D0304 app.deploy:4:12 `1.5` is not an integer");
}

TEST_CASE("a service dropped by a flag is not in the output; a profile keeps it optional") {
  const Compiled off = compile_with_modules(
      "profiles.deploy",
      read_text(std::string(DEPLOYC_SOURCE_DIR) + "/tests/features/cases/profiles.deploy"));
  REQUIRE(off.ok);
  CHECK(off.model.services.size() == 1);
  CHECK(off.model.services[0].extras->profiles == std::vector<std::string>{"debug", "ops"});
  const Compiled on = compile_with_modules(
      "profiles.deploy",
      read_text(std::string(DEPLOYC_SOURCE_DIR) + "/tests/features/cases/profiles.deploy"),
      stdlib_modules(), {{"include_admin", "true"}});
  REQUIRE(on.ok);
  CHECK(on.model.services.size() == 2);
}
