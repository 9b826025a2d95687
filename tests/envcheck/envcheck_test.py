#!/usr/bin/env python3
"""`deployc env-check`, run for real in temporary directories.

usage: envcheck_test.py --binary PATH [--source-dir DIR] --case NAME
       envcheck_test.py --list                  (one case name per line; CTest registers each)

Every case copies examples/acme-shop/app.deploy (and TYPES_SPEC as types.deploy) into a fresh
temporary directory and runs the binary there with NO_COLOR=1. Codes checked here: D0520 (env
file syntax), D0521 (required var missing), D0522 (required var empty), D0523 (wrong type),
D0524 (unknown key), D0525 (secret placeholder), D0526 (required var still the example), D0527
(key set twice), D0528 (tuned memory limit below `min_memory`), D0529 (tuned reservation above
its limit). Secret values must never appear in stdout or stderr, whatever the format.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import casekit  # noqa: E402
from casekit import Failure, case, check, write  # noqa: E402


# Every value type of the language, each read by the service, one secret among them.
TYPES_SPEC = """\
project "types"

section "Settings" {
  ## A duration
  env TIMEOUT: duration = 30s
  ## A bool
  env FEATURE: bool = false
  ## An int
  env WORKERS: int = 4
  ## A host
  env UPSTREAM: host = "api.example.com"
  ## A port
  env PORT: port = 8080
  ## A memory size
  env CACHE_SIZE: memory = 64M
  ## A cpu count
  env CPUS: cpu = 1.0
  ## An enum
  env MODE: enum(fast|safe) = safe
  ## A url
  env CALLBACK: url<https> = "https://example.com/cb"
  ## A path
  env DATA_DIR: path = "/data"
  ## An image
  env SIDECAR: image = "ghcr.io/example/sidecar"
  ## A list of hosts
  env PEERS: list<host> = "a.example.com,b.example.com"
  ## A secret url
  env API_TOKEN_URL: url<https> secret {
    example "https://user:CHANGE_ME@tokens.example.com"
  }
}

service app {
  image "ghcr.io/example/app:1.0.0"
  environment {
    TIMEOUT
    FEATURE
    WORKERS
    UPSTREAM
    PORT
    CACHE_SIZE
    CPUS
    MODE
    CALLBACK
    DATA_DIR
    SIDECAR
    PEERS
    API_TOKEN_URL
  }
  health none
  limits cpu=0.5 memory=128M
  logging json-file max_size=10m max_file=3
}
"""

# A complete, valid .env.production for the acme-shop example.
VALID_ACME = """\
DATABASE_URL=postgresql+asyncpg://app:Pg-Real-Pass-1@db.internal:5432/shop
MIGRATION_DATABASE_URL=postgresql+asyncpg://mig:Pg-Real-Pass-2@db.internal:5432/shop
REDIS_URL=rediss://default:Redis-Real-Pass@cache.internal:6380/0
OAUTH_ISSUER_URL=https://login.acme.internal/realms/acme
BACKEND_PORT=8000
LOG_LEVEL=warning
"""

SECRETS_OF_VALID = ["Pg-Real-Pass-1", "Pg-Real-Pass-2", "Redis-Real-Pass"]


class Env(casekit.ExampleRunner):
    """The acme-shop example as app.deploy and TYPES_SPEC as types.deploy."""

    def __init__(self, binary, source_dir, root):
        super().__init__(binary, source_dir, root)
        write(self.path("types.deploy"), TYPES_SPEC)

    def env_check(self, text, *extra, spec="app.deploy", name=".env.production", status=None,
                  fmt=None):
        write(self.path(name), text)
        args = ["env-check", spec, "--env-file", name, *extra]
        if fmt:
            args.append(f"--diagnostics-format={fmt}")
        proc = self.run(*args)
        if status is not None:
            self.expect(proc, status)
        return proc

    def diagnostics(self, text, *extra, status=None, **kw):
        """The JSON diagnostics of an env-check run."""
        proc = self.env_check(text, *extra, status=status, fmt="json", **kw)
        try:
            return json.loads(proc.stderr)
        except ValueError:
            raise Failure(f"stderr is not JSON:\n{proc.stderr}")


def codes(diags):
    return [d["code"] for d in diags]


def by_code(diags, code):
    return [d for d in diags if d["code"] == code]


def replace_line(text, key, line):
    """`text` with the assignment of `key` replaced by `line` (None: removed)."""
    out = []
    for current in text.splitlines(keepends=True):
        if current.split("=", 1)[0] == key:
            if line is not None:
                out.append(line + "\n")
        else:
            out.append(current)
    return "".join(out)


def leaks(proc, secrets):
    text = proc.stdout + proc.stderr
    return [s for s in secrets if s in text]


# ---- the generated example -------------------------------------------------------------------

@case
def example_env_has_only_placeholder_findings(env):
    for defines in ([], ["-D", "include_sentry=yes", "-D", "include_observability=yes"]):
        env.expect(env.run("build", "app.deploy", "-o", "out", *defines), 0)
        example = open(env.path("out", ".env.production.example")).read()
        diags = env.diagnostics(example, *defines, status=1)
        check(set(codes(diags)) <= {"D0525", "D0526"}, "only placeholder findings", diags)
        placeholders = sorted(d["message"].split("`")[1] for d in by_code(diags, "D0525"))
        check(placeholders == ["DATABASE_URL", "MIGRATION_DATABASE_URL", "REDIS_URL"],
              "every secret is still the example", placeholders)
        check(all(d["file"] == ".env.production" for d in diags), "located in the env file", diags)
        # The example's secret values are never shown, in text or JSON.
        proc = env.env_check(example, *defines, status=1)
        secret_lines = [line.split("=", 1)[1] for line in example.splitlines()
                        if line.split("=", 1)[0] in placeholders]
        check(not leaks(proc, secret_lines), "a placeholder secret was printed", proc.stderr)
        check("DATABASE_URL=*****" in proc.stderr, "the secret's line is shown masked",
              proc.stderr)


@case
def example_with_only_placeholder_lines_filled_passes(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    example = open(env.path("out", ".env.production.example")).read()
    for key in ["DATABASE_URL", "MIGRATION_DATABASE_URL", "REDIS_URL", "OAUTH_ISSUER_URL"]:
        example = replace_line(example, key,
                               [l for l in VALID_ACME.splitlines() if l.startswith(key + "=")][0])
    proc = env.env_check(example, status=0)
    check(proc.stderr == "", "no findings", proc.stderr)
    check(proc.stdout.startswith("ok .env.production: "), "an ok line", proc.stdout)


# ---- required variables ----------------------------------------------------------------------

@case
def valid_env_passes(env):
    proc = env.env_check(VALID_ACME, status=0)
    check(proc.stderr == "", "a valid env file prints no diagnostics", proc.stderr)
    check(proc.stdout.startswith("ok .env.production: ") and "variables checked" in proc.stdout,
          "unexpected stdout", proc.stdout)
    check(not leaks(proc, SECRETS_OF_VALID), "a secret was printed")


@case
def missing_required_var(env):
    diags = env.diagnostics(replace_line(VALID_ACME, "REDIS_URL", None), status=1)
    check(codes(diags) == ["D0521"], "one missing var", diags)
    d = diags[0]
    check(d["message"] == "required env var `REDIS_URL` is not set in `.env.production`",
          "message", d["message"])
    spec_lines = open(env.path("app.deploy")).read().splitlines()
    check(d["file"] == "app.deploy" and "env REDIS_URL" in spec_lines[d["line"] - 1],
          "points at the declaration in the spec", d)
    check(d["help"] == "add `REDIS_URL=…` to `.env.production`", "help", d["help"])


@case
def bare_key_counts_as_missing(env):
    diags = env.diagnostics(replace_line(VALID_ACME, "REDIS_URL", "REDIS_URL"), status=1)
    check(codes(diags) == ["D0521"], "a bare key sets nothing here", diags)
    check(any("shell environment" in n for n in diags[0]["notes"]), "explains why", diags[0])
    check(any(l["file"] == ".env.production" and l["line"] == 3 for l in diags[0]["labels"]),
          "labels the bare key", diags[0]["labels"])


@case
def empty_required_var(env):
    diags = env.diagnostics(replace_line(VALID_ACME, "REDIS_URL", "REDIS_URL="), status=1)
    check(codes(diags) == ["D0522"], "one empty var", diags)
    check((diags[0]["file"], diags[0]["line"], diags[0]["column"]) == (".env.production", 3, 1),
          "points at the key", diags[0])


@case
def empty_optional_var_is_fine(env):
    env.env_check(VALID_ACME + "CORS_ORIGINS=\nBACKEND_PORT=\n", "-Wno-D0527", status=0)


# ---- types -----------------------------------------------------------------------------------

@case
def wrong_type_in_each_declared_type(env):
    wrong = {
        "TIMEOUT": "30 seconds",
        "FEATURE": "maybe",
        "WORKERS": "four",
        "UPSTREAM": "not a host!",
        "PORT": "70000",
        "CACHE_SIZE": "lots",
        "CPUS": "-1",
        "MODE": "turbo",
        "CALLBACK": "http://example.com/cb",
        "DATA_DIR": "relative/dir",
        "SIDECAR": "Not/An/Image:",
        "PEERS": "a.example.com,bad host",
        "API_TOKEN_URL": "ftp://Tok-Secret-77@tokens.example.com",
    }
    text = "".join(f"{k}={v}\n" for k, v in wrong.items())
    diags = env.diagnostics(text, spec="types.deploy", status=1)
    type_errors = by_code(diags, "D0523")
    named = sorted(d["message"].split("`")[1] for d in type_errors)
    check(named == sorted(wrong), "one type error per variable", named, diags)
    check(set(codes(diags)) == {"D0523"}, "nothing else", diags)
    lines = {d["message"].split("`")[1]: d for d in type_errors}
    check(lines["PORT"]["line"] == 5 and lines["PORT"]["column"] == 6, "points at the value",
          lines["PORT"])
    check(any("70000" in n for n in lines["PORT"]["notes"]), "a public value is quoted",
          lines["PORT"])
    check(any(l["file"] == "types.deploy" for l in lines["PORT"]["labels"]),
          "labels the declaration", lines["PORT"])
    secret = lines["API_TOKEN_URL"]
    check(all("Tok-Secret-77" not in json.dumps(x) for x in diags), "secret printed in JSON")
    check(any("not shown" in n for n in secret["notes"]), "says why it is not shown", secret)
    proc = env.env_check(text, spec="types.deploy", status=1)
    check("Tok-Secret-77" not in proc.stdout + proc.stderr, "secret printed in text")
    check("PORT=70000" in proc.stderr, "a public value's line is shown as written", proc.stderr)


@case
def right_type_in_each_declared_type(env):
    text = ("TIMEOUT=1m30s\nFEATURE=true\nWORKERS=16\nUPSTREAM=10.0.0.7\nPORT=443\n"
            "CACHE_SIZE=1g\nCPUS=0.25\nMODE=fast\nCALLBACK=https://hooks.example.org/x\n"
            "DATA_DIR=/srv/data\nSIDECAR=registry.example.com:5000/team/sidecar\n"
            "PEERS=a.example.com,10.0.0.8\nAPI_TOKEN_URL=https://svc:Real-Tok-9@tokens.example.com\n")
    proc = env.env_check(text, spec="types.deploy", status=0)
    check(proc.stderr == "", "no findings", proc.stderr)


# ---- placeholders, unknown and repeated keys -------------------------------------------------

@case
def leftover_placeholder_in_secret(env):
    text = replace_line(VALID_ACME, "REDIS_URL",
                        "REDIS_URL=redis://default:CHANGE_ME@cache.internal:6379/0")
    diags = env.diagnostics(text, status=1)
    check(codes(diags) == ["D0525"], "a placeholder", diags)
    check(diags[0]["message"] == "secret `REDIS_URL` is still set to the example placeholder",
          "message", diags[0])
    check(any("CHANGE_ME" in n for n in diags[0]["notes"]), "names the placeholder", diags[0])


@case
def required_var_still_the_example_warns(env):
    text = replace_line(VALID_ACME, "OAUTH_ISSUER_URL",
                        "OAUTH_ISSUER_URL=https://auth.example.com/realms/acme")
    diags = env.diagnostics(text, status=0)
    check(codes(diags) == ["D0526"] and diags[0]["severity"] == "warning", "a warning", diags)
    env.env_check(text, "-Werror", status=1)
    proc = env.env_check(text, "-Wno-D0526", status=0)
    check(proc.stderr == "", "silenced", proc.stderr)


@case
def unknown_key_warns_with_suggestion(env):
    text = VALID_ACME + "DATABSE_URL=postgresql://x:Typo-Secret@h/db\nCOLOR=blue\n"
    diags = env.diagnostics(text, status=0)
    check(codes(diags) == ["D0524", "D0524"], "two unknown keys", diags)
    check(diags[0]["help"] == "did you mean `DATABASE_URL`?", "did you mean", diags[0])
    check(diags[1]["help"] is None and diags[1]["notes"], "no suggestion, a note", diags[1])
    proc = env.env_check(text, status=0)
    check("Typo-Secret" not in proc.stdout + proc.stderr, "an unknown key's value is hidden")
    check("blue" not in proc.stderr, "any unknown key's value is hidden", proc.stderr)
    env.env_check(text, "-Werror", status=1)


@case
def repeated_key_warns(env):
    diags = env.diagnostics(VALID_ACME + "LOG_LEVEL=error\n", status=0)
    check(codes(diags) == ["D0527"], "one repeated key", diags)
    check(diags[0]["line"] == 7 and diags[0]["labels"][1]["line"] == 6,
          "the second points back at the first", diags[0])
    # The last assignment is the one checked, as Compose uses it.
    diags = env.diagnostics(VALID_ACME + "LOG_LEVEL=loud\n", status=1)
    check(sorted(codes(diags)) == ["D0523", "D0527"], "the last value is checked", diags)


# ---- tunable resources -----------------------------------------------------------------------

def with_min_memory(env, minimum):
    """app.deploy with `min_memory=` on the backend's tunable limits."""
    spec = open(env.path("app.deploy")).read()
    old = "limits cpu=1.0 memory=512M tunable"
    check(old in spec, "the example's backend limits changed", old)
    write(env.path("app.deploy"),
          spec.replace(old, f"limits cpu=1.0 memory=512M min_memory={minimum} tunable"))
    return spec.splitlines().index("  " + old) + 1


@case
def tuned_memory_limit_below_minimum_warns(env):
    line = with_min_memory(env, "256M")
    diags = env.diagnostics(VALID_ACME + "BACKEND_MEMORY_LIMIT=320M\n", status=0)
    check(diags == [], "a tuned limit above the minimum is fine", diags)
    text = VALID_ACME + "BACKEND_MEMORY_LIMIT=128M\nBACKEND_MEMORY_RESERVATION=64M\n"
    diags = env.diagnostics(text, status=0)
    check(codes(diags) == ["D0528"] and diags[0]["severity"] == "warning", "one warning", diags)
    d = diags[0]
    check(d["message"] == "`BACKEND_MEMORY_LIMIT` sets the memory limit of `backend` below its "
          "stated minimum `256M`", "message", d["message"])
    check((d["file"], d["line"], d["column"]) == (".env.production", 7, 22), "at the value", d)
    check([(l["file"], l["line"], l["text"]) for l in d["labels"][1:]]
          == [("app.deploy", line, "minimum stated here")], "labels the minimum", d["labels"])
    check(d["notes"] == ["`BACKEND_MEMORY_LIMIT` is `128M`"], "shows the tuned value", d)
    check(d["help"].startswith("raise it to at least `256M`"), "help", d["help"])
    env.env_check(text, "-Werror", status=1)
    env.env_check(text, "-Wno-D0528", status=0)


@case
def tuned_reservation_above_limit_fails(env):
    spec_lines = open(env.path("app.deploy")).read().splitlines()
    reserve_line = spec_lines.index("  reserve cpu=0.25 memory=256M tunable") + 1
    # The env file lowers the limit under the reservation's default.
    diags = env.diagnostics(VALID_ACME + "BACKEND_MEMORY_LIMIT=128M\n", status=1)
    check(codes(diags) == ["D0529"], "one error", diags)
    d = diags[0]
    check(d["message"] == "the memory reservation of `backend` is greater than its limit",
          "message", d["message"])
    check((d["file"], d["line"], d["column"]) == (".env.production", 7, 22), "at the limit", d)
    check([(l["file"], l["line"], l["text"]) for l in d["labels"][1:]]
          == [("app.deploy", reserve_line, "the reservation's default is declared here")],
          "labels the reservation's default", d["labels"])
    check(d["notes"] == ["reservation `256M`, limit `128M`"], "both values", d)
    # Both set out of order: reported at the reservation, the limit labelled.
    text = VALID_ACME + "FRONTEND_CPU_LIMIT=0.5\nFRONTEND_CPU_RESERVATION=2\n"
    diags = env.diagnostics(text, status=1)
    check(codes(diags) == ["D0529"], "one error", diags)
    d = diags[0]
    check(d["message"] == "the cpu reservation of `frontend` is greater than its limit",
          "message", d["message"])
    check((d["line"], d["column"]) == (8, 26), "at the reservation", d)
    check([(l["file"], l["line"], l["text"]) for l in d["labels"][1:]]
          == [(".env.production", 7, "the limit is set here")], "labels the limit", d["labels"])
    # In order, or only what the spec already checked: nothing.
    env.env_check(VALID_ACME + "FRONTEND_CPU_LIMIT=2\nFRONTEND_CPU_RESERVATION=1.5\n", status=0)
    # A value of the wrong type is D0523 alone, never compared.
    diags = env.diagnostics(VALID_ACME + "BACKEND_MEMORY_LIMIT=lots\n", status=1)
    check(codes(diags) == ["D0523"], "only the type error", diags)


# ---- the parser, as Compose reads env files --------------------------------------------------

@case
def compose_syntax_is_understood(env):
    text = (
        "# Production settings\r\n"
        "\r\n"
        "export DATABASE_URL=\"postgresql+asyncpg://app:Pg-Real-Pass-1@db.internal:5432/shop\"\r\n"
        "MIGRATION_DATABASE_URL='postgresql+asyncpg://mig:Pg-Real-Pass-2@db.internal/shop'\r\n"
        "  REDIS_URL: rediss://default:Redis-Real-Pass@cache.internal:6380/0   # managed\r\n"
        "DOMAIN=acme.internal\r\n"
        "OAUTH_ISSUER_URL=\"https://login.${DOMAIN}/realms/acme\"\r\n"
        "LOG_LEVEL=\"warn\\x\"\r\n"
    )
    diags = env.diagnostics(text, status=1)
    # DOMAIN is not read by the deployment; LOG_LEVEL's escape is not one, so stays `warn\x`.
    check(codes(diags) == ["D0524", "D0523"], "exactly the expected findings", diags)
    check(diags[1]["line"] == 8 and diags[1]["column"] == 12, "the value inside the quotes",
          diags[1])
    check(any("warn\\x" in n for n in diags[1]["notes"]), "the escape kept as written", diags[1])
    proc = env.env_check(text, status=1)
    check(not leaks(proc, SECRETS_OF_VALID), "a secret was printed", proc.stderr)


@case
def interpolating_a_secret_hides_the_result(env):
    text = VALID_ACME + 'BACKEND_IMAGE="${DATABASE_URL}"\n'
    diags = env.diagnostics(text, status=1)
    check(codes(diags) == ["D0523"], "the interpolated value is not an image", diags)
    check(any("not shown" in n for n in diags[0]["notes"]), "hidden", diags[0])
    proc = env.env_check(text, status=1)
    check(not leaks(proc, SECRETS_OF_VALID), "the secret leaked through interpolation",
          proc.stderr)


@case
def syntax_error_stops_the_check(env):
    text = VALID_ACME.replace("REDIS_URL=rediss://default:Redis-Real-Pass@",
                              'REDIS_URL="rediss://default:Redis-Real-Pass@')
    diags = env.diagnostics(text, status=1)
    check(codes(diags) == ["D0520"], "only the syntax error", diags)
    check((diags[0]["line"], diags[0]["column"]) == (3, 11), "at the opening quote", diags[0])
    check(diags[0]["message"] == "unterminated quoted value in env file `.env.production`",
          "message", diags[0])
    proc = env.env_check(text, status=1)
    check("Redis-Real-Pass" not in proc.stdout + proc.stderr, "the unparsed value leaked",
          proc.stderr)
    diags = env.diagnostics("MY KEY=Key-Line-Secret\n", status=1)
    check(codes(diags) == ["D0520"], "a space in a name", diags)
    proc = env.env_check("MY KEY=Key-Line-Secret\n", status=1)
    check("Key-Line-Secret" not in proc.stderr, "the rest of a broken line leaked", proc.stderr)


@case
def secrets_never_printed_in_any_format(env):
    secret_values = ["Alpha-Secret-1", "Beta-Secret-2", "Gamma-Secret-3", "Delta-Secret-4"]
    text = (
        "DATABASE_URL=mysql://u:Alpha-Secret-1@db/x\n"            # wrong scheme (D0523)
        "MIGRATION_DATABASE_URL=postgresql+asyncpg://u:Beta-Secret-2CHANGE_ME@db/x\n"  # D0525
        "REDIS_URL=redis://default:Gamma-Secret-3@cache:6379/0\n"
        "REDIS_URL=redis://default:Delta-Secret-4@cache:6379/0\n"  # repeated (D0527)
        "OAUTH_ISSUER_URL=https://login.acme.internal/realms/acme\n"
        "SECRET_ELSEWHERE=Gamma-Secret-3\n"                        # unknown (D0524)
    )
    for fmt in (None, "json", "sarif"):
        proc = env.env_check(text, status=1, fmt=fmt)
        found = leaks(proc, secret_values)
        check(not found, f"secret values printed with format {fmt}: {found}", proc.stderr)
    proc = env.env_check(text, status=1)
    for code in ["D0523", "D0525", "D0527", "D0524"]:
        check(code in proc.stderr, f"{code} reported", proc.stderr)


# ---- command line ----------------------------------------------------------------------------

@case
def usage_errors(env):
    proc = env.expect(env.run("env-check", "app.deploy"), 2)
    check("--env-file" in proc.stderr, "asks for the env file", proc.stderr)
    proc = env.expect(env.run("build", "app.deploy", "--env-file", "x"), 2)
    check("`--env-file` is an option of `env-check`" in proc.stderr, "env-check only",
          proc.stderr)
    proc = env.expect(env.run("env-check", "app.deploy", "--env-file", "missing.env"), 2)
    check("error[D0901]" in proc.stderr and "missing.env" in proc.stderr, "unreadable env file",
          proc.stderr)
    proc = env.expect(env.run("env-check", "--help"), 0)
    check(proc.stdout.startswith("usage: deployc env-check"), "help", proc.stdout)


@case
def spec_errors_come_first(env):
    write(env.path("broken.deploy"), "service {{{ nope\n")
    proc = env.env_check(VALID_ACME, spec="broken.deploy", status=1)
    check("broken.deploy" in proc.stderr and ".env.production" not in proc.stderr,
          "the spec's errors, and no env check", proc.stderr)


@case
def defaults_to_the_only_spec(env):
    os.remove(env.path("types.deploy"))
    write(env.path(".env.production"), VALID_ACME)
    proc = env.expect(env.run("env-check", "--env-file", ".env.production"), 0)
    check(proc.stdout.startswith("ok .env.production"), "checked against app.deploy", proc.stdout)


if __name__ == "__main__":
    sys.exit(casekit.main(Env, "deployc-envcheck-"))
