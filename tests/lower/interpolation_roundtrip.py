#!/usr/bin/env python3
"""Checks lowering's interpolation against the real Docker Compose loader.

usage: interpolation_roundtrip.py LOWER_FIXTURE WORKDIR

The fixture lowers literals, defaults and required variables holding tricky strings (`$`,
`${X}`, quotes, newlines, YAML specials, Unicode) and writes the compose file and env example;
`docker compose config --format json` must resolve every environment entry to the original
string. Exits 77 (skipped) when no Compose build is installed ($COMPOSE_VALIDATORS_HOME/bin,
default /tmp/cvh/bin).
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
    binaries = [b for b in (os.path.join(home, "bin", n) for n in BINARIES) if os.access(b, os.X_OK)]
    if not binaries:
        print(f"skipped: no Docker Compose build under {home}/bin")
        return 77
    os.makedirs(workdir, exist_ok=True)
    subprocess.run([fixture, workdir], check=True)
    with open(os.path.join(workdir, "expected.json"), encoding="utf-8") as f:
        want = json.load(f)
    failed = False
    with tempfile.TemporaryDirectory() as scratch:
        env = {"PATH": "/usr/bin:/bin", "HOME": scratch,
               "DOCKER_CONFIG": os.path.join(scratch, ".docker")}
        for binary in binaries:
            name = os.path.basename(binary)
            p = subprocess.run([binary, "-f", os.path.join(workdir, "compose.yml"), "--env-file",
                                os.path.join(workdir, ".env"), "config", "--format", "json"],
                               capture_output=True, text=True, env=env, cwd=workdir)
            if p.returncode != 0:
                print(f"{name}: FAIL {p.stderr.strip()[:2000]}")
                failed = True
                continue
            got = json.loads(p.stdout)["services"]["probe"].get("environment", {})
            got = {k: (v or "").replace("$$", "$") for k, v in got.items()}  # config re-escapes
            bad = [(k, v, got.get(k)) for k, v in want.items() if got.get(k) != v]
            for k, w, g in bad[:20]:
                print(f"{name}: {k}: expected {w!r}, read {g!r}")
            print(f"{name}: {'ok' if not bad else 'FAIL'} ({len(want) - len(bad)}/{len(want)} values)")
            failed |= bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
