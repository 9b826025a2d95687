#!/usr/bin/env python3
"""validate_outputs.py VALIDATORS_DIR OUTDIR: runs validate-compose on every
OUTDIR/*/compose.production.yml with the .env.production.example beside it as --env-file, and,
where a compose.build.yml exists, `docker-compose-v2 config` on the production file merged with
it (which must name a `production` target for every built service).

When the validators' lib/ajv-validate.cjs cannot load its npm modules from next to itself (the
tools were installed under $COMPOSE_VALIDATORS_HOME), the ajv gate is run here with NODE_PATH
pointing at the installed modules, as tests/seed/equivalence.py does.

Exit 0 when every gate passed, 1 on a failure, 77 when the validators are not installed."""
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import compose_bins  # noqa: E402

SKIP = 77


def node_resolves(package_dir, module):
    script = ("require('module').createRequire(process.argv[1] + '/package.json')"
              ".resolve(process.argv[2])")
    p = subprocess.run(["node", "-e", script, package_dir, module], capture_output=True,
                       text=True, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    return p.returncode == 0


def main():
    validators, outdir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    script = os.path.join(validators, "validate-compose")
    state = compose_bins.validators_home(validators)
    compose_v2 = os.path.join(state, "bin", "docker-compose-v2")
    if not os.path.exists(script) or not os.path.exists(compose_v2):
        print("compose validators not installed (set COMPOSE_VALIDATORS_HOME)")
        return SKIP
    ajv_broken = not node_resolves(os.path.join(validators, "node"), "yaml")
    cases = sorted(glob.glob(os.path.join(outdir, "*", "compose.production.yml")))
    if not cases:
        print("no outputs in %s" % outdir)
        return 1
    failed = 0
    for compose in cases:
        folder = os.path.dirname(compose)
        env = os.path.join(folder, ".env.production.example")
        args = [sys.executable, script, compose, "--env-file", env]
        if ajv_broken:
            args += ["--skip", "ajv-compose-spec,ajv-npm-2021"]
        p = subprocess.run(args, capture_output=True, text=True)
        report = (p.stdout + p.stderr).strip()
        rc = p.returncode
        if ajv_broken:
            q = subprocess.run(
                ["node", os.path.join(validators, "lib", "ajv-validate.cjs"), compose, "--schema",
                 os.path.join(state, "schemas", "compose-spec.json")],
                capture_output=True, text=True,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
                     "NODE_PATH": os.path.join(state, "node", "node_modules")})
            report += "\najv-compose-spec (NODE_PATH): " + (
                "ok" if q.returncode == 0 else "FAIL " + " | ".join((q.stdout + q.stderr).split("\n")))
            rc = rc or q.returncode
        name = os.path.basename(folder)
        print("%s: %s" % (name, "ok" if rc == 0 else "FAIL"))
        if rc != 0:
            failed += 1
            print("  " + report.replace("\n", "\n  "))
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
