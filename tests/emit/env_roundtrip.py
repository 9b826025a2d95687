#!/usr/bin/env python3
"""Round-trips the env writer's tricky values through the real Docker Compose loader.

usage: env_roundtrip.py EMIT_FIXTURE WORKDIR

The fixture writes tricky.env (every value quoted by the env writer) and a compose file whose
service environment reads each variable; `docker compose config --format json` must report
every value exactly. Runs each Compose build installed with the validators
($COMPOSE_VALIDATORS_HOME/bin, default /tmp/cvh/bin); exits 77 (skipped) when none is.
"""
import json
import os
import subprocess
import sys
import tempfile

BINARIES = ("docker-compose-v2", "docker-compose-v2-trixie")


def main():
    fixture, workdir = sys.argv[1], sys.argv[2]
    home = os.environ.get("COMPOSE_VALIDATORS_HOME", "/tmp/cvh")
    binaries = [os.path.join(home, "bin", b) for b in BINARIES]
    binaries = [b for b in binaries if os.access(b, os.X_OK)]
    if not binaries:
        print(f"skipped: no Docker Compose build under {home}/bin")
        return 77
    os.makedirs(workdir, exist_ok=True)
    subprocess.run([fixture, workdir], check=True)
    with open(os.path.join(workdir, "expected.json"), encoding="utf-8") as f:
        want = json.load(f)

    failed = False
    with tempfile.TemporaryDirectory() as scratch:
        # Only the env file may feed interpolation: no inherited variables.
        env = {"PATH": "/usr/bin:/bin", "HOME": scratch,
               "DOCKER_CONFIG": os.path.join(scratch, ".docker")}
        for binary in binaries:
            p = subprocess.run(
                [binary, "-f", os.path.join(workdir, "compose.yml"), "--env-file",
                 os.path.join(workdir, "tricky.env"), "-p", "probe", "config", "--format", "json"],
                capture_output=True, text=True, env=env, cwd=workdir)
            name = os.path.basename(binary)
            if p.returncode != 0:
                print(f"{name}: FAIL {p.stderr.strip()[:2000]}")
                failed = True
                continue
            got = json.loads(p.stdout)["services"]["probe"].get("environment", {})
            # `config` re-escapes every `$` as `$$` so that its output loads back the same.
            got = {k: (v or "").replace("$$", "$") for k, v in got.items()}
            bad = [(k, v, got.get(k)) for k, v in want.items() if got.get(k) != v]
            for k, w, g in bad[:20]:
                print(f"{name}: {k}: expected {w!r}, read {g!r}")
            print(f"{name}: {'ok' if not bad else 'FAIL'} ({len(want) - len(bad)}/{len(want)} values)")
            failed |= bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
