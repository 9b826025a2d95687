#!/usr/bin/env python3
"""deployc in build steps and CI, run for real in temporary directories: imports and the
standard library, --emit, --stdout, --depfile, DEPLOYMENT.md, `dump` and `vars`.

usage: buildsteps_test.py --binary PATH [--source-dir DIR] --case NAME
       buildsteps_test.py --list                 (one case name per line; CTest registers each)

Every case starts from a fresh temporary directory holding examples/acme-shop/app.deploy and
runs the binary there with NO_COLOR=1. Codes checked here: D0724 (imports nested too deep),
D0725 (too many modules), D0920 (`--emit build` without a build); the other import errors
(D0720-D0723, D0726) have tests/diagnostics cases and are checked end to end here as well.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import casekit  # noqa: E402
from casekit import Failure, case, check, read, write  # noqa: E402


OUTPUTS = sorted(["compose.production.yml", ".env.production.example"])

# A small project: a root spec importing a project module and a stdlib module.
MODULE = """## JSON logs, rotated
preset app_logs {
  logging json-file max_size=10m max_file=5
}
"""
PROJECT = """import "./lib/logs"
import "std/restart"

project "demo" {}

section "Configuration" {
  ## Port the web server listens on, on the host
  env WEB_PORT: port = 8080
}

service web {
  image "nginx:1.27"
  publish 80 host=WEB_PORT
  health http port=80 path="/" interval=30s timeout=5s retries=3
  limits cpu=0.5 memory=128M
  use app_logs
  use resilient
}
"""


def make_project(env, folder="proj"):
    write(env.path(folder, "lib", "logs.deploy"), MODULE)
    write(env.path(folder, "app.deploy"), PROJECT)
    return env.path(folder)


# ---- --emit -----------------------------------------------------------------------------------

@case
def emit_selects_outputs(env):
    env.expect(env.run("build", "app.deploy", "-o", "all"), 0)
    check(env.files("all") == OUTPUTS, "default: compose and env", env.files("all"))
    proc = env.expect(env.run("build", "app.deploy", "-o", "c", "--emit", "compose"), 0)
    check(env.files("c") == ["compose.production.yml"], "--emit compose", env.files("c"))
    check(proc.stdout == "wrote c/compose.production.yml\n", "reports the one file", proc.stdout)
    env.expect(env.run("build", "app.deploy", "-o", "ed", "--emit=env,docs"), 0)
    check(env.files("ed") == sorted([".env.production.example", "DEPLOYMENT.md"]),
          "--emit=env,docs", env.files("ed"))
    check(read(env.path("c", "compose.production.yml")) == read(env.path("all", "compose.production.yml")),
          "the selection does not change the bytes")
    env.expect(env.run("build", "app.deploy", "-o", "every", "--emit", "docs,env,compose"), 0)
    check(env.files("every") == sorted(OUTPUTS + ["DEPLOYMENT.md"]), "three outputs", env.files("every"))
    # check compares only what --emit selects.
    os.remove(env.path("c", "compose.production.yml"))
    proc = env.expect(env.run("check", "app.deploy", "-o", "ed", "--emit", "env,docs"), 0)
    check(proc.stdout == "up to date ed/.env.production.example\nup to date ed/DEPLOYMENT.md\n",
          "check --emit", proc.stdout)
    write(env.path("ed", "DEPLOYMENT.md"), "stale\n")
    proc = env.expect(env.run("check", "app.deploy", "-o", "ed", "--emit", "env,docs"), 1)
    check("stale ed/DEPLOYMENT.md" in proc.stdout, "a stale DEPLOYMENT.md is drift", proc.stdout)


@case
def emit_usage_errors(env):
    for args, message in [
        (["build", "--emit", "compose,yaml"], "unknown output `yaml` in `--emit`"),
        (["build", "--emit", "compose,,env"], "`--emit compose,,env` has an empty item"),
        (["vars", "--emit", "compose"], "`--emit` is an option of `build` and `check`"),
    ]:
        proc = env.expect(env.run(*args), 2)
        check(proc.stderr.startswith(f"deployc: error: {message}"), f"{args}", proc.stderr)
    check(env.files() == ["app.deploy"], "nothing written", env.files())


@case
def emit_build_needs_a_build(env):
    proc = env.expect(env.run("build", "app.deploy", "-o", "out", "--emit", "compose,build"), 2)
    check("error[D0920]: `--emit build`, but no service declares a `build`" in proc.stderr,
          "D0920", proc.stderr)
    check(not os.path.exists(env.path("out")), "nothing written")
    spec = env.spec_text.replace('  image repo=BACKEND_IMAGE tag=IMAGE_TAG\n',
                                 '  image repo=BACKEND_IMAGE tag=IMAGE_TAG\n'
                                 '  build context="./backend" target=production\n', 1)
    check(spec != env.spec_text, "test setup: the backend has an image line")
    write(env.path("app.deploy"), spec)
    env.expect(env.run("build", "app.deploy", "-o", "default"), 0)
    check(env.files("default") == sorted(OUTPUTS + ["compose.build.yml"]),
          "a build is emitted by default when a service declares one", env.files("default"))
    env.expect(env.run("build", "app.deploy", "-o", "only", "--emit", "build"), 0)
    check(env.files("only") == ["compose.build.yml"], "--emit build alone", env.files("only"))
    env.expect(env.run("build", "app.deploy", "-o", "nobuild", "--emit", "compose,env"), 0)
    check(env.files("nobuild") == OUTPUTS, "--emit leaves it out", env.files("nobuild"))


# ---- --stdout ---------------------------------------------------------------------------------

@case
def stdout_prints_outputs(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    compose = read(env.path("out", "compose.production.yml"))
    example = read(env.path("out", ".env.production.example"))
    os.mkdir(env.path("out2"))
    for args in (["--stdout"], ["-o", "-"], ["-o-"]):
        proc = env.expect(env.run("build", "app.deploy", *args), 0)
        expected = ("# ---- compose.production.yml ----\n" + compose.replace("../app.deploy", "app.deploy")
                    + "# ---- .env.production.example ----\n" + example.replace("../app.deploy", "app.deploy"))
        check(proc.stdout == expected, f"{args}: both outputs with separators", proc.stdout)
    proc = env.expect(env.run("build", "app.deploy", "--stdout", "--emit", "compose"), 0)
    check(not proc.stdout.startswith("# ----"), "one output: no separator", proc.stdout[:200])
    check(yaml.safe_load(proc.stdout)["name"] == "acme_shop", "just the YAML: it pipes into a parser")
    check(env.files() == sorted(["app.deploy"] + [os.path.join("out", n) for n in OUTPUTS]),
          "--stdout writes no file", env.files())
    for args, message in [
        (["check", "--stdout"], "`--stdout` is an option of `build`, not of `check`"),
        (["build", "--stdout", "--depfile", "x.d"], "`--depfile` names the output files"),
        (["build", "-o", "-", "-o", "out"], "give either an output directory or `--stdout`"),
    ]:
        proc = env.expect(env.run(*args), 2)
        check(proc.stderr.startswith(f"deployc: error: {message}"), f"{args}", proc.stderr)


# ---- --depfile --------------------------------------------------------------------------------

@case
def depfile_names_every_input(env):
    make_project(env)
    proc = env.expect(env.run("build", "proj/app.deploy", "-o", "out", "--depfile", "out/app.d"), 0)
    check(proc.stdout == "wrote out/compose.production.yml\nwrote out/.env.production.example\n",
          "the depfile is not reported as an output", proc.stdout)
    check(read(env.path("out", "app.d")) ==
          "out/compose.production.yml: proj/app.deploy proj/lib/logs.deploy\n",
          "first output: the spec and its project module (the embedded stdlib is no file)",
          read(env.path("out", "app.d")))
    env.expect(env.run("build", "proj/app.deploy", "-o", "out", "--depfile", "env.d", "--emit", "env"), 0)
    check(read(env.path("env.d")).startswith("out/.env.production.example: "),
          "the first emitted output is the target", read(env.path("env.d")))
    # Paths with spaces are escaped for Make.
    make_project(env, "my proj")
    env.expect(env.run("build", "my proj/app.deploy", "-o", "my out", "--depfile", "my out/x.d"), 0)
    check(read(env.path("my out", "x.d")) ==
          "my\\ out/compose.production.yml: my\\ proj/app.deploy my\\ proj/lib/logs.deploy\n",
          "spaces escaped", read(env.path("my out", "x.d")))
    # An unchanged depfile keeps its mtime, a deleted one (Ninja deletes it) comes back.
    os.utime(env.path("out", "app.d"), ns=(1_000_000_000, 1_000_000_000))
    env.expect(env.run("build", "proj/app.deploy", "-o", "out", "--depfile", "out/app.d"), 0)
    check(os.stat(env.path("out", "app.d")).st_mtime_ns == 1_000_000_000, "untouched when unchanged")
    os.remove(env.path("out", "app.d"))
    env.expect(env.run("build", "proj/app.deploy", "-o", "out", "--depfile", "out/app.d"), 0)
    check(os.path.exists(env.path("out", "app.d")), "rewritten when missing")
    # Errors write nothing, the depfile included.
    write(env.path("proj", "lib", "logs.deploy"), "preset {{{ broken\n")
    env.expect(env.run("build", "proj/app.deploy", "-o", "bad", "--depfile", "bad.d"), 1)
    check(not os.path.exists(env.path("bad.d")) and not os.path.exists(env.path("bad")),
          "no depfile or output on errors")
    proc = env.expect(env.run("check", "app.deploy", "--depfile", "x.d"), 2)
    check("`--depfile` is an option of `build`" in proc.stderr, "build only", proc.stderr)


@case
def module_change_rebuilds_through_make(env):
    """The depfile makes Make rebuild when an imported module changes."""
    if shutil.which("make") is None:
        raise Failure("make is not installed")
    make_project(env)
    write(env.path("proj", "Makefile"),
          "out/compose.production.yml: app.deploy\n"
          f"\t{env.binary} build app.deploy -o out --depfile out/app.d\n"
          "-include out/app.d\n")
    proc = env.expect(subprocess.run(["make"], cwd=env.path("proj"), capture_output=True, text=True,
                                     env=dict(os.environ, NO_COLOR="1")), 0)
    check("wrote out/compose.production.yml" in proc.stdout, "first build", proc.stdout)
    check("lib/logs.deploy" in read(env.path("proj", "out", "app.d")), "the depfile names the module")
    proc = env.expect(subprocess.run(["make"], cwd=env.path("proj"), capture_output=True, text=True), 0)
    check("is up to date" in proc.stdout, "nothing to do", proc.stdout)
    # Age every file, then change the module only: Make must run deployc again.
    for base, _, names in os.walk(env.path("proj")):
        for name in names:
            os.utime(os.path.join(base, name), ns=(1_000_000_000, 1_000_000_000))
    write(env.path("proj", "lib", "logs.deploy"), MODULE.replace("max_file=5", "max_file=3"))
    proc = env.expect(subprocess.run(["make"], cwd=env.path("proj"), capture_output=True, text=True,
                                     env=dict(os.environ, NO_COLOR="1")), 0)
    check("wrote out/compose.production.yml" in proc.stdout, "rebuilt after the module changed",
          proc.stdout)
    check('max-file: "3"' in read(env.path("proj", "out", "compose.production.yml")),
          "with the module's new value")
    # check sees a module change as drift too.
    write(env.path("proj", "lib", "logs.deploy"), MODULE)
    proc = env.expect(env.run("check", "app.deploy", "-o", "out", cwd=env.path("proj")), 1)
    check(re.search(r'^\+\s+max-file: "5"', proc.stdout, re.M), "check shows the diff", proc.stdout)


# ---- imports and the standard library ---------------------------------------------------------

@case
def imports_compile_and_are_parsed_once(env):
    make_project(env)
    # Two spellings of one module, and a diamond: each module is loaded once.
    write(env.path("proj", "lib", "extra.deploy"), 'import "./logs"\nimport "../lib/logs.deploy"\n')
    spec = 'import "./lib/extra"\nimport "lib/logs"\n' + PROJECT
    write(env.path("proj", "app.deploy"), spec)
    proc = env.expect(env.run("dump", "--stage", "ast", "app.deploy", cwd=env.path("proj")), 0)
    headers = re.findall(r"^# ---- (.*) ----$", proc.stdout, re.M)
    check(headers == ["lib/logs.deploy", "lib/extra.deploy", "std/restart.deploy", "app.deploy"],
          "each module once, dependencies first, the spec last", headers)
    env.expect(env.run("build", "app.deploy", "-o", "out", "--depfile", "deps.d", cwd=env.path("proj")), 0)
    check(read(env.path("proj", "deps.d")) ==
          "out/compose.production.yml: app.deploy lib/extra.deploy lib/logs.deploy\n",
          "each file once in the depfile", read(env.path("proj", "deps.d")))
    compose = yaml.safe_load(read(env.path("proj", "out", "compose.production.yml")))
    web = compose["services"]["web"]
    check(web["logging"]["options"]["max-file"] == "5", "the project module's preset applied", web)
    check(web["deploy"]["restart_policy"]["condition"] == "on-failure", "the stdlib preset applied", web)


@case
def import_errors(env):
    proj = make_project(env)
    cases = [
        ('import "./lib/logz"\n', "error[D0720]: cannot read module `lib/logz.deploy`: No such file or directory",
         "did you mean `./lib/logs`?"),
        ('import "std/loging"\n', "error[D0721]: no standard library module `loging`",
         "did you mean `std/logging`?"),
        ('import "../outside"\n', "error[D0723]: import `../outside` leaves the project folder", None),
        ('import "/etc/hosts"\n', "error[D0726]: `/etc/hosts` is not a valid import path: it is absolute", None),
        ('import "./{x}"\n', "is not a valid import path: it contains a `{…}` substitution", None),
    ]
    write(env.path("outside.deploy"), MODULE)
    for line, message, help_text in cases:
        write(env.path("proj", "app.deploy"), line + PROJECT)
        proc = env.expect(env.run("build", "app.deploy", "-o", "out", cwd=proj), 1)
        check(message in proc.stderr, line, proc.stderr)
        check(" --> app.deploy:1:8" in proc.stderr, "at the import's path", proc.stderr)
        if help_text:
            check(help_text in proc.stderr, "with a suggestion", proc.stderr)
        check(not os.path.exists(env.path("proj", "out")), "nothing written")
    # A symbolic link inside the project that leads out of it.
    os.symlink(env.root, env.path("proj", "lib", "up"))
    write(env.path("proj", "app.deploy"), 'import "./lib/up/outside"\n' + PROJECT)
    proc = env.expect(env.run("check", "app.deploy", cwd=proj), 1)
    check("error[D0723]: import `./lib/up/outside` leaves the project folder" in proc.stderr,
          "the symlink is resolved", proc.stderr)
    check("through a symbolic link" in proc.stderr, "and named as the way out", proc.stderr)


@case
def import_cycle_shows_the_chain(env):
    proj = make_project(env)
    write(env.path("proj", "lib", "a.deploy"), 'import "./b"\n')
    write(env.path("proj", "lib", "b.deploy"), 'import "../app"\n')
    write(env.path("proj", "app.deploy"), 'import "./lib/a"\n' + PROJECT)
    proc = env.expect(env.run("check", "app.deploy", cwd=proj), 1)
    check("error[D0722]: import cycle: `app.deploy` → `lib/a.deploy` → `lib/b.deploy` → `app.deploy`"
          in proc.stderr, "the chain", proc.stderr)
    check(" --> app.deploy:1:8" in proc.stderr, "at the spec's import", proc.stderr)
    check("::: lib/a.deploy:1:8" in proc.stderr and "::: lib/b.deploy:1:8" in proc.stderr,
          "a label at each import of the chain", proc.stderr)
    check("which imports `app.deploy` again" in proc.stderr, "the closing import", proc.stderr)
    write(env.path("proj", "lib", "a.deploy"), 'import "./a"\n')
    proc = env.expect(env.run("check", "app.deploy", cwd=proj), 1)
    check("import cycle: `lib/a.deploy` → `lib/a.deploy`" in proc.stderr, "a module importing itself",
          proc.stderr)


@case
def import_limits(env):
    proj = make_project(env)
    # 64 nested imports are fine, 65 are not.
    for depth, status in ((64, 0), (65, 1)):
        for i in range(depth):
            nxt = f'import "./m{i + 1}"\n' if i + 1 < depth else ""
            write(env.path("proj", "deep", f"m{i}.deploy"), nxt)
        write(env.path("proj", "app.deploy"), 'import "./deep/m0"\n' + PROJECT)
        proc = env.expect(env.run("check", "app.deploy", cwd=proj), status)
        if status:
            check("error[D0724]: imports nest deeper than 64 levels" in proc.stderr, "D0724", proc.stderr)
            check(" --> deep/m63.deploy:1:8" in proc.stderr, "at the import that goes too deep",
                  proc.stderr)
        shutil.rmtree(env.path("proj", "deep"))
    # 1000 modules are fine, 1001 are not (the project imports two besides these).
    for count, status in ((998, 0), (999, 1)):
        for i in range(count):
            write(env.path("proj", "many", f"m{i}.deploy"), "")
        imports = "".join(f'import "./many/m{i}"\n' for i in range(count))
        write(env.path("proj", "app.deploy"), imports + PROJECT)
        proc = env.expect(env.run("check", "app.deploy", cwd=proj), status)
        if status:
            check("error[D0725]: the spec imports more than 1000 modules" in proc.stderr, "D0725",
                  proc.stderr)
            check(" --> app.deploy:1001:8" in proc.stderr, "at the 1001st import", proc.stderr)
            check(proc.stderr.count("D0725") == 1, "reported once", proc.stderr)


@case
def stdlib_is_embedded_and_overridable(env):
    proj = make_project(env)
    # A copy of the binary alone in a folder: the stdlib comes from inside it.
    os.mkdir(env.path("bin"))
    lone = env.path("bin", "deployc")
    shutil.copy(env.binary, lone)
    env.expect(env.run("build", "app.deploy", "-o", "out", cwd=proj, binary=lone), 0)
    # Every stdlib module of the source tree is embedded.
    names = sorted(f[:-len(".deploy")] for f in os.listdir(os.path.join(env.source_dir, "stdlib"))
                   if f.endswith(".deploy"))
    check(names, "the source tree has stdlib modules")
    for name in names:
        write(env.path("proj", "app.deploy"), f'import "std/{name}"\n' + PROJECT)
        env.expect(env.run("check", "app.deploy", cwd=proj, binary=lone), 0)
    # --stdlib DIR replaces it.
    write(env.path("mystd", "restart.deploy"),
          "## Always restart\npreset resilient {\n  restart always\n}\n")
    write(env.path("proj", "app.deploy"), PROJECT)
    proc = env.expect(env.run("build", "app.deploy", "-o", "over", "--stdlib", "../mystd",
                              "--depfile", "over.d", cwd=proj), 0)
    compose = yaml.safe_load(read(env.path("proj", "over", "compose.production.yml")))
    check(compose["services"]["web"].get("restart") == "always", "the override's preset is used",
          compose["services"]["web"])
    check(read(env.path("proj", "over.d")) ==
          "over/compose.production.yml: app.deploy lib/logs.deploy ../mystd/restart.deploy\n",
          "a stdlib read from disk is an input", read(env.path("proj", "over.d")))
    write(env.path("proj", "app.deploy"), 'import "std/logging"\n' + PROJECT)
    proc = env.expect(env.run("check", "app.deploy", "--stdlib=../mystd", cwd=proj), 1)
    check("error[D0721]: no standard library module `logging`" in proc.stderr,
          "only the override's modules exist", proc.stderr)
    check("the standard library has restart" in proc.stderr, "they are listed", proc.stderr)
    check("modules are read from `../mystd` (`--stdlib`)" in proc.stderr, "and the folder named",
          proc.stderr)


# ---- DEPLOYMENT.md ----------------------------------------------------------------------------

@case
def docs_describe_the_deployment(env):
    env.expect(env.run("build", "app.deploy", "-o", "out", "--emit", "compose,env,docs"), 0)
    docs = read(env.path("out", "DEPLOYMENT.md"))
    check(docs.startswith("# Acme Shop: production deployment\n"), "title", docs[:100])
    prereq = docs.split("## Prerequisites\n", 1)[1].split("\n## ", 1)[0]
    for name, var in (("PostgreSQL", "DATABASE_URL"), ("Redis", "REDIS_URL"),
                      ("OIDC provider", "OAUTH_ISSUER_URL")):
        check(re.search(rf"^\d+\. \*\*{name}\*\*: .*`{var}`", prereq, re.M), f"prerequisite {name}", prereq)
    check("Sentry" not in prereq, "no Sentry without the flag", prereq)
    check("| `DATABASE_URL` | `url<postgresql+asyncpg>` | required | yes | Database Connection" in docs,
          "variable table row", docs)
    check("| `LOG_LEVEL` | `enum(debug\\|info\\|warning\\|error)` | default `info` | no |" in docs,
          "pipes escaped in cells", docs)
    compose = "docker compose -f compose.production.yml --env-file .env.production"
    for command in (f"cp .env.production.example .env.production", f"{compose} up -d",
                    "curl -f http://localhost:8000/api/v1/health", "curl -f http://localhost:80/",
                    f"{compose} pull", f"{compose} up -d --no-deps backend",
                    f"IMAGE_TAG=1.0.0 {compose} up -d"):
        check(f"\n{command}\n" in docs, f"command: {command}", docs)
    check(docs.index("--no-deps backend") < docs.index("--no-deps frontend"),
          "dependencies restart first")
    check("deployc build ../app.deploy -o . --emit compose,env,docs" in docs, "how to regenerate")
    # The health URL follows the port's default; the flag adds Sentry.
    write(env.path("app.deploy"), env.spec_text.replace("env BACKEND_PORT: port = 8000",
                                                        "env BACKEND_PORT: port = 9000"))
    env.expect(env.run("build", "app.deploy", "-o", "out2", "--emit", "docs", "-D", "include_sentry=yes"), 0)
    docs2 = read(env.path("out2", "DEPLOYMENT.md"))
    check("curl -f http://localhost:9000/api/v1/health" in docs2, "the published port", docs2)
    check("**Sentry**" in docs2 and "-D include_sentry=yes" in docs2, "flag-dependent content", docs2)


@case
def outputs_are_deterministic(env):
    args = ["--emit", "compose,env,docs", "-D", "include_sentry=yes"]
    env.expect(env.run("build", "app.deploy", "-o", "out", *args), 0)
    os.mkdir(env.path("elsewhere"))
    env.expect(env.run("build", env.path("app.deploy"), "-o", env.path("out2"), *args,
                       cwd=env.path("elsewhere")), 0)
    environ = dict(os.environ, NO_COLOR="1", LC_ALL="C", LANG="de_DE.UTF-8", USER="someone-else",
                   HOME="/nonexistent", TZ="Pacific/Kiritimati")
    subprocess.run([env.binary, "build", "app.deploy", "-o", "out3", *args], cwd=env.root,
                   env=environ, capture_output=True, check=True)
    for name in OUTPUTS + ["DEPLOYMENT.md"]:
        a = read(env.path("out", name), "rb")
        check(a == read(env.path("out2", name), "rb") == read(env.path("out3", name), "rb"),
              f"{name}: same bytes from another folder, absolute paths, locale, user and time zone")
        check(env.root.encode() not in a, f"{name}: no absolute path")


# ---- dump and vars ----------------------------------------------------------------------------

@case
def dump_stages(env):
    expected_start = {"ast": "File app.deploy\n", "model": 'project "acme_shop"\n', "doc": "yaml compose\n"}
    for stage, start in expected_start.items():
        proc = env.expect(env.run("dump", "--stage", stage, "app.deploy"), 0)
        check(proc.stdout.startswith(start), f"{stage}: starts with {start!r}", proc.stdout[:300])
        again = env.expect(env.run("dump", f"--stage={stage}"), 0)
        check(again.stdout == proc.stdout, f"{stage}: deterministic, FILE defaults to the only spec")
    plain = env.run("dump", "--stage", "model").stdout
    sentry = env.run("dump", "--stage", "model", "-D", "include_sentry=yes").stdout
    check("SENTRY_DSN" not in plain and "SENTRY_DSN" in sentry, "-D applies to the model")
    check(env.files() == ["app.deploy"], "dump writes nothing", env.files())
    write(env.path("app.deploy"), env.spec_text + "service {{{ broken\n")
    proc = env.expect(env.run("dump", "--stage", "ast"), 1)
    check(proc.stdout == "" and "error[D01" in proc.stderr, "errors: no dump, exit 1", proc.stderr)
    for args, message in [
        (["dump"], "`dump` needs `--stage ast`"),
        (["dump", "--stage", "ir"], "unknown stage `ir`: expected ast, model or doc"),
        (["build", "--stage", "ast"], "`--stage` is an option of `dump`, not of `build`"),
        (["dump", "--stage", "ast", "-o", "out"], "`-o` is an option of `build` and `check`, not of `dump`"),
    ]:
        proc = env.expect(env.run(*args), 2)
        check(proc.stderr.startswith(f"deployc: error: {message}"), f"{args}", proc.stderr)


@case
def vars_formats(env):
    proc = env.expect(env.run("vars", "app.deploy"), 0)
    lines = proc.stdout.splitlines()
    check(re.match(r"NAME +TYPE +REQUIRED +DEFAULT +SECRET +SECTION +SERVICES +DOC$", lines[0]),
          "table header", lines[0])
    row = next(l for l in lines if l.startswith("DATABASE_URL "))
    check(re.match(r"DATABASE_URL +url<postgresql\+asyncpg> +yes +- +yes +Required configuration +backend +Database Connection",
                   row), "a required secret", row)
    row = next(l for l in lines if l.startswith("IMAGE_TAG "))
    check(re.search(r" latest +no +Optional configuration +backend,frontend ", row),
          "a default, read by two services", row)
    columns = [l.index("TYPE") if l is lines[0] else None for l in lines[:1]]
    check(all(l[columns[0] - 2:columns[0]] == "  " for l in lines[1:]), "aligned columns")

    items = json.loads(env.expect(env.run("vars", "--format", "json"), 0).stdout)
    names = [i["name"] for i in items]
    check(names[:4] == ["DATABASE_URL", "MIGRATION_DATABASE_URL", "REDIS_URL", "OAUTH_ISSUER_URL"],
          "in the env example's order", names)
    by_name = {i["name"]: i for i in items}
    check(set(by_name["DATABASE_URL"]) >= {"name", "type", "required", "default", "secret", "section",
                                           "doc", "services"}, "every field", by_name["DATABASE_URL"])
    check(by_name["DATABASE_URL"]["required"] is True and by_name["DATABASE_URL"]["secret"] is True
          and by_name["DATABASE_URL"]["default"] is None, "required secret", by_name["DATABASE_URL"])
    check(by_name["LOG_LEVEL"]["default"] == "info" and by_name["LOG_LEVEL"]["type"] == "enum(debug|info|warning|error)",
          "default and type", by_name["LOG_LEVEL"])
    check(by_name["BACKEND_CPU_LIMIT"]["services"] == ["backend"]
          and by_name["BACKEND_CPU_LIMIT"]["section"] == "Resource limits", "a tunable", by_name["BACKEND_CPU_LIMIT"])
    check(by_name["CORS_ORIGINS"]["required"] is False and by_name["CORS_ORIGINS"]["default"] is None,
          "optional", by_name["CORS_ORIGINS"])
    check("SENTRY_DSN" not in by_name, "flags apply")
    sentry = json.loads(env.run("vars", "--format=json", "-D", "include_sentry=yes").stdout)
    check("SENTRY_DSN" in [i["name"] for i in sentry], "-D include_sentry=yes adds SENTRY_DSN")

    md = env.expect(env.run("vars", "--format", "markdown"), 0).stdout.splitlines()
    check(md[0] == "| name | type | required | default | secret | section | services | doc |"
          and md[1] == "|---|---|---|---|---|---|---|---|", "markdown header", md[:2])
    check(any(l.startswith("| `LOG_LEVEL` | `enum(debug\\|info\\|warning\\|error)` | no | `info` |") for l in md),
          "pipes escaped", md)
    check(len(md) == 2 + len(items), "one row per variable", len(md))
    check(env.files() == ["app.deploy"], "vars writes nothing", env.files())
    for args, message in [
        (["vars", "--format", "yaml"], "unknown format `yaml`: expected table, json or markdown"),
        (["build", "--format", "json"], "`--format` is an option of `vars`, not of `build`"),
    ]:
        proc = env.expect(env.run(*args), 2)
        check(proc.stderr.startswith(f"deployc: error: {message}"), f"{args}", proc.stderr)


@case
def every_subcommand_has_help(env):
    for command, options in [("build", ["--emit", "--stdout", "--depfile", "--stdlib"]),
                             ("check", ["--emit", "--require-outputs", "--stdlib"]),
                             ("dump", ["--stage", "--stdlib"]),
                             ("vars", ["--format", "--stdlib"])]:
        for args in ([command, "--help"], ["help", command]):
            proc = env.expect(env.run(*args), 0)
            check(proc.stdout.startswith(f"usage: deployc {command}"), f"{args}", proc.stdout)
            for option in options:
                check(option in proc.stdout, f"{args} mentions {option}", proc.stdout)
    top = env.expect(env.run("--help"), 0).stdout
    for command in ("deployc build", "deployc check", "deployc vars", "deployc dump"):
        check(command in top, f"top help lists {command}", top)


if __name__ == "__main__":
    sys.exit(casekit.main(casekit.ExampleRunner, "deployc-steps-"))
