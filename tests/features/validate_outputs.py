#!/usr/bin/env python3
"""validate_outputs.py VALIDATORS_DIR OUTDIR: runs validate-compose on every
OUTDIR/*/compose.production.yml with the .env.production.example beside it as --env-file, and,
where a compose.build.yml exists, `docker-compose-v2 config` on the production file merged with
it (which must name a `production` target for every built service).

Exit 0 when every gate passed, 1 on a failure, 77 when the validators are not installed."""
import glob
import json
import os
import subprocess
import sys

SKIP = 77


def main():
    validators, outdir = sys.argv[1], sys.argv[2]
    script = os.path.join(validators, "validate-compose")
    state = os.environ.get("COMPOSE_VALIDATORS_HOME") or os.path.join(validators)
    compose_v2 = os.path.join(state, "bin", "docker-compose-v2")
    if not os.path.exists(script) or not os.path.exists(compose_v2):
        print("compose validators not installed (set COMPOSE_VALIDATORS_HOME)")
        return SKIP
    cases = sorted(glob.glob(os.path.join(outdir, "*", "compose.production.yml")))
    if not cases:
        print("no outputs in %s" % outdir)
        return 1
    failed = 0
    for compose in cases:
        folder = os.path.dirname(compose)
        env = os.path.join(folder, ".env.production.example")
        p = subprocess.run([sys.executable, script, compose, "--env-file", env],
                           capture_output=True, text=True)
        name = os.path.basename(folder)
        status = "ok" if p.returncode == 0 else "FAIL"
        print("%s: %s" % (name, status))
        if p.returncode != 0:
            failed += 1
            print("  " + (p.stdout + p.stderr).strip().replace("\n", "\n  "))
        build = os.path.join(folder, "compose.build.yml")
        if os.path.exists(build):
            q = subprocess.run([compose_v2, "-f", compose, "-f", build, "--env-file", env,
                                "config", "--format", "json"],
                               capture_output=True, text=True, cwd=folder,
                               env={"PATH": "/usr/bin:/bin", "HOME": folder})
            ok = q.returncode == 0
            if ok:
                services = json.loads(q.stdout)["services"]
                built = [s for s in services.values() if "build" in s]
                ok = bool(built) and all(s["build"].get("target") == "production" for s in built)
            print("%s (merged with compose.build.yml): %s" % (name, "ok" if ok else "FAIL"))
            if not ok:
                failed += 1
                print("  " + (q.stdout[-2000:] + q.stderr).strip().replace("\n", "\n  "))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
