#!/usr/bin/env python3
"""Reliability of the deployc binary against secrets, hostile input and file-system faults.

usage: reliability_test.py --binary PATH [--source-dir DIR] --case NAME
       reliability_test.py --list                (one case name per line; CTest registers each)

Each case runs in a fresh temporary directory with NO_COLOR=1, every command under a timeout
(a hang fails the case instead of blocking the suite), and checks exit status, diagnostics and
the files on disk. Exit status 77 means skipped (a tool the case needs is missing).

secret_*   sentinel values placed wherever a spec, a `-D`, a secret file or an env file can carry
           a secret; every byte deployc prints or writes is scanned for them
limits_*   hostile input at the command line: huge lines, deep nesting, deep and wide imports,
           bad bytes, CRLF and BOM, symlinks out of the project
fs_*       file-system faults: an output path that is a folder, a file size limit (disk full),
           `.env.production` next to the spec and in the output folder
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import casekit  # noqa: E402
from casekit import Failure, Skip, case, check, read, write  # noqa: E402

casekit.DETAIL_LIMIT = 4000  # outputs here run to megabytes


class Result:
    def __init__(self, args, returncode, stdout, stderr):
        self.args, self.returncode, self.stdout, self.stderr = args, returncode, stdout, stderr

    def text(self, which="stderr"):
        return getattr(self, which).decode("utf-8", "replace")


class Env(casekit.Runner):
    timeout = 60  # seconds per command: generous on a loaded machine, still fails a hang
    shown_args = 8
    list_dir_links = True

    def run(self, *args, cwd=None, prefix=(), stdin=None):
        argv = [*prefix, self.binary, *args]
        try:
            proc = subprocess.run(argv, cwd=cwd or self.root, env=self.environ(),
                                  capture_output=True, timeout=self.timeout, stdin=stdin)
        except subprocess.TimeoutExpired:
            raise Failure(f"timed out after {self.timeout} s: {argv}")
        return Result(argv, proc.returncode, proc.stdout, proc.stderr)


OUTPUTS = ["compose.production.yml", ".env.production.example"]
QUIET = ["-Wno-D0604", "-Wno-D0605", "-Wno-D0606"]
EXCERPT = re.compile(rb"^ *\d+ \| ")  # a source line quoted by a text diagnostic


def codes(result):
    return set(re.findall(r"\b(D\d{4})\b", result.text()))


# ---- secret hygiene ---------------------------------------------------------------------------

# A spec that uses every way a secret reaches a deployment: `secret` env vars with examples (block
# and argument forms), a local preset declaring one from a param, the stdlib's std/env presets,
# `when` on both values of a flag, Compose secrets from the environment and from a file, a build,
# and params that `-D` overrides. Examples hold CHANGE_ME and a marker `EXAMPLE_n`; the real
# values (an env file, the secret file) hold `REAL_n` markers that must never be printed.
CLEAN_SPEC = """\
import "std/env"
import "std/logging"

param db_name: string = "shop"
param vendor_name: string = "zeta"
flag extra = false

project "shop"

preset vendor_secrets {
  param vendor: string = "acme"
  env VENDOR_TOKEN: string secret example="tok-{vendor}-CHANGE_ME-EXAMPLE_1"
}

section "Configuration" {
  use postgres database="{db_name}" host="db.EXAMPLE_5.internal"
  use redis
  use vendor_secrets vendor="{vendor_name}"
  env SESSION_KEY: string secret {
    example "CHANGE_ME-EXAMPLE_2"
  }
  env LOG_LEVEL: enum(debug|info|warning|error) = info
  when extra {
    env EXTRA_KEY: string secret example="CHANGE_ME-EXAMPLE_3"
  }
  when !extra {
    env PLAIN_KEY: string secret example="CHANGE_ME-EXAMPLE_4"
  }
}

secret session_key { environment SESSION_KEY }
secret tls_key { file "./tls.key" }

service api {
  image "ghcr.io/acme/api:1.0"
  build context="./backend" target=production
  use rotated_logs
  health none
  limits cpu=1.0 memory=512M
  secrets session_key tls_key
  environment {
    DATABASE_URL
    MIGRATION_DATABASE_URL
    REDIS_URL
    VENDOR_TOKEN
    LOG_LEVEL
    SESSION_KEY_FILE = "/run/secrets/session_key"
    when extra { EXTRA_KEY }
    when !extra { PLAIN_KEY }
  }
}
"""

SECRET_VARS = ["DATABASE_URL", "MIGRATION_DATABASE_URL", "REDIS_URL", "VENDOR_TOKEN",
               "SESSION_KEY", "EXTRA_KEY", "PLAIN_KEY"]


def real_env_file(flag_on):
    """An env file as production would hold it: real values, marked REAL_n."""
    lines = [
        "DATABASE_URL=postgresql+asyncpg://app:REAL_1@db.prod.internal:5432/shop",
        "MIGRATION_DATABASE_URL='postgresql+asyncpg://mig:REAL_2@db.prod.internal:5432/shop'",
        'REDIS_URL="rediss://default:REAL_3@redis.prod.internal:6379/0"',
        "VENDOR_TOKEN=REAL_4",
        "export SESSION_KEY=REAL_5",
        "LOG_LEVEL=info",
        ("EXTRA_KEY" if flag_on else "PLAIN_KEY") + "=REAL_6",
        "UNDECLARED_TOKEN=REAL_7",          # a key the spec does not know (D0524)
        "VENDOR_TOKEN=REAL_8",              # set twice (D0527)
        "COMBINED=${VENDOR_TOKEN}-REAL_9",  # interpolates a secret
    ]
    return "\n".join(lines) + "\n"


def everything(env, spec_dir, spec, args, env_file):
    """Runs every command that reads `spec`; returns {label: bytes} of every output byte."""
    out = {}

    def record(label, result):
        out[label + " stdout"] = result.stdout
        out[label + " stderr"] = result.stderr
        return result

    outdir = os.path.join(spec_dir, "out")
    build = record("build", env.run("build", spec, "-o", outdir, "--emit", "compose,env,build,docs",
                                    *args, cwd=spec_dir))
    env.expect(build, 0)
    for name in sorted(os.listdir(outdir)):
        if name != ".env.production":  # planted by the caller: the real secrets, not an output
            out["file " + name] = read(os.path.join(outdir, name), "rb")
    env.expect(record("stdout", env.run("build", spec, "--stdout", "--emit",
                                        "compose,env,build,docs", *args, cwd=spec_dir)), 0)
    for fmt in ("text", "json", "sarif"):
        env.expect(record(f"check {fmt}", env.run("check", spec, "-o", outdir, *args,
                                                 f"--diagnostics-format={fmt}", cwd=spec_dir)), 0)
        result = record(f"env-check {fmt}", env.run("env-check", spec, "--env-file", env_file, *args,
                                                    f"--diagnostics-format={fmt}", cwd=spec_dir))
        check(result.returncode in (0, 1), "env-check runs", result.stderr)
    for fmt in ("table", "json", "markdown"):
        env.expect(record(f"vars {fmt}", env.run("vars", spec, "--format", fmt, *args,
                                                 cwd=spec_dir)), 0)
    for stage in ("ast", "model", "doc"):
        env.expect(record(f"dump {stage}", env.run("dump", "--stage", stage, spec, *args,
                                                   cwd=spec_dir)), 0)
    return out


def scan(outputs, marker, allowed=()):
    """Labels of the outputs that contain `marker`, except those in `allowed`."""
    return [label for label, data in outputs.items()
            if marker.encode() in data and label not in allowed]


def secret_clean_spec(env, flag_on):
    proj = env.path("proj")
    write(os.path.join(proj, "app.deploy"), CLEAN_SPEC)
    write(os.path.join(proj, "tls.key"), "-----BEGIN PRIVATE KEY-----\nREAL_10\n")
    write(os.path.join(proj, "backend", "Dockerfile"), "FROM scratch\n")
    # The real secrets file next to the spec and in the output folder: never read.
    write(os.path.join(proj, ".env.production"), "SESSION_KEY=REAL_11\nthis line is garbage REAL_12\n")
    write(os.path.join(proj, "out", ".env.production"), "SESSION_KEY=REAL_13\n")
    write(os.path.join(proj, "prod.env"), real_env_file(flag_on))
    args = ["-D", "extra=" + ("yes" if flag_on else "no"), "-D", "vendor_name=omega"]
    outputs = everything(env, proj, "app.deploy", args, "prod.env")

    # Real values: nowhere, in any output of any command, in any format.
    for n in range(1, 14):
        leaked = scan(outputs, f"REAL_{n}")
        check(not leaked, f"the real value REAL_{n} is printed or written", leaked)

    # Examples are placeholders for the env example (and the spec's own dumps), nothing else.
    example_ok = {"file .env.production.example", "stdout stdout", "dump ast stdout",
                  "dump model stdout", "dump doc stdout"}
    active = [1, 2, 5] + ([3] if flag_on else [4])
    for n in range(1, 6):
        where = scan(outputs, f"EXAMPLE_{n}", example_ok if n in active else {"dump ast stdout"})
        check(not where, f"the example EXAMPLE_{n} appears where it must not", where)
    for n in active:
        check(f"EXAMPLE_{n}".encode() in outputs["file .env.production.example"],
              f"the active example EXAMPLE_{n} is in the env example")
    check(b"omega" in outputs["file .env.production.example"], "-D reaches the preset's example")

    # Every secret line of the env example holds the placeholder, and compose requires each
    # secret without a default.
    example = outputs["file .env.production.example"].decode()
    compose = outputs["file compose.production.yml"].decode()
    for name in SECRET_VARS:
        if name == ("PLAIN_KEY" if flag_on else "EXTRA_KEY"):
            check(name not in example and name not in compose, f"{name} is off by its flag")
            continue
        lines = [l for l in example.splitlines() if l.startswith(name + "=")]
        check(len(lines) == 1 and "CHANGE_ME" in lines[0], f"{name}: one line with CHANGE_ME", example)
        refs = re.findall(r"\$\{" + name + r"(\W[^}]*)?\}", compose)
        # SESSION_KEY reaches the container only as a Compose secret, by name.
        check((refs or name == "SESSION_KEY") and all(r.startswith(":?") for r in refs),
              f"{name} is required in compose, never defaulted", refs, compose)
    check("file: ./tls.key" in compose and "environment: SESSION_KEY" in compose,
          "the Compose secrets name their sources", compose)
    check(os.path.exists(os.path.join(proj, "out", "compose.build.yml")), "the build output exists")
    check(read(os.path.join(proj, "out", ".env.production")) == "SESSION_KEY=REAL_13\n",
          ".env.production in the output folder is left alone")

    # env-check saw the real values: the problems are reported, the values masked.
    text = outputs["env-check text stderr"].decode()
    for code in ("D0524", "D0527"):
        check(code in text, f"env-check reports {code}", text)
    check(re.search(r"^\s*\d+ \| VENDOR_TOKEN=\*{6}$", text, re.M), "the value shown masked", text)


@case
def secret_every_output_flag_off(env):
    secret_clean_spec(env, flag_on=False)


@case
def secret_every_output_flag_on(env):
    secret_clean_spec(env, flag_on=True)


# Positions where a spec can write a secret's value, each of which deployc must reject. The
# marker SENTINEL_n is the value; each case: (name, spec, extra args, expected code).
HEAD = 'project "shop"\nimport "std/env"\nparam pw: string = "x"\nflag extra = false\n'
SERVICE = ('service api {{\n  image "ghcr.io/acme/api:1.0"\n  health none\n'
           '  limits cpu=1.0 memory=512M\n  logging json-file max_size=10m max_file=5\n'
           '  environment {{\n    DB_PASSWORD\n{env}  }}\n{extra}}}\n')
DECL = 'section "C" {\n  env DB_PASSWORD: string secret example="CHANGE_ME"\n}\n'


def service(env_lines="", extra=""):
    return SERVICE.format(env=env_lines, extra=extra)


REJECTED = [
    ("secret default", HEAD + 'section "C" {\n  env DB_PASSWORD: string = "SENTINEL_1" secret\n}\n'
     + service(), [], "D0503"),
    ("secret example without placeholder",
     HEAD + 'section "C" {\n  env DB_PASSWORD: string secret example="SENTINEL_2"\n}\n' + service(),
     [], "D0504"),
    ("secret example in a block without placeholder",
     HEAD + 'section "C" {\n  env DB_PASSWORD: string secret { example "SENTINEL_3" }\n}\n'
     + service(), [], "D0504"),
    ("secret example repeated in environment",
     HEAD + 'section "C" {\n  env DB_PASSWORD: string secret example="CHANGE_ME-SENTINEL_4"\n}\n'
     + service('    OTHER = "CHANGE_ME-SENTINEL_4"\n'), [], "D0507"),
    ("secret example repeated in a label",
     HEAD + 'section "C" {\n  env DB_PASSWORD: string secret example="CHANGE_ME-SENTINEL_5"\n}\n'
     + service(extra='  labels { token = "CHANGE_ME-SENTINEL_5" }\n'), [], "D0507"),
    ("secret example repeated in a command",
     HEAD + 'section "C" {\n  env DB_PASSWORD: string secret example="CHANGE_ME-SENTINEL_6"\n}\n'
     + service(extra='  command ["app", "--token", "CHANGE_ME-SENTINEL_6"]\n'), [], "D0507"),
    ("credential url in environment", HEAD + DECL
     + service('    OTHER = "postgresql://app:SENTINEL_7@db/app"\n'), [], "D0601"),
    ("password pair in environment", HEAD + DECL + service('    OTHER = "password=SENTINEL_8"\n'),
     [], "D0601"),
    ("credential in a non-secret default",
     HEAD + 'section "C" {\n  env DB_PASSWORD: string secret example="CHANGE_ME"\n'
     '  env CACHE_URL: string = "redis://u:SENTINEL_9@cache:6379"\n}\n'
     + service('    CACHE_URL\n'), [], "D0601"),
    ("credential in a label", HEAD + DECL
     + service(extra='  labels { backup = "s3://key:SENTINEL_10@bucket/x" }\n'), [], "D0601"),
    ("credential in a build arg", HEAD + DECL
     + service(extra='  build context="." { arg TOKEN="password=SENTINEL_11" }\n'), [], "D0601"),
    ("local preset param default as a secret default",
     HEAD + 'preset creds {\n  param token: string = "SENTINEL_12"\n'
     '  env API_TOKEN: string = "{token}" secret\n}\n'
     + DECL.replace('}\n', '  use creds\n}\n') + service('    API_TOKEN\n'), [], "D0503"),
    ("local preset argument as a secret default",
     HEAD + 'preset creds {\n  param token: string\n  env API_TOKEN: string = "{token}" secret\n}\n'
     + DECL.replace('}\n', '  use creds token="SENTINEL_13"\n}\n') + service('    API_TOKEN\n'),
     [], "D0503"),
    ("stdlib preset argument making an example without placeholder",
     HEAD + 'preset creds {\n  param token: string = "CHANGE_ME"\n'
     '  env API_TOKEN: string secret example="{token}"\n}\n'
     + DECL.replace('}\n', '  use creds token="SENTINEL_14"\n}\n') + service('    API_TOKEN\n'),
     [], "D0504"),
    ("secret default under a flag that is on",
     HEAD + DECL + 'section "D" {\n  when extra {\n    env FLAG_KEY: string = "SENTINEL_15" secret\n'
     '  }\n}\n' + service('    when extra { FLAG_KEY }\n'), ["-D", "extra=yes"], "D0503"),
    ("secret default under a negated flag that is on",
     HEAD + DECL + 'section "D" {\n  when !extra {\n    env FLAG_KEY: string = "SENTINEL_16" secret\n'
     '  }\n}\n' + service('    when !extra { FLAG_KEY }\n'), ["-D", "extra=no"], "D0503"),
    ("-D value in a credential url", HEAD + DECL
     + service('    OTHER = "postgresql://app:{pw}@db/app"\n'), ["-D", "pw=SENTINEL_17"], "D0601"),
    ("-D value as a password pair", HEAD + DECL + service('    OTHER = "password={pw}"\n'),
     ["-Dpw=SENTINEL_18"], "D0601"),
]


def check_rejected(env, name, spec, args, code, sentinel):
    proj = env.path("proj")
    write(os.path.join(proj, "app.deploy"), spec)
    in_source = sentinel in spec
    marker = sentinel.encode()
    for fmt in ("text", "json", "sarif"):
        for command in (["build", "app.deploy", "-o", "out"], ["build", "app.deploy", "--stdout"],
                        ["check", "app.deploy", "-o", "out"], ["vars", "app.deploy"],
                        ["vars", "app.deploy", "--format", "json"],
                        ["vars", "app.deploy", "--format", "markdown"]):
            result = env.expect(env.run(*command, *QUIET, *args, f"--diagnostics-format={fmt}",
                                        cwd=proj), 1)
            where = f"{name}: {' '.join(command)} ({fmt})"
            check(code in codes(result), f"{where}: {code} reported", result.stderr)
            check(marker not in result.stdout, f"{where}: the value is on stdout", result.stdout)
            if fmt != "text" or not in_source:
                check(marker not in result.stderr, f"{where}: the value is in the diagnostics",
                      result.stderr)
            else:
                # Text diagnostics quote the spec's own lines; the value appears nowhere else.
                bad = [l for l in result.stderr.splitlines() if marker in l and not EXCERPT.match(l)]
                check(not bad, f"{where}: the value outside a quoted source line", *bad)
            if fmt == "sarif":
                json.loads(result.stderr)
    check(not os.path.exists(os.path.join(proj, "out")), f"{name}: nothing written",
          env.files("proj"))
    for stage in ("model", "doc"):
        result = env.run("dump", "--stage", stage, "app.deploy", *QUIET, *args, cwd=proj)
        check(result.returncode == 1, f"{name}: dump {stage} fails", result.stdout, result.stderr)
        check(marker not in result.stdout, f"{name}: dump {stage} prints the value", result.stdout)


@case
def secret_values_in_the_spec_are_rejected(env):
    failures = []
    for n, (name, spec, args, code) in enumerate(REJECTED, 1):
        try:
            check_rejected(env, name, spec, args, code, f"SENTINEL_{n}")
        except Failure as e:
            failures.append(str(e))
        shutil.rmtree(env.path("proj"), ignore_errors=True)
    check(not failures, f"{len(failures)} of {len(REJECTED)} positions leak", *failures)


@case
def secret_inactive_flag_branch_is_never_emitted(env):
    # A secret default under a flag that is off is not part of the deployment: whether or not
    # it is reported, it must not reach any output.
    spec = (HEAD + DECL + 'section "D" {\n  when extra {\n    env FLAG_KEY: string = "SENTINEL_OFF" secret\n'
            '  }\n}\n' + service('    when extra { FLAG_KEY }\n'))
    proj = env.path("proj")
    write(os.path.join(proj, "app.deploy"), spec)
    result = env.run("build", "app.deploy", "-o", "out", *QUIET, "-D", "extra=no", cwd=proj)
    check(result.returncode in (0, 1), "success or a clear error", result.stderr)
    for name in env.files("proj", "out") if os.path.isdir(env.path("proj", "out")) else []:
        check(b"SENTINEL_OFF" not in read(env.path("proj", "out", name), "rb"), f"{name} holds it")
    result = env.run("build", "app.deploy", "--stdout", *QUIET, "-D", "extra=no", cwd=proj)
    check(b"SENTINEL_OFF" not in result.stdout, "--stdout holds it", result.stdout)


@case
def secret_env_check_masks_unparsed_lines(env):
    # A line the env parser rejects may still hold a secret: it is shown masked.
    proj = env.path("proj")
    write(os.path.join(proj, "app.deploy"), HEAD + DECL + service())
    bad_lines = [
        "DB_PASSWORD REAL_A\n",               # `=` forgotten
        "DB_PASSWORD REAL_B",                  # the same, last line without a newline
        "DB_PASSWORD REAL_C;x\n",              # then a byte no name may hold
        "DB_PASSWORD REAL_H=x\n",              # a second word, then `=`
        "DB PASSWORD=REAL_D\n",                # a space in the name
        'DB_PASSWORD="REAL_E\n',               # unterminated quote
        "=REAL_F\n",                           # no name
        "DB_PASSWORD=${NOPE:?REAL_G}\n",       # an interpolation error
    ]
    for line in bad_lines:
        marker = re.search(r"REAL_\w", line).group(0).encode()
        after = "NEXT=visible\n" if line.endswith("\n") else ""
        write(os.path.join(proj, "bad.env"), "LOG=1\n" + line + after)
        for fmt in ("text", "json", "sarif"):
            result = env.expect(env.run("env-check", "app.deploy", "--env-file", "bad.env", *QUIET,
                                        f"--diagnostics-format={fmt}", cwd=proj), 1)
            check("D0520" in codes(result), f"{line!r}: D0520", result.stderr)
            check(marker not in result.stderr + result.stdout, f"{line!r} ({fmt}): value printed",
                  result.stderr)


# ---- limits and hostile input -----------------------------------------------------------------

def expect_rejected(env, args, status, code, cwd=None, message=None):
    """Runs `build … -o out`; checks status, code, message, and that no output was written."""
    cwd = cwd or env.root
    result = env.expect(env.run("build", *args, "-o", "out", cwd=cwd), status)
    check(code in codes(result), f"{code} reported", result.stderr)
    if message:
        check(message in result.text(), f"the message says {message!r}", result.stderr)
    check(not os.path.exists(os.path.join(cwd, "out")), "no output written",
          os.listdir(os.path.join(cwd, "out")) if os.path.exists(os.path.join(cwd, "out")) else "")
    check(result.stdout == b"", "nothing reported as written", result.stdout)
    return result


@case
def limits_ten_megabytes_on_one_line(env):
    ten = 10 << 20
    # Junk: one error (not one per byte), no output.
    write(env.path("junk.deploy"), 'project "x" ' + "a" * ten)
    result = expect_rejected(env, ["junk.deploy"], 1, "D0213")
    check(len(re.findall(rb"^error\[", result.stderr, re.M)) == 1, "one error", result.stderr[:2000])
    # Quoted text is cut, and the source line shown as a window: not megabytes of stderr.
    check(len(result.stderr) < 4096, f"a short report ({len(result.stderr)} bytes)",
          result.stderr[:2000])
    # A valid 10 MB label: compiles, and the value comes out whole.
    body = "y" * ten
    write(env.path("big.deploy"),
          'project "x"\nservice a {\n  image "nginx:1.27"\n  health none\n'
          '  limits cpu=1.0 memory=512M\n  logging json-file max_size=10m max_file=5\n'
          f'  labels {{ big = "{body}" }}\n}}\n')
    env.expect(env.run("build", "big.deploy", "-o", "out"), 0)
    check(body in read(env.path("out", "compose.production.yml")), "the label is written whole")
    shutil.rmtree(env.path("out"))
    # An unterminated 10 MB string.
    write(env.path("open.deploy"), 'project "' + "z" * ten)
    expect_rejected(env, ["open.deploy"], 1, "D0104")


@case
def limits_deep_nesting(env):
    n = 100_000
    inputs = {
        "blocks": "service a " + "{ b " * n + "\n",
        "blocks on lines": "".join("a {\n" for _ in range(n)),
        "lists": 'project "x"\nservice a {\n  networks ' + "[" * n + "\n}\n",
        "type arguments": "param x: " + "list<" * n + "string\n",
        "closing only": "}" * n + "]" * n + "\n",
    }
    for name, text in inputs.items():
        write(env.path("deep.deploy"), text)
        result = expect_rejected(env, ["deep.deploy"], 1, "D0124" if name != "closing only" else "D0101")
        check(len(result.stderr) < 2 << 20, f"{name}: a bounded report", len(result.stderr))


def project_files(env, spec_text):
    proj = env.path("proj")
    os.makedirs(proj, exist_ok=True)
    write(os.path.join(proj, "app.deploy"), spec_text)
    return proj


PROJECT = ('project "p"\nservice web {\n  image "nginx:1.27"\n  health none\n'
           '  limits cpu=1.0 memory=512M\n  logging json-file max_size=10m max_file=5\n}\n')


@case
def limits_thousand_deep_import_chain(env):
    proj = project_files(env, 'import "./deep/m0"\n' + PROJECT)
    for i in range(1000):
        nxt = f'import "./m{i + 1}"\n' if i + 1 < 1000 else "## the bottom\npreset bottom {\n  restart always\n}\n"
        write(os.path.join(proj, "deep", f"m{i}.deploy"), nxt)
    result = expect_rejected(env, ["app.deploy"], 1, "D0724", cwd=proj,
                             message="imports nest deeper than 64 levels")
    check(result.text().count("D0724") == 1, "reported once", result.stderr)
    # A chain that loops back after 1000 modules is still the depth error, not a hang.
    write(os.path.join(proj, "deep", "m999.deploy"), 'import "./m0"\n')
    expect_rejected(env, ["app.deploy"], 1, "D0724", cwd=proj)


@case
def limits_wide_import_count(env):
    count = 1500
    imports = "".join(f'import "./many/m{i}"\n' for i in range(count))
    proj = project_files(env, imports + PROJECT)
    for i in range(count):
        write(os.path.join(proj, "many", f"m{i}.deploy"), "")
    result = expect_rejected(env, ["app.deploy"], 1, "D0725", cwd=proj,
                             message="the spec imports more than 1000 modules")
    check(result.text().count("D0725") == 1, "reported once", result.stderr)
    # The same module imported many times is one module.
    write(os.path.join(proj, "app.deploy"), 'import "./many/m0"\n' * count + PROJECT)
    env.expect(env.run("check", "app.deploy", cwd=proj), 0)


@case
def limits_very_long_string_literal(env):
    long = "v" * (4 << 20)
    spec = (PROJECT.replace("service web {\n", 'service web {\n  environment {\n'
                            f'    LONG = "{long}"\n  }}\n'))
    write(env.path("long.deploy"), spec)
    env.expect(env.run("build", "long.deploy", "-o", "out"), 0)
    check(long in read(env.path("out", "compose.production.yml")), "the value is written whole")
    # Escapes and substitutions in a long string, then one bad escape at its end.
    shutil.rmtree(env.path("out"))
    write(env.path("long.deploy"), spec.replace(long, "\\t{{x}}" * (1 << 18) + "\\q"))
    expect_rejected(env, ["long.deploy"], 1, "D0105")


@case
def limits_bad_bytes_report_their_offset(env):
    base = PROJECT.encode()
    cases = [
        (base + b"# ab\x00cd\n", "D0126", "unexpected NUL byte at byte offset {}", len(base) + 4),
        (base + b'# caf\xff\n', "D0125", "invalid UTF-8 byte 0xFF at byte offset {}", len(base) + 5),
        (b'project "p\xc3"\n' + base[len(b'project "p"\n'):], "D0125",
         "invalid UTF-8 byte 0xC3 at byte offset {}", 10),
        (b"\x00" * 1000, "D0126", "unexpected NUL byte at byte offset {}", 0),
        (b"\xef\xbb\xbf\xef\xbb\xbf" + base, "D0101", "expected a statement{}", ""),  # a 2nd BOM
    ]
    for data, code, message, offset in cases:
        write(env.path("bad.deploy"), data)
        expect_rejected(env, ["bad.deploy"], 1, code, message=message.format(offset))
        result = env.expect(env.run("check", "bad.deploy", "--diagnostics-format=json"), 1)
        items = json.loads(result.stderr)
        check(items and items[0]["code"] == code, "JSON diagnostics too", items)


@case
def limits_crlf_and_bom_are_accepted(env):
    for example in ("acme-shop", "saas-platform"):
        text = read(env.source("examples", example, "app.deploy"), "rb")
        check(b"\r" not in text, "the example has LF line ends")
        variants = {"lf": text, "crlf": text.replace(b"\n", b"\r\n"),
                    "bom": b"\xef\xbb\xbf" + text, "bom-crlf": b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n")}
        outputs = {}
        for name, data in variants.items():
            folder = env.path(example, name)
            write(os.path.join(folder, "app.deploy"), data)
            result = env.expect(env.run("build", "app.deploy", "-o", "out", "-D", "include_sentry=yes",
                                        cwd=folder), 0)
            check(result.stderr == b"", f"{example} {name}: no diagnostics", result.stderr)
            outputs[name] = {f: read(os.path.join(folder, "out", f), "rb")
                             for f in sorted(os.listdir(os.path.join(folder, "out")))}
        for name in variants:
            check(outputs[name] == outputs["lf"], f"{example}: {name} gives the same bytes as LF")
    # A CRLF spec's diagnostics point at the right column, without the `\r`.
    write(env.path("err.deploy"), b'project "p"\r\nservce web {\r\n}\r\n')
    result = env.expect(env.run("check", "err.deploy", "--diagnostics-format=json"), 1)
    first = json.loads(result.stderr)[0]
    check((first["line"], first["column"]) == (2, 1), "located on line 2, column 1", first)
    check(b"\r" not in env.run("check", "err.deploy").stderr, "no carriage return in the excerpt")


@case
def limits_symlinked_imports_out_of_the_project(env):
    proj = project_files(env, PROJECT)
    write(env.path("outside", "evil.deploy"), "## outside\npreset evil {\n  restart always\n}\n")
    os.makedirs(os.path.join(proj, "lib"))
    # A module file that is a symlink to a file outside the project.
    os.symlink(env.path("outside", "evil.deploy"), os.path.join(proj, "lib", "evil.deploy"))
    write(os.path.join(proj, "app.deploy"), 'import "./lib/evil"\n' + PROJECT)
    expect_rejected(env, ["app.deploy"], 1, "D0723", cwd=proj, message="leaves the project folder")
    # A symlinked folder pointing at `/`, and one pointing back at the project's parent.
    os.symlink("/", os.path.join(proj, "lib", "root"))
    write(os.path.join(proj, "app.deploy"), 'import "./lib/root/etc/passwd"\n' + PROJECT)
    expect_rejected(env, ["app.deploy"], 1, "D0723", cwd=proj)
    os.symlink("../..", os.path.join(proj, "lib", "up"))
    write(os.path.join(proj, "app.deploy"), 'import "./lib/up/outside/evil"\n' + PROJECT)
    expect_rejected(env, ["app.deploy"], 1, "D0723", cwd=proj)
    # A symlink that stays inside the project is fine.
    write(os.path.join(proj, "real", "ok.deploy"), "## fine\npreset fine {\n  restart always\n}\n")
    os.symlink("../real/ok.deploy", os.path.join(proj, "lib", "ok.deploy"))
    write(os.path.join(proj, "app.deploy"), 'import "./lib/ok"\n' + PROJECT)
    env.expect(env.run("build", "app.deploy", "-o", "out", cwd=proj), 0)


# ---- file-system faults -----------------------------------------------------------------------

def acme(env, folder="proj"):
    proj = env.path(folder)
    write(os.path.join(proj, "app.deploy"), read(env.source("examples", "acme-shop", "app.deploy")))
    return proj


def snapshot(folder):
    result = {}
    for base, _, names in os.walk(folder):
        for name in names:
            p = os.path.join(base, name)
            result[os.path.relpath(p, folder)] = (read(p, "rb"), os.stat(p).st_mtime_ns)
    return result


def age(folder):
    for base, _, names in os.walk(folder):
        for name in names:
            os.utime(os.path.join(base, name), ns=(1_000_000_000, 1_000_000_000))


@case
def fs_output_path_is_a_directory(env):
    proj = acme(env)
    for blocked in OUTPUTS + ["compose.build.yml"]:
        out = os.path.join(proj, "out")
        shutil.rmtree(out, ignore_errors=True)
        env.expect(env.run("build", "app.deploy", "-o", "out", "-D", "include_sentry=no", cwd=proj), 0)
        if blocked == "compose.build.yml":
            os.makedirs(os.path.join(out, blocked))
            args = ["--emit", "compose,env,build"]
            write(os.path.join(proj, "app.deploy"),
                  read(os.path.join(proj, "app.deploy")).replace(
                      "  image repo=BACKEND_IMAGE tag=IMAGE_TAG\n",
                      '  image repo=BACKEND_IMAGE tag=IMAGE_TAG\n  build context="./backend"\n', 1))
        else:
            os.remove(os.path.join(out, blocked))
            os.makedirs(os.path.join(out, blocked, "inner"))
            args = []
        age(out)
        before = snapshot(out)
        # A different spec value, so that every output would change.
        result = env.expect(env.run("build", "app.deploy", "-o", "out", "-D", "include_sentry=yes",
                                    "-D", "project_slug=other", *args, cwd=proj), 2)
        check(f"error[D0903]: cannot write `out/{blocked}`".encode() in result.stderr,
              f"{blocked}: D0903 names it", result.stderr)
        check(result.stdout == b"", f"{blocked}: nothing reported as written", result.stdout)
        check(snapshot(out) == before, f"{blocked}: every other output intact (bytes and mtime)",
              sorted(snapshot(out)), sorted(before))
        check(sorted(os.listdir(out)) == sorted(before_names(before, blocked)),
              f"{blocked}: no temp file left", os.listdir(out))
        write(os.path.join(proj, "app.deploy"), read(env.source("examples", "acme-shop", "app.deploy")))


def before_names(before, blocked):
    return {name.split(os.sep)[0] for name in before} | {blocked}


@case
def fs_file_size_limit_is_a_clean_failure(env):
    if not shutil.which("prlimit"):
        raise Skip("prlimit is not installed")
    proj = acme(env)
    out = os.path.join(proj, "out")
    env.expect(env.run("build", "app.deploy", "-o", "out", cwd=proj), 0)
    age(out)
    before = snapshot(out)
    sizes = sorted(len(data) for data, _ in before.values())
    # Room for the smaller output but not the larger one, then room for nothing.
    for limit in (sizes[0] + 10, 0):
        result = env.run("build", "app.deploy", "-o", "out", "-D", "include_sentry=yes",
                         "-D", "project_slug=a_much_longer_project_slug_than_before",
                         cwd=proj, prefix=("prlimit", f"--fsize={limit}"))
        env.expect(result, 2)
        check(b"error[D0903]: cannot write `out/" in result.stderr and b"File too large" in result.stderr,
              f"limit {limit}: D0903 with the OS message", result.stderr)
        check(result.stdout == b"", "nothing reported as written", result.stdout)
        check(snapshot(out) == before, f"limit {limit}: previous outputs intact, byte for byte")
        check(sorted(os.listdir(out)) == sorted(OUTPUTS), f"limit {limit}: no temp file left",
              os.listdir(out))
    # A fresh output folder under the limit: created, but holds no file.
    result = env.run("build", "app.deploy", "-o", "fresh", cwd=proj, prefix=("prlimit", "--fsize=100"))
    env.expect(result, 2)
    check(not os.path.exists(os.path.join(proj, "fresh")) or os.listdir(os.path.join(proj, "fresh")) == [],
          "no partial file in a fresh folder", os.listdir(os.path.join(proj, "fresh")))


@case
def fs_env_production_is_never_read_or_written(env):
    clean = acme(env, "clean")
    reference = {}
    for folder in ("out", "."):
        env.expect(env.run("build", "app.deploy", "-o", folder, cwd=clean), 0)
        reference[folder] = {f: read(os.path.join(clean, folder, f), "rb") for f in OUTPUTS}
    proj = acme(env)
    garbage = b"\x00\xff garbage {{{ DATABASE_URL=postgresql://x:REAL_SECRET@h/d\nservice x {\n"
    write(os.path.join(proj, ".env.production"), garbage)
    write(os.path.join(proj, "out", ".env.production"), garbage)
    write(os.path.join(proj, ".env"), garbage)
    os.utime(os.path.join(proj, ".env.production"), ns=(1_000_000_000, 1_000_000_000))
    os.utime(os.path.join(proj, "out", ".env.production"), ns=(1_000_000_000, 1_000_000_000))
    os.chmod(os.path.join(proj, "out", ".env.production"), 0o600)
    stats = {p: os.stat(os.path.join(proj, p)) for p in (".env.production", "out/.env.production")}
    for folder in ("out", "."):
        for command in ("build", "check"):
            result = env.expect(env.run(command, "app.deploy", "-o", folder, cwd=proj), 0)
            check(b"REAL_SECRET" not in result.stdout + result.stderr, "nothing of it printed")
            check(b".env.production\n" not in result.stdout, "never written", result.stdout)
        for f in OUTPUTS:
            check(read(os.path.join(proj, folder, f), "rb") == reference[folder][f],
                  f"{folder}/{f}: the same bytes as without .env.production")
    env.expect(env.run("build", "app.deploy", "--stdout", cwd=proj), 0)
    for p, st in stats.items():
        now = os.stat(os.path.join(proj, p))
        check(read(os.path.join(proj, p), "rb") == garbage, f"{p}: content unchanged")
        check((now.st_mtime_ns, now.st_mode, now.st_ino) == (st.st_mtime_ns, st.st_mode, st.st_ino),
              f"{p}: mtime, mode and inode unchanged")
    # An .env.production that is unreadable, or a folder, changes nothing either.
    os.chmod(os.path.join(proj, ".env.production"), 0o000)
    os.remove(os.path.join(proj, "out", ".env.production"))
    os.mkdir(os.path.join(proj, "out", ".env.production"))
    env.expect(env.run("build", "app.deploy", "-o", "out", cwd=proj), 0)
    env.expect(env.run("build", "app.deploy", "-o", ".", cwd=proj), 0)
    os.chmod(os.path.join(proj, ".env.production"), 0o600)


if __name__ == "__main__":
    sys.exit(casekit.main(Env, "deployc-rel-", unlock_folders=True))
