#!/usr/bin/env python3
"""Runs the bundled examples through `deployc` under valgrind's memcheck.

usage: valgrind_example.py DEPLOYC WORKDIR

Each command (build with every flag on, check of what it wrote, vars as JSON) must finish
with no memcheck error and no definite or indirect leak (`--error-exitcode=1`). Complements
the ASan + UBSan suite: valgrind sees the uninstrumented release binary, as users run it.
Exits 77 (skipped) without valgrind.
"""
import os
import shutil
import subprocess
import sys

EXAMPLES = {
    "acme-shop": ["-D", "include_sentry=yes", "-D", "include_observability=yes"],
    "saas-platform": [],
}


def main():
    deployc, workdir = sys.argv[1], sys.argv[2]
    valgrind = shutil.which("valgrind")
    if not valgrind:
        print("skipped: valgrind is not installed")
        return 77
    memcheck = [valgrind, "--quiet", "--error-exitcode=1", "--leak-check=full",
                "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect"]
    failed = False
    for name, defines in EXAMPLES.items():
        spec = os.path.join("examples", name, "app.deploy")
        out = os.path.join(workdir, name)
        shutil.rmtree(out, ignore_errors=True)
        for args in (["build", spec, "-o", out, *defines],
                     ["check", spec, "-o", out, *defines],
                     ["vars", spec, "--format", "json"]):
            p = subprocess.run(memcheck + [deployc, *args], capture_output=True, text=True)
            verdict = "ok" if p.returncode == 0 else f"FAIL (exit {p.returncode})"
            print(f"{name}: deployc {args[0]}: {verdict}")
            if p.returncode != 0:
                print(p.stderr[-4000:])
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
