"""The Docker Compose builds installed with the validators, for the round-trip scripts.

Builds live in the bin/ folder of the validators' tools (validators_home()). A script calls
`prepare(fixture, workdir)` and exits 77 (SKIPPED) when it returns no build, then runs each
build with `config_json()` inside `with clean_env() as env:`, so that only the env file it names
can feed interpolation. `probe_roundtrip()` is the whole check for a fixture that writes a
compose file, an env file and the `probe` service environment it expects.
"""
import contextlib
import json
import os
import subprocess
import tempfile

SKIPPED = 77
BINARIES = ("docker-compose-v2", "docker-compose-v2-trixie")


def validators_home(validators_dir=None):
    """Where the validators' install.sh put their tools, found as it and the validators find
    them: $COMPOSE_VALIDATORS_HOME, else their own folder `validators_dir` when it is writable
    (by default the one CTest names in $DEPLOYC_VALIDATORS_DIR), else
    ~/.cache/compose-validators. So the tests find the tools the README's set-up installed, as
    the validate-compose script does."""
    home = os.environ.get("COMPOSE_VALIDATORS_HOME")
    if home:
        return home
    folder = validators_dir or os.environ.get("DEPLOYC_VALIDATORS_DIR")
    if folder and os.access(folder, os.W_OK):
        return folder
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(cache, "compose-validators")


def installed_or_report():
    """The executable Compose builds; when there is none, says so on stdout."""
    home = validators_home()
    found = [b for b in (os.path.join(home, "bin", n) for n in BINARIES) if os.access(b, os.X_OK)]
    if not found:
        print(f"skipped: no Docker Compose build under {home}/bin")
    return found


def prepare(fixture, workdir):
    """The installed builds, once the fixture has written its files into workdir; none (and
    nothing run) when no build is installed."""
    binaries = installed_or_report()
    if binaries:
        os.makedirs(workdir, exist_ok=True)
        subprocess.run([fixture, workdir], check=True)
    return binaries


@contextlib.contextmanager
def clean_env():
    """A process environment with no inherited variables and a scratch HOME."""
    with tempfile.TemporaryDirectory() as scratch:
        yield {"PATH": "/usr/bin:/bin", "HOME": scratch,
               "DOCKER_CONFIG": os.path.join(scratch, ".docker")}


def config_json(binary, compose_file, env_file, env, cwd, project=None):
    """`docker compose config --format json` of one compose file and env file."""
    argv = [binary, "-f", compose_file, "--env-file", env_file]
    if project:
        argv += ["-p", project]
    return subprocess.run(argv + ["config", "--format", "json"], capture_output=True, text=True,
                          env=env, cwd=cwd)


def probe_environment_matches(binary, proc, want):
    """Compares the `probe` service's environment in a config_json() result with `want`,
    printing each mismatch and a summary line; returns whether all matched."""
    name = os.path.basename(binary)
    if proc.returncode != 0:
        print(f"{name}: FAIL {proc.stderr.strip()[:2000]}")
        return False
    got = json.loads(proc.stdout)["services"]["probe"].get("environment", {})
    # `config` re-escapes every `$` as `$$` so that its output loads back the same.
    got = {k: (v or "").replace("$$", "$") for k, v in got.items()}
    bad = [(k, v, got.get(k)) for k, v in want.items() if got.get(k) != v]
    for k, w, g in bad[:20]:
        print(f"{name}: {k}: expected {w!r}, read {g!r}")
    print(f"{name}: {'ok' if not bad else 'FAIL'} ({len(want) - len(bad)}/{len(want)} values)")
    return not bad


def probe_roundtrip(fixture, workdir, env_file, project=None):
    """Exit status of checking every build against the fixture's compose.yml, its env file and
    expected.json (the `probe` service's environment); SKIPPED without a build."""
    binaries = prepare(fixture, workdir)
    if not binaries:
        return SKIPPED
    with open(os.path.join(workdir, "expected.json"), encoding="utf-8") as f:
        want = json.load(f)
    failed = False
    with clean_env() as env:
        for binary in binaries:
            proc = config_json(binary, os.path.join(workdir, "compose.yml"),
                               os.path.join(workdir, env_file), env, workdir, project=project)
            failed |= not probe_environment_matches(binary, proc, want)
    return 1 if failed else 0
